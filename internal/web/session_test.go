package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
	"github.com/yantai-edu/eduplan/internal/web"
)

// browser is a client with a cookie jar that shows redirects instead of following them.
func browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// do sends a request with header pairs and returns the response with its body read.
func do(t *testing.T, c *http.Client, method, u string, body io.Reader, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

const formType = "application/x-www-form-urlencoded"

// login signs in with a form as a browser does (same-origin) and returns the session
// cookie the server set.
func login(t *testing.T, c *http.Client, base, name, password string) *http.Cookie {
	t.Helper()
	form := url.Values{"name": {name}, "password": {password}, "next": {"/data"}}
	res, body := do(t, c, "POST", base+"/login", strings.NewReader(form.Encode()), "Content-Type", formType, "Sec-Fetch-Site", "same-origin")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/data" {
		t.Fatalf("login %s: %d %s, %.300s", name, res.StatusCode, res.Header.Get("Location"), body)
	}
	for _, ck := range res.Cookies() {
		if ck.Name == "eduplan_session" {
			return ck
		}
	}
	t.Fatal("login set no session cookie")
	return nil
}

func TestLoginSession(t *testing.T) {
	c := browser(t)
	// The data page asks the public to sign in, keeping where they were going.
	res, _ := do(t, c, "GET", ts.URL+"/data?lang=en", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Fdata%3Flang%3Den" {
		t.Fatalf("/data as the public: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	// Session fixation: a cookie the browser brings is not kept by signing in.
	u, _ := url.Parse(ts.URL)
	planted := &http.Cookie{Name: "eduplan_session", Value: "planted-by-an-attacker", Path: "/"}
	c.Jar.SetCookies(u, []*http.Cookie{planted})
	ck := login(t, c, ts.URL, "analyst1", "password-of-analyst1")
	if ck.Value == planted.Value || len(ck.Value) < 40 {
		t.Errorf("session id %q after login with a planted cookie", ck.Value)
	}
	if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure || ck.Path != "/" {
		t.Errorf("cookie flags: HttpOnly %v SameSite %v Secure %v (no TLS here) Path %q", ck.HttpOnly, ck.SameSite, ck.Secure, ck.Path)
	}
	res, body := do(t, c, "GET", ts.URL+"/data", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/data signed in: %d", res.StatusCode)
	}
	if !strings.Contains(body, "analyst1") {
		t.Error("the page does not say who is signed in")
	}
	res, body = do(t, c, "GET", ts.URL+"/api/v1/me", nil)
	var me struct {
		Data struct {
			User  string
			Role  string
			Scope struct{ Org, Detail string }
		}
	}
	if json.Unmarshal([]byte(body), &me); res.StatusCode != 200 || me.Data.User != "analyst1" || me.Data.Role != "analyst" || me.Data.Scope.Detail != "records" {
		t.Errorf("/api/v1/me: %d %s", res.StatusCode, body)
	}
	// CSRF: a state-changing request a browser sends from another site is refused, and
	// does not sign anyone out.
	res, _ = do(t, c, "POST", ts.URL+"/logout", nil, "Sec-Fetch-Site", "cross-site")
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site logout: %d, want 403", res.StatusCode)
	}
	res, _ = do(t, c, "POST", ts.URL+"/logout", nil, "Origin", "https://evil.example")
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("logout from another origin: %d, want 403", res.StatusCode)
	}
	if res, _ := do(t, c, "GET", ts.URL+"/data", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("a refused cross-site request signed the user out: %d", res.StatusCode)
	}
	// Logout ends the session on the server: the old cookie no longer works even if
	// a copy of it is replayed.
	res, _ = do(t, c, "POST", ts.URL+"/logout", nil, "Sec-Fetch-Site", "same-origin")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.StatusCode)
	}
	replay := browser(t)
	replay.Jar.SetCookies(u, []*http.Cookie{{Name: "eduplan_session", Value: ck.Value, Path: "/"}})
	if res, _ := do(t, replay, "GET", ts.URL+"/data", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("replayed cookie after logout: %d, want 303 to the login page", res.StatusCode)
	}
	// A session revoked from the command line ends too.
	c2 := browser(t)
	login(t, c2, ts.URL, "inspector1", "password-of-inspector1")
	if _, err := users.RevokeSessions(context.Background(), auth.Actor{Name: "test"}, "inspector1"); err != nil {
		t.Fatal(err)
	}
	if res, _ := do(t, c2, "GET", ts.URL+"/data", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("revoked session: %d, want 303", res.StatusCode)
	}
}

