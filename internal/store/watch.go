package store

import (
	"context"
	"fmt"
)

// LastBatch returns the id of the tenant's newest batch (0 if none): it changes when
// and only when an import commits, from this process or another one.
func (db *DB) LastBatch(ctx context.Context, tenant string) (int64, error) {
	var id int64
	if err := db.db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM batches WHERE tenant = ?`, tenant).Scan(&id); err != nil {
		return 0, fmt.Errorf("last batch: %w", err)
	}
	return id, nil
}

// ReplacedSince returns the years and districts (or the city, for the facts it
// reports) whose current snapshot a batch newer than after holds: what the imports
// committed since batch after replaced.
func (db *DB) ReplacedSince(ctx context.Context, tenant string, after int64) ([]YearDistrict, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT DISTINCT year, scope FROM snapshots
		WHERE tenant = ? AND batch_id > ? ORDER BY year, scope`, tenant, after)
	if err != nil {
		return nil, fmt.Errorf("scopes since batch %d: %w", after, err)
	}
	defer rows.Close()
	var out []YearDistrict
	for rows.Next() {
		var s YearDistrict
		if err := rows.Scan(&s.Year, &s.District); err != nil {
			return nil, fmt.Errorf("scopes since batch %d: %w", after, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
