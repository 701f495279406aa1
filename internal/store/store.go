// Package store is eduplan's database: batches (each keeping its accepted file),
// records (institutions, population), reported facts, and of the rosters (students,
// teachers) the counts the cube is built from and the ids the import checks.
//
// ingest writes it; cube reads it. It runs on SQLite (modernc.org/sqlite, one file,
// WAL: the embedded default) or on PostgreSQL 15 and later (jackc/pgx through
// database/sql: for production). The SQL is one for both; what differs (placeholders,
// ids, times, locks, bulk writes) is in dialect.go, and each dialect has its own
// migrations, kept in step by a test. schema.sql shows SQLite's schema after every
// migration.
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

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver
	_ "modernc.org/sqlite"           // the SQLite driver
)

//go:embed migrations
var migrations embed.FS

// DB is an open eduplan database.
type DB struct {
	sql     *sql.DB
	db      conn // sql, rebinding
	dialect dialect
	// Now returns the current time; tests may replace it.
	Now func() time.Time
	// Zone is the zone of the day a milestone is marked done (the one --tz sets); nil
	// is Asia/Shanghai, the plan's.
	Zone *time.Location
	// pgConfig is PostgreSQL's connection settings, for a connection that listens.
	pgConfig *pgx.ConnConfig
}

// Open opens the database and brings its schema up to date: PostgreSQL when name is a
// postgres:// or postgresql:// URL (the database must exist), otherwise the SQLite file
// at the path name, created if needed.
func Open(ctx context.Context, name string) (*DB, error) {
	if IsPostgres(name) {
		return openPostgres(ctx, name)
	}
	return openSQLite(ctx, name)
}

// IsPostgres reports whether a --db value names a PostgreSQL database (a URL) rather
// than a SQLite file.
func IsPostgres(name string) bool {
	return strings.HasPrefix(name, "postgres://") || strings.HasPrefix(name, "postgresql://")
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxConfig(dsn)
	if err != nil {
		return nil, err
	}
	sqlDB := stdlib.OpenDB(*cfg)
	db := newDB(sqlDB, postgres{})
	db.pgConfig = cfg
	if err := checkCollation(ctx, db); err != nil {
		sqlDB.Close()
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open %s: %w", redact(dsn), err)
	}
	return db, nil
}

func newDB(sqlDB *sql.DB, d dialect) *DB {
	return &DB{sql: sqlDB, db: conn{sqlDB, d}, dialect: d, Now: time.Now}
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	q := url.Values{}
	for _, p := range []string{fmt.Sprintf("page_size(%d)", pageSize), "busy_timeout(30000)", "synchronous(NORMAL)", "foreign_keys(1)", fmt.Sprintf("cache_size(-%d)", cacheKiB), "temp_store(MEMORY)"} {
		q.Add("_pragma", p)
	}
	// WAL through the driver's own key, which it sets after the _pragma list: the first
	// statement that writes a new file fixes its page size, and switching to WAL writes.
	q.Set("_journal_mode", "WAL")
	q.Set("_txlock", "immediate")
	sqlDB, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db := newDB(sqlDB, sqlite{})
	if err := db.migrate(ctx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// Close closes the database.
func (db *DB) Close() error { return db.sql.Close() }

// Dialect names the database: "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name() }

// migrate applies the dialect's migrations not yet applied, each in a transaction of
// its own that records it.
func (db *DB) migrate(ctx context.Context) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.dialect.lockMigrations(ctx, tx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, db.dialect.migrationsTable())
		return err
	})
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	dir := "migrations/" + db.dialect.name()
	names, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		return err
	}
	slices.Sort(names)
	applied := map[string]bool{}
	rows, err := db.db.QueryContext(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		applied[name] = true
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, name := range names {
		if applied[path.Base(name)] {
			continue
		}
		if err := db.migrateFile(ctx, name); err != nil {
			return fmt.Errorf("migrate %s: %w", path.Base(name), err)
		}
	}
	return nil
}

// migrateFile applies one migration unless another process has meanwhile.
func (db *DB) migrateFile(ctx context.Context, name string) error {
	return db.inTx(ctx, func(sqlTx *sql.Tx) error {
		if err := db.dialect.lockMigrations(ctx, sqlTx); err != nil {
			return err
		}
		tx := conn{sqlTx, db.dialect}
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
		if _, err := sqlTx.ExecContext(ctx, string(b)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, path.Base(name), db.dialect.timeArg(time.Now()))
		return err
	})
}

