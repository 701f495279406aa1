package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// dialect is everything that differs between SQLite and PostgreSQL; the rest of the
// package writes one SQL for both, with ? placeholders (rebound here), TRUE and FALSE
// for booleans, times passed through timeArg and read through scanTime, and ids made by
// insertID.
type dialect interface {
	// name is the folder of the dialect's migrations.
	name() string
	// rebind turns the ? placeholders of a query into the dialect's.
	rebind(query string) string
	// migrationsTable creates the table that records the migrations applied.
	migrationsTable() string
	// timeArg is a time as a statement's argument.
	timeArg(t time.Time) any
	// timeExpr is a time column (or a placeholder) as an expression that compares and
	// sorts as a time.
	timeExpr(col string) string
	// isSet is the condition that an optional time column holds a time.
	isSet(col string) string
	// insertID is an INSERT of cols (tenant first) with values (placeholders or
	// expressions, one per column) into a table whose key is (tenant, id), returning
	// the new id; its arguments are the values', then the tenant again if withTenant.
	insertID(table, cols, values string) (query string, withTenant bool)
	// nextID is a query of the id the next row of a table keyed by (tenant, id) is to
	// take, given the tenant, for code that sets the id itself.
	nextID(table string) string
	// viewOptions are the options of a read transaction that sees one committed state.
	viewOptions() *sql.TxOptions
	// lockTenant serialises the tenant's write transactions, as SQLite's one writer
	// does, so that batches commit in the order of their ids.
	lockTenant(ctx context.Context, tx *sql.Tx, tenant string) error
	// lockMigrations keeps two processes from migrating one database at once.
	lockMigrations(ctx context.Context, tx *sql.Tx) error
	// lockSubjects serialises the transactions that count sign-in attempts against any
	// of the tenant's subjects (see ReserveAttempt).
	lockSubjects(ctx context.Context, tx *sql.Tx, tenant string, subjects []string) error
}

// sqlite is SQLite's dialect: one writer at a time (BEGIN IMMEDIATE), times kept as
// RFC 3339 text in UTC, booleans as 0 and 1, ids one past the tenant's largest.
type sqlite struct{}

func (sqlite) name() string           { return "sqlite" }
func (sqlite) rebind(q string) string { return q }
func (sqlite) migrationsTable() string {
	return `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`
}
func (sqlite) timeArg(t time.Time) any { return t.UTC().Format(time.RFC3339Nano) }

// timeExpr: RFC 3339 text with a fraction of varying length does not sort as the times
// do ("…05Z" > "…05.5Z"); julianday reads it as the instant, to the millisecond.
func (sqlite) timeExpr(col string) string  { return "julianday(" + col + ")" }
func (sqlite) isSet(col string) string     { return col + " <> ''" }
func (sqlite) viewOptions() *sql.TxOptions { return &sql.TxOptions{ReadOnly: true} } // a deferred BEGIN: no write lock

// insertID: the transaction holds SQLite's write lock from its BEGIN IMMEDIATE, so the
// tenant's largest id cannot change before the row goes in.
func (sqlite) insertID(table, cols, values string) (string, bool) {
	return "INSERT INTO " + table + " (id, " + cols + ") SELECT coalesce(max(id), 0) + 1, " + values +
		" FROM " + table + " WHERE tenant = ? RETURNING id", true
}
func (sqlite) nextID(table string) string {
	return "SELECT coalesce(max(id), 0) + 1 FROM " + table + " WHERE tenant = ?"
}
func (sqlite) lockTenant(context.Context, *sql.Tx, string) error { return nil }
func (sqlite) lockMigrations(context.Context, *sql.Tx) error     { return nil }

// lockSubjects: the transaction began IMMEDIATE (_txlock), holding the one write lock.
func (sqlite) lockSubjects(context.Context, *sql.Tx, string, []string) error { return nil }

// postgres is PostgreSQL's dialect (15 and later, through pgx): $n placeholders,
// timestamptz, boolean, bytea, identity columns, and an advisory lock per tenant for
// writes.
type postgres struct{}

