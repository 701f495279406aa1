package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

func TestOpenTwiceAndRollback(t *testing.T) { store.EachDialect(t, testOpenTwiceAndRollback) }

func testOpenTwiceAndRollback(t *testing.T, path string) {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if empty, err := db.Empty(ctx); err != nil || !empty {
		t.Fatalf("new database: empty = %v, %v", empty, err)
	}
	// A failed write changes nothing.
	boom := errors.New("boom")
	err = db.Write(ctx, "370600", func(tx *store.Tx) error {
		b := &store.Batch{Kind: "facts", File: "f.csv", SHA256: "x"}
		if err := tx.NewBatch(ctx, b); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("write: %v", err)
	}
	if empty, _ := db.Empty(ctx); !empty {
		t.Error("a rolled-back batch was kept")
	}
	if err := db.SetDemo(ctx, "370600", true); err != nil {
		t.Fatal(err)
	}
	db.Close()

	// Reopening runs no migration twice and keeps what was written.
	db, err = store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if demo, err := db.Demo(ctx, "370600"); err != nil || !demo {
		t.Errorf("demo = %v, %v after reopen", demo, err)
	}
}

func TestSnapshotReplacement(t *testing.T) { store.EachDialect(t, testSnapshotReplacement) }

func testSnapshotReplacement(t *testing.T, path string) {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	put := func(file string, value float64) int64 {
		var id int64
		err := db.Write(ctx, "370600", func(tx *store.Tx) error {
			b := &store.Batch{Kind: store.KindFacts, File: file, SHA256: file}
			if err := tx.NewBatch(ctx, b); err != nil {
				return err
			}
			if _, err := tx.TakeScope(ctx, store.KindFacts, 2020, "370602", "x", b.ID); err != nil {
				return err
			}
			if _, err := tx.InsertFact(ctx, &store.Fact{Year: 2020, Org: "370602", Element: "x", Value: value, Scope: "370602", Batch: b.ID}); err != nil {
				return err
			}
			id = b.ID
			return tx.FinishBatch(ctx, b, nil)
		})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	first := put("a.csv", 1)
	second := put("b.csv", 2)
	var got []float64
	db.EachFact(ctx, "370600", func(f *store.Fact) error { got = append(got, f.Value); return nil })
	if len(got) != 1 || got[0] != 2 {
		t.Errorf("facts = %v, want the second snapshot only", got)
	}
	batches, err := db.Batches(ctx, plan.Scope{Tenant: "370600", Org: "370600", Detail: plan.Records})
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) != 2 || batches[1].ID != first || batches[1].ReplacedBy != second || batches[0].ReplacedBy != 0 {
		t.Errorf("batches = %+v, want the first replaced by the second", batches)
	}
}

// TestView checks that a View reads one committed state: a write that commits while
// the view is open is not in it, and does not wait for it.
func TestView(t *testing.T) { store.EachDialect(t, testView) }

func testView(t *testing.T, path string) {
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	put := func(org string) {
		t.Helper()
		err := db.Write(ctx, "370600", func(tx *store.Tx) error {
			_, err := tx.InsertFact(ctx, &store.Fact{Year: 2020, Org: org, Element: "x", Value: 1, Scope: org, Batch: 1})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	count := func(each func(context.Context, string, func(*store.Fact) error) error) int {
		t.Helper()
		n := 0
		if err := each(ctx, "370600", func(*store.Fact) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	put("370602")
	err = db.View(ctx, func(v *store.View) error {
		if n := count(v.EachFact); n != 1 {
			t.Errorf("view: %d facts, want 1", n)
		}
		put("370612") // commits while the view is open
		if n := count(v.EachFact); n != 1 {
			t.Errorf("view after a commit: %d facts, want still 1", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(db.EachFact); n != 2 {
		t.Errorf("after the view: %d facts, want 2", n)
	}
}
