package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/store"
	sv "github.com/yantai-edu/eduplan/internal/supervision"
	"github.com/yantai-edu/eduplan/internal/web"
)

// supServer is a server over the tiny data set with an API token for each of a city
// inspector, Zhifu's officer and Muping's officer.
func supServer(t *testing.T) (*httptest.Server, map[string]string, *sv.Service) {
	t.Helper()
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	users := auth.NewService(db, pack)
	tokens := map[string]string{}
	for _, u := range []auth.NewUser{{Name: "duxue", Role: auth.Inspector, Org: "370600"}, {Name: "zhifu", Role: auth.DistrictOfficer, Org: "370602"},
		{Name: "muping", Role: auth.DistrictOfficer, Org: "370612"}} {
		u.Password = "password-of-" + u.Name
		if _, err := users.AddUser(ctx, auth.Actor{Name: "test"}, u); err != nil {
			t.Fatal(err)
		}
		if tokens[u.Name], _, err = users.CreateToken(ctx, auth.Actor{Name: "test"}, u.Name, "test"); err != nil {
			t.Fatal(err)
		}
	}
	eng := func() *indicator.Engine { return e }
	srv := httptest.NewServer(web.New(web.Deps{Pack: pack, DB: db, Engine: eng, Auth: users, Logger: slog.New(slog.DiscardHandler)}).Handler())
	t.Cleanup(srv.Close)
	return srv, tokens, &sv.Service{DB: db, Pack: pack, Engine: eng}
}

func supCall(t *testing.T, srv *httptest.Server, token, method, path string, body io.Reader, ct string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// TestEvidenceServedSafely: evidence uploaded through the page is served only within
// scope, as an attachment of the type its content has, never sniffed, sandboxed; a
// hostile upload is refused with the reason and stores nothing.
func TestEvidenceServedSafely(t *testing.T) {
	srv, tokens, _ := supServer(t)
	report := func(name, content string) (*http.Response, []byte) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range map[string]string{"type": "safety_hazard", "org": "370602", "title": "围墙开裂", "due": "2027-01-31", "field_risk": "general", "field_responsible": "芝罘区教体局"} {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write([]byte(content))
		mw.Close()
		return supCall(t, srv, tokens["zhifu"], "POST", "/supervision/cases", &buf, mw.FormDataContentType())
	}
	for _, c := range []struct{ name, content, says string }{
		{"照片.png", "%PDF-1.4\n%%EOF\n", "PDF"},
		{"x.svg", `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`, "SVG"},
		{"x.pdf", "<html><script>alert(document.cookie)</script></html>", "HTML"},
	} {
		res, b := report(c.name, c.content)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), c.says) {
			t.Errorf("%s: %d %.300s", c.name, res.StatusCode, b)
		}
	}
	res, _ := report("隐患照片.pdf", "%PDF-1.4\n<script>alert(1)</script>\n%%EOF\n")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/supervision/cases/1" {
		t.Fatalf("report: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	for _, who := range []string{"zhifu", "duxue"} {
		res, b := supCall(t, srv, tokens[who], "GET", "/supervision/evidence/1", nil, "")
		h := res.Header
		if res.StatusCode != 200 || !strings.HasPrefix(string(b), "%PDF") || h.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") || h.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
			t.Errorf("%s: %d %v", who, res.StatusCode, h)
		}
	}
	if res, _ := supCall(t, srv, tokens["muping"], "GET", "/supervision/evidence/1", nil, ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("Muping's officer reads Zhifu's evidence: %d", res.StatusCode)
	}
	if res, _ := supCall(t, srv, "", "GET", "/supervision/evidence/1", nil, ""); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the public: %d", res.StatusCode)
	}
	if res, b := supCall(t, srv, tokens["muping"], "GET", "/supervision/cases/1", nil, ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("Muping's officer reads Zhifu's case: %d %.200s", res.StatusCode, b)
	}
}

