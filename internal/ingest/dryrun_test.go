package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/ingest"
)

// population writes a population file of 370602 in 2020 with n ages.
func population(t *testing.T, name string, n int) string {
	var b strings.Builder
	b.WriteString("year,district,age,count\n")
	for age := range n {
		fmt.Fprintf(&b, "2020,370602,%d,%d\n", age, 100+age)
	}
	return writeFile(t, name, b.String())
}

// TestDryRun: a dry run says what the import would replace, rows before and after,
// and changes nothing.
func TestDryRun(t *testing.T) {
	ctx := context.Background()
	db, pack, path := tinyDB(t)
	before := dumpDB(t, path)
	batches, _ := db.Batches(ctx, pack.FullScope())
	// The tiny set has 7 population rows of 370602 in 2020.
	res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{population(t, "population.csv", 3)}, ingest.Options{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	want := ingest.Change{Kind: ingest.Populations, Year: 2020, Scope: "370602", Before: 7, After: 3}
	if !res.DryRun || len(res.Changes) != 1 || res.Changes[0] != want {
		t.Fatalf("dry run: %+v, want the change %+v", res, want)
	}
	zh, en := res.Changes[0].Describe(pack)
	if !strings.Contains(zh, "芝罘区（370602）2020 年人口：7 行 → 3 行") || en != "7 rows of Zhifu District (370602) 2020 population → 3" {
		t.Errorf("described as %q / %q", zh, en)
	}
	if after := dumpDB(t, path); after != before {
		t.Error("a dry run changed the database")
	}
	if now, _ := db.Batches(ctx, pack.FullScope()); len(now) != len(batches) {
		t.Errorf("a dry run added batches: %d → %d", len(batches), len(now))
	}
	// A roster counts its people: 370602 has 18 pupils in 2020.
	one := writeFile(t, "students.csv", "year,student_id,institution,stage,grade,sex\n2020,s01,K1,preschool,1,M\n")
	res, err = ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{one}, ingest.Options{DryRun: true})
	if want := (ingest.Change{Kind: ingest.Students, Year: 2020, Scope: "370602", Before: 18, After: 1}); err != nil || len(res.Changes) != 1 || res.Changes[0] != want {
		t.Errorf("students dry run: %+v %v, want %+v", res, err, want)
	}
	// A dry run of a bad file is refused as the import would be.
	bad := writeFile(t, "bad.csv", "year,district,age,count\n2020,370602,3,-1\n")
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{bad}, ingest.Options{DryRun: true}); err == nil {
		t.Error("a dry run of a bad file was accepted")
	}
}

// TestShrinkGuard: a file that drops more than 30% of a snapshot's rows is refused
// with the counts, unless allowed; a smaller drop passes.
func TestShrinkGuard(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := tinyDB(t)
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{population(t, "population.csv", 100)}, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	short := population(t, "population-short.csv", 8)
	_, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{short}, ingest.Options{})
	var rej *ingest.RejectedError
	if !errors.As(err, &rej) || rej.Reports[0].Counts[ingest.ClassShrink] != 1 {
		t.Fatalf("a file dropping 92 of 100 rows: %v, want a shrink refusal", err)
	}
	e := rej.Reports[0].Errors[0]
	if !strings.Contains(e.ExpectedEn, "100 rows of Zhifu District (370602) 2020 population → 8") || !strings.Contains(e.ExpectedEn, "--allow-shrink") ||
		!strings.Contains(e.Expected, "100 行 → 8 行") {
		t.Errorf("refusal says %q / %q", e.Expected, e.ExpectedEn)
	}
	// 71 of 100 is a drop of 29%: accepted.
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{population(t, "population-71.csv", 71)}, ingest.Options{}); err != nil {
		t.Fatalf("a 29%% drop: %v", err)
	}
	res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{short}, ingest.Options{AllowShrink: true})
	if err != nil {
		t.Fatalf("an allowed shrink: %v", err)
	}
	if want := (ingest.Change{Kind: ingest.Populations, Year: 2020, Scope: "370602", Before: 71, After: 8, Shrink: true}); len(res.Changes) != 1 || res.Changes[0] != want {
		t.Errorf("changes %+v, want %+v", res.Changes, want)
	}
}
