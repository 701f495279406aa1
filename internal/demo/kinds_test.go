package demo_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/demo"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// TestKindsMeasureCommitments imports a small demo data set, record kinds included,
// and checks that every commitment read from a record kind has a value for the city and
// each district in the last year, a share within 0–100, and that the files of the
// kinds import without a warning.
func TestKindsMeasureCommitments(t *testing.T) {
	ctx := context.Background()
	pack := builtin(t)
	const scale = 0.01
	dir := t.TempDir()
	sum, err := demo.Generate(ctx, pack, filepath.Join(dir, "files"), demo.Options{Scale: scale, Seed: 3, FirstYear: 2020, LastYear: 2021})
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(dir, "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), sum.Files, ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Reports {
		if pack.RecordKind(string(r.Kind)) != nil && r.WarningCount > 0 {
			t.Errorf("%s: %d warnings, first %+v", r.File, r.WarningCount, r.Warnings[0])
		}
	}
	scaled := pack.ScaleCounts(scale)
	e, err := indicator.Load(ctx, db, scaled)
	if err != nil {
		t.Fatal(err)
	}
	measured := 0
	for _, c := range scaled.Commitments {
		if !readsRecords(c.Formula) {
			continue
		}
		measured++
		orgs := []string{pack.Tenant}
		if c.AtLevel(plan.LevelDistrict) {
			for _, d := range pack.Districts() {
				orgs = append(orgs, d.Code)
			}
		}
		for _, org := range orgs {
			v, ok := e.Get(c.Code, org, 2021)
			switch {
			case !ok || !v.OK:
				t.Errorf("%s at %s in 2021: no value (%s)", c.Code, org, v.ReasonEn)
			case c.Unit == "%" && c.Code != "poor_vision_decline" && (v.Value < 0 || v.Value > 100):
				t.Errorf("%s at %s in 2021 = %v, not a share", c.Code, org, v.Value)
			}
		}
	}
	if measured != 23 {
		t.Errorf("%d commitments read record kinds, want the 23 the pack wires to them", measured)
	}
}

// readsRecords reports whether a formula reads an element of a record kind (those of
// the Yantai pack start sh_, td_, as_, tp_, ps_, fa_).
func readsRecords(formula string) bool {
	for _, p := range []string{`fact("sh_`, `fact("td_`, `fact("as_`, `fact("tp_`, `fact("ps_`, `fact("fa_`} {
		if strings.Contains(formula, p) {
			return true
		}
	}
	return false
}
