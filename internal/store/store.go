// Package store is eduplan's database: batches (each keeping its accepted file),
// records (institutions, population), reported facts, and of the rosters (students,
// teachers) the counts the cube is built from and the ids the import checks.
//
// ingest writes it; cube reads it. SQLite (modernc.org/sqlite, one file, WAL) is the
// only database so far. The SQL is written for SQLite (? placeholders, ids from
// max(id)+1 under SQLite's single writer, times as RFC 3339 text); migrations sit in a
// folder per dialect, but a PostgreSQL backend (issue 16) still has to rebind, allocate
// ids and type its columns itself. schema.sql shows the schema after every migration.
package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // the SQLite driver
)

//go:embed migrations
var migrations embed.FS

// DB is an open eduplan database.
type DB struct {
	db      *sql.DB
	dialect dialect
	// Now returns the current time; tests may replace it.
	Now func() time.Time
	// Zone is the zone of the day a milestone is marked done (the one --tz sets); nil
	// is Asia/Shanghai, the plan's.
	Zone *time.Location
}

// Open opens (creating if needed) the SQLite database at path and brings its schema up
// to date.
func Open(ctx context.Context, path string) (*DB, error) {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(30000)", "synchronous(NORMAL)", "foreign_keys(1)", fmt.Sprintf("cache_size(-%d)", cacheKiB), "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	sqlDB, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db := &DB{db: sqlDB, dialect: sqlite{}, Now: time.Now}
	if err := db.migrate(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error { return db.db.Close() }

func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	dir := "migrations/" + db.dialect.name()
	names, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	for _, name := range names {
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("migrate %s: %w", path.Base(name), err)
		}
	}
	return nil
}

func (db *DB) migrateFile(ctx context.Context, name string) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE name = ?`, path.Base(name)).Scan(&n); err != nil {
		return err
	} else if n > 0 {
		return nil
	}
	b, err := fs.ReadFile(migrations, name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(b)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, path.Base(name), time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

// Tx is a write transaction. Now is fixed when it begins, so that everything it
// records carries one time.
type Tx struct {
	tx     *sql.Tx
	stmts  map[string]*sql.Stmt
	db     *DB
	Tenant string
	Now    time.Time
	// Written, if not nil, is added the roster rows each PutRosterIDs stores, for a
	// progress bar that another goroutine reads.
	Written *atomic.Int64
}

// Page caches of a connection, in KiB: what a connection keeps of the database it reads
// (the indicators read the same pages again and again), and what a bulk write needs.
const (
	cacheKiB     = 256 << 10
	bulkCacheKiB = 4 << 10
)

// Write runs fn in one write transaction for the tenant: committed when fn returns nil,
// rolled back (changing nothing) otherwise.
func (db *DB) Write(ctx context.Context, tenant string, fn func(*Tx) error) error {
	sqlTx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	return db.run(sqlTx, tenant, fn)
}

// WriteBulk is Write for a transaction that writes tens of MB, an import's: its
// connection's page cache is made small while it runs. SQLite then writes the pages
// the cache cannot hold to the WAL before the commit, as frames no reader sees until
// the commit frame (a crash before it leaves the database as it was), and reuses their
// memory: a large cache would hold every page the import writes, only to free them
// one by one when the connection closes, which costs more than writing them early.
func (db *DB) WriteBulk(ctx context.Context, tenant string, fn func(*Tx) error) error {
	conn, err := db.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", bulkCacheKiB)); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA cache_size = -%d", cacheKiB))
	sqlTx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	return db.run(sqlTx, tenant, fn)
}

// run runs fn in the transaction sqlTx, committing it when fn returns nil.
func (db *DB) run(sqlTx *sql.Tx, tenant string, fn func(*Tx) error) error {
	tx := &Tx{tx: sqlTx, db: db, Tenant: tenant, Now: db.Now().UTC()}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Exec runs a statement in the transaction.
func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, query, args...)
}

// Empty reports whether no batch has been imported into the database yet.
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM batches`).Scan(&n)
	return n == 0, err
}

const (
	demoKey      = "demo"
	demoScaleKey = "demo_scale"
)

// Demo reports whether the database holds generated demo data (演示数据).
func (db *DB) Demo(ctx context.Context) (bool, error) {
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE tenant = '' AND key = ?`, demoKey).Scan(&v)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return v == "true", err
}

// SetDemo marks the database as holding demo data or not.
func (db *DB) SetDemo(ctx context.Context, demo bool) error {
	_, err := db.db.ExecContext(ctx, `INSERT INTO meta (tenant, key, value) VALUES ('', ?, ?)
		ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value`, demoKey, strconv.FormatBool(demo))
	return err
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

func splitInts(s string) []int {
	var xs []int
	for part := range strings.SplitSeq(s, ",") {
		if x, err := strconv.Atoi(part); err == nil {
			xs = append(xs, x)
		}
	}
	return xs
}

func splitStrings(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func joinStrings(xs []string) string { return strings.Join(xs, ",") }

// DemoScale returns the scale the demo data set was generated at, 0 when the database
// holds no demo data.
func (db *DB) DemoScale(ctx context.Context) (float64, error) {
	if demo, err := db.Demo(ctx); err != nil || !demo {
		return 0, err
	}
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE tenant = '' AND key = ?`, demoScaleKey).Scan(&v)
	if err == sql.ErrNoRows {
		return 1, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseFloat(v, 64)
}

// SetDemoScale records the scale of the demo data set.
func (db *DB) SetDemoScale(ctx context.Context, scale float64) error {
	_, err := db.db.ExecContext(ctx, `INSERT INTO meta (tenant, key, value) VALUES ('', ?, ?)
		ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value`, demoScaleKey, strconv.FormatFloat(scale, 'g', -1, 64))
	return err
}
