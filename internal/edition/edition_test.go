package edition_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"

	_ "modernc.org/sqlite"
)

// correct imports a corrected population file for 370602 in 2020: three children aged
// 3 instead of two. It replaces 370602's snapshot of 2020 only.
func correct(t *testing.T, db *store.DB, pack *plan.Pack) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "population.csv")
	csv := "year,district,age,count\n2020,370602,3,3\n2020,370602,4,2\n2020,370602,5,1\n2020,370602,15,1\n" +
		"2020,370602,16,1\n2020,370602,17,2\n2020,370602,30,100\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.ImportFiles(context.Background(), db, pack, pack.FullScope(), []string{path}, ingest.Options{}); err != nil {
		t.Fatalf("import the correction: %v", err)
	}
}

func engine(t *testing.T, db *store.DB, pack *plan.Pack) *indicator.Engine {
	t.Helper()
	e, err := indicator.Load(context.Background(), db, pack)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestEditionNeverChanges: an edition frozen before a correction is imported keeps its
// hash and its content byte for byte; an edition made after it differs.
func TestEditionNeverChanges(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	h1, err := edition.Create(ctx, db, engine(t, db, pack), edition.Final, 2025, "", "test")
	if err != nil {
		t.Fatal(err)
	}
	before, err := db.Edition(ctx, pack.Tenant, h1.Number)
	if err != nil {
		t.Fatal(err)
	}
	correct(t, db, pack)
	h2, err := edition.Create(ctx, db, engine(t, db, pack), edition.Final, 2025, "更正", "test")
	if err != nil {
		t.Fatal(err)
	}
	after, err := db.Edition(ctx, pack.Tenant, h1.Number)
	if err != nil {
		t.Fatal(err)
	}
	if after.SHA256 != h1.SHA256 || !bytes.Equal(after.Content, before.Content) {
		t.Errorf("edition 1 changed after an import: hash %s → %s", h1.SHA256, after.SHA256)
	}
	if h2.Number != 2 || h2.SHA256 == h1.SHA256 {
		t.Errorf("edition 2: number %d hash %s; want 2 and a hash other than edition 1's", h2.Number, h2.SHA256)
	}
	// The stored bytes are the canonical encoding of what they decode to.
	e1, err := edition.Open(ctx, db, pack, 1)
	if err != nil {
		t.Fatal(err)
	}
	again, err := edition.Canonical(e1.Content)
	if err != nil || !bytes.Equal(again, before.Content) {
		t.Errorf("re-encoding edition 1 gives other bytes (%v)", err)
	}
	// The city in 2020: 6 preschool pupils, 6 children aged 3–5 before the correction.
	if f, ok := e1.Content.Figure("kg_ger", "370600", 2020); !ok || !f.Value.OK || f.Value.V != 100 || !slices.Equal(f.Batches(), []int64{2, 3}) {
		t.Errorf("edition 1 kg_ger 370600 2020 = %+v; want 100 from batches 2 and 3", f)
	}
	// 370612's one kindergarten (MK, 1 pupil) is its only contributor, so 370612's kg_ger
	// is withheld, and 370602's beside it (its two kindergartens are small too, so its
	// total is unknown), so that the city's value gives MK's away no more
	// (complementary suppression, indicator/suppress.go).
	if f, ok := e1.Content.Figure("kg_ger", "370602", 2020); ok && f.Value.OK {
		t.Errorf("edition 1 kg_ger 370602 2020 = %+v; want it withheld", f)
	}
}

// TestEditionFrozenInTheDatabase: the database itself refuses to change an edition's
// content or remove one; publishing sets the date once.
func TestEditionFrozenInTheDatabase(t *testing.T) {
	ctx := context.Background()
	db, pack, path := fixture.Tiny(t)
	h, err := edition.Create(ctx, db, engine(t, db, pack), edition.Midterm, 2023, "中期", "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := edition.Publish(ctx, db, pack, h.Number, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := edition.Publish(ctx, db, pack, h.Number, "test"); plan.ErrorCode(err) != plan.ECONFLICT {
		t.Errorf("publishing twice: %v; want a conflict", err)
	}
	if p, err := edition.Published(ctx, db, pack, edition.Midterm, 2023); err != nil || p == nil || p.Number != h.Number {
		t.Errorf("published midterm 2023: %v %v; want edition %d", p, err, h.Number)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{
		`UPDATE editions SET content = x'00'`,
		`UPDATE editions SET sha256 = 'x'`,
		`UPDATE editions SET published_at = ''`,
		`DELETE FROM editions`,
	} {
		if _, err := raw.ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "edition") {
			t.Errorf("%s: %v; want refused", q, err)
		}
	}
}

// TestDiffAfterCorrection: the tiny data set's 370602 has 5 preschool pupils and, in
// 2020, 5 children aged 3–5 (batch 2, population); 370612 has 1 pupil and 1 child. The
// correction (batch 6) gives 370602 six children. kg_ger = 100 · pupils / children:
//   - 370600 2020: 100 · 6/6 = 100 → 100 · 6/7 = 85.71…, now also read from batch 6
//     (370612's children still come from batch 2);
//   - 370602 2020 (and so its baseline) is in neither edition: 370612's one kindergarten
//     (MK, 1 pupil) is its only contributor, so 370612 is withheld, and 370602 beside
//     it (its two kindergartens are small, so its total is unknown), which keeps the
//     city's value from giving MK's away (complementary suppression,
//     indicator/suppress.go).
//
// Nothing else reads the population aged 3–5, and 2021 has no population: no other
// figure, progress row or verdict moves.
func TestDiffAfterCorrection(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := fixture.Tiny(t)
	if _, err := edition.Create(ctx, db, engine(t, db, pack), edition.Final, 2025, "", "test"); err != nil {
		t.Fatal(err)
	}
	correct(t, db, pack)
	if _, err := edition.Create(ctx, db, engine(t, db, pack), edition.Final, 2025, "", "test"); err != nil {
		t.Fatal(err)
	}
	a, err := edition.Open(ctx, db, pack, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := edition.Open(ctx, db, pack, 2)
	if err != nil {
		t.Fatal(err)
	}
	changes := edition.Diff(a.Content, b.Content)
	var got []string
	for _, c := range changes {
		got = append(got, fmt.Sprintf("%s %s %s %d %s %s→%s %v", c.What, c.Code, c.Org, c.Year, c.Field, c.Old, c.New, c.Batches))
	}
	t.Logf("changes:\n%s", strings.Join(got, "\n"))
	want := []string{
		"value kg_ger 370600 2020 value 100→85.71428571428571 [6]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("diff:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestOpenDecodesOnce: opening an edition again gives the content decoded the first
// time (an edition never changes), yet the stored bytes are still checked against the
// hash on every open: content changed behind the database's back is refused, cached or
// not.
func TestOpenDecodesOnce(t *testing.T) {
	ctx := context.Background()
	db, pack, path := fixture.Tiny(t)
	h, err := edition.Create(ctx, db, engine(t, db, pack), edition.Final, 2025, "", "test")
	if err != nil {
		t.Fatal(err)
	}
	a, err := edition.Open(ctx, db, pack, h.Number)
	if err != nil {
		t.Fatal(err)
	}
	b, err := edition.Open(ctx, db, pack, h.Number)
	if err != nil {
		t.Fatal(err)
	}
	if a.Content != b.Content {
		t.Errorf("edition %d decoded twice", h.Number)
	}
	if b.Number != h.Number || b.SHA256 != h.SHA256 {
		t.Errorf("second open: edition %d %s; want %d %s", b.Number, b.SHA256, h.Number, h.SHA256)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(`{"kind":"final","as_of":2025,"title":"forged"}`))
	zw.Close()
	for _, q := range []string{`DROP TRIGGER editions_frozen`, `UPDATE editions SET content = ?`} {
		var args []any
		if strings.HasPrefix(q, "UPDATE") {
			args = append(args, z.Bytes())
		}
		if _, err := raw.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := edition.Open(ctx, db, pack, h.Number); err == nil || !strings.Contains(err.Error(), "does not match its hash") {
		t.Errorf("open of a forged edition: %v; want its hash refused", err)
	}
}
