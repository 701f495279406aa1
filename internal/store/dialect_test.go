package store

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"testing"
	"time"
)

// TestMigrationsInStep: every migration has its counterpart of the same name in the
// other dialect's folder, so that a migration written for SQLite alone (or PostgreSQL
// alone) fails here rather than leaving the other dialect's schema behind.
func TestMigrationsInStep(t *testing.T) {
	names := map[string][]string{}
	for _, d := range []dialect{sqlite{}, postgres{}} {
		files, err := fs.Glob(migrations, "migrations/"+d.name()+"/*.sql")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			names[d.name()] = append(names[d.name()], path.Base(f))
		}
	}
	for _, n := range names["sqlite"] {
		if !slices.Contains(names["postgres"], n) {
			t.Errorf("migrations/sqlite/%s has no migrations/postgres/%s: write the PostgreSQL version", n, n)
		}
	}
	for _, n := range names["postgres"] {
		if !slices.Contains(names["sqlite"], n) {
			t.Errorf("migrations/postgres/%s has no migrations/sqlite/%s", n, n)
		}
	}
	if len(names["sqlite"]) == 0 {
		t.Error("no migrations found")
	}
}

// TestSameSchema: after every migration, both dialects have the same tables with the
// same columns, and the same indexes.
func TestSameSchema(t *testing.T) {
	schemas := map[string][]string{}
	EachDialect(t, func(t *testing.T, name string) {
		ctx := context.Background()
		db, err := Open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		q := `SELECT 'table ' || m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'
			UNION ALL SELECT 'index ' || name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'`
		if db.Dialect() == "postgres" {
			q = `SELECT 'table ' || table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = 'public'
				UNION ALL SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'`
		}
		rows, err := db.db.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			got = append(got, s)
		}
		slices.Sort(got)
		schemas[db.Dialect()] = got
	})
	lite, pg := schemas["sqlite"], schemas["postgres"]
	if pg == nil {
		return // skipped
	}
	for _, s := range lite {
		if !slices.Contains(pg, s) {
			t.Errorf("SQLite has %s, PostgreSQL has not", s)
		}
	}
	for _, s := range pg {
		if !slices.Contains(lite, s) {
			t.Errorf("PostgreSQL has %s, SQLite has not", s)
		}
	}
}

