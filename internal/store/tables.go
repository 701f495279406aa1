package store

import (
	"context"
	"database/sql"
	"fmt"
)

// A school table (教育事业统计基础基表: a school's students or teachers as counts by
// grade, sex, education...) is stored as roster cells of its element, like a roster
// without ids. Its snapshot is the element's kind with the table's code as element: a
// district and year may hold several tables (kindergartens', primary schools'...), but
// never a roster beside them. An import that switches a district and year from one
// form to the other says so, and is held to the shrink guard (ingest: switches, with
// HeldRoster and HeldTables).

// tableDeletes empty, for a school table's snapshot, the district's roster of the
// element and the table's own cells (those of no other table's snapshot): args are
// tenant, year, scope, kind, then tenant, kind, year, scope, table.
var tableDeletes = []string{
	`DELETE FROM roster_ids WHERE tenant = ? AND year = ? AND district = ? AND kind = ?`,
	`DELETE FROM roster_cells WHERE tenant = ? AND year = ? AND district = ? AND kind = ? AND batch_id NOT IN (
		SELECT batch_id FROM snapshots WHERE tenant = ? AND kind = ? AND year = ? AND scope = ? AND element NOT IN ('', ?))`,
	`DELETE FROM snapshots WHERE tenant = ? AND year = ? AND scope = ? AND kind = ? AND element = ''`,
}

// takeTableScope is TakeScope for a school table (element is the table's code).
func (tx *Tx) takeTableScope(ctx context.Context, kind string, year int, scope, table string, batch int64) (int64, error) {
	var prev int64
	err := tx.tx.QueryRowContext(ctx, `SELECT batch_id FROM snapshots WHERE tenant = ? AND kind = ? AND year = ? AND scope = ? AND element = ?`,
		tx.Tenant, kind, year, scope, table).Scan(&prev)
	if err != nil && err != sql.ErrNoRows {
		return 0, fmt.Errorf("snapshot %s %s %d %s: %w", kind, table, year, scope, err)
	}
	for i, q := range tableDeletes {
		args := []any{tx.Tenant, year, scope, kind}
		if i == 1 {
			args = append(args, tx.Tenant, kind, year, scope, table)
		}
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return 0, fmt.Errorf("replace %s %s %d %s: %w", kind, table, year, scope, err)
		}
	}
	_, err = tx.exec(ctx, `INSERT INTO snapshots (tenant, kind, year, scope, element, batch_id) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant, kind, year, scope, element) DO UPDATE SET batch_id = excluded.batch_id`,
		tx.Tenant, kind, year, scope, table, batch)
	if err != nil {
		return 0, fmt.Errorf("snapshot %s %s %d %s: %w", kind, table, year, scope, err)
	}
	return prev, nil
}

// tableRows counts the people a school table's snapshot holds.
const tableRows = `SELECT coalesce(sum(count), 0) FROM roster_cells WHERE tenant = ? AND year = ? AND district = ? AND kind = ?
	AND batch_id = (SELECT batch_id FROM snapshots WHERE tenant = ? AND kind = ? AND year = ? AND scope = ? AND element = ?)`

// Held is what a district holds of students or teachers in a year in one of their two
// forms, a roster or school tables: the people, and the files they came from (none when
// it holds nothing in that form).
type Held struct {
	People int64
	Files  []string
}

// HeldRoster returns the district's roster of a kind (students or teachers) in a year,
// as the transaction sees it.
func (tx *Tx) HeldRoster(ctx context.Context, kind string, year int, district string) (Held, error) {
	return tx.held(ctx, kind, year, district, heldRosterFiles, heldRosterPeople)
}

// HeldTables returns the district's school tables of a kind in a year, as the
// transaction sees them.
func (tx *Tx) HeldTables(ctx context.Context, kind string, year int, district string) (Held, error) {
	return tx.held(ctx, kind, year, district, heldTableFiles, heldTablePeople)
}

// The statements of HeldRoster and HeldTables: args are tenant, kind, year, district.
const (
	heldRosterFiles = `SELECT b.file FROM snapshots s JOIN batches b ON b.tenant = s.tenant AND b.id = s.batch_id
		WHERE s.tenant = ? AND s.kind = ? AND s.year = ? AND s.scope = ? AND s.element = ''`
	heldRosterPeople = `SELECT coalesce(sum(rows), 0) FROM roster_ids WHERE tenant = ? AND kind = ? AND year = ? AND district = ?`
	heldTableFiles   = `SELECT b.file FROM snapshots s JOIN batches b ON b.tenant = s.tenant AND b.id = s.batch_id
		WHERE s.tenant = ? AND s.kind = ? AND s.year = ? AND s.scope = ? AND s.element <> '' ORDER BY s.element`
	heldTablePeople = `SELECT coalesce(sum(c.count), 0) FROM roster_cells c JOIN snapshots s
		ON s.tenant = c.tenant AND s.kind = c.kind AND s.year = c.year AND s.scope = c.district AND s.batch_id = c.batch_id
		WHERE s.tenant = ? AND s.kind = ? AND s.year = ? AND s.scope = ? AND s.element <> ''`
)

func (tx *Tx) held(ctx context.Context, kind string, year int, district, files, people string) (Held, error) {
	var h Held
	rows, err := tx.tx.QueryContext(ctx, files, tx.Tenant, kind, year, district)
	if err != nil {
		return h, fmt.Errorf("held %s %d %s: %w", kind, year, district, err)
	}
	defer rows.Close()
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			return h, fmt.Errorf("held %s %d %s: %w", kind, year, district, err)
		}
		h.Files = append(h.Files, f)
	}
	if err := rows.Err(); err != nil {
		return h, fmt.Errorf("held %s %d %s: %w", kind, year, district, err)
	}
	if err := tx.tx.QueryRowContext(ctx, people, tx.Tenant, kind, year, district).Scan(&h.People); err != nil {
		return h, fmt.Errorf("held %s %d %s: %w", kind, year, district, err)
	}
	return h, nil
}

// isTable reports whether a snapshot of a kind with an element is a school table's.
func isTable(kind, element string) bool {
	return element != "" && (kind == KindStudents || kind == KindTeachers)
}

// BatchKinds returns the kind of every batch of the tenant (a school table's code for
// its files), for telling a roster's cells from a school table's.
func (v *View) BatchKinds(ctx context.Context, tenant string) (map[int64]string, error) {
	rows, err := v.q.QueryContext(ctx, `SELECT id, kind FROM batches WHERE tenant = ?`, tenant)
	if err != nil {
		return nil, fmt.Errorf("batch kinds: %w", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var kind string
		if err := rows.Scan(&id, &kind); err != nil {
			return nil, fmt.Errorf("batch kinds: %w", err)
		}
		out[id] = kind
	}
	return out, rows.Err()
}
