package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path"
	"path/filepath"
	"slices"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// keptFiles writes n batches, each keeping size bytes that do not compress (as a gzip
// does not), and returns the contents by batch id.
func keptFiles(t testing.TB, db *DB, n, size int) map[int64][]byte {
	t.Helper()
	ctx := context.Background()
	rnd := rand.New(rand.NewChaCha8([32]byte{1}))
	out := map[int64][]byte{}
	err := db.Write(ctx, "370600", func(tx *Tx) error {
		for i := range n {
			b := &Batch{Kind: "students", File: fmt.Sprintf("s%d.csv", i), SHA256: fmt.Sprint(i), Rows: 1, Years: []int{2024}, Districts: []string{"370602"}}
			if err := tx.NewBatch(ctx, b); err != nil {
				return err
			}
			content := make([]byte, size)
			for j := range content {
				content[j] = byte(rnd.Uint32())
			}
			if err := tx.FinishBatch(ctx, b, content); err != nil {
				return err
			}
			out[b.ID] = content
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBatchListingOffKeptFiles: listing batches reads the batches table, and however
// large the kept files, that table stays a few pages (dbstat counts them). When the
// file was a column of batches, its overflow pages were the table's, and every listing
// read them all (issue 10: 420 ms a listing on 44 MB of kept files).
func TestBatchListingOffKeptFiles(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "kept.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	files := keptFiles(t, db, 20, 256<<10) // 5 MB of kept files
	var pages, size int64
	if err := db.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN ('batches', 'batches_sha')`).Scan(&pages, &size); err != nil {
		t.Fatal(err)
	}
	if size > 64<<10 {
		t.Errorf("the batches table and its index take %d pages, %d bytes, for 20 batches: listing them reads the kept files", pages, size)
	}
	// The listing's statement reads no table that holds a file.
	rows, err := db.db.QueryContext(ctx, `EXPLAIN QUERY PLAN `+batchesQuery, "370600")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		if bytes.Contains([]byte(detail), []byte("batch_files")) {
			t.Errorf("listing batches reads batch_files: %s", detail)
		}
	}
	// The files are all still there, each with its batch.
	bs, err := db.Batches(ctx, plan.Scope{Tenant: "370600", Org: "370600", Detail: plan.Records})
	if err != nil || len(bs) != 20 {
		t.Fatalf("batches: %d, %v", len(bs), err)
	}
	for id, want := range files {
		got, err := db.BatchContent(ctx, "370600", id)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("batch %d: %d bytes kept, want %d (%v)", id, len(got), len(want), err)
		}
	}
}

// TestMigrationMovesKeptFiles: a database made by the migrations before batch_files,
// with files kept in batches, opens with every file still readable, and batches keeps
// no file any more.
func TestMigrationMovesKeptFiles(t *testing.T) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "old.db")
	old, err := sql.Open("sqlite", "file:"+p)
	if err != nil {
		t.Fatal(err)
	}
	db := newDB(old, sqlite{})
	if _, err := old.ExecContext(ctx, `CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(migrations, "migrations/sqlite/*.sql")
	slices.Sort(names)
	for _, name := range names {
		if path.Base(name) >= "006" {
			break
		}
		if err := db.migrateFile(ctx, name); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for _, b := range []struct {
		id      int64
		content any
	}{{1, []byte("first file")}, {2, nil}, {3, bytes.Repeat([]byte{7}, 100<<10)}} {
		if _, err := old.ExecContext(ctx, `INSERT INTO batches (tenant, id, kind, file, sha256, rows, years, districts, imported_at, content, warnings)
			VALUES ('370600', ?, 'facts', 'f.csv', 'x', 1, '2024', '', '2024-01-01T00:00:00Z', ?, 2)`, b.id, b.content); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()

	db, err = Open(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, tt := range []struct {
		id   int64
		want []byte
	}{{1, []byte("first file")}, {2, nil}, {3, bytes.Repeat([]byte{7}, 100<<10)}} {
		got, err := db.BatchContent(ctx, "370600", tt.id)
		if err != nil || !bytes.Equal(got, tt.want) {
			t.Errorf("batch %d after the migration: %d bytes, want %d (%v)", tt.id, len(got), len(tt.want), err)
		}
	}
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('batches') WHERE type = 'BLOB'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("batches keeps %d blob columns after the migration (%v)", n, err)
	}
	bs, err := db.Batches(ctx, plan.Scope{Tenant: "370600", Org: "370600", Detail: plan.Records})
	if err != nil || len(bs) != 3 || bs[0].Warnings != 2 {
		t.Errorf("batches after the migration: %+v, %v", bs, err)
	}
}

// BenchmarkBatches lists 40 batches keeping 1 MB each, on a new connection each time
// (its page cache cold), as most calls are when many readers come at once and the pool
// keeps only two idle connections.
func BenchmarkBatches(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	keptFiles(b, db, 40, 1<<20)
	db.sql.SetMaxIdleConns(0)
	scope := plan.Scope{Tenant: "370600", Org: "370600", Detail: plan.Records}
	for b.Loop() {
		if _, err := db.Batches(ctx, scope); err != nil {
			b.Fatal(err)
		}
	}
}

// TestKeepFile: a file kept before its batch is finished (as an import keeps it while
// its rows are still read) is the batch's file once committed, FinishBatch without
// content leaving it as it is; a transaction that fails keeps nothing.
func TestKeepFile(t *testing.T) { EachDialect(t, testKeepFile) }

func testKeepFile(t *testing.T, name string) {
	ctx := context.Background()
	db, err := Open(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	content := bytes.Repeat([]byte("kept\x00\xff"), 100_000)
	var id int64
	err = db.Write(ctx, "370600", func(tx *Tx) error {
		b := &Batch{Kind: "students", File: "s.csv", SHA256: "1", Rows: 1, Years: []int{2024}, Districts: []string{"370602"}}
		if err := tx.NewBatch(ctx, b); err != nil {
			return err
		}
		id = b.ID
		if err := tx.KeepFile(ctx, b.ID, content); err != nil {
			return err
		}
		return tx.FinishBatch(ctx, b, nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.BatchContent(ctx, "370600", id); err != nil || !bytes.Equal(got, content) {
		t.Errorf("batch %d: %d bytes kept, want %d (%v)", id, len(got), len(content), err)
	}
	failed := errors.New("refused")
	err = db.Write(ctx, "370600", func(tx *Tx) error {
		b := &Batch{Kind: "students", File: "t.csv", SHA256: "2", Rows: 1, Years: []int{2024}, Districts: []string{"370602"}}
		if err := tx.NewBatch(ctx, b); err != nil {
			return err
		}
		if err := tx.KeepFile(ctx, b.ID, content); err != nil {
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("err = %v, want %v", err, failed)
	}
	var n int
	if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM batch_files WHERE tenant = '370600'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("%d kept files after a failed transaction, want 1 (%v)", n, err)
	}
}
