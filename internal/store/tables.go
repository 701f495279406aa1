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
// never a roster beside them.

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