func TestLoginRejects(t *testing.T) {
	c := browser(t)
	form := url.Values{"name": {"admin1"}, "password": {"wrong password"}, "next": {"https://evil.example/"}}
	res, body := do(t, c, "POST", ts.URL+"/login?lang=en", strings.NewReader(form.Encode()), "Content-Type", formType)
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "wrong user name or password") {
		t.Errorf("wrong password: %d %.200s", res.StatusCode, body)
	}
	// After signing in, next never leads off the site.
	form.Set("password", "password-of-admin1")
	res, _ = do(t, c, "POST", ts.URL+"/login", strings.NewReader(form.Encode()), "Content-Type", formType)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Errorf("login with next off the site: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	// Cross-site login (login CSRF) is refused too.
	res, _ = do(t, browser(t), "POST", ts.URL+"/login", strings.NewReader(form.Encode()), "Content-Type", formType, "Sec-Fetch-Site", "cross-site")
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site login: %d", res.StatusCode)
	}
}

func TestLoginThrottle(t *testing.T) {
	db, pack, _ := fixture.Tiny(t)
	svc := auth.NewService(db, pack)
	if _, err := svc.AddUser(context.Background(), auth.Actor{Name: "test"}, auth.NewUser{Name: "ana", Role: auth.Analyst, Org: "370600", Password: "the right one"}); err != nil {
		t.Fatal(err)
	}
	e, err := indicator.Load(context.Background(), db, pack)
	if err != nil {
		t.Fatal(err)
	}
	s := httptest.NewServer(web.New(web.Deps{Pack: pack, DB: db, Engine: func() *indicator.Engine { return e }, Auth: svc, Logger: slog.New(slog.DiscardHandler)}).Handler())
	defer s.Close()
	try := func(pw string) int {
		form := url.Values{"name": {"ana"}, "password": {pw}}
		res, _ := do(t, browser(t), "POST", s.URL+"/login", strings.NewReader(form.Encode()), "Content-Type", formType)
		return res.StatusCode
	}
	for i := range 5 {
		if got := try("guess"); got != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i+1, got)
		}
	}
	if got := try("the right one"); got != http.StatusTooManyRequests {
		t.Errorf("right password after 5 failures: %d, want 429", got)
	}
	log, err := db.AuditLog(context.Background(), pack.Tenant, store.AuditQuery{Action: store.AuditLoginFailed})
	if err != nil || len(log) != 5 || log[0].Actor != "ana" || log[0].Remote != "127.0.0.1" {
		t.Errorf("audit of failed logins: %+v, %v", log, err)
	}
}

func TestTokens(t *testing.T) {
	ctx := context.Background()
	tok, id, err := users.CreateToken(ctx, auth.Actor{Name: "test"}, "inspector1", "to revoke")
	if err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	if res, _ := do(t, c, "GET", ts.URL+"/api/v1/batches", nil, "Authorization", "Bearer "+tok); res.StatusCode != 200 {
		t.Fatalf("with a live token: %d", res.StatusCode)
	}
	if err := users.RevokeToken(ctx, auth.Actor{Name: "test"}, id); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"Bearer " + tok, "Bearer ep_nonsense", "Basic YWRtaW46YWRtaW4="} {
		res, body := do(t, c, "GET", ts.URL+"/api/v1/plan", nil, "Authorization", h)
		if res.StatusCode != http.StatusUnauthorized || res.Header.Get("WWW-Authenticate") == "" || !strings.Contains(body, `"unauthorized"`) {
			t.Errorf("Authorization %.20s…: %d %q %.200s", h, res.StatusCode, res.Header.Get("WWW-Authenticate"), body)
		}
	}
	// Without any credentials the public still reads the plan.
	if res, _ := do(t, c, "GET", ts.URL+"/api/v1/plan", nil); res.StatusCode != 200 {
		t.Errorf("public plan: %d", res.StatusCode)
	}
}

