package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/demo"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/pgtest"
	"github.com/yantai-edu/eduplan/internal/store"
)

// city is one tenant of a test: the flags that pick it, its data, and words that only
// its pages and outputs hold.
type city struct {
	tenant string
	flags  []string
	files  []string
	own    string // a district's name, on its pages
	code   string // its districts' codes begin so
}

// args are the arguments of an eduplan command for the city.
func (c city) args(args ...string) []string { return append(append([]string{}, args...), c.flags...) }

// twoCities returns Yantai (the built-in pack, the tiny data set) and Weihai (the second
// city of fixture.SecondCity), both picked from one --plan directory by --tenant.
func twoCities(t *testing.T) (city, city) {
	_, packs := fixture.SecondCity(t)
	yantai := city{tenant: "370600", flags: []string{"--plan", packs, "--tenant", "370600"}, files: fixture.TinyFiles(), own: "芝罘", code: "3706"}
	weihai := city{tenant: "371000", flags: []string{"--plan", packs, "--tenant", "371000"}, files: fixture.SecondCityFiles(), own: "环翠", code: "3710"}
	return yantai, weihai
}

func TestTenantsShareADatabase(t *testing.T) {
	testTenants(t, func(t *testing.T) string { return filepath.Join(t.TempDir(), "e.db") })
}

func TestTenantsSharePostgres(t *testing.T) {
	testTenants(t, func(t *testing.T) string { return pgtest.DSN(t) })
}

