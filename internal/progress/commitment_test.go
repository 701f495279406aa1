package progress_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/store"
)

// testCommitments are one commitment of each kind of target, over reported facts.
const testCommitments = `commitments:
  - code: t_value
    name: 值目标
    section: 测试1
    measure: 上报
    unit: "%"
    direction: up
    formula: fact("smart_campus_coverage")
    baseline: {year: 2020, value: 50}
    target: {year: 2025, value: 90}
  - code: t_range_up
    name: 区间目标
    section: 测试2
    measure: 上报
    unit: count
    direction: up
    formula: fact("provincial_quality_vocational_schools")
    baseline: {year: 2020, value: 0}
    target: {year: 2025, min: 5, max: 8}
  - code: t_range_toward
    name: 区间目标(趋近)
    section: 测试3
    measure: 上报
    unit: "%"
    direction: toward
    formula: fact("poor_vision_rate")
    target: {year: 2025, min: 40, max: 50}
  - code: t_non_decreasing
    name: 只增不减
    section: 测试4
    measure: 上报
    unit: 万元
    direction: up
    must: true
    formula: fact("education_spending")
    target: {year: 2025, relation: non_decreasing}
  - code: t_at_least
    name: 不低于公务员
    section: 测试5
    measure: 上报
    unit: 元
    direction: up
    formula: fact("compulsory_teacher_avg_pay")
    target: {year: 2025, relation: at_least, of: civil_servant_avg_pay}
  - code: t_floor
    name: 每年不低于60
    section: 测试6
    measure: 上报
    unit: "%"
    direction: up
    formula: fact("smart_campus_coverage")
    target: {year: 2025, relation: at_least, value: 60}
  - code: t_hold
    name: 保持
    section: 测试7
    measure: 上报
    unit: "%"
    direction: hold
    formula: fact("smart_campus_coverage")
    baseline: {year: 2020, value: 50}
    target: {year: 2025, value: 50}
  - code: t_2030
    name: 2030年目标
    section: 测试8
    measure: 上报
    unit: "%"
    direction: up
    formula: fact("smart_campus_coverage")
    target: {year: 2030, value: 100}
  - code: t_every_floor
    name: 保持在93%以上
    section: 测试9
    measure: 上报
    unit: "%"
    direction: up
    formula: fact("after_school_coverage")
    target: {year: 2025, value: 93, every_year: true}
  - code: t_every_range
    name: 保持大体相当
    section: 测试10
    measure: 上报
    unit: ratio
    direction: toward
    formula: fact("campus_wifi_coverage")
    target: {year: 2025, min: 0.8, max: 1.2, every_year: true}
  - code: t_floor10
    name: 每学年不低于10%
    section: 测试11
    measure: 上报
    unit: "%"
    direction: up
    formula: fact("schools_standard_share")
    target: {year: 2025, relation: at_least, value: 10}
  - code: t_avg_growth
    name: 年均增长10%左右
    section: 测试12
    measure: 上报
    unit: "%"
    direction: up
    formula: >-
      100 * cagr(fact("municipal_education_spending"), fact("municipal_education_spending", at(2020)), years_since(2020))
    target: {year: 2025, about: 10, band: 1}
  - code: t_beyond
    name: 已超过目标
    section: 测试13
    measure: 上报
    unit: "%"
    direction: up
    formula: fact("digital_resource_coverage")
    target: {year: 2025, value: 95}
  - code: t_hold_tol
    name: 保持100%(容差0.5)
    section: 测试14
    measure: 上报
    unit: "%"
    decimals: 1
    direction: hold
    tolerance: 0.5
    tolerance_reason: 测试用
    formula: fact("kg_new_teacher_certified_share")
    baseline: {year: 2020, value: 100}
    target: {year: 2025, value: 100}
`

