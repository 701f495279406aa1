package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/store"
)

// run runs eduplan in-process with args and returns stdout, stderr and the error.
func run(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	cmd := newRootCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

func tinyArgs() []string { return fixture.TinyFiles() }

// TestImportValuesProgress runs the commands as a user would: import, values, progress;
// then a malformed file, which must be refused with a non-zero exit and leave the
// values output byte-identical.
func TestImportValuesProgress(t *testing.T) {
	db := fixture.NewDBName(t)
	if _, stderr, err := run(t, append([]string{"import", "--db", db}, tinyArgs()...)...); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	values, _, err := run(t, "values", "--db", db, "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(values, "indicator,org,year,value\n") || !strings.Contains(values, "\nsenior_ger,370600,2020,75\n") {
		t.Errorf("values:\n%s", values)
	}
	prog, _, err := run(t, "progress", "--db", db, "--format", "csv", "--org", "370602")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(prog, "\ncompulsory_retention,370602,2020,75,2021,0,2025,100,0.2,,regressing,true,25,\n") {
		t.Errorf("progress:\n%s", prog)
	}

	bad := filepath.Join(t.TempDir(), "students-bad.csv")
	os.WriteFile(bad, []byte("year,student_id,institution,stage,grade,sex\n2021,n1,K1,preschool,1,M\n2021,n2,K1,preschool,7,F\n"), 0o644)
	_, stderr, err := run(t, "import", "--db", db, bad)
	if code, _ := exitStatus(err); code == 0 {
		t.Fatalf("bad import: err = %v", err)
	}
	if !strings.Contains(stderr, "students-bad.csv") || !strings.Contains(stderr, "第 3 行") || !strings.Contains(stderr, "row 3") {
		t.Errorf("report does not locate the bad row in both languages:\n%s", stderr)
	}
	again, _, _ := run(t, "values", "--db", db, "--format", "csv")
	if again != values {
		t.Error("values changed after a rejected import")
	}
}

func TestErrorsExitCodes(t *testing.T) {
	db := fixture.NewDBName(t)
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"values", "--db", db, "--indicator", "nope"}, 3},
		{[]string{"values", "--db", db, "--format", "xml"}, 2},
		{[]string{"progress", "--db", db, "--org", "999999"}, 3},
		{[]string{"plan", "check", filepath.Join(t.TempDir(), "missing")}, 3},
	}
	for _, tt := range tests {
		_, _, err := run(t, tt.args...)
		if code, _ := exitStatus(err); code != tt.code {
			t.Errorf("%v: exit %d (%v), want %d", tt.args, code, err, tt.code)
		}
	}
}

func TestPlanCheckBuiltin(t *testing.T) {
	out, _, err := run(t, "plan", "check", filepath.Join("..", "..", "internal", "plan", "packs", "yantai-2021-2025"))
	if err != nil || !strings.Contains(out, "ok") {
		t.Errorf("plan check: %v\n%s", err, out)
	}
	out, _, err = run(t, "plan", "show", "--format", "json")
	if err != nil || !strings.Contains(out, `"code": "working_age_schooling_years"`) {
		t.Errorf("plan show: %v", err)
	}
}

func TestScorecard(t *testing.T) {
	db := tinyDB(t)
	out, _, err := run(t, "scorecard", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out, "\n")
	// 牟平 (3 of 5 assessed on track or better) first, 芝罘 (0 of 5) second.
	if len(lines) < 3 || !strings.HasPrefix(lines[1], "1 ") || !strings.Contains(lines[1], "370612") || !strings.Contains(lines[2], "370602") {
		t.Errorf("scorecard:\n%s", out)
	}
}