// tinyServer is a server with logins over the tiny data set, recomputing its
// indicators after each import as serve does.
func tinyServer(t *testing.T) (*httptest.Server, *auth.Service, *store.DB) {
	t.Helper()
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	svc := auth.NewService(db, pack)
	for _, u := range []auth.NewUser{
		{Name: "zhifu", Role: auth.DistrictOfficer, Org: "370602", Password: "officer of 370602"},
		{Name: "insp", Role: auth.Inspector, Org: "370600", Password: "inspector of all"},
		{Name: "clerk", Role: auth.SchoolClerk, Org: "P1", Password: "clerk of school P1"},
	} {
		if _, err := svc.AddUser(ctx, auth.Actor{Name: "test"}, u); err != nil {
			t.Fatal(err)
		}
	}
	var eng atomic.Pointer[indicator.Engine]
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	eng.Store(e)
	reload := func(ctx context.Context, scopes []store.YearDistrict) error {
		e, err := eng.Load().Reload(ctx, db, scopes)
		if err == nil {
			eng.Store(e)
		}
		return err
	}
	s := httptest.NewServer(web.New(web.Deps{Pack: pack, DB: db, Engine: eng.Load, Reload: reload, Auth: svc, Logger: slog.New(slog.DiscardHandler)}).Handler())
	t.Cleanup(s.Close)
	return s, svc, db
}

