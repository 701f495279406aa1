package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// TableCount is how many rows a table holds.
type TableCount struct {
	Table string `json:"table"`
	Rows  int64  `json:"rows"`
}

// Copy copies every row of every table of a SQLite database into a PostgreSQL one that
// holds nothing of the cities (tenants) the file holds: a city moved from its file to a
// database server, a new one or one that already serves other cities (a province's).
// Both must be at the same migration. Values are carried over as PostgreSQL keeps them
// (times, booleans); ids stay as they were (every key begins with the tenant, so they
// cannot meet another city's), and the identity columns go on after the largest id of
// any city. It returns the rows copied by table, which to then holds of those cities
// (it is checked); all of it is written in one transaction.
func Copy(ctx context.Context, from, to *DB) ([]TableCount, error) {
	_, fromSQLite := from.dialect.(sqlite)
	_, toPostgres := to.dialect.(postgres)
	if !fromSQLite || !toPostgres {
		return nil, plan.Errorf(plan.EINVALID, "只能从 SQLite 文件复制到 PostgreSQL 数据库", "copy goes from a SQLite file to a PostgreSQL database only")
	}
	tables, err := from.tables(ctx)
	if err != nil {
		return nil, err
	}
	toTables, err := to.tables(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.EqualFunc(tables, toTables, func(a, b tableInfo) bool { return a.name == b.name && slices.Equal(a.cols, b.cols) }) {
		return nil, plan.Errorf(plan.EINVALID, "两个数据库的表结构不同（迁移版本不同？）", "the two databases' tables differ (not at the same migration?)")
	}
	tenants, err := from.tenants(ctx, tables)
	if err != nil {
		return nil, err
	}
	held, err := to.tenants(ctx, toTables)
	if err != nil {
		return nil, err
	}
	if both := intersect(tenants, held); len(both) > 0 {
		return nil, plan.Errorf(plan.ECONFLICT, "目标数据库已有城市 %s 的数据，不能再复制一次；请复制到没有这个城市数据的数据库",
			"the database copied to holds data of city %s already; copy into one that holds none of it", strings.Join(both, ", "))
	}
	var out []TableCount
	err = to.inTx(ctx, func(tx *sql.Tx) error {
		for i, t := range tables {
			n, err := copyTable(ctx, from, to, tx, t, toTables[i])
			if err != nil {
				return fmt.Errorf("copy %s: %w", t.name, err)
			}
			out = append(out, TableCount{t.name, n})
		}
		for _, t := range toTables {
			if t.identity {
				if err := advanceIdentity(ctx, tx, t.name); err != nil {
					return fmt.Errorf("copy %s: %w", t.name, err)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	got, err := to.tenantCounts(ctx, toTables, tenants)
	if err != nil {
		return nil, err
	}
	if !slices.Equal(got, out) {
		return nil, fmt.Errorf("copy: the database copied to holds %v rows of the copied cities, not the %v copied", got, out)
	}
	return out, nil
}

// advanceIdentity moves a table's identity sequence past the largest id the table
// holds, never back: another server may be adding rows of its own city meanwhile.
func advanceIdentity(ctx context.Context, tx *sql.Tx, table string) error {
	var seq string
	if err := tx.QueryRowContext(ctx, `SELECT pg_get_serial_sequence('`+table+`', 'id')`).Scan(&seq); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `SELECT setval('`+seq+`', greatest(coalesce(max(id), 0), (SELECT last_value FROM `+seq+`), 1)) FROM `+table)
	return err
}

// Tenants returns the cities (tenants) that have a row in the database, in order.
func (db *DB) Tenants(ctx context.Context) ([]string, error) {
	tables, err := db.tables(ctx)
	if err != nil {
		return nil, err
	}
	return db.tenants(ctx, tables)
}

// tenants returns the cities (tenants) that have a row in any of the tables, in order.
func (db *DB) tenants(ctx context.Context, tables []tableInfo) ([]string, error) {
	seen := map[string]bool{}
	for _, t := range tables {
		rows, err := db.db.QueryContext(ctx, `SELECT DISTINCT tenant FROM `+t.name)
		if err != nil {
			return nil, fmt.Errorf("tenants of %s: %w", t.name, err)
		}
		for rows.Next() {
			var tenant string
			if err := rows.Scan(&tenant); err != nil {
				rows.Close()
				return nil, fmt.Errorf("tenants of %s: %w", t.name, err)
			}
			seen[tenant] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("tenants of %s: %w", t.name, err)
		}
	}
	out := make([]string, 0, len(seen))
	for tenant := range seen {
		out = append(out, tenant)
	}
	slices.Sort(out)
	return out, nil
}

// tenantCounts is TableCounts of the rows of some cities only.
func (db *DB) tenantCounts(ctx context.Context, tables []tableInfo, tenants []string) ([]TableCount, error) {
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(tenants)), ", ")
	args := make([]any, len(tenants))
	for i, t := range tenants {
		args[i] = t
	}
	out := make([]TableCount, len(tables))
	for i, t := range tables {
		out[i].Table = t.name
		if len(tenants) == 0 {
			continue
		}
		q := db.dialect.rebind(`SELECT count(*) FROM ` + t.name + ` WHERE tenant IN (` + marks + `)`)
		if err := db.db.QueryRowContext(ctx, q, args...).Scan(&out[i].Rows); err != nil {
			return nil, fmt.Errorf("count %s: %w", t.name, err)
		}
	}
	return out, nil
}

// intersect returns the strings of sorted a that are in b.
func intersect(a, b []string) []string {
	var out []string
	for _, s := range a {
		if slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// TableCounts returns how many rows each of eduplan's tables holds, by table name.
func (db *DB) TableCounts(ctx context.Context) ([]TableCount, error) {
	tables, err := db.tables(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]TableCount, len(tables))
	for i, t := range tables {
		out[i].Table = t.name
		if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM `+t.name).Scan(&out[i].Rows); err != nil {
			return nil, fmt.Errorf("count %s: %w", t.name, err)
		}
	}
	return out, nil
}

// tableInfo is a table of eduplan's and its columns, with the type PostgreSQL gives
// each (SQLite's are "").
type tableInfo struct {
	name     string
	cols     []string
	types    []string
	identity bool // PostgreSQL: id is an identity column
}

// tables lists eduplan's tables (not schema_migrations) by name, with their columns by
// name.
func (db *DB) tables(ctx context.Context) ([]tableInfo, error) {
	q := `SELECT m.name, p.name, '', 'NO' FROM sqlite_master m, pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> 'schema_migrations'`
	if _, ok := db.dialect.(postgres); ok {
		q = `SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name <> 'schema_migrations'`
	}
	rows, err := db.db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("tables: %w", err)
	}
	defer rows.Close()
	byName := map[string]*tableInfo{}
	type col struct{ table, name, typ string }
	var cols []col
	for rows.Next() {
		var c col
		var identity string
		if err := rows.Scan(&c.table, &c.name, &c.typ, &identity); err != nil {
			return nil, fmt.Errorf("tables: %w", err)
		}
		cols = append(cols, c)
		if byName[c.table] == nil {
			byName[c.table] = &tableInfo{name: c.table}
		}
		if identity == "YES" && c.name == "id" {
			byName[c.table].identity = true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(cols, func(a, b col) int { return strings.Compare(a.table+"\x00"+a.name, b.table+"\x00"+b.name) })
	for _, c := range cols {
		t := byName[c.table]
		t.cols, t.types = append(t.cols, c.name), append(t.types, c.typ)
	}
	var out []tableInfo
	for _, t := range byName {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b tableInfo) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

// copyTable copies the rows of one table, converting each value to what to's column
// takes.
func copyTable(ctx context.Context, from, to *DB, tx *sql.Tx, src, dst tableInfo) (int64, error) {
	list := strings.Join(src.cols, ", ")
	rows, err := from.db.QueryContext(ctx, `SELECT `+list+` FROM `+src.name)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(src.cols)), ", ")
	stmt, err := tx.PrepareContext(ctx, to.dialect.rebind(`INSERT INTO `+dst.name+` (`+list+`) VALUES (`+marks+`)`))
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	vals := make([]any, len(src.cols))
	ptrs := make([]any, len(src.cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			if vals[i], err = convert(v, dst.types[i]); err != nil {
				return n, fmt.Errorf("column %s: %w", src.cols[i], err)
			}
		}
		if _, err := stmt.ExecContext(ctx, vals...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// convert turns a value read from SQLite into what a PostgreSQL column of the type
// takes: RFC 3339 text (empty for no time) into a timestamptz, 0 and 1 into a boolean.
func convert(v any, pgType string) (any, error) {
	switch pgType {
	case "boolean":
		if n, ok := v.(int64); ok {
			return n != 0, nil
		}
	case "timestamp with time zone":
		if s, ok := v.(string); ok {
			if s == "" {
				return nil, nil
			}
			return time.Parse(time.RFC3339Nano, s)
		}
	case "bytea":
		if s, ok := v.(string); ok {
			return []byte(s), nil
		}
	}
	return v, nil
}