func (postgres) name() string { return "postgres" }

var rebound sync.Map // query → its $n form

// rebind numbers the ? outside quoted text and comments: $1, $2, ...
func (postgres) rebind(q string) string {
	if r, ok := rebound.Load(q); ok {
		return r.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		switch c := q[i]; {
		case c == '\'' || c == '"':
			j := strings.IndexByte(q[i+1:], c)
			if j < 0 {
				j = len(q) - i - 1
			}
			b.WriteString(q[i : i+j+2])
			i += j + 1
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j - 1
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	rebound.Store(q, b.String())
	return b.String()
}

func (postgres) migrationsTable() string {
	return `CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL)`
}
func (postgres) timeArg(t time.Time) any    { return t.UTC() }
func (postgres) timeExpr(col string) string { return col }
func (postgres) isSet(col string) string    { return col + " IS NOT NULL" }
func (postgres) viewOptions() *sql.TxOptions {
	return &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
}

// insertID: the id comes from the table's identity column.
func (postgres) insertID(table, cols, values string) (string, bool) {
	return "INSERT INTO " + table + " (" + cols + ") VALUES (" + values + ") RETURNING id", false
}

// nextID draws the next value of the table's identity column (the tenant is not
// needed, but read, so that both forms take the same argument).
func (postgres) nextID(table string) string {
	return "SELECT nextval(pg_get_serial_sequence('" + table + "', 'id')) WHERE ?::text IS NOT NULL"
}

// advisoryKey is the first key of eduplan's advisory locks; the second is the
// tenant's hash (writes) or 0 (migrations).
const advisoryKey = 0x0ed0

func (postgres) lockTenant(ctx context.Context, tx *sql.Tx, tenant string) error {
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, advisoryKey, tenant); err != nil {
		return fmt.Errorf("lock tenant %s: %w", tenant, err)
	}
	return nil
}

func (postgres) lockMigrations(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, 0)`, advisoryKey)
	return err
}

// subjectKey is the first key of the advisory locks of sign-in subjects; the second is
// a hash of the tenant and the subject. Two subjects of one hash share a lock, which
// only makes them wait for each other.
const subjectKey = advisoryKey + 1

// lockSubjects takes the subjects' locks in the order of their keys, so that two
// transactions locking the same subjects never wait for each other in a circle.
func (postgres) lockSubjects(ctx context.Context, tx *sql.Tx, tenant string, subjects []string) error {
	keys := make([]int32, len(subjects))
	for i, s := range subjects {
		h := fnv.New32a()
		h.Write([]byte(tenant + "\x00" + s))
		keys[i] = int32(h.Sum32())
	}
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, subjectKey, k); err != nil {
			return fmt.Errorf("lock sign-in subject: %w", err)
		}
	}
	return nil
}

// conn runs statements on the database or in a transaction, rebinding their
// placeholders for the dialect: the one place where that happens.
type conn struct {
	q interface {
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	}
	d dialect
}

func (c conn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.q.ExecContext(ctx, c.d.rebind(query), args...)
}

func (c conn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return c.q.QueryContext(ctx, c.d.rebind(query), args...)
}

func (c conn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return c.q.QueryRowContext(ctx, c.d.rebind(query), args...)
}

// scanTime reads a time column into t: RFC 3339 text (SQLite), a time (PostgreSQL), or
// ” or NULL, which leave t zero. Times read are in UTC.
func scanTime(t *time.Time) sql.Scanner { return timeScanner{t} }

type timeScanner struct{ t *time.Time }

func (s timeScanner) Scan(v any) error {
	*s.t = time.Time{}
	switch v := v.(type) {
	case nil:
	case time.Time:
		*s.t = v.UTC()
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	default:
		return fmt.Errorf("a time column holds %T", v)
	}
	return nil
}

func (s timeScanner) parse(v string) error {
	if v == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return err
	}
	*s.t = t.UTC()
	return nil
}
