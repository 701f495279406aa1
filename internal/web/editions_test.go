package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/auth"
)

// TestEditionsAPI: the review is live until an edition is published; from then on the
// API and the review page show the edition by default — unchanged by a later import,
// which only the live figures (labelled as such) show. Only the city's analysts and
// administrators freeze and publish; the public never sees a draft.
//
// The import is the tiny data set's population of 370602 in 2020 with three children
// aged 3 instead of two: the city's kg_ger in 2020 goes from 100 · 6/6 = 100 to
// 100 · 6/7 = 85.71 (6 preschool pupils, 5 + 1 → 6 + 1 children aged 3–5).
func TestEditionsAPI(t *testing.T) {
	ctx := context.Background()
	s, svc, _ := tinyServer(t)
	if _, err := svc.AddUser(ctx, auth.Actor{Name: "test"}, auth.NewUser{Name: "ana", Role: auth.Analyst, Org: "370600", Password: "analyst of the city"}); err != nil {
		t.Fatal(err)
	}
	token := func(user string) string {
		tok, _, err := svc.CreateToken(ctx, auth.Actor{Name: "test"}, user, "")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	analyst, officer := "Bearer "+token("ana"), "Bearer "+token("zhifu")
	c := browser(t)
	call := func(method, path, body, authz string) (*http.Response, string) {
		t.Helper()
		h := []string{"Content-Type", "application/json"}
		if authz != "" {
			h = append(h, "Authorization", authz)
		}
		return do(t, c, method, s.URL+path, strings.NewReader(body), h...)
	}
	// kg_ger at the city in 2020, from a figures CSV of an edition or the live values.
	cityKgGer := func(path, authz string) string {
		t.Helper()
		_, body := call("GET", path, "", authz)
		for _, line := range strings.Split(body, "\n") {
			if f := strings.Split(line, ","); len(f) > 3 && f[0] == "kg_ger" && f[1] == "370600" && f[2] == "2020" {
				return f[3]
			}
		}
		t.Fatalf("no kg_ger 370600 2020 in %s: %.300s", path, body)
		return ""
	}

	if res, _ := call("GET", "/api/v1/review", "", ""); res.Header.Get("X-Eduplan-Edition") != "live" {
		t.Errorf("review before any edition: X-Eduplan-Edition %q, want live", res.Header.Get("X-Eduplan-Edition"))
	}
	if res, body := call("POST", "/api/v1/editions", `{"kind":"final"}`, officer); res.StatusCode != http.StatusForbidden {
		t.Errorf("a district officer freezes an edition: %d %.200s", res.StatusCode, body)
	}
	if res, _ := call("POST", "/api/v1/editions", `{"kind":"final"}`, ""); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the public freezes an edition: %d", res.StatusCode)
	}
	res, body := call("POST", "/api/v1/editions", `{"kind":"final","as_of":2025,"title":"总结评估"}`, analyst)
	if res.StatusCode != http.StatusCreated || res.Header.Get("Location") != "/api/v1/editions/1" {
		t.Fatalf("the analyst freezes an edition: %d %s %.300s", res.StatusCode, res.Header.Get("Location"), body)
	}
	if _, body := call("GET", "/api/v1/editions", "", ""); !strings.Contains(body, `"data":[]`) {
		t.Errorf("the public lists a draft: %.300s", body)
	}
	if res, _ := call("GET", "/api/v1/editions/1", "", ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("the public reads a draft: %d", res.StatusCode)
	}
	if res, body := call("POST", "/api/v1/editions/1/publish", "", analyst); res.StatusCode != http.StatusOK {
		t.Fatalf("publish: %d %.300s", res.StatusCode, body)
	}
	if res, _ := call("POST", "/api/v1/editions/1/publish", "", analyst); res.StatusCode != http.StatusConflict {
		t.Errorf("publish twice: %d, want 409", res.StatusCode)
	}
	frozen := cityKgGer("/api/v1/editions/1?format=csv", "")
	if frozen != "100" {
		t.Errorf("edition 1: kg_ger 370600 2020 = %s, want 100", frozen)
	}

	// The correction, imported through the API.
	buf, ct := upload("population.csv", "year,district,age,count\n2020,370602,3,3\n2020,370602,4,2\n2020,370602,5,1\n"+
		"2020,370602,15,1\n2020,370602,16,1\n2020,370602,17,2\n2020,370602,30,100\n")
	if res, body := do(t, c, "POST", s.URL+"/api/v1/imports", buf, "Content-Type", ct, "Authorization", analyst); res.StatusCode != http.StatusCreated {
		t.Fatalf("import: %d %.300s", res.StatusCode, body)
	}
	if got := cityKgGer("/api/v1/editions/1?format=csv", ""); got != frozen {
		t.Errorf("edition 1 after the import: kg_ger 370600 2020 = %s, want %s still", got, frozen)
	}
	if got := cityKgGer("/api/v1/values?format=csv&indicator=kg_ger&org=370600&year=2020", ""); !strings.HasPrefix(got, "85.71") {
		t.Errorf("live kg_ger 370600 2020 after the import = %s, want 85.71…", got)
	}
	res, _ = call("GET", "/api/v1/review", "", "")
	if res.Header.Get("X-Eduplan-Edition") != "1" || res.Header.Get("X-Eduplan-Published") == "" {
		t.Errorf("review after publishing: X-Eduplan-Edition %q, published %q", res.Header.Get("X-Eduplan-Edition"), res.Header.Get("X-Eduplan-Published"))
	}
	if res, _ := call("GET", "/api/v1/review?live=true", "", ""); res.Header.Get("X-Eduplan-Edition") != "live" {
		t.Errorf("review?live=true: X-Eduplan-Edition %q", res.Header.Get("X-Eduplan-Edition"))
	}
	// The page says which it shows, and leads from one to the other.
	_, page := call("GET", "/review", "", "")
	if !strings.Contains(page, "发布于") || !strings.Contains(page, "/review?as_of=2025&amp;kind=final&amp;live=true") {
		t.Errorf("review page: no publication date or no link to the live figures:\n%.2000s", page)
	}
	_, page = call("GET", "/review?live=true&lang=en", "", "")
	if !strings.Contains(page, "Live figures") || !strings.Contains(page, "See the published edition") {
		t.Errorf("live review page: not labelled live:\n%.2000s", page)
	}
	// A second edition after the import: the diff names the moved figures and batch 6.
	if res, body := call("POST", "/api/v1/editions", `{"kind":"final"}`, analyst); res.StatusCode != http.StatusCreated {
		t.Fatalf("edition 2: %d %.300s", res.StatusCode, body)
	}
	_, diff := call("GET", "/api/v1/editions/1/diff/2?format=csv", "", analyst)
	if !strings.Contains(diff, "value,kg_ger,370600,2020,value,100,85.71428571428571,6\n") {
		t.Errorf("diff 1 → 2:\n%s", diff)
	}
}