func TestImportAPI(t *testing.T) {
	ctx := context.Background()
	s, svc, db := tinyServer(t)
	token := func(user string) string {
		tok, _, err := svc.CreateToken(ctx, auth.Actor{Name: "test"}, user, "")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	officer, inspector := token("zhifu"), token("insp")
	value := func(org string) float64 {
		t.Helper()
		_, body := do(t, browser(t), "GET", s.URL+"/api/v1/values?indicator=working_age_schooling_years&year=2020&org="+org, nil)
		var env struct{ Data []struct{ Value float64 } }
		if err := json.Unmarshal([]byte(body), &env); err != nil || len(env.Data) != 1 {
			t.Fatalf("value of %s: %v %s", org, err, body)
		}
		return env.Data[0].Value
	}
	batches := func() int {
		bs, err := db.Batches(ctx, plan.Scope{Tenant: "370600", Org: "370600", Detail: plan.Records})
		if err != nil {
			t.Fatal(err)
		}
		return len(bs)
	}
	// The data quality of 370602's 2020 schooling years, before and after the import:
	// the report is kept per engine and must follow the import.
	qualityBatches := func() string {
		t.Helper()
		_, body := do(t, browser(t), "GET", s.URL+"/api/v1/quality?format=json", nil, "Authorization", "Bearer "+officer)
		var env struct {
			Data struct {
				Cells []struct {
					Org, Element string
					Year         int
					Batches      []json.RawMessage
				}
			}
		}
		if err := json.Unmarshal([]byte(body), &env); err != nil {
			t.Fatalf("quality: %v %.300s", err, body)
		}
		for _, c := range env.Data.Cells {
			if c.Org == "370602" && c.Year == 2020 && c.Element == "working_age_schooling_years" {
				return fmt.Sprint(len(c.Batches), string(bytes.Join(rawBytes(c.Batches), nil)))
			}
		}
		t.Fatalf("no quality cell of 370602's 2020 schooling years: %.500s", body)
		return ""
	}
	q0 := qualityBatches()
	before, n0 := value("370612"), batches()
	send := func(token, name, content string) (int, string) {
		body, ct := upload(name, content)
		h := []string{"Content-Type", ct}
		if token != "" {
			h = append(h, "Authorization", "Bearer "+token)
		}
		res, b := do(t, browser(t), "POST", s.URL+"/api/v1/imports", body, h...)
		return res.StatusCode, b
	}
	// Refused: without credentials (401), a role that may not import (403), a file
	// reaching outside the caller's district (403, with the row), a bad row (422).
	other := "year,org,element,dims,value\n2020,370612,working_age_schooling_years,,9\n"
	for _, tt := range []struct {
		token, file string
		status      int
		in          string
	}{
		{"", other, 401, `"unauthorized"`},
		{inspector, other, 403, `"forbidden"`},
		{officer, other, 403, `(370602) only`},
		{officer, "year,org,element,dims,value\n2020,370602,working_age_schooling_years,,many\n", 422, `"row":2`},
		// Files the readers refuse whole: no data row; a line past their bound.
		{officer, "year,org,element,dims,value\n", 422, `no data rows`},
		{officer, "year,org,element,dims,value\n2020," + strings.Repeat("9", 2<<20) + ",x,,1\n", 422, `"class":"limit"`},
	} {
		status, body := send(tt.token, "facts.csv", tt.file)
		if status != tt.status || !strings.Contains(body, tt.in) {
			t.Errorf("upload: %d, want %d with %s: %.400s", status, tt.status, tt.in, body)
		}
	}
	if v, n := value("370612"), batches(); v != before || n != n0 {
		t.Fatalf("a refused upload changed the data: value %v (was %v), %d batches (were %d)", v, before, n, n0)
	}
	// Accepted: the officer's own district; the value is fresh as the answer comes.
	status, body := send(officer, "schooling-2020.csv", "year,org,element,dims,value\n2020,370602,working_age_schooling_years,,11.8\n")
	var env struct {
		Data struct {
			ID         int64  `json:"id"`
			File       string `json:"file"`
			ImportedBy string `json:"imported_by"`
			Rows       int    `json:"rows"`
		}
	}
	if json.Unmarshal([]byte(body), &env); status != 201 || env.Data.File != "schooling-2020.csv" || env.Data.Rows != 1 || env.Data.ImportedBy != "zhifu" {
		t.Fatalf("upload: %d %s", status, body)
	}
	if v := value("370602"); v != 11.8 {
		t.Errorf("value after the import: %v, want 11.8", v)
	}
	if q1 := qualityBatches(); q1 == q0 || !strings.Contains(q1, fmt.Sprint(env.Data.ID)) {
		t.Errorf("data quality after the import still shows %s (was %s)", q1, q0)
	}
	// The same file again changes nothing.
	if status, body := send(officer, "schooling-2020.csv", "year,org,element,dims,value\n2020,370602,working_age_schooling_years,,11.8\n"); status != 200 || !strings.Contains(body, `"unchanged":true`) {
		t.Errorf("same file again: %d %s", status, body)
	}
	// A school clerk imports only their institution's rows.
	clerk := token("clerk")
	if status, body := send(clerk, "facts.csv", "year,org,element,dims,value\n2020,370602,working_age_schooling_years,,12\n"); status != 403 {
		t.Errorf("clerk uploading district facts: %d %.300s", status, body)
	}
	// Their own school's row is theirs to change; the district's other schools stay.
	own := "year,code,name,district,type,ownership,inclusive,location\n2020,P1,芝罘城区小学,370602,primary,public,,town\n"
	if status, body := send(clerk, "institutions-P1.csv", own); status != 201 || !strings.Contains(body, `"imported_by":"clerk"`) {
		t.Errorf("clerk uploading their school's row: %d %.300s", status, body)
	}
	if status, body := send(clerk, "institutions-K1.csv", strings.Replace(own, "P1", "K1", 1)); status != 403 || !strings.Contains(body, "your institution (P1) only") {
		t.Errorf("clerk uploading another school's row: %d %.300s", status, body)
	}
	// Every accepted import is in the audit log with who and from where.
	log, err := db.AuditLog(ctx, "370600", store.AuditQuery{Action: store.AuditImport, Actor: "zhifu"})
	if err != nil || len(log) != 1 || log[0].Actor != "zhifu" || log[0].Remote != "127.0.0.1" || !strings.Contains(log[0].Object, "batch") {
		t.Errorf("audit of the import: %+v, %v", log, err)
	}
}

// TestImportPage: the web form takes a file with the same validation as the API and
// shows the rows that are wrong, in the page's language.
func TestImportPage(t *testing.T) {
	s, _, _ := tinyServer(t)
	c := browser(t)
	login(t, c, s.URL, "zhifu", "officer of 370602")
	res, body := do(t, c, "GET", s.URL+"/imports", nil)
	if res.StatusCode != 200 || !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, "芝罘区") {
		t.Fatalf("import page: %d %.300s", res.StatusCode, body)
	}
	send := func(content, lang string) (int, string) {
		b, ct := upload("facts.csv", content)
		res, body := do(t, c, "POST", s.URL+"/imports?lang="+lang, b, "Content-Type", ct, "Sec-Fetch-Site", "same-origin")
		return res.StatusCode, body
	}
	status, body := send("year,org,element,dims,value\n2020,370602,working_age_schooling_years,,eleven\n", "en")
	if status != 422 || !strings.Contains(body, "Import rejected") || !strings.Contains(body, "<td class=\"num\">2</td>") || !strings.Contains(body, "eleven") {
		t.Errorf("bad row: %d %.2000s", status, body)
	}
	status, body = send("year,org,element,dims,value\n2020,370612,working_age_schooling_years,,9\n", "zh")
	if status != 403 || !strings.Contains(body, "只能导入芝罘区（370602）的数据") {
		t.Errorf("other district: %d", status)
	}
	status, body = send("year,org,element,dims,value\n2020,370602,working_age_schooling_years,,11.9\n", "zh")
	if status != 200 || !strings.Contains(body, "已导入 facts.csv：1 行") {
		t.Errorf("good file: %d %.300s", status, body)
	}
	// A browser on another site cannot post to it.
	b, ct := upload("facts.csv", "year,org,element,dims,value\n2020,370602,working_age_schooling_years,,3\n")
	if res, _ := do(t, c, "POST", s.URL+"/imports", b, "Content-Type", ct, "Sec-Fetch-Site", "cross-site"); res.StatusCode != 403 {
		t.Errorf("cross-site upload: %d", res.StatusCode)
	}
}

