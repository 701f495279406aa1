package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/ingest"
)

func TestBarLine(t *testing.T) {
	start := time.Date(2025, 9, 1, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		s    ingest.ProgressSnapshot
		at   time.Duration
		want string
	}{
		{ingest.ProgressSnapshot{}, time.Second, ""},
		// A quarter of the bytes in 2 s: 6 s to go.
		{ingest.ProgressSnapshot{ProgressStep: ingest.ProgressStep{Phase: ingest.PhaseRead, File: "students-2024.csv", Index: 3, Files: 4, Size: 4000, Start: start, RowsAtStart: 100},
			Rows: 600_100, Bytes: 1000}, 2 * time.Second,
			"[3/4] students-2024.csv  读取 read  █████░░░░░░░░░░░░░░░  25%  600,000 rows  300,000 rows/s  ETA 0:06"},
		// A workbook: no size, so no bar and no ETA.
		{ingest.ProgressSnapshot{ProgressStep: ingest.ProgressStep{Phase: ingest.PhaseRead, File: "s.xlsx", Index: 1, Files: 1, Start: start}, Rows: 5000}, time.Second,
			"s.xlsx  读取 read  5,000 rows  5,000 rows/s"},
		{ingest.ProgressSnapshot{ProgressStep: ingest.ProgressStep{Phase: ingest.PhaseWrite, File: "s.csv", Index: 1, Files: 1, ToWrite: 1_000_000, Start: start}, Written: 400_000}, 4 * time.Second,
			"s.csv  写入 write  ████████░░░░░░░░░░░░  40%  400,000/1,000,000 rows  100,000 rows/s  ETA 0:06"},
		{ingest.ProgressSnapshot{ProgressStep: ingest.ProgressStep{Phase: ingest.PhaseCommit, Index: 2, Files: 2, Start: start}}, time.Second,
			"[2/2] 提交 commit …"},
	}
	for _, tt := range tests {
		if got := barLine(tt.s, start.Add(tt.at)); got != tt.want {
			t.Errorf("barLine(%+v)\n = %q\nwant %q", tt.s, got, tt.want)
		}
	}
	if group(1055000) != "1,055,000" || group(999) != "999" || group(-1234) != "-1,234" || clock(3725*time.Second) != "1:02:05" {
		t.Error("group or clock")
	}
}

// TestImportJSONAndBar imports with --json and --progress always: stdout holds the
// machine-readable report, stderr (not a terminal) only the bar's lines, if any, ending
// with the line cleared.
func TestImportJSONAndBar(t *testing.T) {
	if isTerminal(&bytes.Buffer{}) {
		t.Error("a buffer taken for a terminal")
	}
	db := fixture.NewDBName(t)
	out, stderr, err := run(t, append([]string{"import", "--db", db, "--json", "--progress", "always"}, tinyArgs()...)...)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	if stderr != "" && !strings.HasSuffix(stderr, "\r\x1b[K") {
		t.Errorf("stderr does not end with a cleared line: %q", stderr)
	}
	var rep struct {
		Accepted bool           `json:"accepted"`
		Rows     int            `json:"rows"`
		Errors   int            `json:"errors"`
		Warnings int            `json:"warnings"`
		Batches  []any          `json:"batches"`
		Timings  map[string]any `json:"timings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	// tiny: 13 institutions, 9 population, 29 students, 16 teachers, 8 facts.
	if !rep.Accepted || rep.Rows != 13+9+29+16+8 || rep.Errors != 0 || rep.Warnings != 0 || len(rep.Batches) != 5 {
		t.Errorf("report: %+v", rep)
	}
	for _, k := range []string{"prepare", "read_validate", "write", "check", "commit", "total"} {
		if _, ok := rep.Timings[k]; !ok {
			t.Errorf("timings lack %s: %v", k, rep.Timings)
		}
	}

	// A rejected import reports its errors by class, with the warnings.
	bad := filepath.Join(t.TempDir(), "s.csv")
	os.WriteFile(bad, []byte("year,student_id,institution,stage,grade,sex,note\n2021,n1,K1,preschool,7,F,\n2021,n2,K1,preschool,1,X,\n"), 0o644)
	out, _, err = run(t, "import", "--db", db, "--json", bad)
	if err == nil {
		t.Fatal("bad file accepted")
	}
	var rej struct {
		Accepted      bool           `json:"accepted"`
		Rows          int            `json:"rows"`
		Errors        int            `json:"errors"`
		ErrorCounts   map[string]int `json:"error_counts"`
		Warnings      int            `json:"warnings"`
		WarningCounts map[string]int `json:"warning_counts"`
	}
	if err := json.Unmarshal([]byte(out), &rej); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if rej.Accepted || rej.Rows != 2 || rej.Errors != 2 || rej.ErrorCounts["range"] != 1 || rej.ErrorCounts["enum"] != 1 ||
		rej.Warnings != 1 || rej.WarningCounts["header"] != 1 {
		t.Errorf("rejection: %+v", rej)
	}
}
