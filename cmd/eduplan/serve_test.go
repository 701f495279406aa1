package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/demo"
	"github.com/yantai-edu/eduplan/internal/fixture"
)

// syncBuffer is a buffer the server writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs serve on a free port until the test ends and returns its URL and
// what it printed.
func startServe(t *testing.T, db string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, slog.New(slog.NewTextHandler(out, nil)), out, &globals{db: db}, "127.0.0.1:0", demo.Options{Scale: 0.005, Seed: demo.DefaultSeed}, false, nil)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	re := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)/`)
	// Generous: under the race detector the demo's import takes minutes (7 s without).
	for deadline := time.Now().Add(8 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1], out
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped: %v\n%s", err, out)
		default:
		}
	}
	t.Fatalf("serve did not start:\n%s", out)
	return "", nil
}

// TestServeFirstStart: a fresh install fills the database with demo data, creates the
// admin with a random password printed once, and keeps the public view open.
func TestServeFirstStart(t *testing.T) {
	if testing.Short() {
		t.Skip("generates demo data")
	}
	db := fixture.NewDBName(t)
	base, out := startServe(t, db)
	m := regexp.MustCompile(`password \(shown once\): (\S+)\n`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no admin password printed:\n%s", out)
	}
	if strings.Count(out.String(), m[1]) != 2 { // once in Chinese, once in English, never in the log
		t.Errorf("the password appears %d times in the output", strings.Count(out.String(), m[1]))
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if res, err := client.Get(base + "/"); err != nil || res.StatusCode != 200 {
		t.Fatalf("public overview: %v %v", res, err)
	}
	if res, err := client.Get(base + "/data"); err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("public data page: %v %v", res, err)
	}
	res, err := client.PostForm(base+"/login", url.Values{"name": {"admin"}, "password": {m[1]}})
	if err != nil || res.StatusCode != http.StatusSeeOther || len(res.Cookies()) != 1 {
		t.Fatalf("admin login: %v %v", res, err)
	}
	// The user list has the admin only, and a second start prints no password.
	users, _, err := run(t, "user", "list", "--db", db)
	if err != nil || !strings.Contains(users, "admin") || strings.Count(users, "\n") != 2 {
		t.Errorf("users after first start: %v\n%s", err, users)
	}
	// The demo holds a round of supervision in progress.
	rounds, _, err := run(t, "round", "list", "--db", db)
	if err != nil || !strings.Contains(rounds, "区市政府履行教育职责督导（演示）") {
		t.Errorf("rounds after first start: %v\n%s", err, rounds)
	}
	readmeUsers(t, db, base, client)
}

// readmeUsers runs the README's commands that add users to the demo database, while it
// serves, and signs in as each with the password printed: the README names roles and
// org codes the demo data really has.
func readmeUsers(t *testing.T, db, base string, client *http.Client) {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]bool{}
	for _, line := range strings.Split(string(readme), "\n") {
		cmd, _, _ := strings.Cut(strings.TrimSpace(line), "#")
		args := strings.Fields(cmd)
		if !strings.HasPrefix(line, "    eduplan user add ") || slices.Contains(args, "--db") {
			continue
		}
		out, stderr, err := runIn(t, "", append(args[1:], "--db", db)...)
		m := regexp.MustCompile(`password \(仅显示一次 shown once\): (\S+)\n`).FindStringSubmatch(out)
		if err != nil || m == nil {
			t.Errorf("README's %q: %v\n%s%s", cmd, err, out, stderr)
			continue
		}
		name := args[slices.Index(args, "--name")+1]
		roles[args[slices.Index(args, "--role")+1]] = true
		res, err := client.PostForm(base+"/login", url.Values{"name": {name}, "password": {m[1]}})
		if err != nil || res.StatusCode != http.StatusSeeOther || len(res.Cookies()) != 1 {
			t.Errorf("README's user %s signs in: %v %v", name, res, err)
		}
	}
	for _, r := range []string{"inspector", "district_officer", "school_clerk"} {
		if !roles[r] {
			t.Errorf("the README adds no %s to the demo data", r)
		}
	}
}

func TestServeSecondStart(t *testing.T) {
	db := tinyDB(t)
	if _, _, err := runIn(t, "", "user", "add", "--db", db, "--name", "root2", "--role", "admin", "--org", "370600"); err != nil {
		t.Fatal(err)
	}
	_, out := startServe(t, db)
	if strings.Contains(out.String(), "shown once") {
		t.Errorf("a database with users printed a new admin password:\n%s", out)
	}
}

// TestServeDemoSeedIsDemoDefault: the demo data serve puts into an empty database must be
// the one "eduplan demo" writes with its default flags (it used seed 2021 against demo's
// 1, and had no flag to say so), so that a dashboard's data can be written out again.
func TestServeDemoSeedIsDemoDefault(t *testing.T) {
	root := newRootCmd()
	serveCmd, _, _ := root.Find([]string{"serve"})
	demoCmd, _, _ := root.Find([]string{"demo"})
	seed := serveCmd.Flags().Lookup("demo-seed")
	if seed == nil {
		t.Fatal("serve has no --demo-seed flag")
	}
	if want := demoCmd.Flags().Lookup("seed").DefValue; seed.DefValue != want {
		t.Errorf("serve --demo-seed defaults to %s, demo --seed to %s", seed.DefValue, want)
	}
	if serveCmd.Flags().Lookup("demo-scale") == nil {
		t.Error("serve has no --demo-scale flag")
	}
}

// TestServeSeesCLIImport: a value imported with "eduplan import" into the database of
// a running server shows on its API without a restart.
func TestServeSeesCLIImport(t *testing.T) {
	db := tinyDB(t)
	base, _ := startServe(t, db)
	value := func() string {
		t.Helper()
		res, err := http.Get(base + "/api/v1/values?indicator=working_age_schooling_years&org=370602&year=2020&format=csv")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return strings.TrimSpace(string(b))
	}
	if v := value(); !strings.HasSuffix(v, ",11") {
		t.Fatalf("before: %q", v)
	}
	f := filepath.Join(t.TempDir(), "facts.csv")
	writeFile(t, f, "year,org,element,dims,value\n2020,370602,working_age_schooling_years,,12.5\n")
	if _, stderr, err := run(t, "import", "--db", db, f); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	for deadline := time.Now().Add(20 * time.Second); !strings.HasSuffix(value(), ",12.5"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the server still serves %q after the command line imported 12.5", value())
		}
	}
}