// testTenants puts two cities on one database, as a province runs its cities, and shows
// that each sees only its own: every output of a city on the shared database is the one
// it gives on a database of its own (values, commitments, progress, quality, scorecard,
// with the other city's data marked as demo data); users, tokens, audit and
// supervision rounds are the city's; and of two servers on the database, one per
// city, neither takes the other's users, sessions or tokens, nor shows the other's
// data, batches or audit.
func testTenants(t *testing.T, newDB func(*testing.T) string) {
	if testing.Short() {
		t.Skip("imports two cities three times and starts two servers")
	}
	yantai, weihai := twoCities(t)
	shared := newDB(t)
	alone := map[string]string{yantai.tenant: newDB(t), weihai.tenant: newDB(t)}
	for _, c := range []city{yantai, weihai} {
		for _, db := range []string{shared, alone[c.tenant]} {
			if _, stderr, err := run(t, c.args(append([]string{"import", "--db", db}, c.files...)...)...); err != nil {
				t.Fatalf("import %s into %s: %v\n%s", c.tenant, db, err, stderr)
			}
		}
	}
	// Yantai's data are demo data at half scale (its targets scaled to match); Weihai's
	// are not, on the shared database as on its own.
	for _, db := range []string{shared, alone[yantai.tenant]} {
		markDemo(t, db, yantai.tenant, 0.5)
	}

	for _, c := range []city{yantai, weihai} {
		for _, cmd := range [][]string{
			{"values", "--format", "csv"},
			{"values", "--commitments", "--format", "csv"},
			{"progress", "--format", "csv"},
			{"quality", "--format", "csv"},
			{"scorecard"},
		} {
			own, stderr, err := run(t, c.args(append(cmd, "--db", alone[c.tenant])...)...)
			if err != nil {
				t.Fatalf("%s %v alone: %v\n%s", c.tenant, cmd, err, stderr)
			}
			got, stderr, err := run(t, c.args(append(cmd, "--db", shared)...)...)
			if err != nil {
				t.Fatalf("%s %v shared: %v\n%s", c.tenant, cmd, err, stderr)
			}
			// Times of import differ from one database to the other, and so do batch
			// ids on PostgreSQL, where they are the database's (an identity column).
			got, own = batchOf.ReplaceAllString(importedAt.ReplaceAllString(got, "T"), ",#,$1,T,"), batchOf.ReplaceAllString(importedAt.ReplaceAllString(own, "T"), ",#,$1,T,")
			if got != own {
				i := firstDiff(got, own)
				t.Errorf("%s %v: on the shared database differs from on its own at byte %d:\nshared: %q\nalone:  %q",
					c.tenant, cmd, i, got[i:min(len(got), i+120)], own[i:min(len(own), i+120)])
			}
		}
	}
	values, _, _ := run(t, weihai.args("values", "--format", "csv", "--db", shared)...)
	if !strings.Contains(values, "\nworking_age_schooling_years,371002,2020,11.5\n") || strings.Contains(values, ",3706") {
		t.Errorf("Weihai's values:\n%s", values)
	}

	// Users, tokens and rounds are a city's: the same name may be in both.
	mustRun := func(stdin string, c city, args ...string) string {
		t.Helper()
		out, stderr, err := runIn(t, stdin, c.args(append(args, "--db", shared)...)...)
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", c.tenant, args, err, stderr)
		}
		return out
	}
	mustRun("yantai password\n", yantai, "user", "add", "--name", "ana", "--role", "admin", "--org", "370600")
	mustRun("zhifu password\n", yantai, "user", "add", "--name", "zhifu", "--role", "district_officer", "--org", "370602")
	mustRun("weihai password\n", weihai, "user", "add", "--name", "ana", "--role", "admin", "--org", "371000")
	if _, _, err := runIn(t, "x password long\n", weihai.args("user", "add", "--db", shared, "--name", "z", "--role", "district_officer", "--org", "370602")...); exitCode(err) != 2 {
		t.Errorf("a Weihai user on a Yantai district: %v", err)
	}
	token := strings.TrimSpace(mustRun("", yantai, "token", "create", "--user", "zhifu"))
	mustRun("", yantai, "round", "open", "--title", "烟台专项督导", "--kind", "indicators", "--year", "2020")
	var users []struct{ Name string }
	if err := json.Unmarshal([]byte(mustRun("", weihai, "user", "list", "--format", "json")), &users); err != nil || len(users) != 1 || users[0].Name != "ana" {
		t.Errorf("Weihai's users: %v %v", users, err)
	}
	if out := mustRun("", weihai, "token", "list"); strings.Contains(out, "zhifu") {
		t.Errorf("Weihai's tokens:\n%s", out)
	}
	if out := mustRun("", weihai, "round", "list"); strings.Contains(out, "烟台专项督导") {
		t.Errorf("Weihai's rounds:\n%s", out)
	}
	audit := mustRun("", weihai, "audit", "--format", "csv")
	if strings.Contains(audit, "zhifu") || strings.Count(audit, "\n") != 1+len(weihai.files)+1 { // header, imports, user.add
		t.Errorf("Weihai's audit log:\n%s", audit)
	}

	// A server for each city on the one database.
	servers := map[string]string{}
	for _, c := range []city{yantai, weihai} {
		servers[c.tenant] = startServeAs(t, &globals{db: shared, planDir: c.flags[1], tenant: c.tenant})
	}
	a, b := servers[yantai.tenant], servers[weihai.tenant]
	cookie := signIn(t, a, "ana", "yantai password")
	if cookie == nil {
		t.Fatal("ana cannot sign in to Yantai's server")
	}
	if signIn(t, b, "ana", "yantai password") != nil || signIn(t, b, "zhifu", "zhifu password") != nil {
		t.Error("Weihai's server took a Yantai user's password")
	}
	if code, body := get(t, b+"/api/v1/me", cookie, ""); strings.Contains(body, `"ana"`) {
		t.Errorf("Weihai's server with Yantai's session: %d %s", code, body)
	}
	if code, body := get(t, b+"/api/v1/batches", cookie, ""); code != http.StatusUnauthorized && code != http.StatusForbidden {
		t.Errorf("Weihai's batches with Yantai's session: %d %s", code, body)
	}
	if code, body := get(t, b+"/api/v1/batches", nil, token); code != http.StatusUnauthorized {
		t.Errorf("Weihai's batches with Yantai's token: %d %s", code, body)
	}
	if code, _ := get(t, a+"/api/v1/batches", nil, token); code != http.StatusOK {
		t.Errorf("Yantai's batches with Yantai's token: %d", code)
	}
	weihaiCookie := signIn(t, b, "ana", "weihai password")
	if weihaiCookie == nil {
		t.Fatal("ana cannot sign in to Weihai's server")
	}
	if code, body := get(t, a+"/api/v1/me", weihaiCookie, ""); strings.Contains(body, `"ana"`) {
		t.Errorf("Yantai's server with Weihai's session: %d %s", code, body)
	}
	for _, tt := range []struct {
		c      city
		base   string
		cookie *http.Cookie
		other  city
	}{{yantai, a, cookie, weihai}, {weihai, b, weihaiCookie, yantai}} {
		for _, path := range []string{"/", "/?lang=en", "/indicators/kg_public_share", "/data", "/imports", "/audit", "/supervision",
			"/api/v1/values?format=csv", "/api/v1/batches", "/api/v1/audit", "/api/v1/quality", "/api/v1/orgs"} {
			code, body := get(t, tt.base+path, tt.cookie, "")
			if path == "/supervision" && tt.c.tenant == yantai.tenant && !strings.Contains(body, "烟台专项督导") {
				t.Errorf("Yantai's round is not on its supervision page")
			}
			if code != http.StatusOK {
				t.Errorf("%s %s: %d", tt.c.tenant, path, code)
				continue
			}
			// The other city's district names and codes, and for Weihai Yantai's round
			// and user.
			if strings.Contains(body, tt.other.own) || strings.Contains(body, `"`+tt.other.code) || strings.Contains(body, ","+tt.other.code) ||
				strings.Contains(body, "/districts/"+tt.other.code) ||
				tt.c.tenant == weihai.tenant && (strings.Contains(body, "烟台专项督导") || strings.Contains(body, "zhifu")) {
				t.Errorf("%s %s shows the other city's data:\n%.600s", tt.c.tenant, path, body)
			}
		}
		if _, body := get(t, tt.base+"/", nil, ""); !strings.Contains(body, tt.c.own) {
			t.Errorf("%s /: no %s", tt.c.tenant, tt.c.own)
		}
		// Demo data are Yantai's alone.
		if _, body := get(t, tt.base+"/api/v1/values?indicator=kg_public_share&org="+tt.c.tenant+"&year=2020", nil, ""); strings.Contains(body, `"demo":true`) != (tt.c.tenant == yantai.tenant) {
			t.Errorf("%s's values say demo wrongly: %s", tt.c.tenant, body)
		}
	}
}