// TestReportPages: the report of the published edition as HTML, with its DOCX download;
// the live draft's DOCX is marked 草稿 at the top of every page.
func TestReportPages(t *testing.T) {
	res, body := get(t, "/reports/final/2025", "Authorization", "")
	page := string(body)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, "版本 1") || !strings.Contains(page, `href="/reports/final/2025/report.docx?edition=1" download`) ||
		!strings.Contains(page, "@page { size: A4") || !strings.Contains(page, `@top-center { content: "版本 1 · 发布于`) {
		t.Errorf("report page: %d\n%.1500s", res.StatusCode, page)
	}
	// The page's Content-Security-Policy lets its style sheet (by hash) and its inline
	// charts in, and nothing else.
	style := page[strings.Index(page, "<style>")+len("<style>") : strings.Index(page, "</style>")]
	sum := sha256.Sum256([]byte(style))
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") || !strings.Contains(csp, "img-src data:") ||
		!strings.Contains(csp, "default-src 'none'") || !strings.Contains(page, `src="data:image/png;base64,`) {
		t.Errorf("report page's policy %q does not let its style and charts in", csp)
	}
	for _, tc := range []struct{ path, mark string }{
		{"/reports/final/2025/report.docx?edition=1", "版本 1"},
		{"/reports/final/2025/report.docx?live=true", "草稿"},
		{"/reports/midterm/2023/report.docx?lang=en", "DRAFT"},
	} {
		res, body := get(t, tc.path, "Authorization", "")
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
			t.Errorf("%s: %d %s", tc.path, res.StatusCode, res.Header.Get("Content-Type"))
			continue
		}
		zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		if err != nil {
			t.Errorf("%s: not a zip: %v", tc.path, err)
			continue
		}
		f, err := zr.Open("word/header1.xml")
		if err != nil {
			t.Errorf("%s: %v", tc.path, err)
			continue
		}
		h, _ := io.ReadAll(f)
		if !strings.Contains(string(h), tc.mark) {
			t.Errorf("%s: header %s; want %q", tc.path, h, tc.mark)
		}
	}
	// An edition's Word file is dated by the edition, so downloaded again (a second
	// later) it is the same bytes: its hash can be cited.
	_, first := get(t, "/reports/final/2025/report.docx?edition=1", "Authorization", "")
	time.Sleep(1100 * time.Millisecond)
	if _, again := get(t, "/reports/final/2025/report.docx?edition=1", "Authorization", ""); !bytes.Equal(first, again) {
		t.Errorf("edition 1's Word file differs when downloaded again: %d and %d bytes", len(first), len(again))
	}
	if res, _ := get(t, "/reports/annual/2025", "Authorization", ""); res.StatusCode != http.StatusNotFound {
		t.Errorf("/reports/annual/2025: %d, want 404", res.StatusCode)
	}
}

