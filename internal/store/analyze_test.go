package store

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
)

// TestChecksKnowTheNewCity: on PostgreSQL, once an import has added many roster cells of
// a city the database's statistics have never seen (a province's second city), the
// checks renew the statistics in the import's transaction, so that the planner expects
// the city's rows rather than one; with one it joined the new city's roster cells to its
// institutions by a nested loop over all of them (see analyzeFresh). A small import
// leaves the statistics alone.
func TestChecksKnowTheNewCity(t *testing.T) {
	ctx := context.Background()
	name := MigratedPostgres(t)
	db, err := Open(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cells := func(n int) []Cell {
		out := make([]Cell, n)
		for i := range out {
			out[i] = Cell{Kind: KindStudents, Year: 2021, District: "370602", Institution: fmt.Sprintf("S%05d", i), Dims: "sex=F", Count: 1, Batch: 1}
		}
		return out
	}
	if err := db.Write(ctx, "370600", func(tx *Tx) error { return tx.AddCells(ctx, cells(20000)) }); err != nil {
		t.Fatal(err)
	}
	if _, err := RawSQL(t, name).ExecContext(ctx, `ANALYZE roster_cells`); err != nil { // the first city, as autovacuum would see it
		t.Fatal(err)
	}
	estimate := func(tx *Tx, tenant string) float64 {
		t.Helper()
		var plan string
		if err := tx.tx.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) SELECT * FROM roster_cells WHERE tenant = '`+tenant+`'`).Scan(&plan); err != nil {
			t.Fatal(err)
		}
		var p []struct {
			Plan struct {
				Rows float64 `json:"Plan Rows"`
			}
		}
		if err := json.Unmarshal([]byte(plan), &p); err != nil || len(p) != 1 {
			t.Fatalf("plan %s: %v", plan, err)
		}
		return p[0].Plan.Rows
	}
	for _, c := range []struct {
		tenant string
		cells  int
		min    float64 // the planner's estimate of the tenant's rows after the checks is at least
		max    float64 // and at most
	}{
		{"370200", analyzeMin - 1, 0, 100}, // too few to renew the statistics: still the guess of a tenant never seen
		{"371000", 20000, 10000, 40000},    // renewed: about the 20,000 added
	} {
		err := db.Write(ctx, c.tenant, func(tx *Tx) error {
			if err := tx.AddCells(ctx, cells(c.cells)); err != nil {
				return err
			}
			if _, err := tx.Problems(ctx); err != nil {
				return err
			}
			if got := estimate(tx, c.tenant); got < c.min || got > c.max {
				t.Errorf("%d cells of %s added and checked: the planner expects %.0f of its rows, want %.0f to %.0f", c.cells, c.tenant, got, c.min, c.max)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