// TestTaskForm: an analyst updates a task's ledger entry from the projects page; the
// change is in the task's history and the audit log, and a district officer may not.
func TestTaskForm(t *testing.T) {
	s, svc, db := tinyServer(t)
	if _, err := svc.AddUser(context.Background(), auth.Actor{Name: "test"}, auth.NewUser{Name: "ana", Role: auth.Analyst, Org: "370600", Password: "analyst password"}); err != nil {
		t.Fatal(err)
	}
	c := browser(t)
	login(t, c, s.URL, "ana", "analyst password")
	res, body := do(t, c, "GET", s.URL+"/projects", nil)
	if res.StatusCode != 200 || !strings.Contains(body, `action="/projects/tasks/7"`) {
		t.Fatalf("projects page for an analyst has no edit form: %d", res.StatusCode)
	}
	form := url.Values{"status": {"in_progress"}, "note": {"已完成 3 所学校的评估"}, "milestone": {"1", "2"}, "done": {"1"}}
	res, _ = do(t, c, "POST", s.URL+"/projects/tasks/7?lang=en", strings.NewReader(form.Encode()), "Content-Type", formType, "Sec-Fetch-Site", "same-origin")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/projects?lang=en#task-7" {
		t.Fatalf("task form: %d → %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = do(t, c, "GET", s.URL+"/api/v1/tasks/7", nil)
	var env struct {
		Data struct {
			Status     string
			Note       string
			UpdatedBy  string `json:"updated_by"`
			Milestones []struct{ Done bool }
			History    []json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	got := env.Data
	if len(got.History) != 1 {
		t.Errorf("task 7 has %d changes in its history, want 1", len(got.History))
	}
	if got.Status != "in_progress" || got.Note != "已完成 3 所学校的评估" || got.UpdatedBy != "ana" || len(got.Milestones) < 2 || !got.Milestones[0].Done || got.Milestones[1].Done {
		t.Errorf("task 7 after the form: %s", body)
	}
	log, err := db.AuditLog(context.Background(), "370600", store.AuditQuery{Action: store.AuditTaskEdit})
	if err != nil || len(log) != 1 || log[0].Actor != "ana" || log[0].Object != "task 7" {
		t.Errorf("audit of the task edit: %+v %v", log, err)
	}
	// A district officer sees no form and may not post one.
	c2 := browser(t)
	login(t, c2, s.URL, "zhifu", "officer of 370602")
	if _, body := do(t, c2, "GET", s.URL+"/projects", nil); strings.Contains(body, `action="/projects/tasks/`) {
		t.Error("a district officer is offered the edit form")
	}
	res, _ = do(t, c2, "POST", s.URL+"/projects/tasks/7", strings.NewReader(form.Encode()), "Content-Type", formType, "Sec-Fetch-Site", "same-origin")
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("officer posting the form: %d", res.StatusCode)
	}
}

func rawBytes(rs []json.RawMessage) [][]byte {
	out := make([][]byte, len(rs))
	for i, r := range rs {
		out[i] = r
	}
	return out
}