// inTx runs fn in a transaction, committed if fn returns nil.
func (db *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// Tx is a write transaction. Now is fixed when it begins, so that everything it
// records carries one time.
type Tx struct {
	sqlTx  *sql.Tx
	tx     conn      // sqlTx, rebinding
	conn   *sql.Conn // the connection sqlTx runs on, for PostgreSQL's COPY
	stmts  map[string]*sql.Stmt
	db     *DB
	Tenant string
	Now    time.Time
	// Written, if not nil, is added the roster rows each PutRosterIDs stores, for a
	// progress bar that another goroutine reads.
	Written *atomic.Int64
	// added counts the rows the transaction added to the tables the checks join
	// (analyzeFresh).
	added map[string]int64
}

// pageSize is the page size of a new SQLite database, in bytes. An import writes tens
// of MB at once, and SQLite's cost is per page as much as per byte: each page is a WAL
// frame of its own (a frame header, a checksum, two writes), then copied into the
// database by the checkpoint. At 32 KiB rather than SQLite's default 4 KiB a year's
// students of the Yantai-size demo take 1,000 frames instead of 7,600, and the reads of
// the indicators, which scan whole tables, are no slower (see README, Benchmarks). A
// database keeps the page size it was made with: in WAL mode SQLite cannot change it,
// so older databases go on at theirs; their backups (VACUUM INTO) are made with this.
const pageSize = 32 << 10

// Page caches of a connection, in KiB: what a connection keeps of the database it reads,
// and what a bulk write needs. A connection's cache stays resident while the pool keeps
// it idle, and a write by another connection empties it (WAL), so a read cache much
// larger than what one engine load goes through again only holds memory: at 256 MiB a
// server of the Yantai-size demo had 975-985 MiB resident once started, at 64 MiB
// 690-760 MiB, and it was ready no later (7.0-7.2 s against 7.7 s) and served its first
// pages as fast.
const (
	cacheKiB     = 64 << 10
	bulkCacheKiB = 4 << 10
)

// Write runs fn in one write transaction for the tenant: committed when fn returns nil,
// rolled back (changing nothing) otherwise. The tenant's write transactions run one at
// a time (SQLite's run one at a time anyway). Now is to the microsecond, as
// PostgreSQL keeps times.
func (db *DB) Write(ctx context.Context, tenant string, fn func(*Tx) error) error {
	return db.write(ctx, tenant, false, fn)
}

// WriteBulk is Write for a transaction that writes tens of MB, an import's. On SQLite
// its connection's page cache is made small while it runs: SQLite then writes the
// pages the cache cannot hold to the WAL before the commit, as frames no reader sees
// until the commit frame (a crash before it leaves the database as it was), and reuses
// their memory: a large cache would hold every page the import writes, only to free
// them one by one when the connection closes, which costs more than writing them early.
func (db *DB) WriteBulk(ctx context.Context, tenant string, fn func(*Tx) error) error {
	return db.write(ctx, tenant, true, fn)
}

func (db *DB) write(ctx context.Context, tenant string, bulk bool, fn func(*Tx) error) error {
	c, err := db.sql.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer c.Close()
	if _, ok := db.dialect.(sqlite); ok && bulk {
		if _, err := c.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", bulkCacheKiB)); err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		defer c.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA cache_size = -%d", cacheKiB))
	}
	sqlTx, err := c.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := db.dialect.lockTenant(ctx, sqlTx, tenant); err != nil {
		sqlTx.Rollback()
		return err
	}
	tx := &Tx{sqlTx: sqlTx, tx: conn{sqlTx, db.dialect}, conn: c, db: db, Tenant: tenant, Now: db.Now().UTC().Truncate(time.Microsecond)}
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// exec runs a statement in the transaction.
func (tx *Tx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return tx.tx.ExecContext(ctx, query, args...)
}

// insertID inserts a row of cols (tenant first) with values (one per column) into a
// table keyed by (tenant, id), and returns the id it was given.
func (tx *Tx) insertID(ctx context.Context, table, cols, values string, args ...any) (int64, error) {
	q, withTenant := tx.db.dialect.insertID(table, cols, values)
	if withTenant {
		args = append(args, tx.Tenant)
	}
	var id int64
	err := tx.tx.QueryRowContext(ctx, q, args...).Scan(&id)
	return id, err
}

// timeArg is a time as a statement's argument.
func (tx *Tx) timeArg(t time.Time) any { return tx.db.dialect.timeArg(t) }

// Empty reports whether no batch has been imported into the database yet, for any
// city: a database that holds one city's data is not filled with demo data for
// another, nor copied over.
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM batches`).Scan(&n)
	return n == 0, err
}

const (
	demoKey      = "demo"
	demoScaleKey = "demo_scale"
)

// Demo reports whether the tenant's data are generated demo data (演示数据).
func (db *DB) Demo(ctx context.Context, tenant string) (bool, error) {
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE tenant = ? AND key = ?`, tenant, demoKey).Scan(&v)
	if err == sql.ErrNoRows {
		return false, nil
	}
	return v == "true", err
}

// SetDemo marks the tenant's data as demo data or not.
func (db *DB) SetDemo(ctx context.Context, tenant string, demo bool) error {
	return db.setMeta(ctx, tenant, demoKey, strconv.FormatBool(demo))
}

func (db *DB) setMeta(ctx context.Context, tenant, key, value string) error {
	_, err := db.db.ExecContext(ctx, `INSERT INTO meta (tenant, key, value) VALUES (?, ?, ?)
		ON CONFLICT (tenant, key) DO UPDATE SET value = excluded.value`, tenant, key, value)
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

// DemoScale returns the scale the tenant's demo data were generated at, 0 when they
// are not demo data.
func (db *DB) DemoScale(ctx context.Context, tenant string) (float64, error) {
	if demo, err := db.Demo(ctx, tenant); err != nil || !demo {
		return 0, err
	}
	var v string
	err := db.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE tenant = ? AND key = ?`, tenant, demoScaleKey).Scan(&v)
	if err == sql.ErrNoRows {
		return 1, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseFloat(v, 64)
}

// SetDemoScale records the scale of the tenant's demo data.
func (db *DB) SetDemoScale(ctx context.Context, tenant string, scale float64) error {
	return db.setMeta(ctx, tenant, demoScaleKey, strconv.FormatFloat(scale, 'g', -1, 64))
}