// importedAt is a time as a CSV holds it.
var importedAt = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`)

// batchOf is a batch's id before its file and time in quality's CSV.
var batchOf = regexp.MustCompile(`,\d+,([^,]*\.csv),T,`)

// markDemo marks the tenant's data on the database as demo data generated at scale.
func markDemo(t *testing.T, name, tenant string, scale float64) {
	t.Helper()
	db, err := store.Open(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.SetDemo(context.Background(), tenant, true); err != nil {
		t.Fatal(err)
	}
	if err := db.SetDemoScale(context.Background(), tenant, scale); err != nil {
		t.Fatal(err)
	}
}

// startServeAs runs serve with g's database, plan and tenant until the test ends and
// returns its URL.
func startServeAs(t *testing.T, g *globals) string {
	t.Helper()
	g.zone = time.UTC
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, slog.New(slog.NewTextHandler(out, nil)), out, g, "127.0.0.1:0", demo.Options{Scale: 0.005, Seed: demo.DefaultSeed}, false, nil)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	re := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)/`)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, out)
		default:
		}
	}
	t.Fatalf("serve did not start:\n%s", out)
	return ""
}

// signIn signs in on the server and returns the session cookie, nil if refused.
func signIn(t *testing.T, base, name, password string) *http.Cookie {
	t.Helper()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("POST", base+"/login", strings.NewReader(url.Values{"name": {name}, "password": {password}, "next": {"/"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	for _, c := range res.Cookies() {
		if c.Name == "eduplan_session" && c.Value != "" && res.StatusCode == http.StatusSeeOther {
			return c
		}
	}
	return nil
}

// get fetches a URL with a session cookie or an API token (either may be empty) and
// returns the status and body.
func get(t *testing.T, u string, cookie *http.Cookie, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}
