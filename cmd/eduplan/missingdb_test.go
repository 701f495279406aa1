package main

import (
	"errors"
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
			var ee *exitError
			if !errors.As(err, &ee) || ee.code == 0 {
				t.Fatalf("err = %v, want a non-zero exit", err)
			}
			if !strings.Contains(ee.msg, db) || !strings.Contains(ee.msg, "不存在") || !strings.Contains(ee.msg, "does not exist") {
				t.Errorf("message %q does not say the file is missing", ee.msg)
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
