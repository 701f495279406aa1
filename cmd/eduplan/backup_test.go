package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/pgtest"
)

// TestBackup: a backup taken while a server runs on the database gives the same values;
// a second backup to the same file is refused; PostgreSQL is told to use pg_dump.
func TestBackup(t *testing.T) {
	db := filepath.Join(t.TempDir(), "e.db")
	if _, stderr, err := run(t, append([]string{"import", "--db", db}, tinyArgs()...)...); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	startServe(t, db)
	copyPath := filepath.Join(t.TempDir(), "backup.db")
	if _, stderr, err := run(t, "backup", "--db", db, "--out", copyPath); err != nil {
		t.Fatalf("backup: %v\n%s", err, stderr)
	}
	want, _, err := run(t, "values", "--db", db, "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := run(t, "values", "--db", copyPath, "--format", "csv")
	if err != nil || got != want || len(want) < 100 {
		t.Errorf("values of the backup differ (%v): %d bytes, want %d", err, len(got), len(want))
	}
	if _, _, err := run(t, "backup", "--db", db, "--out", copyPath); exitCode(err) != 5 {
		t.Errorf("a backup over an existing file: %v, want exit 5", err)
	}
	_, _, err = run(t, "backup", "--db", pgtest.DSN(t), "--out", filepath.Join(t.TempDir(), "pg.db"))
	if exitCode(err) != 2 || !strings.Contains(exitMessage(err), "pg_dump") {
		t.Errorf("backup of PostgreSQL: %v, want exit 2 naming pg_dump", err)
	}
}

// TestPgDumpRestore: a PostgreSQL database dumped with pg_dump and restored with
// pg_restore into a new database gives the same values, as docs/postgres.md says.
func TestPgDumpRestore(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL (CI runs it)")
	}
	src, dst := pgtest.DSN(t), pgtest.DSN(t)
	if _, stderr, err := run(t, append([]string{"import", "--db", src}, tinyArgs()...)...); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	dump := filepath.Join(t.TempDir(), "eduplan.dump")
	if out, err := exec.Command(pgtest.Tool(t, "pg_dump"), "-Fc", "-f", dump, "--dbname", src).CombinedOutput(); err != nil {
		t.Fatalf("pg_dump: %v\n%s", err, out)
	}
	if out, err := exec.Command(pgtest.Tool(t, "pg_restore"), "--exit-on-error", "--dbname", dst, dump).CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	want, _, err := run(t, "values", "--db", src, "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	got, stderr, err := run(t, "values", "--db", dst, "--format", "csv")
	if err != nil || got != want || len(want) < 100 {
		t.Errorf("values after restoring (%v %s): %d bytes, want %d", err, stderr, len(got), len(want))
	}
	// The restored database takes the next import, its ids going on from the dump's.
	f := filepath.Join(t.TempDir(), "facts.csv")
	writeFile(t, f, "year,org,element,dims,value\n2020,370602,working_age_schooling_years,,12.5\n")
	if _, stderr, err := run(t, "import", "--db", dst, f); err != nil {
		t.Fatalf("import into the restored database: %v\n%s", err, stderr)
	}
}