// testFacts are the facts the commitments read, at the city (reported directly, so
// they win over the districts' sums and means) and two districts.
const testFacts = `year,org,element,dims,value
2020,370600,smart_campus_coverage,,50
2022,370600,smart_campus_coverage,,70
2020,370602,smart_campus_coverage,,40
2021,370602,smart_campus_coverage,,65
2022,370602,smart_campus_coverage,,59
2020,370611,smart_campus_coverage,,50
2022,370611,smart_campus_coverage,,95
2020,370612,smart_campus_coverage,,50
2025,370612,smart_campus_coverage,,91
2026,370602,smart_campus_coverage,,99
2020,370600,provincial_quality_vocational_schools,,0
2022,370600,provincial_quality_vocational_schools,,6
2020,370602,provincial_quality_vocational_schools,,0
2022,370602,provincial_quality_vocational_schools,,2
2020,370611,provincial_quality_vocational_schools,,0
2022,370611,provincial_quality_vocational_schools,,9
2020,370600,poor_vision_rate,,30
2022,370600,poor_vision_rate,,35
2020,370602,poor_vision_rate,,45
2022,370602,poor_vision_rate,,55
2020,370611,poor_vision_rate,,60
2022,370611,poor_vision_rate,,52
2020,370600,education_spending,,100
2021,370600,education_spending,,110
2022,370600,education_spending,,110
2020,370602,education_spending,,50
2021,370602,education_spending,,48
2022,370602,education_spending,,55
2020,370611,education_spending,,10
2020,370600,compulsory_teacher_avg_pay,,90
2020,370600,civil_servant_avg_pay,,100
2021,370600,compulsory_teacher_avg_pay,,100
2021,370600,civil_servant_avg_pay,,100
2022,370600,compulsory_teacher_avg_pay,,105
2022,370600,civil_servant_avg_pay,,104
2021,370602,compulsory_teacher_avg_pay,,90
2021,370602,civil_servant_avg_pay,,95
2022,370602,compulsory_teacher_avg_pay,,100
2022,370602,civil_servant_avg_pay,,96
2020,370602,after_school_coverage,,95
2021,370602,after_school_coverage,,94
2022,370602,after_school_coverage,,92
2020,370611,after_school_coverage,,90
2021,370611,after_school_coverage,,93
2022,370611,after_school_coverage,,96
2020,370602,campus_wifi_coverage,,1.0
2021,370602,campus_wifi_coverage,,1.3
2022,370602,campus_wifi_coverage,,1.1
2020,370611,campus_wifi_coverage,,1.3
2021,370611,campus_wifi_coverage,,1.1
2022,370611,campus_wifi_coverage,,0.9
2020,370602,schools_standard_share,,12
2021,370602,schools_standard_share,,10
2022,370602,schools_standard_share,,9.5
2020,370600,municipal_education_spending,,100
2021,370600,municipal_education_spending,,112
2022,370600,municipal_education_spending,,121
2020,370602,digital_resource_coverage,,96
2022,370602,digital_resource_coverage,,97.6
2020,370611,digital_resource_coverage,,96
2022,370611,digital_resource_coverage,,94
2020,370602,kg_new_teacher_certified_share,,100
2022,370602,kg_new_teacher_certified_share,,99.6
2020,370611,kg_new_teacher_certified_share,,100
2022,370611,kg_new_teacher_certified_share,,98
`

// testElements are two reported rates the test commitments read, which the built-in
// pack measures from record kinds instead (student_health, after_school).
const testElements = `  - code: poor_vision_rate
    name: 儿童青少年视力不良率
    source: fact
    unit: "%"
    additive: false
    weight_ages: [6, 17]
  - code: after_school_coverage
    name: 义务教育课后服务覆盖率
    source: fact
    unit: "%"
    additive: false
    weight_ages: [6, 14]
`

