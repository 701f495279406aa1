package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/yantai-edu/eduplan/internal/pgtest"
)

// EachDialect runs fn as a subtest on each dialect, "sqlite" and "postgres", with name
// the --db value of a new empty database: a file under t.TempDir(), or a new database
// on the test binary's PostgreSQL cluster.
func EachDialect(t *testing.T, fn func(t *testing.T, name string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "e.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, MigratedPostgres(t)) })
}

// RawSQL opens the database of a --db value with its driver alone, for a test to
// reach past the store.
func RawSQL(t testing.TB, name string) *sql.DB {
	t.Helper()
	driver, dsn := "sqlite", "file:"+name
	if IsPostgres(name) {
		driver, dsn = "pgx", name
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// MigratedPostgres returns the URL of a new PostgreSQL database with every migration
// applied (copied from a template migrated once per test binary).
func MigratedPostgres(t testing.TB) string {
	return pgtest.DSNFrom(t, "eduplan_migrated", func(dsn string) error {
		db, err := Open(context.Background(), dsn)
		if err != nil {
			return err
		}
		return db.Close()
	})
}
