package web_test

import (
	"bytes"
	"context"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	sv "github.com/yantai-edu/eduplan/internal/supervision"
	"github.com/yantai-edu/eduplan/internal/web"
)

// conditionalPaths gives, for every GET route, a path answered 200 OK on the server of
// TestConditionalRoutes (its own data: an edition, a round, a case with evidence).
var conditionalPaths = map[string]string{
	"GET /healthz":                             "/healthz",
	"GET /{$}":                                 "/",
	"GET /indicators/{code}":                   "/indicators/kg_public_share",
	"GET /districts/{code}":                    "/districts/370602",
	"GET /data":                                "/data",
	"GET /projects":                            "/projects",
	"GET /standards":                           "/standards",
	"GET /standards/{code}":                    "/standards/370602",
	"GET /static/{file...}":                    "/static/app.css",
	"GET /imports":                             "/imports",
	"GET /formats":                             "/formats",
	"GET /formats/{file}":                      "/formats/students.csv",
	"GET /audit":                               "/audit",
	"GET /review":                              "/review",
	"GET /editions":                            "/editions",
	"GET /editions/{n}":                        "/editions/1",
	"GET /open-data":                           "/open-data",
	"GET /reports/{kind}/{year}":               "/reports/final/2025",
	"GET /reports/{kind}/{year}/report.docx":   "/reports/final/2025/report.docx?edition=1",
	"GET /login":                               "/login",
	"GET /supervision":                         "/supervision",
	"GET /supervision/rounds/{id}":             "/supervision/rounds/1",
	"GET /supervision/rounds/{id}/report.xlsx": "/supervision/rounds/1/report.xlsx",
	"GET /supervision/rounds/{id}/report.docx": "/supervision/rounds/1/report.docx",
	"GET /supervision/rounds/{id}/report.html": "/supervision/rounds/1/report.html",
	"GET /supervision/rounds/{id}/{org}":       "/supervision/rounds/1/370602",
	"GET /supervision/cases":                   "/supervision/cases",
	"GET /supervision/cases/{id}":              "/supervision/cases/1",
	"GET /supervision/evidence/{id}":           "/supervision/evidence/1",
	"GET /api/v1/plan":                         "/api/v1/plan",
	"GET /api/v1/orgs":                         "/api/v1/orgs",
	"GET /api/v1/indicators":                   "/api/v1/indicators",
	"GET /api/v1/indicators/{code}":            "/api/v1/indicators/kg_public_share",
	"GET /api/v1/values":                       "/api/v1/values?format=csv",
	"GET /api/v1/values/explain":               "/api/v1/values/explain?indicator=kg_public_share&year=2020&org=370600",
	"GET /api/v1/progress":                     "/api/v1/progress",
	"GET /api/v1/scorecards":                   "/api/v1/scorecards",
	"GET /api/v1/review":                       "/api/v1/review",
	"GET /api/v1/standards":                    "/api/v1/standards",
	"GET /api/v1/standards/{code}":             "/api/v1/standards/universal_preschool?year=2021",
	"GET /api/v1/editions":                     "/api/v1/editions",
	"GET /api/v1/editions/{n}":                 "/api/v1/editions/1?format=csv",
	"GET /api/v1/editions/{n}/diff/{m}":        "/api/v1/editions/1/diff/1",
	"GET /api/v1/datasets":                     "/api/v1/datasets",
	"GET /api/v1/datasets/{n}/{file}":          "/api/v1/datasets/1/values.csv",
	"GET /api/v1/projects":                     "/api/v1/projects",
	"GET /api/v1/tasks":                        "/api/v1/tasks",
	"GET /api/v1/tasks/{n}":                    "/api/v1/tasks/1",
	"GET /api/v1/quality":                      "/api/v1/quality",
	"GET /api/v1/batches":                      "/api/v1/batches",
	"GET /api/v1/audit":                        "/api/v1/audit",
	"GET /api/v1/me":                           "/api/v1/me",
	"GET /api/v1/openapi.json":                 "/api/v1/openapi.json",
}

