package indicator_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// TestSuppressionPrepared: an engine, loaded whole or reloaded after an import, comes
// with the public's suppression sets worked out and a newer generation than the one it
// replaced, so that the first public reader after an import pays for neither and a
// response cache keyed by the generation never serves the old engine's answers.
func TestSuppressionPrepared(t *testing.T) {
	ctx := context.Background()
	db, pack := suppressionDB(t)
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	public := plan.Scope{Tenant: pack.Tenant, Org: pack.Tenant, Detail: plan.Public}
	if !e.SuppressionReady(public) {
		t.Errorf("loaded engine: the public's suppression sets are left to its first reader")
	}
	next, err := e.Reload(ctx, db, []store.YearDistrict{{Year: 2024, District: "370611"}})
	if err != nil {
		t.Fatal(err)
	}
	if !next.SuppressionReady(public) {
		t.Errorf("reloaded engine: the public's suppression sets are left to its first reader")
	}
	if next.Generation() <= e.Generation() {
		t.Errorf("generation %d after a reload of generation %d", next.Generation(), e.Generation())
	}
	for _, v := range []*indicator.Engine{e.For(public), e.AsOf(2023)} {
		if v.Generation() != e.Generation() {
			t.Errorf("a view of generation %d has generation %d", e.Generation(), v.Generation())
		}
	}
}

// TestReloadSuppression: after imports that change which counts are small, in one year
// and then in a year of its own, the engine reloaded for the imports suppresses for the
// public exactly what an engine loaded whole does (Reload keeps the small counts of the
// years no import touched and works out the others again).
func TestReloadSuppression(t *testing.T) {
	ctx := context.Background()
	db, pack := suppressionDB(t)
	public := plan.Scope{Tenant: pack.Tenant, Org: pack.Tenant, Detail: plan.Public}
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	teachers := func(year int, school string, n int) string {
		var b strings.Builder
		b.WriteString("year,teacher_id,institution,stage,sex,education\n")
		for i := range n {
			fmt.Fprintf(&b, "%d,%s-new-%d,%s,primary,F,bachelor\n", year, school, i, school)
		}
		return b.String()
	}
	dir := t.TempDir()
	for i, content := range []string{
		// 2024: 370611's only school, P11, no longer small.
		teachers(2024, "P11", 12),
		// 2023: 370612's school P22 now small.
		teachers(2023, "P22", 3),
	} {
		p := filepath.Join(dir, fmt.Sprint("teachers", i, ".csv"))
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{p}, ingest.Options{AllowShrink: true})
		if err != nil {
			t.Fatalf("import %d: %v", i, err)
		}
		next, err := e.Reload(ctx, db, res.Replaced)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := indicator.Load(ctx, db, pack)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := next.Values(public, indicator.Query{Indicator: "compulsory_teacher_bachelor"})
		want, _ := whole.Values(public, indicator.Query{Indicator: "compulsory_teacher_bachelor"})
		before, _ := e.Values(public, indicator.Query{Indicator: "compulsory_teacher_bachelor"})
		if !reflect.DeepEqual(got, want) {
			t.Errorf("import %d: the public's values reloaded differ from those loaded whole:\n%v\n%v", i, got, want)
		}
		if reflect.DeepEqual(before, want) {
			t.Errorf("import %d changed none of the public's values: the test proves nothing", i)
		}
		e = next
	}
}
