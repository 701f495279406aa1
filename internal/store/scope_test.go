package store

import (
	"context"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestBatchesInScope: a district sees the batches that brought rows of it, not those of
// the city's own facts (issue 10); the city sees all; an institution's clerk sees its
// district's; the public is listed none.
func TestBatchesInScope(t *testing.T) { EachDialect(t, testBatchesInScope) }

func testBatchesInScope(t *testing.T, path string) {
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Write(ctx, "370600", func(tx *Tx) error {
		for _, b := range []*Batch{
			{Kind: "students", File: "a.csv", Districts: []string{"370602", "370611"}},
			{Kind: "students", File: "b.csv", Districts: []string{"370613"}},
			{Kind: "facts", File: "city.csv"}, // the city's own facts: no district
			{Kind: "institutions", File: "i.csv", Districts: []string{"370611"}},
		} {
			if err := tx.NewBatch(ctx, b); err != nil {
				return err
			}
			if err := tx.FinishBatch(ctx, b, nil); err != nil {
				return err
			}
		}
		_, err := tx.exec(ctx, `INSERT INTO institutions (tenant, year, code, name, district, type, ownership, location, batch_id)
			VALUES ('370600', 2021, '3706110001', 'x', '370611', 'primary', 'public', 'urban', 4)`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		org  string
		want []string
	}{
		{"370600", []string{"i.csv", "city.csv", "b.csv", "a.csv"}},
		{"370611", []string{"i.csv", "a.csv"}},
		{"370613", []string{"b.csv"}},
		{"370602", []string{"a.csv"}},
		{"3706110001", []string{"i.csv", "a.csv"}},
		{"public", nil},
	} {
		scope := plan.Scope{Tenant: "370600", Org: tt.org, Detail: plan.Records}
		if tt.org == "public" {
			scope = plan.Scope{Tenant: "370600", Org: "370600", Detail: plan.Public}
		}
		bs, err := db.Batches(ctx, scope)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, b := range bs {
			got = append(got, b.File)
		}
		if len(got) != len(tt.want) {
			t.Errorf("%s sees %v, want %v", tt.org, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s sees %v, want %v", tt.org, got, tt.want)
				break
			}
		}
	}
}
