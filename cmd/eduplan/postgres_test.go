package main

import (
	"path/filepath"
	"time"
	"testing"

	"github.com/yantai-edu/eduplan/internal/pgtest"
)

// TestSameValuesOnPostgres: the same demo data imported into SQLite and into PostgreSQL
// gives byte-identical values and progress CSVs: the oracle's figures do not depend on
// the database.
func TestSameValuesOnPostgres(t *testing.T) {
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
