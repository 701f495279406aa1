package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadCommandMissingDB: a read command given a database file that does not exist
// says so and exits non-zero, and leaves no file behind (a mistyped --db used to
// create an empty database and report 无数据).
func TestReadCommandMissingDB(t *testing.T) {
	for _, args := range [][]string{
		{"values"},
		{"progress"},
		{"scorecard"},
		{"review"},
		{"projects"},
		{"quality"},
		{"tasks", "list"},
		{"audit"},
		{"user", "list"},
		{"plan", "draft", "--out", filepath.Join(t.TempDir(), "draft")},
	} {
		t.Run(strings.Join(args, "_"), func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "typo.db")
			_, _, err := run(t, append(args, "--db", db)...)
			code, msg := exitStatus(err)
			if code == 0 {
				t.Fatalf("err = %v, want a non-zero exit", err)
			}
			if !strings.Contains(msg, db) || !strings.Contains(msg, "不存在") || !strings.Contains(msg, "does not exist") {
				t.Errorf("message %q does not say the file is missing", msg)
			}
			if _, err := os.Stat(db); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s was created", db)
			}
		})
	}
}

// TestWriteCommandCreatesDB: import and user add may create the database.
func TestWriteCommandCreatesDB(t *testing.T) {
	db := filepath.Join(t.TempDir(), "new.db")
	if _, stderr, err := run(t, append([]string{"import", "--db", db}, tinyArgs()...)...); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	db2 := filepath.Join(t.TempDir(), "new2.db")
	if _, stderr, err := run(t, "user", "add", "--db", db2, "--name", "ana", "--role", "analyst", "--org", "370600"); err != nil {
		t.Fatalf("user add: %v\n%s", err, stderr)
	}
}

// TestImportDryRunCLI: import --dry-run says what would be replaced and changes
// nothing; a file dropping most of a snapshot is refused without --allow-shrink.
func TestImportDryRunCLI(t *testing.T) {
	db := tinyDB(t)
	var full, short strings.Builder
	full.WriteString("year,district,age,count\n")
	short.WriteString("year,district,age,count\n")
	for age := range 100 {
		fmt.Fprintf(&full, "2020,370602,%d,10\n", age)
		if age < 8 {
			fmt.Fprintf(&short, "2020,370602,%d,10\n", age)
		}
	}
	fullPath, shortPath := filepath.Join(t.TempDir(), "population.csv"), filepath.Join(t.TempDir(), "population-8.csv")
	writeFile(t, fullPath, full.String())
	writeFile(t, shortPath, short.String())
	if _, stderr, err := run(t, "import", "--db", db, fullPath); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	values := func() string {
		out, _, err := run(t, "values", "--db", db, "--format", "csv")
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	before := values()
	out, stderr, err := run(t, "import", "--db", db, "--dry-run", shortPath)
	if err != nil || !strings.Contains(out, "100 rows of Zhifu District (370602) 2020 population → 8") || !strings.Contains(out, "dry run") {
		t.Fatalf("dry run: %v\n%s%s", err, out, stderr)
	}
	if values() != before {
		t.Error("a dry run changed the values")
	}
	_, stderr, err = run(t, "import", "--db", db, shortPath)
	if exitCode(err) != 1 || !strings.Contains(stderr, "--allow-shrink") {
		t.Fatalf("a shrinking import: %v\n%s", err, stderr)
	}
	if out, stderr, err = run(t, "import", "--db", db, "--allow-shrink", shortPath); err != nil || !strings.Contains(out, "replaced") {
		t.Fatalf("--allow-shrink: %v\n%s%s", err, out, stderr)
	}
}
