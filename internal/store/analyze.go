package store

import (
	"context"
	"fmt"
)

// analyzeMin is the fewest rows a transaction adds to one of the tables the checks join
// before PostgreSQL's statistics of them are renewed (analyzeFresh).
const analyzeMin = 5000

// checkedTables are the tables Problems joins, in the order they are analyzed.
var checkedTables = []string{"institutions", "roster_cells", "conditions", "record_cells"}

// note counts rows the transaction adds to a table the checks join.
func (tx *Tx) note(table string, n int) {
	if tx.added == nil {
		tx.added = map[string]int64{}
	}
	tx.added[table] += int64(n)
}

// analyzeFresh renews, on PostgreSQL, the statistics of the tables the checks join
// once the transaction has added many rows to any of them. A city's first import into a
// database that already serves another city is what needs it: the planner's statistics
// know no rows of the new tenant, estimate one, and join the new city's hundreds of
// thousands of roster cells to its institutions by a nested loop over all of them (the
// check of a Yantai-size import ran for over a quarter of an hour instead of seconds).
// ANALYZE in the transaction samples the rows it added, and the statistics it writes
// count from its commit (a refused import leaves the old ones). SQLite's planner reads
// no such statistics unless asked to, and chooses its indexes without them.
func (tx *Tx) analyzeFresh(ctx context.Context) error {
	if _, ok := tx.db.dialect.(postgres); !ok {
		return nil
	}
	fresh := false
	for _, t := range checkedTables {
		fresh = fresh || tx.added[t] >= analyzeMin
	}
	if !fresh {
		return nil
	}
	for _, t := range checkedTables {
		if _, err := tx.exec(ctx, `ANALYZE `+t); err != nil {
			return fmt.Errorf("analyze %s: %w", t, err)
		}
	}
	clear(tx.added)
	return nil
}
