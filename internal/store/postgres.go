package store

import (
	"context"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// pgxConfig parses a postgres:// URL.
func pgxConfig(dsn string) (*pgx.ConnConfig, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redact(dsn), err)
	}
	return cfg, nil
}

// checkCollation refuses a database whose text does not sort byte by byte, as SQLite's
// does: with a language's collation, every list sorted by code or name (and every CSV
// made from one) would come out in another order than on SQLite.
func checkCollation(ctx context.Context, db *DB) error {
	var name, collate string
	if err := db.db.QueryRowContext(ctx, `SELECT datname, datcollate FROM pg_database WHERE datname = current_database()`).Scan(&name, &collate); err != nil {
		return fmt.Errorf("open PostgreSQL: %w", err)
	}
	switch collate {
	case "C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic":
		return nil
	}
	return plan.Errorf(plan.EINVALID,
		"PostgreSQL 数据库 %s 的排序规则是 %s，eduplan 需要 C：CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'",
		"PostgreSQL database %s collates as %s; eduplan needs C: CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'",
		name, collate, name)
}

// Redact is a --db value as a log may show it: a PostgreSQL URL without its password,
// a SQLite path as it is.
func Redact(name string) string {
	if !IsPostgres(name) {
		return name
	}
	return redact(name)
}

// redact is a database URL without its password, for messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// copyCells adds cells to roster_cells through COPY into a temporary table and one
// INSERT … SELECT from it, which keeps AddCells' adding of counts to cells already
// there.
func (tx *Tx) copyCells(ctx context.Context, cells []Cell) error {
	if _, err := tx.exec(ctx, `CREATE TEMPORARY TABLE IF NOT EXISTS cells_in (
		kind text, year integer, district text, institution text, dims text, count integer, batch_id bigint) ON COMMIT DELETE ROWS`); err != nil {
		return err
	}
	err := tx.conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		_, err := c.CopyFrom(ctx, pgx.Identifier{"cells_in"}, []string{"kind", "year", "district", "institution", "dims", "count", "batch_id"},
			pgx.CopyFromSlice(len(cells), func(i int) ([]any, error) {
				c := &cells[i]
				return []any{c.Kind, c.Year, c.District, c.Institution, c.Dims, c.Count, c.Batch}, nil
			}))
		return err
	})
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `INSERT INTO roster_cells (tenant, kind, year, district, institution, dims, count, batch_id)
		SELECT ?, kind, year, max(district), institution, dims, sum(count), max(batch_id) FROM cells_in
		GROUP BY kind, year, institution, dims
		ON CONFLICT (tenant, kind, year, institution, dims) DO UPDATE SET count = roster_cells.count + excluded.count, batch_id = excluded.batch_id`, tx.Tenant)
	if err != nil {
		return err
	}
	_, err = tx.exec(ctx, `DELETE FROM cells_in`)
	return err
}