// TestPlanDraft drafts the next plan from the tiny data set with 2021 as the base year:
// plan check accepts the draft but warns of its TODO targets (and --strict refuses it),
// its baselines are the actual 2021 values rounded to the indicator's decimals, and
// running progress with it works beside the built-in plan. A database of demo data
// marks the baselines taken from it.
func TestPlanDraft(t *testing.T) {
	db := tinyDB(t)
	out := filepath.Join(t.TempDir(), "draft")
	if _, _, err := run(t, "plan", "draft", "--db", db, "--base-year", "2021", "--out", out); err != nil {
		t.Fatal(err)
	}
	o, stderr, err := run(t, "plan", "check", out)
	if err != nil || !strings.Contains(o, "yantai-2022-2026") {
		t.Fatalf("plan check of the draft: %v\n%s", err, o)
	}
	if !strings.Contains(stderr, "warning: "+filepath.Join(out, "indicators.yaml")) || !strings.Contains(stderr, "TODO") {
		t.Errorf("plan check does not warn of the TODO targets:\n%s", stderr)
	}
	if _, _, err := run(t, "plan", "check", "--strict", out); exitCode(err) == 0 || !strings.Contains(exitMessage(err), "TODO") {
		t.Errorf("plan check --strict of a draft with TODO targets: %v", err)
	}
	b, _ := os.ReadFile(filepath.Join(out, "indicators.yaml"))
	// The city's 2021 kg_public_share is 100·4/6 (2 decimals); schooling years were reported as 10.9.
	for _, want := range []string{"baseline: {year: 2021, value: 66.67}", "baseline: {year: 2021, value: 10.9}", "TODO"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("draft indicators.yaml lacks %q", want)
		}
	}
	if strings.Contains(string(b), "演示数据") {
		t.Error("baselines of imported data marked as demo data")
	}
	prog, _, err := run(t, "progress", "--db", db, "--plan", out, "--format", "csv", "--org", "370600", "--indicator", "kg_public_share")
	if err != nil || !strings.Contains(prog, "kg_public_share,370600,2021,66.67,") {
		t.Errorf("progress with the draft: %v\n%s", err, prog)
	}

	// The same database marked as demo data: every baseline taken from it says so.
	sdb, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if err := sdb.SetDemo(context.Background(), "370600", true); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	demoOut := filepath.Join(t.TempDir(), "draft-demo")
	if o, _, err := run(t, "plan", "draft", "--db", db, "--base-year", "2021", "--out", demoOut); err != nil || !strings.Contains(o, "demo data") {
		t.Fatalf("draft from demo data: %v\n%s", err, o)
	}
	b, _ = os.ReadFile(filepath.Join(demoOut, "indicators.yaml"))
	if !strings.Contains(string(b), "baseline: {year: 2021, value: 66.67} # TODO: 2021 年演示数据") {
		t.Errorf("a baseline from demo data is not marked:\n%s", b)
	}
}

// tiny holds the bytes of a database into which `eduplan import` put the tiny data set,
// imported once for the test binary.
var tiny struct {
	once sync.Once
	data []byte
	err  error
}

// tinyDB returns the --db value of a new database holding the tiny data set as
// `eduplan import` stores it: on SQLite a copy of one import, so that each test does not
// import the same files again; with EDUPLAN_TEST_DB=postgres a new PostgreSQL database
// the command imports the files into.
func tinyDB(t *testing.T) string {
	t.Helper()
	if fixture.Postgres() {
		db := fixture.NewDBName(t)
		if _, stderr, err := run(t, append([]string{"import", "--db", db}, tinyArgs()...)...); err != nil {
			t.Fatalf("import: %v\n%s", err, stderr)
		}
		return db
	}
	tiny.once.Do(func() {
		dir, err := os.MkdirTemp("", "eduplan-cmd-test-")
		if err != nil {
			tiny.err = err
			return
		}
		defer os.RemoveAll(dir)
		db := filepath.Join(dir, "tiny.db")
		if _, stderr, err := run(t, append([]string{"import", "--db", db}, tinyArgs()...)...); err != nil {
			tiny.err = fmt.Errorf("%w\n%s", err, stderr)
			return
		}
		if fi, err := os.Stat(db + "-wal"); err == nil && fi.Size() > 0 {
			tiny.err = fmt.Errorf("%s: the write-ahead log was not checkpointed on close", db)
			return
		}
		tiny.data, tiny.err = os.ReadFile(db)
	})
	if tiny.err != nil {
		t.Fatalf("import: %v", tiny.err)
	}
	path := filepath.Join(t.TempDir(), "e.db")
	if err := os.WriteFile(path, tiny.data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
