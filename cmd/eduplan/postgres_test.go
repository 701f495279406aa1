package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/pgtest"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestSameValuesOnPostgres: the same demo data imported into SQLite and into PostgreSQL
// gives byte-identical values and progress CSVs: the oracle's figures do not depend on
// the database.
func TestSameValuesOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a demo data set into SQLite and into PostgreSQL (CI runs it)")
	}
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	if _, stderr, err := run(t, "demo", "--out", dir, "--scale", "0.01", "--seed", "3"); err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil || len(files) == 0 {
		t.Fatalf("demo files: %v, %v", files, err)
	}
	dbs := map[string]string{"sqlite": filepath.Join(t.TempDir(), "e.db"), "postgres": dsn}
	out := map[string]map[string]string{}
	for dialect, db := range dbs {
		start := time.Now()
		if _, stderr, err := run(t, append([]string{"import", "--db", db}, files...)...); err != nil {
			t.Fatalf("import into %s: %v\n%s", dialect, err, stderr)
		}
		t.Logf("import into %s: %v", dialect, time.Since(start))
		out[dialect] = map[string]string{}
		for _, report := range []string{"values", "progress"} {
			csv, stderr, err := run(t, report, "--db", db, "--format", "csv")
			if err != nil {
				t.Fatalf("%s on %s: %v\n%s", report, dialect, err, stderr)
			}
			out[dialect][report] = csv
		}
	}
	for _, report := range []string{"values", "progress"} {
		lite, pg := out["sqlite"][report], out["postgres"][report]
		if len(lite) < 1000 {
			t.Errorf("%s on SQLite: only %d bytes", report, len(lite))
		}
		if lite != pg {
			t.Errorf("%s differs: %d bytes on SQLite, %d on PostgreSQL; first difference at byte %d", report, len(lite), len(pg), firstDiff(lite, pg))
		}
	}
}