// TestSupervisionStepRefused: a step the state does not allow is refused on the page
// with the state named in Chinese (409), and one outside the scope with 403.
func TestSupervisionStepRefused(t *testing.T) {
	srv, tokens, s := supServer(t)
	ctx := context.Background()
	inspector := sv.Actor{Principal: auth.Principal{User: "duxue", Role: auth.Inspector, Org: "370600"}}
	if _, err := s.OpenRound(ctx, inspector, sv.NewRound{Title: "指标自评", Kind: sv.KindIndicators, Year: 2020, Orgs: []string{"370602", "370612"}}); err != nil {
		t.Fatal(err)
	}
	form := func(token, path, values string) (*http.Response, []byte) {
		return supCall(t, srv, token, "POST", path, strings.NewReader(values), "application/x-www-form-urlencoded")
	}
	if res, b := form(tokens["duxue"], "/supervision/rounds/1/370602", "do=verify"); res.StatusCode != http.StatusConflict || !strings.Contains(string(b), "填报中") {
		t.Errorf("verify a draft: %d %.300s", res.StatusCode, b)
	}
	if res, _ := form(tokens["muping"], "/supervision/rounds/1/370602", "do=submit"); res.StatusCode != http.StatusForbidden {
		t.Errorf("Muping submits Zhifu's: %d", res.StatusCode)
	}
	if res, _ := form(tokens["zhifu"], "/supervision/rounds/1/370602", "do=submit"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("Zhifu submits: %d", res.StatusCode)
	}
	res, b := supCall(t, srv, tokens["zhifu"], "GET", "/supervision/rounds/1/370602", nil, "")
	if res.StatusCode != 200 || !strings.Contains(string(b), "提交时的值") || !strings.Contains(string(b), "第 1 次提交") {
		t.Errorf("the submitted evaluation: %d", res.StatusCode)
	}
	res, b = supCall(t, srv, tokens["duxue"], "GET", "/supervision/rounds/1/report.xlsx", nil, "")
	if res.StatusCode != 200 || !bytes.HasPrefix(b, []byte("PK")) || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("the workbook: %d %v", res.StatusCode, res.Header)
	}
	res, b = supCall(t, srv, tokens["duxue"], "GET", "/supervision/rounds/1/report.docx", nil, "")
	if res.StatusCode != 200 || !bytes.HasPrefix(b, []byte("PK")) || !strings.Contains(res.Header.Get("Content-Type"), "wordprocessingml") {
		t.Errorf("the Word report: %d %v", res.StatusCode, res.Header)
	}
}

// TestSupervisionDemoBanner: on a database of demo data the supervision pages carry the
// demo banner like every other page, since the demo's round and cases are invented.
func TestSupervisionDemoBanner(t *testing.T) {
	srv, tokens, l := supServer(t)
	if err := l.DB.SetDemo(context.Background(), l.Pack.Tenant, true); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/supervision", "/supervision/cases", "/supervision?lang=en"} {
		res, b := supCall(t, srv, tokens["zhifu"], "GET", path, nil, "")
		if res.StatusCode != http.StatusOK || !bytes.Contains(b, []byte(`class="demo-banner"`)) {
			t.Errorf("%s: %d, no demo banner", path, res.StatusCode)
		}
	}
}

