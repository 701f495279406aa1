package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestPageSize: a new SQLite database is made with pageSize and in WAL mode; one made
// before with SQLite's default 4 KiB pages opens, is migrated and written as before,
// and keeps its pages; its backup has pageSize's.
func TestPageSize(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	pragmas := func(path string) (size int, mode string) {
		t.Helper()
		raw := RawSQL(t, path)
		if err := raw.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&size); err != nil {
			t.Fatal(err)
		}
		if err := raw.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		var ok string
		if err := raw.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
			t.Fatalf("%s: integrity_check %q, %v", path, ok, err)
		}
		return size, mode
	}
	openWrite := func(path string) {
		t.Helper()
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.SetDemo(ctx, "370600", true); err != nil {
			t.Fatal(err)
		}
		if demo, err := db.Demo(ctx, "370600"); err != nil || !demo {
			t.Fatalf("%s: demo = %v, %v", path, demo, err)
		}
	}

	fresh := filepath.Join(dir, "new.db")
	openWrite(fresh)
	if size, mode := pragmas(fresh); size != pageSize || mode != "wal" {
		t.Errorf("new database: page_size %d, journal_mode %s; want %d, wal", size, mode, pageSize)
	}

	old := filepath.Join(dir, "old.db")
	raw, err := sql.Open("sqlite", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`PRAGMA page_size = 4096`, `PRAGMA journal_mode = WAL`, `CREATE TABLE before (x INTEGER)`} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	openWrite(old)
	openWrite(old) // reopened: nothing to migrate, still written
	if size, mode := pragmas(old); size != 4096 || mode != "wal" {
		t.Errorf("database made with 4 KiB pages: page_size %d, journal_mode %s after opening; want 4096, wal", size, mode)
	}

	// Its backup is a new database (VACUUM INTO), made with pageSize.
	db, err := Open(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	err = db.Backup(ctx, backup)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	openWrite(backup)
	if size, mode := pragmas(backup); size != pageSize || mode != "wal" {
		t.Errorf("backup of a 4 KiB database: page_size %d, journal_mode %s; want %d, wal", size, mode, pageSize)
	}
}
