package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// The users of the fixture: one of each role, with an API token each. The district
// officer and the school clerk work in 福山区 (370611); "out of scope" for them is
// 莱山区 (370613).
var (
	users  *auth.Service
	tokens = map[auth.Role]string{}
	// roleOrg is where each role is granted.
	roleOrg = map[auth.Role]string{}
	// inInst is an institution in 370611 (the clerk's), outInst one in 370613.
	inInst, outInst string
)

const inDistrict, outDistrict = "370611", "370613"

func addUsers(ctx context.Context) error {
	users = auth.NewService(db, pack)
	// The access table signs in wrongly many times from one address; TestLoginThrottle
	// has a server of its own with the real limits.
	users.SetThrottle(1000, 1000)
	var err error
	if inInst, err = smallInstitution(inDistrict); err != nil {
		return err
	}
	if outInst, err = smallInstitution(outDistrict); err != nil {
		return err
	}
	roleOrg = map[auth.Role]string{auth.Admin: "370600", auth.Analyst: "370600", auth.Inspector: "370600",
		auth.DistrictOfficer: inDistrict, auth.SchoolClerk: inInst}
	by := auth.Actor{Name: "test", Remote: "test"}
	for _, r := range auth.Roles {
		name := string(r) + "1"
		if _, err := users.AddUser(ctx, by, auth.NewUser{Name: name, Role: r, Org: roleOrg[r], Password: "password-of-" + name}); err != nil {
			return err
		}
		if tokens[r], _, err = users.CreateToken(ctx, by, name, "test"); err != nil {
			return err
		}
	}
	return nil
}

// smallInstitution returns an institution of the district whose 2021 value of the
// explained indicator rests on fewer than plan.PublicMinCount teachers, so that the
// public does not see it.
func smallInstitution(district string) (string, error) {
	for _, code := range engine.Cube().InstitutionCodes(2021, district) {
		v, ok := engine.Get(explainIndicator, code, 2021)
		if !ok || !v.OK {
			continue
		}
		ex, err := engine.Explain(pack.FullScope(), explainIndicator, code, 2021)
		if err != nil {
			return "", err
		}
		for _, in := range ex.Inputs {
			if strings.HasPrefix(in.Call, "teachers(") && in.Value > 0 && in.Value < plan.PublicMinCount {
				return code, nil
			}
		}
	}
	return "", fmt.Errorf("no institution of %s with a small count", district)
}