// TestCaseDueDateOnPages: the hazard form requires a due date and says why; a report
// without one is refused in the page's language; the finding form requires one where
// the round sets no rectification date; a case stored before dates were required
// says it has none.
func TestCaseDueDateOnPages(t *testing.T) {
	srv, tokens, s := supServer(t)
	ctx := context.Background()
	res, b := supCall(t, srv, tokens["zhifu"], "GET", "/supervision/cases", nil, "")
	if res.StatusCode != 200 || !strings.Contains(string(b), `name="due" type="date" aria-describedby="rp-due-note-safety_hazard" required`) ||
		!strings.Contains(string(b), "必填：须在此日期前整改完毕") {
		t.Errorf("the hazard form: %d, the due date not required or not explained", res.StatusCode)
	}
	res, b = supCall(t, srv, tokens["zhifu"], "POST", "/supervision/cases?lang=en",
		strings.NewReader("type=safety_hazard&org=370602&title=x&field_risk=general&field_responsible=y"), "application/x-www-form-urlencoded")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "needs a due date") {
		t.Errorf("a hazard without a due date: %d %.300s", res.StatusCode, b)
	}

	inspector := sv.Actor{Principal: auth.Principal{User: "duxue", Role: auth.Inspector, Org: "370600"}}
	r, err := s.OpenRound(ctx, inspector, sv.NewRound{Title: "指标自评", Kind: sv.KindIndicators, Year: 2020, Orgs: []string{"370602"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Submit(ctx, sv.Actor{Principal: auth.Principal{User: "zhifu", Role: auth.DistrictOfficer, Org: "370602"}}, r.ID, "370602"); err != nil {
		t.Fatal(err)
	}
	res, b = supCall(t, srv, tokens["duxue"], "GET", "/supervision/rounds/1/370602", nil, "")
	if res.StatusCode != 200 || !strings.Contains(string(b), `aria-describedby="f-due-note" required`) || !strings.Contains(string(b), "本轮未设整改期限时必填") {
		t.Errorf("the finding form in a round without a rectification date: %d, the due date not required", res.StatusCode)
	}

	old := store.SupCase{Type: "safety_hazard", Org: "370602", Title: "旧案", Status: sv.Open, OpenedBy: "zhifu"}
	if err := s.DB.Write(ctx, s.Pack.Tenant, func(tx *store.Tx) error { return tx.AddCase(ctx, &old) }); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{"/supervision/cases": "未设期限", "/supervision/cases?lang=en": "no due date",
		fmt.Sprintf("/supervision/cases/%d", old.ID): "未设期限"} {
		if res, b := supCall(t, srv, tokens["zhifu"], "GET", path, nil, ""); res.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d, no %q", path, res.StatusCode, want)
		}
	}
}

// TestSupervisionCommitmentsRound: the page opens a round over the plan's commitments,
// and its round and self-evaluation pages show the commitments' items.
func TestSupervisionCommitmentsRound(t *testing.T) {
	srv, tokens, _ := supServer(t)
	res, b := supCall(t, srv, tokens["duxue"], "GET", "/supervision?lang=en", nil, "")
	if res.StatusCode != 200 || !strings.Contains(string(b), `value="commitments"`) || !strings.Contains(string(b), "The plan&#39;s commitments (districts)") {
		t.Fatalf("the round form: %d, no commitments subject", res.StatusCode)
	}
	res, b = supCall(t, srv, tokens["duxue"], "POST", "/supervision/rounds",
		strings.NewReader("title=2021+承诺事项&subject=commitments&year=2021&org=370602"), "application/x-www-form-urlencoded")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("open: %d %.300s", res.StatusCode, b)
	}
	for path, want := range map[string]string{"/supervision/rounds/1": "规划承诺事项", "/supervision/rounds/1/370602?lang=en": "New private compulsory schools"} {
		if res, b := supCall(t, srv, tokens["zhifu"], "GET", path, nil, ""); res.StatusCode != 200 || !strings.Contains(string(b), want) {
			t.Errorf("%s: %d, no %q", path, res.StatusCode, want)
		}
	}
}

// TestRoundReportDocuments: a round's page links its report as a print-ready page in
// the page's language, which has a row per district and only its own style sheet; the
// Word report comes in English too.
func TestRoundReportDocuments(t *testing.T) {
	srv, tokens, s := supServer(t)
	inspector := sv.Actor{Principal: auth.Principal{User: "duxue", Role: auth.Inspector, Org: "370600"}}
	if _, err := s.OpenRound(context.Background(), inspector, sv.NewRound{Title: "指标自评", Kind: sv.KindIndicators, Year: 2020, Orgs: []string{"370602", "370612"}}); err != nil {
		t.Fatal(err)
	}
	if res, b := supCall(t, srv, tokens["duxue"], "GET", "/supervision/rounds/1?lang=en", nil, ""); res.StatusCode != 200 ||
		!strings.Contains(string(b), `href="/supervision/rounds/1/report.html?lang=en"`) || !strings.Contains(string(b), `href="/supervision/rounds/1/report.docx?lang=en" download`) {
		t.Errorf("the round's page: %d, no links to its report in English", res.StatusCode)
	}
	res, b := supCall(t, srv, tokens["duxue"], "GET", "/supervision/rounds/1/report.html", nil, "")
	if res.StatusCode != 200 || !strings.Contains(string(b), "<td>芝罘区</td><td>填报中</td>") || !strings.Contains(string(b), "<td>牟平区</td>") ||
		!strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("the HTML report: %d %q\n%.600s", res.StatusCode, res.Header.Get("Content-Security-Policy"), b)
	}
	if res, b := supCall(t, srv, tokens["zhifu"], "GET", "/supervision/rounds/1/report.html?lang=en", nil, ""); res.StatusCode != 200 ||
		!strings.Contains(string(b), "<td>Zhifu District</td>") || strings.Contains(string(b), "Muping") {
		t.Errorf("Zhifu's officer's HTML report: %d, not Zhifu's row alone", res.StatusCode)
	}
	res, b = supCall(t, srv, tokens["duxue"], "GET", "/supervision/rounds/1/report.docx?lang=en", nil, "")
	if res.StatusCode != 200 || !bytes.HasPrefix(b, []byte("PK")) {
		t.Fatalf("the English Word report: %d", res.StatusCode)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			doc, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.Contains(doc, []byte("1. Overview")) || bytes.Contains(doc, []byte("总体情况")) {
				t.Errorf("the English Word report's headings: %.300s", doc)
			}
		}
	}
}
