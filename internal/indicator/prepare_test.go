package indicator_test

import (
	"context"
	"testing"

	"github.com/yantai-edu/eduplan/internal/cube"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
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
	next, err := e.Reload(ctx, db, []cube.Scope{{Year: 2024, District: "370611"}})
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