// explainIndicator is an indicator computed at institutions, from counts of teachers.
const explainIndicator = "compulsory_teacher_bachelor"

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// call makes a request as a role (auth.Public: no credentials) and returns the status
// and body.
func call(t *testing.T, role auth.Role, method, path string, body io.Reader, contentType string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if role != auth.Public {
		req.Header.Set("Authorization", "Bearer "+tokens[role])
	}
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// upload is a multipart body with one file.
func upload(name, content string) (*bytes.Buffer, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// factsFile names a district in a valid row and then has a row that is not valid, so
// that no import of it ever succeeds: refused for its scope (403) or for its bad row
// (422), never changing the shared fixture.
func factsFile(district string) string {
	return "year,org,element,dims,value\n" +
		"2021," + district + ",working_age_schooling_years,,11.5\n" +
		"2021," + district + ",no_such_element,,1\n"
}

// request is one call of a route, at an org in or out of the caller's scope.
type request struct {
	method, path string
	body         func() (io.Reader, string)
}

// routeCase is a route's row of the access table: the request made in scope (in) and
// out of scope (out), and the status an allowed role gets for each (by hand: see the
// comments). Denied roles get 401 (the public, API), 303 to the login page (the
// public, a page) or 403 (signed in).
type routeCase struct {
	in, out request
	// ok is the status of a role allowed the route's action, for the in and the out
	// request; scoped, if set, is the out request's status for a role whose scope does
	// not cover the out org (the district officer, the school clerk).
	ok     [2]int
	scoped int
	// public is the status of the public where it differs from ok (a route it may call
	// whose answer depends on the org).
	public *[2]int
}

// routeCases has a row for every route.
var routeCases = map[string]routeCase{
	"GET /healthz":             {in: get1("/healthz"), out: get1("/healthz"), ok: [2]int{200, 200}},
	"GET /{$}":                 {in: get1("/"), out: get1("/?lang=en"), ok: [2]int{200, 200}},
	"GET /indicators/{code}":   {in: get1("/indicators/kg_public_share?org=" + inDistrict), out: get1("/indicators/kg_public_share?org=" + outDistrict), ok: [2]int{200, 200}},
	"GET /districts/{code}":    {in: get1("/districts/" + inDistrict), out: get1("/districts/" + outDistrict), ok: [2]int{200, 200}},
	"GET /standards":           {in: get1("/standards"), out: get1("/standards?lang=en&year=2020"), ok: [2]int{200, 200}},
	"GET /standards/{code}":    {in: get1("/standards/" + inDistrict), out: get1("/standards/" + outDistrict + "?lang=en"), ok: [2]int{200, 200}},
	"GET /static/{file...}":    {in: get1("/static/app.css"), out: get1("/static/charts.js"), ok: [2]int{200, 200}},
	"GET /data":                {in: get1("/data"), out: get1("/data?lang=en"), ok: [2]int{200, 200}},
	"GET /imports":             {in: get1("/imports"), out: get1("/imports?lang=en"), ok: [2]int{200, 200}},
	"GET /formats":             {in: get1("/formats"), out: get1("/formats?lang=en"), ok: [2]int{200, 200}},
	"GET /formats/{file}":      {in: get1("/formats/students.csv"), out: get1("/formats/teachers.xlsx"), ok: [2]int{200, 200}},
	"POST /imports":            {in: post("/imports", inDistrict), out: post("/imports", outDistrict), ok: [2]int{422, 422}, scoped: 403},
	"GET /audit":               {in: get1("/audit"), out: get1("/audit?lang=en"), ok: [2]int{200, 200}},
	"GET /login":               {in: get1("/login"), out: get1("/login?lang=en"), ok: [2]int{200, 200}},
	"POST /login":              {in: form("/login", "name=admin1&password=wrong"), out: form("/login", "name=nobody&password=wrong"), ok: [2]int{401, 401}},
	"POST /logout":             {in: form("/logout", ""), out: form("/logout", ""), ok: [2]int{303, 303}},
	"POST /projects/tasks/{n}": {in: form("/projects/tasks/1", "status=bogus"), out: form("/projects/tasks/33", "status=bogus"), ok: [2]int{400, 400}},
	"GET /projects":            {in: get1("/projects"), out: get1("/projects?lang=en"), ok: [2]int{200, 200}},
	// Supervision: never changing the shared fixture — a round or case that does not
	// exist (404), a form that is not valid (400).
	"GET /supervision":                         {in: get1("/supervision"), out: get1("/supervision?lang=en"), ok: [2]int{200, 200}},
	"POST /supervision/rounds":                 {in: form("/supervision/rounds", "title=&subject=indicators&year=2021"), out: form("/supervision/rounds", "title=x&subject=bogus&year=2021"), ok: [2]int{400, 400}},
	"GET /supervision/rounds/{id}":             {in: get1("/supervision/rounds/999"), out: get1("/supervision/rounds/x"), ok: [2]int{404, 404}},
	"POST /supervision/rounds/{id}":            {in: form("/supervision/rounds/999", "do=close"), out: form("/supervision/rounds/0", "do=close"), ok: [2]int{404, 404}},
	"GET /supervision/rounds/{id}/report.xlsx": {in: get1("/supervision/rounds/999/report.xlsx"), out: get1("/supervision/rounds/0/report.xlsx"), ok: [2]int{404, 404}},
	"GET /supervision/rounds/{id}/report.docx": {in: get1("/supervision/rounds/999/report.docx"), out: get1("/supervision/rounds/0/report.docx"), ok: [2]int{404, 404}},
	"GET /supervision/rounds/{id}/report.html": {in: get1("/supervision/rounds/999/report.html?lang=en"), out: get1("/supervision/rounds/0/report.html"), ok: [2]int{404, 404}},
	"GET /supervision/rounds/{id}/{org}":       {in: get1("/supervision/rounds/999/" + inDistrict), out: get1("/supervision/rounds/999/" + outDistrict), ok: [2]int{404, 404}},
	"POST /supervision/rounds/{id}/{org}":      {in: form("/supervision/rounds/999/"+inDistrict, "do=verify"), out: form("/supervision/rounds/999/"+outDistrict, "do=save&item=D1"), ok: [2]int{404, 404}},
	"GET /supervision/cases":                   {in: get1("/supervision/cases"), out: get1("/supervision/cases?lang=en"), ok: [2]int{200, 200}},
	"POST /supervision/cases":                  {in: form("/supervision/cases", "type=nope&org="+inDistrict), out: form("/supervision/cases", "type=safety_hazard&org="+outDistrict), ok: [2]int{400, 400}},
	"GET /supervision/cases/{id}":              {in: get1("/supervision/cases/999"), out: get1("/supervision/cases/0"), ok: [2]int{404, 404}},
	"POST /supervision/cases/{id}":             {in: form("/supervision/cases/999", "do=start"), out: form("/supervision/cases/0", "do=start"), ok: [2]int{404, 404}},
	"GET /supervision/evidence/{id}":           {in: get1("/supervision/evidence/999"), out: get1("/supervision/evidence/0"), ok: [2]int{404, 404}},
	"GET /api/v1/plan":                         {in: get1("/api/v1/plan"), out: get1("/api/v1/plan"), ok: [2]int{200, 200}},
	"GET /api/v1/orgs":                         {in: get1("/api/v1/orgs"), out: get1("/api/v1/orgs"), ok: [2]int{200, 200}},
	"GET /api/v1/indicators":                   {in: get1("/api/v1/indicators"), out: get1("/api/v1/indicators"), ok: [2]int{200, 200}},
	"GET /api/v1/indicators/{code}":            {in: get1("/api/v1/indicators/kg_public_share"), out: get1("/api/v1/indicators/kg_ger"), ok: [2]int{200, 200}},
	"GET /api/v1/values":                       {in: get1("/api/v1/values?org=" + inDistrict), out: get1("/api/v1/values?org=" + outDistrict), ok: [2]int{200, 200}},
	// A small count's value: the public and roles whose scope does not cover the
	// institution may not see how it was computed.
	"GET /api/v1/values/explain": {in: instPath("/api/v1/values/explain?indicator="+explainIndicator+"&year=2021&org=", true),
		out: instPath("/api/v1/values/explain?indicator="+explainIndicator+"&year=2021&org=", false), ok: [2]int{200, 200}, scoped: 403, public: &[2]int{403, 403}},
	"GET /api/v1/progress":                   {in: get1("/api/v1/progress?org=" + inDistrict), out: get1("/api/v1/progress?org=" + outDistrict), ok: [2]int{200, 200}},
	"GET /api/v1/scorecards":                 {in: get1("/api/v1/scorecards"), out: get1("/api/v1/scorecards"), ok: [2]int{200, 200}},
	"GET /api/v1/review":                     {in: get1("/api/v1/review"), out: get1("/api/v1/review?format=json"), ok: [2]int{200, 200}},
	"GET /review":                            {in: get1("/review"), out: get1("/review?live=true&lang=en"), ok: [2]int{200, 200}},
	"GET /editions":                          {in: get1("/editions"), out: get1("/editions?lang=en"), ok: [2]int{200, 200}},
	"GET /editions/{n}":                      {in: get1("/editions/1"), out: get1("/editions/1?lang=en"), ok: [2]int{200, 200}},
	"GET /reports/{kind}/{year}":             {in: get1("/reports/final/2025"), out: get1("/reports/midterm/2023?lang=en"), ok: [2]int{200, 200}},
	"GET /reports/{kind}/{year}/report.docx": {in: get1("/reports/final/2025/report.docx?edition=1"), out: get1("/reports/final/2025/report.docx?live=true"), ok: [2]int{200, 200}},
	"GET /open-data":                         {in: get1("/open-data"), out: get1("/open-data?lang=en"), ok: [2]int{200, 200}},
	"GET /api/v1/datasets":                   {in: get1("/api/v1/datasets"), out: get1("/api/v1/datasets"), ok: [2]int{200, 200}},
	"GET /api/v1/datasets/{n}/{file}":        {in: get1("/api/v1/datasets/1/values.csv"), out: get1("/api/v1/datasets/1/values.xlsx"), ok: [2]int{200, 200}},
	"GET /api/v1/editions":                   {in: get1("/api/v1/editions"), out: get1("/api/v1/editions"), ok: [2]int{200, 200}},
	"GET /api/v1/editions/{n}":               {in: get1("/api/v1/editions/1"), out: get1("/api/v1/editions/1?format=csv"), ok: [2]int{200, 200}},
	"GET /api/v1/editions/{n}/diff/{m}":      {in: get1("/api/v1/editions/1/diff/1"), out: get1("/api/v1/editions/1/diff/1?format=csv"), ok: [2]int{200, 200}},
	// Never changing the shared fixture: a kind that does not exist (400), an edition
	// that does not (404).
	"POST /api/v1/editions":             {in: jsonPost("/api/v1/editions", `{"kind":"annual"}`), out: jsonPost("/api/v1/editions", `{"kind":"final","as_of":1999}`), ok: [2]int{400, 400}},
	"POST /api/v1/editions/{n}/publish": {in: jsonPost("/api/v1/editions/999/publish", `{}`), out: jsonPost("/api/v1/editions/0/publish", `{}`), ok: [2]int{404, 404}},
	"GET /api/v1/standards":             {in: get1("/api/v1/standards"), out: get1("/api/v1/standards"), ok: [2]int{200, 200}},
	"GET /api/v1/standards/{code}": {in: get1("/api/v1/standards/quality_balanced?year=2021&org=" + inDistrict),
		out: get1("/api/v1/standards/universal_preschool?year=2021&format=csv&org=" + outDistrict), ok: [2]int{200, 200}},
	"GET /api/v1/projects":     {in: get1("/api/v1/projects"), out: get1("/api/v1/projects"), ok: [2]int{200, 200}},
	"GET /api/v1/tasks":        {in: get1("/api/v1/tasks"), out: get1("/api/v1/tasks"), ok: [2]int{200, 200}},
	"GET /api/v1/tasks/{n}":    {in: get1("/api/v1/tasks/1"), out: get1("/api/v1/tasks/33"), ok: [2]int{200, 200}},
	"PATCH /api/v1/tasks/{n}":  {in: patch("/api/v1/tasks/1", `{"status":"no such status"}`), out: patch("/api/v1/tasks/33", `{"status":"no such status"}`), ok: [2]int{400, 400}},
	"GET /api/v1/quality":      {in: get1("/api/v1/quality?format=json"), out: get1("/api/v1/quality"), ok: [2]int{200, 200}},
	"GET /api/v1/batches":      {in: get1("/api/v1/batches"), out: get1("/api/v1/batches"), ok: [2]int{200, 200}},
	"POST /api/v1/imports":     {in: post("/api/v1/imports", inDistrict), out: post("/api/v1/imports", outDistrict), ok: [2]int{422, 422}, scoped: 403},
	"GET /api/v1/audit":        {in: get1("/api/v1/audit"), out: get1("/api/v1/audit?limit=5"), ok: [2]int{200, 200}},
	"GET /api/v1/me":           {in: get1("/api/v1/me"), out: get1("/api/v1/me"), ok: [2]int{200, 200}},
	"GET /api/v1/openapi.json": {in: get1("/api/v1/openapi.json"), out: get1("/api/v1/openapi.json"), ok: [2]int{200, 200}},
}

func get1(path string) request { return request{method: "GET", path: path} }

func post(path, district string) request {
	return request{method: "POST", path: path, body: func() (io.Reader, string) { return upload("facts.csv", factsFile(district)) }}
}

func form(path, values string) request {
	return request{method: "POST", path: path, body: func() (io.Reader, string) {
		return strings.NewReader(values), "application/x-www-form-urlencoded"
	}}
}

func jsonPost(path, body string) request {
	return request{method: "POST", path: path, body: func() (io.Reader, string) { return strings.NewReader(body), "application/json" }}
}

func patch(path, body string) request {
	return request{method: "PATCH", path: path, body: func() (io.Reader, string) { return strings.NewReader(body), "application/json" }}
}

// instPath is a path ending in the in-scope or the out-of-scope institution, known
// only once the fixture is built.
func instPath(prefix string, in bool) request {
	return request{method: "GET", path: prefix + "\x00" + fmt.Sprint(in)}
}

func (r request) resolve() string {
	if p, in, ok := strings.Cut(r.path, "\x00"); ok {
		if in == "true" {
			return p + url.QueryEscape(inInst)
		}
		return p + url.QueryEscape(outInst)
	}
	return r.path
}

// TestAccessTable walks every registered route × every role × an org in and an org
// out of the role's scope. It fails when a route has no access rule or no case here.
//
// With -short, each route is tried as two of the six roles, every role on a third of
// the routes in turn, so that a quick run still calls every route and every role; CI
// runs the whole table.
func TestAccessTable(t *testing.T) {
	for r, rt := range server.Routes() {
		pattern := rt[0] + " " + rt[1]
		action, ok := server.Access(pattern)
		if !ok {
			t.Errorf("route %s is not found by Access", pattern)
			continue
		}
		c, ok := routeCases[pattern]
		if !ok {
			t.Errorf("route %s has no case in TestAccessTable", pattern)
			continue
		}
		// The routes are tried side by side: every request of the table is a read or is
		// refused (a body that is not valid, an id that does not exist), so none
		// changes what another sees.
		t.Run(pattern, func(t *testing.T) {
			t.Parallel()
			tryRoute(t, r, pattern, action, c)
		})
	}
	for pattern := range routeCases {
		if !slices.ContainsFunc(server.Routes(), func(rt [2]string) bool { return rt[0]+" "+rt[1] == pattern }) {
			t.Errorf("case %s has no route: remove it, or the route went missing", pattern)
		}
	}
}

// tryRoute calls the r'th route, as each role, in and out of the role's scope.
func tryRoute(t *testing.T, r int, pattern string, action auth.Action, c routeCase) {
	for k, role := range append([]auth.Role{auth.Public}, auth.Roles...) {
		if testing.Short() && (r+k)%3 != 0 {
			continue
		}
		p := auth.Principal{Role: role}
		for i, rq := range []request{c.in, c.out} {
			var want int
			switch {
			case !p.Can(action) && role != auth.Public:
				want = http.StatusForbidden
			case !p.Can(action) && strings.HasPrefix(rq.path, "/api/"):
				want = http.StatusUnauthorized
			case !p.Can(action) && rq.method == "GET":
				want = http.StatusSeeOther
			case !p.Can(action):
				want = http.StatusUnauthorized
			case role == auth.Public && c.public != nil:
				want = c.public[i]
			case i == 1 && c.scoped != 0 && (role == auth.DistrictOfficer || role == auth.SchoolClerk):
				want = c.scoped
			case i == 0 && c.scoped != 0 && role == auth.SchoolClerk && rq.body != nil:
				// A clerk's scope is an institution: a district's facts are outside it.
				want = c.scoped
			default:
				want = c.ok[i]
			}
			var body io.Reader
			var ct string
			if rq.body != nil {
				body, ct = rq.body()
			}
			got, b := call(t, role, rq.method, rq.resolve(), body, ct)
			if got != want {
				t.Errorf("%s as %s (%s): %s %s: status %d, want %d: %.200s", pattern, role, []string{"in scope", "out of scope"}[i], rq.method, rq.resolve(), got, want, b)
			}
		}
	}
}

// TestPublicSuppression: the public never sees an institution's value resting on fewer
// than 10 people, nor how it was computed; the roles covering it do.
func TestPublicSuppression(t *testing.T) {
	type value struct {
		Org      string   `json:"org"`
		OK       bool     `json:"ok"`
		Value    *float64 `json:"value"`
		ReasonEn string   `json:"reason_en"`
	}
	read := func(role auth.Role, org string) value {
		t.Helper()
		status, b := call(t, role, "GET", "/api/v1/values?indicator="+explainIndicator+"&year=2021&org="+org, nil, "")
		if status != 200 {
			t.Fatalf("values of %s as %s: %d %s", org, role, status, b)
		}
		var env struct{ Data []value }
		if err := json.Unmarshal(b, &env); err != nil || len(env.Data) != 1 {
			t.Fatalf("values of %s as %s: %v %s", org, role, err, b)
		}
		return env.Data[0]
	}
	for _, tt := range []struct {
		role    auth.Role
		org     string
		visible bool
	}{
		{auth.Public, inInst, false},
		{auth.Public, outInst, false},
		{auth.Admin, outInst, true},
		{auth.Inspector, outInst, true},
		{auth.DistrictOfficer, inInst, true},
		{auth.DistrictOfficer, outInst, false},
		{auth.SchoolClerk, inInst, true},
		{auth.SchoolClerk, outInst, false},
	} {
		v := read(tt.role, tt.org)
		if v.OK != tt.visible {
			t.Errorf("%s reading %s: ok %v, want %v (%+v)", tt.role, tt.org, v.OK, tt.visible, v)
		}
		if !tt.visible && (v.Value != nil && *v.Value != 0 || !strings.Contains(v.ReasonEn, "fewer than 10")) {
			t.Errorf("%s reading %s: suppressed value shows %v, reason %q", tt.role, tt.org, *v.Value, v.ReasonEn)
		}
	}
	// The district's and the city's values are published to everyone.
	for _, org := range []string{inDistrict, "370600"} {
		if v := read(auth.Public, org); !v.OK {
			t.Errorf("public reading %s: %+v", org, v)
		}
	}
	// And no student or teacher row leaves the server for the public: the batches (with
	// file names and who imported) are for signed-in roles only.
	if status, _ := call(t, auth.Public, "GET", "/api/v1/batches", nil, ""); status != 401 {
		t.Errorf("public batches: %d", status)
	}
}
