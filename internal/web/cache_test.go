package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/web"
)

// raw requests a URL with exactly the header pairs given: no Accept-Encoding unless
// given, and a gzip body left compressed.
func raw(t *testing.T, u string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "identity")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := (&http.Client{Transport: &http.Transport{DisableCompression: true}}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCacheHeaders: pages, API answers and static files carry an ETag, answer
// If-None-Match with 304, are gzip-compressed for clients that take it (and whole for
// those that do not), and say who may keep them: public answers any cache for a short
// while, a signed-in reader's only their browser, checking each time.
func TestCacheHeaders(t *testing.T) {
	cookie := login(t, browser(t), ts.URL, "analyst1", "password-of-analyst1")
	for _, tc := range []struct {
		name, path string
		header     []string
		control    string
		body       string
	}{
		{"page public", "/?lang=en", nil, "public, max-age=10, must-revalidate", "</html>"},
		{"page signed in", "/indicators/kg_public_share", []string{"Cookie", cookie.String()}, "private, no-cache", "analyst1"},
		{"csv public", "/api/v1/values?format=csv", nil, "public, max-age=10, must-revalidate", "indicator,"},
		{"json token", "/api/v1/progress", []string{"Authorization", "Bearer " + tokens[auth.Inspector]}, "private, no-cache", `"data"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plain, body := raw(t, ts.URL+tc.path, tc.header...)
			if plain.StatusCode != http.StatusOK || plain.Header.Get("Content-Encoding") != "" || !strings.Contains(string(body), tc.body) {
				t.Fatalf("without gzip: %d %q %.200s", plain.StatusCode, plain.Header.Get("Content-Encoding"), body)
			}
			res, zbody := raw(t, ts.URL+tc.path, append([]string{"Accept-Encoding", "gzip, deflate, br"}, tc.header...)...)
			if res.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(gunzip(t, zbody), body) {
				t.Errorf("with gzip: Content-Encoding %q, body not the same gzip-compressed", res.Header.Get("Content-Encoding"))
			}
			if len(zbody) >= len(body) {
				t.Errorf("gzip body %d bytes, whole %d", len(zbody), len(body))
			}
			if got := res.Header.Get("Cache-Control"); got != tc.control {
				t.Errorf("Cache-Control %q, want %q", got, tc.control)
			}
			if v := res.Header.Get("Vary"); !strings.Contains(v, "Accept-Encoding") || !strings.Contains(v, "Cookie") {
				t.Errorf("Vary %q", v)
			}
			etag := res.Header.Get("ETag")
			if etag == "" || etag == plain.Header.Get("ETag") {
				t.Errorf("ETags: gzip %q, whole %q: want two, one per representation", etag, plain.Header.Get("ETag"))
			}
			for _, tag := range []string{etag, "W/" + etag, `"other", ` + etag} {
				res, body := raw(t, ts.URL+tc.path, append([]string{"Accept-Encoding", "gzip", "If-None-Match", tag}, tc.header...)...)
				if res.StatusCode != http.StatusNotModified || len(body) != 0 || res.Header.Get("ETag") != etag {
					t.Errorf("If-None-Match %s: %d, %d bytes, ETag %q", tag, res.StatusCode, len(body), res.Header.Get("ETag"))
				}
			}
			// A client holding the plain answer does not hold the gzip one: it gets it.
			if res, _ := raw(t, ts.URL+tc.path, append([]string{"Accept-Encoding", "gzip", "If-None-Match", plain.Header.Get("ETag")}, tc.header...)...); res.StatusCode != http.StatusOK {
				t.Errorf("If-None-Match of the plain answer, taking gzip: %d, want 200", res.StatusCode)
			}
			if res, _ := raw(t, ts.URL+tc.path, append([]string{"If-None-Match", plain.Header.Get("ETag")}, tc.header...)...); res.StatusCode != http.StatusNotModified {
				t.Errorf("If-None-Match of the plain answer, taking no gzip: %d, want 304", res.StatusCode)
			}
			if res, _ := raw(t, ts.URL+tc.path, append([]string{"If-None-Match", `"other"`}, tc.header...)...); res.StatusCode != http.StatusOK {
				t.Errorf("If-None-Match of another answer: %d", res.StatusCode)
			}
		})
	}
	t.Run("static", func(t *testing.T) {
		_, page := raw(t, ts.URL+"/")
		i := bytes.Index(page, []byte("/static/app.css?v="))
		if i < 0 {
			t.Fatal("no versioned stylesheet on the page")
		}
		u := string(page[i : i+bytes.IndexByte(page[i:], '"')])
		res, body := raw(t, ts.URL+u, "Accept-Encoding", "gzip")
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" || len(gunzip(t, body)) == 0 ||
			res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || res.Header.Get("ETag") == "" {
			t.Fatalf("%s: %d %v", u, res.StatusCode, res.Header)
		}
		if res, _ := raw(t, ts.URL+u, "Accept-Encoding", "gzip", "If-None-Match", res.Header.Get("ETag")); res.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match: %d", res.StatusCode)
		}
		// The plain file is another representation: another ETag, which does not
		// stand for the gzip one.
		plain, _ := raw(t, ts.URL+u)
		if plain.Header.Get("Content-Encoding") != "" || plain.Header.Get("ETag") == res.Header.Get("ETag") {
			t.Errorf("plain and gzip files share the ETag %s", res.Header.Get("ETag"))
		}
		if again, _ := raw(t, ts.URL+u, "Accept-Encoding", "gzip", "If-None-Match", plain.Header.Get("ETag")); again.StatusCode != http.StatusOK {
			t.Errorf("If-None-Match of the plain file, taking gzip: %d, want 200", again.StatusCode)
		}
	})
}

// TestCacheScopes: answers are cached per reader, and never served to another: the
// public does not get a signed-in reader's page or the small counts their scope shows,
// one user's page does not name another of the same scope, and a district officer does
// not get the city analyst's data. Each privileged answer is asked for first, so that a
// leak would come from the cache.
func TestCacheScopes(t *testing.T) {
	values := "/api/v1/values?indicator=" + explainIndicator + "&year=2021&org=" + inInst
	// shown reports whether the reader sees the value (ok), rather than its reason.
	shown := func(header ...string) bool {
		t.Helper()
		_, body := raw(t, ts.URL+values, header...)
		var env struct {
			Data []struct {
				OK bool `json:"ok"`
			} `json:"data"`
		}
		if err := json.Unmarshal(body, &env); err != nil || len(env.Data) != 1 {
			t.Fatalf("values: %v %.300s", err, body)
		}
		return env.Data[0].OK
	}
	bearer := func(r auth.Role) []string { return []string{"Authorization", "Bearer " + tokens[r]} }
	if !shown(bearer(auth.DistrictOfficer)...) {
		t.Fatalf("the officer of %s does not see %s's value: the test proves nothing", inDistrict, inInst)
	}
	if shown() {
		t.Errorf("the public got the small count's value after the officer")
	}
	if shown("Cookie", "eduplan_session=not-a-session") {
		t.Errorf("the public with a stale cookie got the small count's value")
	}

	cookie := func(name string) []string {
		return []string{"Cookie", login(t, browser(t), ts.URL, name, "password-of-"+name).String()}
	}
	admin, analyst, officer := cookie("admin1"), cookie("analyst1"), cookie("district_officer1")
	for _, path := range []string{"/", "/indicators/kg_public_share?lang=en", "/districts/" + inDistrict} {
		_, a := raw(t, ts.URL+path, admin...)
		_, b := raw(t, ts.URL+path, analyst...)
		_, c := raw(t, ts.URL+path, officer...)
		_, p := raw(t, ts.URL+path)
		for _, tc := range []struct {
			who       string
			body      []byte
			want, not string
		}{
			{"admin1", a, "admin1", "analyst1"},
			{"analyst1", b, "analyst1", "admin1"},
			{"district_officer1", c, "district_officer1", "admin1"},
			{"the public", p, "/login", "admin1"},
		} {
			if !bytes.Contains(tc.body, []byte(tc.want)) || bytes.Contains(tc.body, []byte(tc.not)) {
				t.Errorf("%s as %s: want %q and not %q in the page", path, tc.who, tc.want, tc.not)
			}
		}
	}
}

// TestCacheImport: a page and an API answer are served from the cache until an import
// gives the server a new engine, and show the import right after; readers asking
// meanwhile get answers wholly from before or wholly from after it.
func TestCacheImport(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	live, err := indicator.NewLive(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	s := httptest.NewServer(web.New(web.Deps{Pack: pack, DB: db, Engine: live.Engine, Logger: slog.New(slog.DiscardHandler)}).Handler())
	defer s.Close()
	const page = "/indicators/working_age_schooling_years?org=370602&year=2020&lang=en"
	const csv = "/api/v1/values?format=csv"
	_, beforePage := raw(t, s.URL+page)
	res, beforeCSV := raw(t, s.URL+csv)
	etag := res.Header.Get("ETag")
	if !bytes.Contains(beforeCSV, []byte("working_age_schooling_years,370602,2020,11\n")) {
		t.Fatalf("before: %s", beforeCSV)
	}

	// Whether the data is demo data is read when an answer is rendered: changed
	// underneath, it shows which answers were rendered again.
	if err := db.SetDemo(ctx, pack.Tenant, true); err != nil {
		t.Fatal(err)
	}
	if res, body := raw(t, s.URL+csv); !bytes.Equal(body, beforeCSV) || res.Header.Get("X-Eduplan-Demo") != "false" {
		t.Errorf("the CSV was rendered again with no import (X-Eduplan-Demo %s)", res.Header.Get("X-Eduplan-Demo"))
	}
	if _, body := raw(t, s.URL+page); !bytes.Equal(body, beforePage) {
		t.Errorf("the page was rendered again with no import")
	}
	if res, _ := raw(t, s.URL+csv, "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match before the import: %d", res.StatusCode)
	}

	// Readers all along the import: each answer is the one before or the one after.
	f := filepath.Join(t.TempDir(), "facts.csv")
	if err := os.WriteFile(f, []byte("year,org,element,dims,value\n2020,370602,working_age_schooling_years,,12.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[string]int{}
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				_, body := raw(t, s.URL+csv)
				mu.Lock()
				seen[string(body)]++
				mu.Unlock()
			}
		})
	}
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{f}, ingest.Options{User: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := live.Refresh(ctx); err != nil {
		t.Fatal(err)
	}

	// Right after: the new value, rendered again (the demo mark shows it).
	res, afterCSV := raw(t, s.URL+csv)
	close(done)
	wg.Wait()
	if !bytes.Contains(afterCSV, []byte("working_age_schooling_years,370602,2020,12.5\n")) || res.Header.Get("X-Eduplan-Demo") != "true" {
		t.Errorf("right after the import: X-Eduplan-Demo %s, %s", res.Header.Get("X-Eduplan-Demo"), afterCSV)
	}
	if res, _ := raw(t, s.URL+csv, "If-None-Match", etag); res.StatusCode != http.StatusOK {
		t.Errorf("If-None-Match of the answer before the import: %d, want 200", res.StatusCode)
	}
	if _, body := raw(t, s.URL+page); bytes.Equal(body, beforePage) || !bytes.Contains(body, []byte("12.5")) {
		t.Errorf("the page right after the import is the one before, or lacks 12.5")
	}
	for body, n := range seen {
		if body != string(beforeCSV) && body != string(afterCSV) {
			t.Errorf("%d answers during the import were neither the one before nor the one after: %.300s", n, body)
		}
	}
}

// TestCacheWarm: the answers most read before an import are rendered from the new
// engine before readers get it (Live.Prepare = Server.Warm), so that the first
// readers after the import find them ready: each with its reader, language and path.
func TestCacheWarm(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	live, err := indicator.NewLive(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	server := web.New(web.Deps{Pack: pack, DB: db, Engine: live.Engine, Logger: slog.New(slog.DiscardHandler)})
	live.Prepare = server.Warm
	s := httptest.NewServer(server.Handler())
	defer s.Close()
	const page = "/indicators/working_age_schooling_years?org=370602&year=2020"
	const csv = "/api/v1/values?format=csv"
	raw(t, s.URL+page, "Accept-Language", "en")
	raw(t, s.URL+csv)

	f := filepath.Join(t.TempDir(), "facts.csv")
	if err := os.WriteFile(f, []byte("year,org,element,dims,value\n2020,370602,working_age_schooling_years,,12.5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{f}, ingest.Options{User: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := live.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	// Rendered before this change of the demo mark: warmed; after it: on request.
	if err := db.SetDemo(ctx, pack.Tenant, true); err != nil {
		t.Fatal(err)
	}
	res, body := raw(t, s.URL+csv)
	if !bytes.Contains(body, []byte("working_age_schooling_years,370602,2020,12.5\n")) || res.Header.Get("X-Eduplan-Demo") != "false" {
		t.Errorf("the CSV right after the import: X-Eduplan-Demo %s (true: rendered on request, not warmed), %.200s", res.Header.Get("X-Eduplan-Demo"), body)
	}
	_, body = raw(t, s.URL+page, "Accept-Language", "en")
	if !bytes.Contains(body, []byte("12.5")) || bytes.Contains(body, []byte("demo-banner")) || !bytes.Contains(body, []byte(`lang="en"`)) {
		t.Errorf("the English page right after the import is not the one warmed from the new engine: %.300s", body)
	}
	// Not warmed: rendered on request, and so with the demo mark.
	if _, body := raw(t, s.URL+page, "Accept-Language", "zh"); !bytes.Contains(body, []byte("demo-banner")) {
		t.Errorf("the Chinese page, never read before the import, was not rendered on request")
	}
}
