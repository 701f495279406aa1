package store_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/yantai-edu/eduplan/internal/store"
)

// TestWriteBulk writes a batch whose file (24 MB that do not compress) is several times
// the page cache of a bulk write, so that SQLite writes pages to the WAL before the
// commit. While the write runs, another connection sees nothing of it; a write that
// fails leaves nothing; one that commits leaves all of it.
func TestWriteBulk(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "e.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	reader, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	content := make([]byte, 24<<20)
	r := rand.NewChaCha8([32]byte{1})
	r.Read(content)
	const tenant = "370600"

	write := func(fail error) error {
		return db.WriteBulk(ctx, tenant, func(tx *store.Tx) error {
			b := &store.Batch{Kind: "facts", File: "big.csv", SHA256: "x"}
			if err := tx.NewBatch(ctx, b); err != nil {
				return err
			}
			if err := tx.FinishBatch(ctx, b, content); err != nil {
				return err
			}
			if st, err := os.Stat(path + "-wal"); err != nil || st.Size() < 8<<20 {
				t.Errorf("the WAL holds %d bytes before the commit, want the pages the cache could not hold (%v)", st.Size(), err)
			}
			if empty, err := reader.Empty(ctx); err != nil || !empty {
				t.Errorf("another connection sees the write before its commit: empty = %v, %v", empty, err)
			}
			return fail
		})
	}
	boom := errors.New("boom")
	if err := write(boom); !errors.Is(err, boom) {
		t.Fatalf("write: %v", err)
	}
	if empty, err := reader.Empty(ctx); err != nil || !empty {
		t.Fatalf("a failed bulk write left a batch: empty = %v, %v", empty, err)
	}
	if err := write(nil); err != nil {
		t.Fatal(err)
	}
	got, err := reader.BatchContent(ctx, tenant, 1)
	if err != nil || !bytes.Equal(got, content) {
		t.Fatalf("the committed file: %d bytes, %v", len(got), err)
	}
}