// commitmentEngine is the built-in pack with testCommitments as its commitments.yaml
// and testElements added to its elements, over the tiny data set and testFacts.
func commitmentEngine(t *testing.T) *indicator.Engine {
	t.Helper()
	ctx := context.Background()
	files := fixture.BuiltinFiles(t)
	delete(files, "projects.yaml") // its targets name the built-in commitments
	files[plan.CommitmentsFile] = &fstest.MapFile{Data: []byte(testCommitments)}
	files["elements.yaml"] = &fstest.MapFile{Data: append(slices.Clip(files["elements.yaml"].Data), testElements...)}
	pack, err := plan.Load(files)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	facts := filepath.Join(dir, "facts.csv")
	if err := os.WriteFile(facts, []byte(testFacts), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(dir, "c.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), append(fixture.TinyFiles(), facts), ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestAssessCommitments checks each kind of target by hand. The latest year is 2022
// everywhere but at 370612 (2025): τ = (2022 − 2020) / (2025 − 2020) = 0.4, on track
// within 0.35..0.45.
func TestAssessCommitments(t *testing.T) {
	e := commitmentEngine(t)
	rows, err := progress.AssessCommitments(e, e.Pack().FullScope(), progress.Query{})
	if err != nil {
		t.Fatal(err)
	}
	none := progress.Number{}
	n := func(v float64) progress.Number { return progress.Number{V: v, OK: true} }
	tests := []struct {
		code, org  string
		status     progress.Status
		baseline   progress.Number
		latest     progress.Number
		target     progress.Number
		completion progress.Number
		position   string
		breaches   []int
	}{
		// value: B = 50 (stated), A = 70 → c = 20 / 40 = 0.5 > 0.45: ahead.
		{"t_value", "370600", progress.Ahead, n(50), n(70), n(90), n(0.5), "", nil},
		// value, district: B = its 2020 value 40, A = 59 → c = 19 / 50 = 0.38: on track.
		{"t_value", "370602", progress.OnTrack, n(40), n(59), n(90), n(0.38), "", nil},
		// range 5–8, inside: 6 → achieved, no completion.
		{"t_range_up", "370600", progress.Achieved, n(0), n(6), n(5), none, progress.Within, nil},
		// below: judged toward min, B = 0 → 5: c = 2 / 5 = 0.4: on track.
		{"t_range_up", "370602", progress.OnTrack, n(0), n(2), n(5), n(0.4), progress.Below, nil},
		// above: 9 ≥ min, more than promised for an up commitment: achieved.
		{"t_range_up", "370611", progress.Achieved, n(0), n(9), n(5), n(1.8), progress.Above, nil},
		// toward, below 40–50: T = 40, B = 30 → c = (10 − 5) / 10 = 0.5: ahead.
		{"t_range_toward", "370600", progress.Ahead, n(30), n(35), n(40), n(0.5), progress.Below, nil},
		// toward, was within (45) and is above (55): left the range: regressing.
		{"t_range_toward", "370602", progress.Regressing, n(45), n(55), n(50), none, progress.Above, nil},
		// toward, above: T = 50, B = 60 → c = (10 − 2) / 10 = 0.8: ahead.
		{"t_range_toward", "370611", progress.Ahead, n(60), n(52), n(50), n(0.8), progress.Above, nil},
		// non_decreasing 100, 110, 110: met (equal is not lower).
		{"t_non_decreasing", "370600", progress.Achieved, n(100), n(110), none, none, "", nil},
		// 50, 48, 55: 2021 is lower than 2020.
		{"t_non_decreasing", "370602", progress.Regressing, n(50), n(55), none, none, "", []int{2021}},
		// only the baseline year: nothing to check.
		{"t_non_decreasing", "370611", progress.NoData, n(10), none, none, none, "", nil},
		// at_least: 2021 100 ≥ 100, 2022 105 ≥ 104; 2020 (90 < 100) is the baseline year, not checked.
		{"t_at_least", "370600", progress.Achieved, n(90), n(105), n(104), none, "", nil},
		// 2021 90 < 95; 2022 100 ≥ 96.
		{"t_at_least", "370602", progress.Regressing, none, n(100), n(96), none, "", []int{2021}},
		// at_least 60 every year: 2022 70.
		{"t_floor", "370600", progress.Achieved, n(50), n(70), n(60), none, "", nil},
		// 2021 65, 2022 59 < 60 − 0.5.
		{"t_floor", "370602", progress.Regressing, n(40), n(59), n(60), none, "", []int{2022}},
		// value reached in 2022, before 2025: B = 50 → A = 95 ≥ 90, c = 45 / 40.
		{"t_value", "370611", progress.Achieved, n(50), n(95), n(90), n(45.0 / 40), "", nil},
		// value reached in the target year: A(2025) = 91, c = 41 / 40.
		{"t_value", "370612", progress.Achieved, n(50), n(91), n(90), n(41.0 / 40), "", nil},
		// hold 50: 70 ≥ 50 − 0.5, no completion ratio.
		{"t_hold", "370600", progress.Achieved, n(50), n(70), n(50), none, "", nil},
		// 保持在93%以上 every year: B = 95 already above, 94 in 2021, 92 in 2022 < 93:
		// a breach (was ahead: c = (92 − 95) / (93 − 95) = 1.5).
		{"t_every_floor", "370602", progress.Regressing, n(95), n(92), n(93), none, "", []int{2022}},
		// 90 (the baseline year, not checked), 93, 96: held.
		{"t_every_floor", "370611", progress.Achieved, n(90), n(96), n(93), none, "", nil},
		// 0.8–1.2 every year: 1.3 in 2021 is outside though 2022's 1.1 is within.
		{"t_every_range", "370602", progress.Regressing, n(1.0), n(1.1), n(0.8), none, progress.Within, []int{2021}},
		{"t_every_range", "370611", progress.Achieved, n(1.3), n(0.9), n(0.8), none, progress.Within, nil},
		// 不低于10%: 10 in 2021 holds, 9.5 in 2022 does not (no 0.5 tolerance).
		{"t_floor10", "370602", progress.Regressing, n(12), n(9.5), n(10), none, "", []int{2022}},
		// 年均增长 from 2020: 100 → 121 in two years is (1.21)^(1/2) − 1 = 10% a year
		// (2022's own growth, 121 / 112 − 1 = 8.0%, would be outside 9–11). No growth in
		// the baseline year: no B; within about 10 (±1): achieved.
		{"t_avg_growth", "370600", progress.Achieved, none, n(10), n(9), none, progress.Within, nil},
		// B = 96 already beyond T = 95: A = 97.6 is achieved with no completion ratio
		// (was (97.6 − 96) / (95 − 96) = −160%).
		{"t_beyond", "370602", progress.Achieved, n(96), n(97.6), n(95), none, "", nil},
		// B = 96 beyond T, A = 94 fell below it: regressing.
		{"t_beyond", "370611", progress.Regressing, n(96), n(94), n(95), none, "", nil},
	}
	same := func(a, b progress.Number) bool { return a.OK == b.OK && (!a.OK || math.Abs(a.V-b.V) < 1e-9) }
	for _, tt := range tests {
		i := slices.IndexFunc(rows, func(r progress.CommitmentRow) bool { return r.Indicator == tt.code && r.Org == tt.org })
		if i < 0 {
			t.Errorf("%s %s: no row", tt.code, tt.org)
			continue
		}
		r := rows[i]
		if r.Status != tt.status || !same(r.Baseline, tt.baseline) || !same(r.Latest, tt.latest) || !same(r.Target, tt.target) ||
			!same(r.Completion, tt.completion) || r.Position != tt.position || !slices.Equal(r.Breaches, tt.breaches) {
			t.Errorf("%s %s = %+v\nwant status %s, B %v, A %v, T %v, c %v, position %q, breaches %v", tt.code, tt.org, r,
				tt.status, tt.baseline, tt.latest, tt.target, tt.completion, tt.position, tt.breaches)
		}
	}
	// 提前实现: achieved before the target year — a value target reached or a range
	// entered in 2022 — but not a value reached in 2025, a hold kept or a relation that
	// has held so far.
	early := map[string]bool{"t_value/370611": true, "t_range_up/370600": true, "t_range_up/370611": true}
	for _, r := range rows {
		if want := early[r.Indicator+"/"+r.Org]; r.Early != want {
			t.Errorf("%s %s (%s %d): early %v, want %v", r.Indicator, r.Org, r.Status, r.LatestYear, r.Early, want)
		}
		wantLabel := r.Status.Label()
		if r.Early {
			wantLabel = "提前实现"
		}
		if r.Label() != wantLabel {
			t.Errorf("%s %s: label %s, want %s", r.Indicator, r.Org, r.Label(), wantLabel)
		}
	}
	// A binding relation that failed is at risk.
	for _, r := range rows {
		if want := r.Indicator == "t_non_decreasing" && r.Org == "370602"; r.AtRisk != want {
			t.Errorf("%s %s: at risk %v, want %v", r.Indicator, r.Org, r.AtRisk, want)
		}
	}
	// Headline indicators are not commitments, nor the other way round.
	if _, err := progress.AssessCommitments(e, e.Pack().FullScope(), progress.Query{Indicator: "kg_public_share"}); plan.ErrorCode(err) != plan.ENOTFOUND {
		t.Errorf("AssessCommitments(kg_public_share): err = %v, want not found", err)
	}
	vs, err := e.Values(e.Pack().FullScope(), indicator.Query{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if e.Pack().Commitment(v.Indicator) != nil {
			t.Fatalf("Values without Commitments lists %s", v.Indicator)
		}
	}
	vs, err = e.Values(e.Pack().FullScope(), indicator.Query{Commitments: true, Indicator: "t_range_up", Org: "370600", Year: 2022})
	if err != nil || len(vs) != 1 || vs[0].Value != 6 {
		t.Errorf("Values(t_range_up, 370600, 2022) = %+v, %v; want 6", vs, err)
	}
}
