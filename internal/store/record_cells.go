package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// RecordCell is one measure of the rows of a declared record kind that share a year,
// an org and dims (migration 012): Measure "" counts the rows, a field's code sums the
// field, and the code with "#n" counts the rows that gave the field a value. Org is
// the rows' institution, or for a kind of providers their district.
type RecordCell struct {
	Kind, District, Org, Dims, Measure string
	Year                               int
	Value                              float64
	Batch                              int64
}

// AddRecordCells adds to the values of record cells.
func (tx *Tx) AddRecordCells(ctx context.Context, cells []RecordCell) error {
	tx.note("record_cells", len(cells))
	const tuple = "(?,?,?,?,?,?,?,?,?)"
	args := make([]any, 0, 9*cellsPerInsert)
	for len(cells) > 0 {
		n := min(len(cells), cellsPerInsert)
		s, err := tx.stmt(ctx, `INSERT INTO record_cells (tenant, kind, year, district, org, dims, measure, value, batch_id) VALUES `+
			strings.Repeat(tuple+",", n-1)+tuple+`
			ON CONFLICT (tenant, kind, year, district, org, dims, measure) DO UPDATE SET value = record_cells.value + excluded.value, batch_id = excluded.batch_id`)
		if err != nil {
			return err
		}
		args = args[:0]
		for _, c := range cells[:n] {
			args = append(args, tx.Tenant, c.Kind, c.Year, c.District, c.Org, c.Dims, c.Measure, c.Value, c.Batch)
		}
		if _, err := s.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("record cells: %w", err)
		}
		cells = cells[n:]
	}
	return nil
}

// EachRecordCell calls fn for every record cell of the tenant.
func (db *DB) EachRecordCell(ctx context.Context, tenant string, fn func(*RecordCell) error) error {
	return db.view().EachRecordCell(ctx, tenant, fn)
}

// EachRecordCell calls fn for every record cell of the tenant (of the view's scope).
func (v *View) EachRecordCell(ctx context.Context, tenant string, fn func(*RecordCell) error) error {
	w, args := v.where("district", tenant)
	rows, err := v.q.QueryContext(ctx, `SELECT kind, year, district, org, dims, measure, value, batch_id
		FROM record_cells WHERE `+w+` ORDER BY kind, year, org, dims, measure`, args...)
	if err != nil {
		return fmt.Errorf("record cells: %w", err)
	}
	defer rows.Close()
	var c RecordCell
	for rows.Next() {
		if err := rows.Scan(&c.Kind, &c.Year, &c.District, &c.Org, &c.Dims, &c.Measure, &c.Value, &c.Batch); err != nil {
			return fmt.Errorf("record cells: %w", err)
		}
		if err := fn(&c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// recordProblems lists the record cells of institutions that are not in their year's
// institutions, or that now belong to another district (a provider's cells sit at
// its district and are not checked).
func (tx *Tx) recordProblems(ctx context.Context) ([]Problem, error) {
	rows, err := tx.tx.QueryContext(ctx, `SELECT c.kind, c.year, c.org, c.district, sum(c.value), i.district
		FROM record_cells c LEFT JOIN institutions i ON i.tenant = c.tenant AND i.year = c.year AND i.code = c.org
		WHERE c.tenant = ? AND c.measure = '' AND c.org <> c.district AND (i.code IS NULL OR i.district <> c.district)
		GROUP BY c.kind, c.year, c.org, c.district, i.district ORDER BY c.kind, c.year, c.org`, tx.Tenant)
	if err != nil {
		return nil, fmt.Errorf("check: %w", err)
	}
	defer rows.Close()
	var out []Problem
	for rows.Next() {
		var p Problem
		var n float64
		var now sql.NullString
		if err := rows.Scan(&p.Kind, &p.Year, &p.Institution, &p.District, &n, &now); err != nil {
			return nil, err
		}
		p.Count, p.Reason = int64(n), "orphan"
		if now.Valid {
			p.Reason, p.District = "moved", now.String
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

const (
	recordDelete = `DELETE FROM record_cells WHERE tenant = ? AND year = ? AND district = ? AND kind = ?`
	recordCount  = `SELECT CAST(coalesce(sum(value), 0) AS BIGINT) FROM record_cells WHERE tenant = ? AND year = ? AND district = ? AND kind = ? AND measure = ''`
)