// TestOpenData: the DCAT catalogue lists the published edition 1 with its three
// distributions, and each file as downloaded has the catalogue's SHA-256 and size; a
// data set that is not a published edition is not found.
func TestOpenData(t *testing.T) {
	res, body := get(t, "/api/v1/datasets", "Authorization", "")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/ld+json; charset=utf-8" {
		t.Fatalf("catalogue: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	var cat struct {
		Type     string `json:"@type"`
		Datasets []struct {
			Type     string         `json:"@type"`
			Licence  map[string]any `json:"dct:license"`
			Temporal map[string]any `json:"dct:temporal"`
			Dists    []struct {
				URL struct {
					ID string `json:"@id"`
				} `json:"dcat:downloadURL"`
				Media    string `json:"dcat:mediaType"`
				Size     int    `json:"dcat:byteSize"`
				Checksum struct {
					Value string `json:"spdx:checksumValue"`
				} `json:"spdx:checksum"`
			} `json:"dcat:distribution"`
		} `json:"dcat:dataset"`
	}
	if err := json.Unmarshal(body, &cat); err != nil {
		t.Fatal(err)
	}
	if cat.Type != "dcat:Catalog" || len(cat.Datasets) != 1 || len(cat.Datasets[0].Dists) != 3 || cat.Datasets[0].Licence["@id"] == nil ||
		cat.Datasets[0].Temporal["dcat:endDate"] == nil {
		t.Fatalf("catalogue: %.1500s", body)
	}
	for _, d := range cat.Datasets[0].Dists {
		u, err := url.Parse(d.URL.ID)
		if err != nil {
			t.Fatal(err)
		}
		res, b := get(t, u.Path, "Authorization", "")
		sum := sha256.Sum256(b)
		if res.StatusCode != http.StatusOK || hex.EncodeToString(sum[:]) != d.Checksum.Value || len(b) != d.Size ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), d.Media) {
			t.Errorf("%s: %d %s, %d bytes sha256 %x; catalogue says %s, %d bytes %s", u.Path, res.StatusCode, res.Header.Get("Content-Type"), len(b), sum, d.Media, d.Size, d.Checksum.Value)
		}
	}
	for _, p := range []string{"/api/v1/datasets/999/values.csv", "/api/v1/datasets/1/secrets.csv", "/api/v1/datasets/x/values.csv"} {
		if res, _ := get(t, p, "Authorization", ""); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, res.StatusCode)
		}
	}
	if res, body := get(t, "/open-data", "Authorization", ""); res.StatusCode != http.StatusOK || !strings.Contains(string(body), `href="/api/v1/datasets/1/values.xlsx"`) {
		t.Errorf("/open-data: %d %.500s", res.StatusCode, body)
	}
}
