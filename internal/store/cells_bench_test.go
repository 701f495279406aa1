package store

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkAddCellsPostgres adds a district's roster cells (20,000: a year of a large
// district's students by institution, grade, sex, hukou and stage) to PostgreSQL through
// COPY and through the INSERTs of 256 cells that SQLite takes, for copyCellsMin.
func BenchmarkAddCellsPostgres(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, MigratedPostgres(b))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, n := range []int{100, 1000, 20000} {
		cells := make([]Cell, n)
		for i := range cells {
			cells[i] = Cell{Kind: KindStudents, Year: 2024, District: "370602", Institution: fmt.Sprintf("3706020%03d", i/100),
				Dims: fmt.Sprintf("grade=%d;hukou=local;sex=F;stage=primary", i%100), Count: 30, Batch: 1}
		}
		for _, way := range []string{"copy", "insert"} {
			b.Run(fmt.Sprintf("%s/%d", way, n), func(b *testing.B) {
				for b.Loop() {
					err := db.Write(ctx, "370600", func(tx *Tx) error {
						if _, err := tx.exec(ctx, `DELETE FROM roster_cells`); err != nil {
							return err
						}
						if way == "copy" {
							return tx.copyCells(ctx, cells)
						}
						return tx.insertCells(ctx, cells)
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