// conditionalServer is a server over the tiny data set with a published edition, a
// round of supervision and a case with evidence in 芝罘区, and the admin's API token.
func conditionalServer(t *testing.T) (*web.Server, *httptest.Server, string) {
	t.Helper()
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := edition.Create(ctx, db, e, edition.Final, pack.TargetYear, "", "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := edition.Publish(ctx, db, pack, 1, "test"); err != nil {
		t.Fatal(err)
	}
	users := auth.NewService(db, pack)
	by := auth.Actor{Name: "test"}
	if _, err := users.AddUser(ctx, by, auth.NewUser{Name: "boss", Role: auth.Admin, Org: "370600", Password: "password-of-boss"}); err != nil {
		t.Fatal(err)
	}
	if _, err := users.AddUser(ctx, by, auth.NewUser{Name: "zhifu", Role: auth.DistrictOfficer, Org: "370602", Password: "password-of-zhifu"}); err != nil {
		t.Fatal(err)
	}
	token, _, err := users.CreateToken(ctx, by, "boss", "test")
	if err != nil {
		t.Fatal(err)
	}
	officer, _, err := users.CreateToken(ctx, by, "zhifu", "test")
	if err != nil {
		t.Fatal(err)
	}
	eng := func() *indicator.Engine { return e }
	sup := &sv.Service{DB: db, Pack: pack, Engine: eng}
	inspector := sv.Actor{Principal: auth.Principal{User: "boss", Role: auth.Admin, Org: "370600"}}
	if _, err := sup.OpenRound(ctx, inspector, sv.NewRound{Title: "指标自评", Kind: sv.KindIndicators, Year: 2020, Orgs: []string{"370602"}}); err != nil {
		t.Fatal(err)
	}
	server := web.New(web.Deps{Pack: pack, DB: db, Engine: eng, Auth: users, Logger: slog.New(slog.DiscardHandler)})
	srv := httptest.NewServer(server.Handler())
	t.Cleanup(srv.Close)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"type": "safety_hazard", "org": "370602", "title": "围墙开裂", "due": "2027-01-31", "field_risk": "general", "field_responsible": "芝罘区教体局"} {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "隐患照片.pdf")
	fw.Write([]byte("%PDF-1.4\n" + strings.Repeat("隐患 ", 1000) + "\n%%EOF\n"))
	mw.Close()
	if res, b := supCall(t, srv, officer, "POST", "/supervision/cases", &buf, mw.FormDataContentType()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("report a case: %d %.300s", res.StatusCode, b)
	}
	return server, srv, token
}

// TestConditionalRoutes walks every GET route: its answer carries an ETag, is answered
// 304 Not Modified (with no body) when If-None-Match names it, is gzip-compressed for a
// client that takes it when it is text over a kilobyte, and says who may keep it:
// private for a signed-in reader, public for the public, or no one (no-store: the
// health check). Static files are the same for everyone and public whoever asks. A
// route without a path here fails the test.
func TestConditionalRoutes(t *testing.T) {
	server, srv, token := conditionalServer(t)
	bearer := "Bearer " + token
	for _, rt := range server.Routes() {
		if rt[0] != "GET" {
			continue
		}
		pattern := rt[0] + " " + rt[1]
		path, ok := conditionalPaths[pattern]
		if !ok {
			t.Errorf("route %s has no path in conditionalPaths", pattern)
			continue
		}
		t.Run(strings.TrimPrefix(pattern, "GET "), func(t *testing.T) {
			t.Parallel() // every request is a GET, and the server is this test's own
			plain, body := raw(t, srv.URL+path, "Authorization", bearer)
			if plain.StatusCode != http.StatusOK {
				t.Fatalf("%s: %d %.300s", path, plain.StatusCode, body)
			}
			res, zbody := raw(t, srv.URL+path, "Authorization", bearer, "Accept-Encoding", "gzip")
			etag := res.Header.Get("ETag")
			if etag == "" || strings.HasPrefix(etag, "W/") {
				t.Errorf("ETag %q, want a strong one", etag)
			}
			text := strings.HasPrefix(plain.Header.Get("Content-Type"), "text/") || strings.Contains(plain.Header.Get("Content-Type"), "json")
			switch gz := res.Header.Get("Content-Encoding") == "gzip"; {
			case text && len(body) > 1024 && !gz:
				t.Errorf("%d bytes of %s sent whole to a client that takes gzip", len(body), plain.Header.Get("Content-Type"))
			case gz && !bytes.Equal(gunzip(t, zbody), body):
				t.Error("the gzip body is not the plain one compressed")
			case gz && etag == plain.Header.Get("ETag"):
				t.Errorf("the gzip and plain answers share the ETag %s", etag)
			}
			control := res.Header.Get("Cache-Control")
			if rt[1] == "/static/{file...}" {
				if !strings.HasPrefix(control, "public") {
					t.Errorf("static file: Cache-Control %q, want public", control)
				}
			} else if !strings.Contains(control, "private") && control != "no-store" {
				t.Errorf("signed in: Cache-Control %q, want private (or no-store)", control)
			}
			// Asked again with its ETag: 304 and no body, also for a Word file, which
			// names the minute it was written.
			again, b := raw(t, srv.URL+path, "Authorization", bearer, "Accept-Encoding", "gzip", "If-None-Match", etag)
			if again.StatusCode != http.StatusNotModified || len(b) != 0 || again.Header.Get("ETag") != etag {
				t.Errorf("If-None-Match %s: %d, %d bytes, ETag %q; want 304 with no body", etag, again.StatusCode, len(b), again.Header.Get("ETag"))
			}
			if action, _ := server.Access(pattern); action != auth.ReadPublic && action != auth.SignIn {
				return
			}
			pub, b := raw(t, srv.URL+path, "Accept-Encoding", "gzip")
			if pub.StatusCode != http.StatusOK {
				t.Fatalf("the public: %d %.300s", pub.StatusCode, b)
			}
			if control := pub.Header.Get("Cache-Control"); !strings.HasPrefix(control, "public") && control != "no-store" {
				t.Errorf("the public: Cache-Control %q, want public", control)
			}
		})
	}
}