func TestRebind(t *testing.T) {
	tests := []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT a FROM t WHERE b = ? AND c IN (?, ?)`, `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)`},
		{`SELECT '?', "a?b", x FROM t WHERE y = ?`, `SELECT '?', "a?b", x FROM t WHERE y = $1`},
		{"SELECT x -- why?\nFROM t WHERE y = ?", "SELECT x -- why?\nFROM t WHERE y = $1"},
		{`SELECT 'it''s?' WHERE a = ?`, `SELECT 'it''s?' WHERE a = $1`},
	}
	for _, tt := range tests {
		if got := (postgres{}).rebind(tt.in); got != tt.want {
			t.Errorf("rebind(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := (sqlite{}).rebind(tt.in); got != tt.in {
			t.Errorf("SQLite rebound %q to %q", tt.in, got)
		}
	}
}

// TestPurgeSessionsByTime: sessions are purged by when they expire as times. Kept as
// RFC 3339 text, a session expiring at 10:00:05 sorted after 10:00:05.5 ('Z' > '.'),
// and outlived the purge.
func TestPurgeSessionsByTime(t *testing.T) { EachDialect(t, testPurgeSessionsByTime) }

func testPurgeSessionsByTime(t *testing.T, name string) {
	ctx := context.Background()
	db, err := Open(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 1, 1, 10, 0, 5, 0, time.UTC)
	expires := map[string]time.Time{"before": at, "after": at.Add(time.Second), "half": at.Add(600 * time.Millisecond)}
	err = db.Write(ctx, "370600", func(tx *Tx) error {
		for id, exp := range expires {
			if err := tx.AddSession(ctx, &Session{IDHash: id, User: "u", CreatedAt: at, SeenAt: at, ExpiresAt: exp}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PurgeSessions(ctx, "370600", at.Add(500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]bool{"before": false, "half": true, "after": true} {
		s, ok, err := db.Session(ctx, "370600", id)
		if err != nil || ok != want {
			t.Errorf("session %s expiring %s: kept %v (%v), want %v", id, expires[id].Format(time.RFC3339Nano), ok, err, want)
		}
		if ok && !s.ExpiresAt.Equal(expires[id]) {
			t.Errorf("session %s expires %v, want %v", id, s.ExpiresAt, expires[id])
		}
	}
}

// TestLatestPublishedByTime: the edition last published is the one published last in
// time, though its time as text sorts first.
func TestLatestPublishedByTime(t *testing.T) { EachDialect(t, testLatestPublishedByTime) }

func testLatestPublishedByTime(t *testing.T, name string) {
	ctx := context.Background()
	db, err := Open(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Date(2026, 1, 1, 10, 0, 5, 0, time.UTC)
	// Edition 2 is published at 10:00:05, edition 1 at 10:00:05.5: 1 is the latest.
	for _, step := range []struct {
		now     time.Time
		publish int
	}{{at, 0}, {at, 0}, {at, 2}, {at.Add(500 * time.Millisecond), 1}} {
		db.Now = func() time.Time { return step.now }
		err := db.Write(ctx, "370600", func(tx *Tx) error {
			if step.publish > 0 {
				return tx.PublishEdition(ctx, step.publish, "a")
			}
			return tx.AddEdition(ctx, &EditionHeader{Plan: "p", PackVersion: "1", Kind: "final", AsOf: 2025, Title: "t", CreatedBy: "a"}, []byte("{}"))
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	n, err := db.LatestPublished(ctx, "370600", "p", "final", 2025)
	if err != nil || n != 1 {
		t.Errorf("latest published = %d, %v; want edition 1", n, err)
	}
}

// TestAddCellsAdds: cells added twice add their counts, in a few INSERTs and (on
// PostgreSQL) through COPY alike. PostgreSQL refused the plain "count + excluded.count"
// of SQLite's upsert as ambiguous.
func TestAddCellsAdds(t *testing.T) { EachDialect(t, testAddCellsAdds) }

func testAddCellsAdds(t *testing.T, name string) {
	ctx := context.Background()
	db, err := Open(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, n := range []int{3, copyCellsMin + 10} {
		cells := make([]Cell, n)
		for i := range cells {
			cells[i] = Cell{Kind: KindStudents, Year: 2020 + n, District: "370602", Institution: fmt.Sprintf("K%04d", i), Dims: "sex=F", Count: int64(i + 1), Batch: 1}
		}
		for range 2 {
			if err := db.Write(ctx, "370600", func(tx *Tx) error { return tx.AddCells(ctx, cells) }); err != nil {
				t.Fatalf("%d cells: %v", n, err)
			}
		}
		var got, sum int64
		err := db.EachCell(ctx, "370600", func(c *Cell) error {
			if c.Year == 2020+n {
				got += c.Count
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			sum += 2 * int64(i+1)
		}
		if got != sum {
			t.Errorf("%d cells added twice: counts sum to %d, want %d", n, got, sum)
		}
	}
}

// TestImportsAnnounced: on PostgreSQL an import that commits is announced to the
// processes listening (as another server on the database would), one that rolls back
// is not, nor one of another tenant; SQLite has nothing to listen to.
func TestImportsAnnounced(t *testing.T) {
	EachDialect(t, func(t *testing.T, name string) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		db, err := Open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		imports, err := db.Imports(ctx, "370600")
		if err != nil {
			t.Fatal(err)
		}
		if db.Dialect() == "sqlite" {
			if imports != nil {
				t.Error("SQLite announces imports")
			}
			return
		}
		other, err := Open(ctx, name) // another process's connection
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		put := func(tenant string, fail error) {
			err := other.Write(ctx, tenant, func(tx *Tx) error {
				b := &Batch{Kind: KindFacts, File: "f.csv", SHA256: "x"}
				if err := tx.NewBatch(ctx, b); err != nil {
					return err
				}
				if err := tx.FinishBatch(ctx, b, nil); err != nil {
					return err
				}
				return fail
			})
			if err != fail {
				t.Fatal(err)
			}
		}
		put("370600", fmt.Errorf("rolled back"))
		put("370000", nil)
		select {
		case <-imports:
			t.Fatal("announced: an import rolled back, or another tenant's")
		case <-time.After(300 * time.Millisecond):
		}
		put("370600", nil)
		select {
		case <-imports:
		case <-time.After(10 * time.Second):
			t.Fatal("a committed import was not announced")
		}
	})
}
