package progress_test

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/progress"
)

func tinyProgress(t *testing.T) []progress.Row {
	t.Helper()
	db, pack, _ := fixture.Tiny(t)
	e, err := indicator.Load(context.Background(), db, pack)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := progress.Assess(e, pack.FullScope(), progress.Query{})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestTinyProgress checks rows assembled from the tiny data set (2020 and 2021):
// τ = (2021 − 2020) / (2025 − 2020) = 0.2.
func TestTinyProgress(t *testing.T) {
	rows := tinyProgress(t)
	find := func(ind, org string) progress.Row {
		for _, r := range rows {
			if r.Indicator == ind && r.Org == org {
				return r
			}
		}
		t.Fatalf("no row %s %s", ind, org)
		return progress.Row{}
	}
	near := func(n progress.Number, want float64) bool { return n.OK && math.Abs(n.V-want) < 1e-9 }

	// City: B is the plan's 41.17, A(2021) = 66.67 → c = (66.67 − 41.17) / (75 − 41.17) = 0.754 > τ + δ.
	r := find("kg_public_share", "370600")
	if !near(r.Baseline, 41.17) || !near(r.Latest, 400.0/6) || r.LatestYear != 2021 || !near(r.TimeElapsed, 0.2) ||
		!near(r.Completion, (400.0/6-41.17)/(75-41.17)) || r.Status != progress.Ahead || r.AtRisk {
		t.Errorf("kg_public_share city = %+v", r)
	}
	if !near(r.RequiredChange, (75-400.0/6)/4) || r.Projection.OK {
		t.Errorf("kg_public_share city: required %v (want %v), projection %v (want none: 2 years)", r.RequiredChange, (75-400.0/6)/4, r.Projection)
	}
	// 370602: B is its own 2020 value 60, T the city's 75, A = 60 → c = 0: lagging.
	r = find("kg_public_share", "370602")
	if !near(r.Baseline, 60) || !near(r.Target, 75) || !near(r.Completion, 0) || r.Status != progress.Lagging {
		t.Errorf("kg_public_share 370602 = %+v", r)
	}
	// 370612: 100 ≥ 75: achieved.
	if r := find("kg_public_share", "370612"); r.Status != progress.Achieved {
		t.Errorf("kg_public_share 370612 = %+v", r)
	}
	// Counts: T = B · 51.03 / 49.18; 370602 B = 0.0008, A = 0 → regressing.
	r = find("compulsory_enrolment", "370602")
	if !near(r.Target, 0.0008*51.03/49.18) || r.Status != progress.Regressing || r.AtRisk {
		t.Errorf("compulsory_enrolment 370602 = %+v", r)
	}
	// Binding hold: retention 2021 is 0 at 370602 (B = 75): below B − 0.5 → regressing, at risk.
	r = find("compulsory_retention", "370602")
	if !near(r.Baseline, 75) || r.Status != progress.Regressing || !r.AtRisk || r.Completion.OK {
		t.Errorf("compulsory_retention 370602 = %+v", r)
	}
	// Schooling years: city reported 10.9 in 2021: c = 0.1 / 0.5 = 0.2 = τ → on track.
	r = find("working_age_schooling_years", "370600")
	if !near(r.Latest, 10.9) || !near(r.Completion, 0.2) || r.Status != progress.OnTrack || r.AtRisk {
		t.Errorf("working_age_schooling_years city = %+v", r)
	}
	// No value after 2020 at 370602: no data, not at risk.
	if r := find("working_age_schooling_years", "370602"); r.Status != progress.NoData || r.AtRisk || r.Latest.OK {
		t.Errorf("working_age_schooling_years 370602 = %+v", r)
	}
	// kg_ger has no population in 2021 anywhere: no data.
	if r := find("kg_ger", "370600"); r.Status != progress.NoData {
		t.Errorf("kg_ger city = %+v", r)
	}
	// Districts without data at all (370611) have rows, with no data.
	if r := find("kg_public_share", "370611"); r.Status != progress.NoData || r.Baseline.OK {
		t.Errorf("kg_public_share 370611 = %+v", r)
	}
}

func TestProgressCSV(t *testing.T) {
	rows := tinyProgress(t)
	var b bytes.Buffer
	if err := progress.WriteCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if lines[0] != "indicator,org,baseline_year,baseline,latest_year,latest,target_year,target,time_elapsed,completion,status,at_risk,required_change,projection" {
		t.Errorf("header = %q", lines[0])
	}
	// 13 indicators × (city + 13 districts)
	if len(lines) != 1+13*14 {
		t.Errorf("%d rows, want %d", len(lines)-1, 13*14)
	}
	want := "kg_ger,370600,2020,100,,,2025,100,,,no_data,false,,"
	if !strings.Contains(b.String(), want+"\n") {
		t.Errorf("missing row %q in\n%s", want, b.String())
	}
}

// TestCompare checks the methods side by side on the tiny data set: the city's
// kg_public_share went from the stated 41.17 (2020) to 400/6 (2021), target 75 (2025).
func TestCompare(t *testing.T) {
	db, pack, _ := fixture.Tiny(t)
	e, err := indicator.Load(context.Background(), db, pack)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := progress.Compare(e, pack.FullScope(), progress.Query{Indicator: "kg_public_share", Org: "370600"})
	if err != nil || len(cs) != 1 {
		t.Fatalf("compare: %v, %d rows", err, len(cs))
	}
	c := cs[0]
	actual := 400.0/6/41.17 - 1               // CAGR over one year
	required := math.Pow(75/41.17, 1.0/5) - 1 // CAGR over five years
	if r := actual / required; !c.OpenSDG.R.OK || math.Abs(c.OpenSDG.R.V-r) > 1e-12 || c.OpenSDG.Status != progress.OpenSDGOnTrack {
		t.Errorf("Open SDG = %+v, want R %v on track", c.OpenSDG, r)
	}
	if !c.UNSD.CR.OK || math.Abs(c.UNSD.CR.V-actual/required) > 1e-12 || c.UNSD.Status != progress.UNSDOnTrack {
		t.Errorf("UNSD = %+v", c.UNSD)
	}
	// Two computed values (2020, 2021): too few for ESCAP's anticipated progress.
	if c.ESCAP.AP.OK || !c.ESCAP.CS.OK || math.Abs(c.ESCAP.CS.V-(400.0/6-41.17)/(75-41.17)) > 1e-12 {
		t.Errorf("ESCAP = %+v", c.ESCAP)
	}
	if c.Row.Status != progress.Ahead {
		t.Errorf("default = %s, want ahead", c.Row.Status)
	}
}

// TestScorecards ranks the tiny data set's districts (2021 against 2020). 370612 (牟平):
// kg_public_share achieved (100 ≥ 75); senior and higher enrolment 0 → 0 with a target of
// 0 (B = T: decided as hold) achieved; retention 100 → 0 regressing (binding: at risk);
// compulsory_enrolment 0.0004 → 0 regressing; 8 no data: score 3/5. 370602 (芝罘):
// kg_public_share lagging (60 → 60), the three enrolments and retention regressing:
// score 0/5. The 11 districts without data rank after both.
func TestScorecards(t *testing.T) {
	db, pack, _ := fixture.Tiny(t)
	e, err := indicator.Load(context.Background(), db, pack)
	if err != nil {
		t.Fatal(err)
	}
	cards, err := progress.Scorecards(e, pack.FullScope())
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) != 13 {
		t.Fatalf("%d scorecards, want 13", len(cards))
	}
	by := map[string]progress.Scorecard{}
	for _, c := range cards {
		by[c.Org] = c
	}
	mu, zhi := by["370612"], by["370602"]
	if mu.Counts[progress.Achieved] != 3 || mu.Counts[progress.Regressing] != 2 || mu.AtRisk != 1 || !mu.Score.OK || mu.Score.V != 0.6 {
		t.Errorf("370612 = %+v", mu)
	}
	if zhi.Counts[progress.Lagging] != 1 || zhi.Counts[progress.Regressing] != 4 || zhi.AtRisk != 1 || !zhi.Score.OK || zhi.Score.V != 0 {
		t.Errorf("370602 = %+v", zhi)
	}
	if mu.Rank != 1 || zhi.Rank != 2 {
		t.Errorf("ranks: 370612 %d, 370602 %d; want 1, 2", mu.Rank, zhi.Rank)
	}
	if by["370611"].Score.OK || by["370611"].Counts[progress.NoData] != 13 {
		t.Errorf("370611 (no data) = %+v", by["370611"])
	}
	// The eleven districts with nothing assessed are equal: they share rank 3 (并列),
	// as standard competition ranking has it (was 3, 4, …, 13 in pack order).
	for _, c := range cards {
		if c.Org != "370612" && c.Org != "370602" && c.Rank != 3 {
			t.Errorf("%s (nothing assessed): rank %d, want 3", c.Org, c.Rank)
		}
	}
}

// TestTinyEarly: 提前实现 on the headline indicators of the tiny data set (latest year
// 2021). At 370612, kg_public_share is 100 in 2021 (1 child, in the public MK) from
// B = 100 (its 2020 value) against the city's T = 75: achieved, but it was beyond T
// before the plan began, so it has no completion ratio and is not early (it was, until
// a ratio of (A − B) / (T − B) = −0 made it so). Its senior enrolment, 0 → 0 against a
// target of 0, is achieved as hold (B = T: no completion ratio): not early. No row is
// achieved early.
func TestTinyEarly(t *testing.T) {
	rows := tinyProgress(t)
	for _, r := range rows {
		want := false
		if r.Early != want {
			t.Errorf("%s %s (%s, c %v): early %v, want %v", r.Indicator, r.Org, r.Status, r.Completion, r.Early, want)
		}
		if r.Early && (r.Label() != "提前实现" || r.LabelEn() != "Achieved early") {
			t.Errorf("%s %s: labels %q, %q", r.Indicator, r.Org, r.Label(), r.LabelEn())
		}
		if !r.Early && r.Label() != r.Status.Label() {
			t.Errorf("%s %s: label %q, want %q", r.Indicator, r.Org, r.Label(), r.Status.Label())
		}
	}
}