func firstDiff(a, b string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestTwoServersOnePostgres runs two servers on one PostgreSQL database, as a bureau
// runs several behind a load balancer: a session signed in on one is good on the
// other; an import by the command line shows on both within a poll; and the same
// file imported twice at once is taken once (the other import finds it unchanged).
func TestTwoServersOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL and two servers (CI runs it)")
	}
	dsn := pgtest.DSN(t)
	if _, stderr, err := run(t, append([]string{"import", "--db", dsn}, tinyArgs()...)...); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	a, outA := startServe(t, dsn)
	b, _ := startServe(t, dsn)
	m := regexp.MustCompile(`password \(shown once\): (\S+)`).FindStringSubmatch(outA.String())
	if m == nil {
		t.Fatalf("the first server printed no admin password:\n%s", outA)
	}

	// Signed in on a, known on b.
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("POST", a+"/login", strings.NewReader(url.Values{"name": {"admin"}, "password": {m[1]}, "next": {"/data"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	var session *http.Cookie
	for _, c := range res.Cookies() {
		if c.Name == "eduplan_session" {
			session = c
		}
	}
	if res.StatusCode != http.StatusSeeOther || session == nil {
		t.Fatalf("sign in on a: %d, cookie %v", res.StatusCode, session)
	}
	req, _ = http.NewRequest("GET", b+"/api/v1/me", nil)
	req.AddCookie(session)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	me, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(me), `"admin"`) {
		t.Errorf("b with a's session: %d %s", res.StatusCode, me)
	}

	// An import shows on both.
	value := func(base string) string {
		t.Helper()
		res, err := http.Get(base + "/api/v1/values?indicator=working_age_schooling_years&org=370602&year=2020&format=csv")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return strings.TrimSpace(string(body))
	}
	for _, base := range []string{a, b} {
		if v := value(base); !strings.HasSuffix(v, ",11") {
			t.Fatalf("%s before the import: %q", base, v)
		}
	}
	f := filepath.Join(t.TempDir(), "facts.csv")
	writeFile(t, f, "year,org,element,dims,value\n2020,370602,working_age_schooling_years,,12.5\n")
	start := time.Now()
	if _, stderr, err := run(t, "import", "--db", dsn, f); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	imported := time.Now()
	for _, base := range []string{a, b} {
		for !strings.HasSuffix(value(base), ",12.5") {
			if time.Since(imported) > 20*time.Second {
				t.Fatalf("%s still serves %q after the import", base, value(base))
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	t.Logf("import took %v; both servers served it %v after it committed", imported.Sub(start), time.Since(imported))

	// The same file at once, twice: applied once. The other import, if it began before
	// the first committed, is refused as a conflict (exit 5); if after, the file is
	// unchanged.
	g := filepath.Join(t.TempDir(), "facts2.csv")
	writeFile(t, g, "year,org,element,dims,value\n2020,370602,working_age_schooling_years,,13\n")
	var wg sync.WaitGroup
	outs := make([]string, 2)
	codes := make([]int, 2)
	for i := range outs {
		wg.Go(func() {
			out, _, err := run(t, "import", "--db", dsn, g)
			var msg string
			codes[i], msg = exitStatus(err)
			outs[i] = out + msg
		})
	}
	wg.Wait()
	applied, other := 0, 0
	for i, o := range outs {
		switch {
		case codes[i] == 0 && strings.Contains(o, "unchanged"):
			other++
		case codes[i] == 0:
			applied++
		case codes[i] == exitCodes[plan.ECONFLICT] && strings.Contains(o, "another import running at the same time") && strings.Contains(o, "另一次导入"):
			other++
		}
	}
	if applied != 1 || other != 1 {
		t.Errorf("two imports of one file at once (exit %v): want one applied, the other unchanged or a conflict:\n%s\n---\n%s", codes, outs[0], outs[1])
	}
}

// TestCopyToPostgres moves a city from its SQLite file to a new PostgreSQL database:
// every table's rows, users and tokens (booleans, times, a token never used), the task
// ledger and the audit log; the copy checks the values itself, the audit log reads the
// same, and the copy takes the next import with ids going on. A database that holds
// data is refused.
func TestCopyToPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL (CI runs it)")
	}
	lite, pg := filepath.Join(t.TempDir(), "e.db"), pgtest.DSN(t)
	for _, args := range [][]string{
		append([]string{"import", "--db", lite}, tinyArgs()...),
		{"user", "add", "--db", lite, "--name", "ana", "--role", "analyst", "--org", "370600"},
		{"user", "add", "--db", lite, "--name", "bo", "--role", "analyst", "--org", "370600"},
		{"token", "create", "--db", lite, "--user", "ana"},
		{"user", "disable", "bo", "--db", lite},
		{"tasks", "set", "7", "--db", lite, "--status", "in_progress", "--milestone", "2", "--done"},
	} {
		if _, stderr, err := runIn(t, "password-of-ana\n", args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
	}
	out, stderr, err := run(t, "copy", "--from", lite, "--to", pg)
	if err != nil {
		t.Fatalf("copy: %v\n%s", err, stderr)
	}
	if !strings.Contains(out, "every indicator value the same") || !strings.Contains(out, "roster_ids") {
		t.Errorf("copy said:\n%s", out)
	}
	for _, args := range [][]string{{"audit", "--format", "csv"}, {"user", "list"}, {"token", "list"}, {"tasks", "--format", "csv"}} {
		want, _, err1 := run(t, append(args, "--db", lite)...)
		got, _, err2 := run(t, append(args, "--db", pg)...)
		if err1 != nil || err2 != nil || got != want {
			t.Errorf("%v on the copy (%v, %v):\n%s\nwant\n%s", args, err1, err2, got, want)
		}
	}
	f := filepath.Join(t.TempDir(), "facts.csv")
	writeFile(t, f, "year,org,element,dims,value\n2020,370602,working_age_schooling_years,,12.5\n")
	if _, stderr, err := run(t, "import", "--db", pg, f); err != nil {
		t.Fatalf("import into the copy: %v\n%s", err, stderr)
	}
	if _, _, err := run(t, "copy", "--from", lite, "--to", pg); exitCode(err) != 5 {
		t.Errorf("a copy into a database with data: %v, want exit 5", err)
	}
}

// TestCopySecondCityToPostgres moves two cities' SQLite files, one after the other, into
// one PostgreSQL database, as a province gathers its cities on one platform: the second
// copy goes into a database that already serves the first, each city's values on it are
// those of its file, a city copied twice is refused (exit 5) with nothing changed, and
// imports go on after the copies.
func TestCopySecondCityToPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL (CI runs it)")
	}
	_, packs := fixture.SecondCity(t)
	dir, pg := t.TempDir(), pgtest.DSN(t)
	yantai, weihai := filepath.Join(dir, "yantai.db"), filepath.Join(dir, "weihai.db")
	if _, stderr, err := run(t, append([]string{"import", "--db", yantai}, tinyArgs()...)...); err != nil {
		t.Fatalf("import yantai: %v\n%s", err, stderr)
	}
	if _, stderr, err := run(t, append([]string{"import", "--db", weihai, "--plan", packs, "--tenant", "371000"}, fixture.SecondCityFiles()...)...); err != nil {
		t.Fatalf("import weihai: %v\n%s", err, stderr)
	}
	values := func(db, tenant string) string {
		t.Helper()
		out, stderr, err := run(t, "values", "--format", "csv", "--db", db, "--plan", packs, "--tenant", tenant)
		if err != nil {
			t.Fatalf("values of %s on %s: %v\n%s", tenant, db, err, stderr)
		}
		if strings.Count(out, "\n") < 10 {
			t.Fatalf("values of %s on %s: only\n%s", tenant, db, out)
		}
		return out
	}
	for _, c := range []struct{ file, tenant string }{{yantai, "370600"}, {weihai, "371000"}} {
		out, stderr, err := run(t, "copy", "--from", c.file, "--to", pg, "--plan", packs)
		if err != nil {
			t.Fatalf("copy %s: %v\n%s", c.tenant, err, stderr)
		}
		if !strings.Contains(out, "city "+c.tenant+": every indicator value the same") {
			t.Errorf("copy of %s said:\n%s", c.tenant, out)
		}
	}
	for _, c := range []struct{ file, tenant string }{{yantai, "370600"}, {weihai, "371000"}} {
		if got, want := values(pg, c.tenant), values(c.file, c.tenant); got != want {
			t.Errorf("%s's values on the shared database differ from its file's:\n%s\nwant\n%s", c.tenant, got, want)
		}
	}
	before := values(pg, "371000")
	if _, _, err := run(t, "copy", "--from", weihai, "--to", pg, "--plan", packs); exitCode(err) != 5 || !strings.Contains(fmt.Sprint(err), "371000") {
		t.Errorf("copying 371000 a second time: %v; want exit 5 naming the city", err)
	}
	if got := values(pg, "371000"); got != before {
		t.Errorf("a refused copy changed the values:\n%s\nwant\n%s", got, before)
	}
	f := filepath.Join(dir, "facts.csv")
	writeFile(t, f, "year,org,element,dims,value\n2020,370602,working_age_schooling_years,,12.5\n")
	if _, stderr, err := run(t, "import", "--db", pg, f); err != nil {
		t.Fatalf("import after the copies: %v\n%s", err, stderr)
	}
}
