package progress

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// near reports whether n is defined and within eps of want; eps is half a unit in the
// last digit the spec prints.
func near(n Number, want, eps float64) bool { return n.OK && math.Abs(n.V-want) < eps }

func pt(year int, v float64) plan.Point { return plan.Point{Year: year, Value: v} }

func hasWarning(ws []Warning, en string) bool {
	return slices.ContainsFunc(ws, func(w Warning) bool { return w.En == en })
}

// Vectors 1 and 2 of spec/progress.md: Open SDG with a target.
func TestOpenSDGVectors(t *testing.T) {
	tests := []struct {
		name             string
		g                Goal
		cur              plan.Point
		actual, required float64 // NaN: not printed by the spec
		r, score         float64
		status           OpenSDGStatus
	}{
		// CAGR_o = 95.4/95.2 − 1; CAGR_r = (96/95.2)^(1/5) − 1; R = CAGR_o / CAGR_r;
		// score = 7.1429·R − 4.2857.
		{"1 higher better", Goal{Direction: plan.Up, Baseline: pt(2020, 95.2), Target: pt(2025, 96.0)}, pt(2021, 95.4),
			0.0021008403, 0.0016750513, 1.2541946, 4.6728870, OpenSDGOnTrack},
		// d = −1: R = −((52.7/53.6)^(1/2) − 1) / |(51.1/53.6)^(1/5) − 1|.
		{"2 lower better", Goal{Direction: plan.Down, Baseline: pt(2018, 53.6), Target: pt(2023, 51.1)}, pt(2020, 52.7),
			math.NaN(), math.NaN(), 0.8867868, 2.0485297, OpenSDGAccelerationNeeded},
	}
	for _, tt := range tests {
		o := OpenSDGWithTarget(tt.g, tt.cur)
		if !math.IsNaN(tt.actual) && (!near(o.CAGRActual, tt.actual, 5e-11) || !near(o.CAGRRequired, tt.required, 5e-11)) {
			t.Errorf("%s: CAGR_o %v, CAGR_r %v; want %v, %v", tt.name, o.CAGRActual, o.CAGRRequired, tt.actual, tt.required)
		}
		if !near(o.R, tt.r, 5e-8) || !near(o.Score, tt.score, 5e-8) || o.Status != tt.status || len(o.Warnings) != 0 {
			t.Errorf("%s: %+v; want R %v, score %v, %s", tt.name, o, tt.r, tt.score, tt.status)
		}
	}
}

// Vector 3: the UNSD chart on the inputs of vectors 1 and 2.
func TestUNSDVectors(t *testing.T) {
	tests := []struct {
		name   string
		g      Goal
		cur    plan.Point
		cr     float64
		status UNSDStatus
	}{
		{"1", Goal{Direction: plan.Up, Baseline: pt(2020, 95.2), Target: pt(2025, 96.0)}, pt(2021, 95.4), 1.2542, UNSDOnTrack},
		// Both CAGRs negative: the target carries the direction.
		{"2", Goal{Direction: plan.Down, Baseline: pt(2018, 53.6), Target: pt(2023, 51.1)}, pt(2020, 52.7), 0.8868, UNSDFair},
	}
	for _, tt := range tests {
		u := UNSDChart(tt.g, tt.cur)
		if !near(u.CR, tt.cr, 5e-5) || u.Status != tt.status {
			t.Errorf("vector %s: %+v; want CR %v, %s", tt.name, u, tt.cr, tt.status)
		}
	}
}

// Vector 4: ESCAP. Weights for t = 2015, 2018, 2021 and T = 2030 are 15/15, 15/12, 15/9;
// the weighted least-squares line read at 2030 gives x̂ exactly as the spec prints it,
// with the base year's value counted as a data point.
func TestESCAPVector(t *testing.T) {
	g := Goal{Direction: plan.Up, Baseline: pt(2015, 80), Target: pt(2030, 95)}
	tests := []struct {
		ys       [3]float64
		cs       float64 // (y_2021 − 80) / 15
		xhat, ap float64 // ap = (x̂ − 80) / 15
		status   ESCAPStatus
	}{
		{[3]float64{80, 84, 87}, 7.0 / 15, 97.5, 1.1667, ESCAPMaintain},
		{[3]float64{80, 82, 83}, 3.0 / 15, 87.5, 0.5, ESCAPAccelerate},
		{[3]float64{80, 79, 77.5}, -2.5 / 15, 73.75, -0.4167, ESCAPReverse},
	}
	for _, tt := range tests {
		e := ESCAPProgress(g, []plan.Point{pt(2015, tt.ys[0]), pt(2018, tt.ys[1]), pt(2021, tt.ys[2])})
		if !near(e.Projection, tt.xhat, 1e-9) || !near(e.AP, tt.ap, 5e-5) || e.Status != tt.status {
			t.Errorf("%v: %+v; want x̂ %v, AP %v, %s", tt.ys, e, tt.xhat, tt.ap, tt.status)
		}
		// the line: (2021 − 2015) / (2030 − 2015) = 0.4
		if !near(e.CS, tt.cs, 1e-12) || !near(e.Line, 0.4, 1e-12) {
			t.Errorf("%v: CS %v, line %v; want %v, 0.4", tt.ys, e.CS, e.Line, tt.cs)
		}
	}
}

// Vector 5: the default method. A reduction of 13.5 over 2021–2025 (base 2020), 7.3
// achieved by 2023: τ = 3/5 = 0.6, c = 7.3/13.5 = 0.5407 < τ − δ = 0.55: lagging, 0.8
// points behind the time-proportional 0.6 · 13.5 = 8.1. Read both as the reduction
// achieved (up, 0 → 13.5) and as the level reduced (down, 100 → 86.5).
func TestDefaultVector(t *testing.T) {
	tau := float64(2023-2020) / float64(2025-2020)
	if math.Abs(tau-0.6) > 1e-12 {
		t.Fatalf("τ = %v, want 0.6", tau)
	}
	for _, v := range []struct {
		dir     plan.Direction
		B, T, A float64
	}{{plan.Up, 0, 13.5, 7.3}, {plan.Down, 100, 86.5, 92.7}} {
		c := num((v.A - v.B) / (v.T - v.B))
		if !near(c, 0.5407, 5e-5) {
			t.Errorf("%s: c = %v, want 0.5407", v.dir, c)
		}
		if s := status(v.dir, v.B, v.T, v.A, 0, tau, 0.05, c); s != Lagging || s.Label() != "滞后" {
			t.Errorf("%s: status %s, want lagging", v.dir, s)
		}
		expected := tau * (v.T - v.B) // the time-proportional change
		if behind := math.Abs(expected) - math.Abs(v.A-v.B); math.Abs(math.Abs(expected)-8.1) > 1e-9 || math.Abs(behind-0.8) > 1e-9 {
			t.Errorf("%s: time-proportional %v, behind %v; want 8.1, 0.8", v.dir, expected, behind)
		}
	}
}

// Vector 6: 两个只增不减. Spending 100 → 103 亿元, students 50 → 53 万: the total rises,
// per student 1e10/5e5 = 20,000 元 falls to 1.03e10/5.3e5 = 19,433.96 元.
func TestTwoNonDecreasingVector(t *testing.T) {
	c := CheckTwoNonDecreasing(Spending{Total: 100e8, Students: 50e4}, Spending{Total: 103e8, Students: 53e4})
	if !c.Total || c.PerStudent || c.Met() {
		t.Errorf("%+v: want total met, per student violated", c)
	}
	if !near(c.PerStudentPrev, 20000, 1e-9) || !near(c.PerStudentCur, 19433.96, 0.005) {
		t.Errorf("per student %v → %v, want 20000 → 19433.96", c.PerStudentPrev, c.PerStudentCur)
	}
	// In the vector's own units: 亿元 / 万人 = 10⁴ 元 per student.
	if p := PerStudent(100, 50); !near(p, 2, 1e-12) {
		t.Errorf("PerStudent(100, 50) = %v, want 2 (×10⁴ 元)", p)
	}
	if p := PerStudent(1, 0); p.OK {
		t.Errorf("PerStudent with no students = %v, want undefined", p)
	}
	for _, tt := range []struct {
		prev, cur float64
		want      bool
	}{{100, 103, true}, {100, 100, true}, {20000, 19433.96, false}, {math.NaN(), 1, false}} {
		if got := NonDecreasing(tt.prev, tt.cur); got != tt.want {
			t.Errorf("NonDecreasing(%v, %v) = %v, want %v", tt.prev, tt.cur, got, tt.want)
		}
	}
	if c := CheckTwoNonDecreasing(Spending{Total: 1, Students: 0}, Spending{Total: 2, Students: 1}); c.PerStudent || !c.Total {
		t.Errorf("no students in the previous year: %+v, want the per-student test not met", c)
	}
}

func TestCAGR(t *testing.T) {
	tests := []struct {
		name   string
		v1, v0 float64
		t1, t0 int
		want   float64 // NaN: undefined
	}{
		{"doubling in one year", 2, 1, 2021, 2020, 1},
		{"quadrupling in two years", 4, 1, 2022, 2020, 1},
		{"to zero", 0, 5, 2022, 2020, -1},
		{"both negative", -8, -10, 2022, 2020, math.Sqrt(0.8) - 1},
		{"same year", 2, 1, 2020, 2020, math.NaN()},
		{"zero base", 2, 0, 2021, 2020, math.NaN()},
		{"signs differ", -1, 1, 2021, 2020, math.NaN()},
	}
	for _, tt := range tests {
		got := CAGR(tt.v1, tt.v0, tt.t1, tt.t0)
		if math.IsNaN(tt.want) != !got.OK || got.OK && math.Abs(got.V-tt.want) > 1e-12 {
			t.Errorf("%s: CAGR = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestOpenSDGEdges works the spec's common rules through Open SDG with a target.
func TestOpenSDGEdges(t *testing.T) {
	up := func(b, tv float64) Goal { return Goal{Direction: plan.Up, Baseline: pt(2020, b), Target: pt(2025, tv)} }
	tests := []struct {
		name    string
		g       Goal
		cur     plan.Point
		r       float64 // NaN: undefined
		status  OpenSDGStatus
		warning string // one of the warnings, "" for none
	}{
		// 0 → 0.001: R = (√(2/0.001) − 1) / ((5/0.001)^(1/5) − 1) = 43.72136 / 4.49280 = 9.7314.
		{"zero base", up(0, 5), pt(2022, 2), (math.Sqrt(2000) - 1) / (math.Pow(5000, 0.2) - 1), OpenSDGOnTrack, "base value is 0: computed with 0.001"},
		// lower better, target 0 → 0.001: R = −(√(2/4) − 1) / |(0.001/4)^(1/5) − 1| = 0.29289 / 0.80965 = 0.3618.
		{"zero target", Goal{Direction: plan.Down, Baseline: pt(2020, 4), Target: pt(2025, 0)}, pt(2022, 2),
			-(math.Sqrt(0.5) - 1) / math.Abs(math.Pow(0.00025, 0.2)-1), OpenSDGLimited, "target is 0: computed with 0.001"},
		// sign = −1: −10 → −5 is the way up; R = −1 · (√0.8 − 1) / |0.5^(1/5) − 1| = 0.10557 / 0.12945 = 0.8156.
		{"negative base, same signs", up(-10, -5), pt(2022, -8), -(math.Sqrt(0.8) - 1) / math.Abs(math.Pow(0.5, 0.2)-1), OpenSDGAccelerationNeeded, ""},
		{"negative base, positive current", up(-10, 5), pt(2022, 1), math.NaN(), OpenSDGNotComputable, "base and current value differ in sign: no growth rate"},
		{"negative base, positive target", up(-10, 5), pt(2022, -8), math.NaN(), OpenSDGNotComputable, "base and target differ in sign: no growth rate"},
		{"current year not after base", up(90, 95), pt(2020, 92), math.NaN(), OpenSDGNotComputable, "needs a current value and a target year after the base year"},
		// already met: 96.5 ≥ 96 overrides; R = (96.5/95.2 − 1) / ((96/95.2)^(1/5) − 1) = 8.15 still reported.
		{"target already met", up(95.2, 96), pt(2021, 96.5), (96.5/95.2 - 1) / (math.Pow(96/95.2, 0.2) - 1), OpenSDGAchieved, ""},
		{"met overrides deterioration", Goal{Direction: plan.Down, Baseline: pt(2020, 10), Target: pt(2025, 12)}, pt(2021, 11),
			-(1.1 - 1) / (math.Pow(1.2, 0.2) - 1), OpenSDGAchieved, ""},
		{"hold met within tol", Goal{Direction: plan.Hold, Baseline: pt(2020, 100), Target: pt(2025, 100), Tolerance: 0.5}, pt(2022, 99.6),
			math.NaN(), OpenSDGAchieved, warnHold.En},
		{"hold not met", Goal{Direction: plan.Hold, Baseline: pt(2020, 100), Target: pt(2025, 100), Tolerance: 0.5}, pt(2022, 99),
			math.NaN(), OpenSDGNotMet, warnHold.En},
		{"up with target = base is hold", up(100, 100), pt(2022, 101), math.NaN(), OpenSDGAchieved, warnHold.En},
		// parity 1.07 → 1: y' = 1.07, 1.04; R = −((1.04/1.07)^(1/3) − 1) / |(1/1.07)^(1/5) − 1| = 0.0094354 / 0.0134378 = 0.7022.
		{"toward above", Goal{Direction: plan.Toward, Baseline: pt(2020, 1.07), Target: pt(2025, 1), Tolerance: 0.02}, pt(2023, 1.04),
			-(math.Cbrt(1.04/1.07) - 1) / math.Abs(math.Pow(1/1.07, 0.2)-1), OpenSDGAccelerationNeeded, ""},
		// overshoot: 0.95 → y' = 1/0.95 = 1.0526, farther from parity than 1.04.
		{"toward overshoot", Goal{Direction: plan.Toward, Baseline: pt(2020, 1.07), Target: pt(2025, 1), Tolerance: 0.02}, pt(2023, 0.95),
			-(math.Cbrt(1/0.95/1.07) - 1) / math.Abs(math.Pow(1/1.07, 0.2)-1), OpenSDGLimited, ""},
		{"toward met within tol", Goal{Direction: plan.Toward, Baseline: pt(2020, 1.07), Target: pt(2025, 1), Tolerance: 0.02}, pt(2023, 0.985),
			-(math.Cbrt(1/0.985/1.07) - 1) / math.Abs(math.Pow(1/1.07, 0.2)-1), OpenSDGAchieved, ""},
		{"toward needs positive values", Goal{Direction: plan.Toward, Baseline: pt(2020, 1.07), Target: pt(2025, 1), Tolerance: 0.02}, pt(2023, 0),
			math.NaN(), OpenSDGNotComputable, warnTowardPositive.En},
		{"unknown direction", Goal{Baseline: pt(2020, 1), Target: pt(2025, 2)}, pt(2023, 1.5), math.NaN(), OpenSDGNotComputable, warnDirection.En},
	}
	for _, tt := range tests {
		o := OpenSDGWithTarget(tt.g, tt.cur)
		if math.IsNaN(tt.r) != !o.R.OK || o.R.OK && math.Abs(o.R.V-tt.r) > 1e-9 || o.Status != tt.status {
			t.Errorf("%s: R %v, %s; want %v, %s", tt.name, o.R, o.Status, tt.r, tt.status)
		}
		if tt.warning != "" && !hasWarning(o.Warnings, tt.warning) || tt.warning == "" && len(o.Warnings) != 0 {
			t.Errorf("%s: warnings %v, want %q", tt.name, o.Warnings, tt.warning)
		}
		if o.Status == OpenSDGAchieved && !near(o.Score, 5, 1e-12) {
			t.Errorf("%s: achieved with score %v, want 5", tt.name, o.Score)
		}
	}
}

func TestOpenSDGWithoutTarget(t *testing.T) {
	tests := []struct {
		name       string
		base, cur  plan.Point
		dir        plan.Direction
		limit      Number
		p, c       float64 // P; C
		score      float64 // NaN: undefined
		status     OpenSDGStatus
		wantWarned bool
	}{
		// P = 1.1^(1/5) − 1 = 0.019245 ≥ 0.015: score min(500·P − 5, 5) = 4.6229.
		{"up, no limit", pt(2015, 50), pt(2020, 55), plan.Up, Number{}, math.Pow(1.1, 0.2) - 1, 1,
			500*(math.Pow(1.1, 0.2)-1) - 5, OpenSDGOnTrack, false},
		// same growth read lower-is-better
		{"down, no limit", pt(2015, 50), pt(2020, 55), plan.Down, Number{}, -(math.Pow(1.1, 0.2) - 1), 1,
			math.Max(-125*(math.Pow(1.1, 0.2)-1)-2.5, -5), OpenSDGDeterioration, false},
		// 90 → 92 in 5 years: P = 0.0043957 is limited (< 0.005) without a limit, but near
		// 100, C = 1 − 0.9^4.44 = 0.37363: thresholds 0.005604 and 0.001868, so P ≥ med;
		// score 250·P/C − 1.25.
		{"up, near the limit 100", pt(2015, 90), pt(2020, 92), plan.Up, num(100), math.Pow(92.0/90, 0.2) - 1, 1 - math.Pow(0.9, 4.44),
			250*(math.Pow(92.0/90, 0.2)-1)/(1-math.Pow(0.9, 4.44)) - 1.25, OpenSDGAccelerationNeeded, false},
		{"up, same, no limit", pt(2015, 90), pt(2020, 92), plan.Up, Number{}, math.Pow(92.0/90, 0.2) - 1, 1,
			500*(math.Pow(92.0/90, 0.2)-1) - 2.5, OpenSDGLimited, false},
		// at the limit C = 0: any P ≥ 0 is on track with score 5
		{"at the limit", pt(2015, 100), pt(2020, 100), plan.Up, num(100), 0, 0, 5, OpenSDGOnTrack, false},
		// 150 is between the limit and twice it: C = 1 − ((200 − 150)/100)^4.44
		// P = 0 < 0.005·C: limited, score 500·0/C − 2.5.
		{"beyond the limit", pt(2015, 150), pt(2020, 150), plan.Down, num(100), 0, 1 - math.Pow(0.5, 4.44), -2.5, OpenSDGLimited, false},
		{"zero base", pt(2015, 0), pt(2020, 1), plan.Up, Number{}, math.Pow(1000, 0.2) - 1, 1, 5, OpenSDGOnTrack, true},
		{"hold has no growth direction", pt(2015, 50), pt(2020, 55), plan.Hold, Number{}, math.NaN(), math.NaN(), math.NaN(), OpenSDGNotComputable, true},
	}
	for _, tt := range tests {
		o := OpenSDGWithoutTarget(tt.base, tt.cur, tt.dir, tt.limit)
		if o.Status != tt.status || (len(o.Warnings) > 0) != tt.wantWarned {
			t.Errorf("%s: %+v; want %s", tt.name, o, tt.status)
		}
		if math.IsNaN(tt.p) {
			if o.R.OK || o.Score.OK {
				t.Errorf("%s: P %v, score %v; want undefined", tt.name, o.R, o.Score)
			}
			continue
		}
		if !near(o.R, tt.p, 1e-12) || !near(o.Coefficient, tt.c, 1e-12) || !near(o.Score, tt.score, 1e-9) || o.CAGRRequired.OK {
			t.Errorf("%s: P %v, C %v, score %v; want %v, %v, %v", tt.name, o.R, o.Coefficient, o.Score, tt.p, tt.c, tt.score)
		}
	}
}

// TestUNSDEdges: the common rule needs base, current and target above 0.
func TestUNSDEdges(t *testing.T) {
	tests := []struct {
		name    string
		g       Goal
		cur     plan.Point
		cr      float64 // NaN: undefined
		status  UNSDStatus
		warning string
	}{
		// 0 → 0.001: CR = ((2/0.001)^(1/2) − 1) / ((5/0.001)^(1/5) − 1)
		{"zero base", Goal{Direction: plan.Up, Baseline: pt(2020, 0), Target: pt(2025, 5)}, pt(2022, 2),
			(math.Sqrt(2000) - 1) / (math.Pow(5000, 0.2) - 1), UNSDOnTrack, "base value is 0: computed with 0.001"},
		{"negative base", Goal{Direction: plan.Up, Baseline: pt(2020, -10), Target: pt(2025, -5)}, pt(2022, -8),
			math.NaN(), UNSDNotComputable, "growth-rate methods need a positive base, current value and target"},
		{"negative current", Goal{Direction: plan.Up, Baseline: pt(2020, 10), Target: pt(2025, 15)}, pt(2022, -8),
			math.NaN(), UNSDNotComputable, "growth-rate methods need a positive base, current value and target"},
		// 10 → 9.9 against 10 → 15: CR = ((0.99)^(1/2) − 1) / (1.5^(1/5) − 1) = −0.00501 / 0.08447 = −0.0594
		{"stagnating", Goal{Direction: plan.Up, Baseline: pt(2020, 10), Target: pt(2025, 15)}, pt(2022, 9.9),
			(math.Sqrt(0.99) - 1) / (math.Pow(1.5, 0.2) - 1), UNSDLimited, ""},
		// 10 → 9: CR = (√0.9 − 1) / (1.5^(1/5) − 1) = −0.05132 / 0.08447 = −0.6075
		{"deterioration", Goal{Direction: plan.Up, Baseline: pt(2020, 10), Target: pt(2025, 15)}, pt(2022, 9),
			(math.Sqrt(0.9) - 1) / (math.Pow(1.5, 0.2) - 1), UNSDDeterioration, ""},
		{"already met", Goal{Direction: plan.Up, Baseline: pt(2020, 10), Target: pt(2025, 15)}, pt(2022, 15),
			(math.Sqrt(1.5) - 1) / (math.Pow(1.5, 0.2) - 1), UNSDAchieved, ""},
		{"hold not met", Goal{Direction: plan.Hold, Baseline: pt(2020, 100), Target: pt(2025, 100), Tolerance: 0.5}, pt(2022, 99),
			math.NaN(), UNSDNotMet, warnHold.En},
		{"toward", Goal{Direction: plan.Toward, Baseline: pt(2020, 1.07), Target: pt(2025, 1), Tolerance: 0.02}, pt(2023, 1.04),
			(math.Cbrt(1.04/1.07) - 1) / (math.Pow(1/1.07, 0.2) - 1), UNSDFair, ""},
	}
	for _, tt := range tests {
		u := UNSDChart(tt.g, tt.cur)
		if math.IsNaN(tt.cr) != !u.CR.OK || u.CR.OK && math.Abs(u.CR.V-tt.cr) > 1e-9 || u.Status != tt.status {
			t.Errorf("%s: CR %v, %s; want %v, %s", tt.name, u.CR, u.Status, tt.cr, tt.status)
		}
		if tt.warning != "" && !hasWarning(u.Warnings, tt.warning) || tt.warning == "" && len(u.Warnings) != 0 {
			t.Errorf("%s: warnings %v, want %q", tt.name, u.Warnings, tt.warning)
		}
	}
}

func TestESCAPEdges(t *testing.T) {
	g := Goal{Direction: plan.Up, Baseline: pt(2015, 80), Target: pt(2030, 95)}
	// Two values: current status only.
	e := ESCAPProgress(g, []plan.Point{pt(2015, 80), pt(2021, 87)})
	if !near(e.CS, 7.0/15, 1e-12) || e.AP.OK || e.Projection.OK || e.Status != ESCAPNotComputable ||
		!hasWarning(e.Warnings, "anticipated progress needs 3 or more values") {
		t.Errorf("two values: %+v", e)
	}
	// Already met (96 ≥ 95) overrides the anticipated status; AP is still reported.
	e = ESCAPProgress(g, []plan.Point{pt(2015, 80), pt(2018, 100), pt(2021, 96)})
	if e.Status != ESCAPAchieved || !e.AP.OK {
		t.Errorf("already met: %+v", e)
	}
	// The current value is the target year's: x̂ is that value, AP = CS = (94 − 80)/15.
	e = ESCAPProgress(g, []plan.Point{pt(2015, 80), pt(2030, 94)})
	if !near(e.AP, 14.0/15, 1e-12) || !near(e.CS, 14.0/15, 1e-12) || e.Status != ESCAPAccelerate {
		t.Errorf("current in the target year: %+v", e)
	}
	// With three equally spaced years these weights give the middle value no leverage at T
	// (vector 4's x̂ lies on the line through its first and last values), so check unequal
	// spacing too: 80, 84, 87 in 2015, 2017, 2021 (years after 2015: 0, 2, 6; T = 15) weigh
	// 1, 15/13, 5/3: Σw = 149/39, x̄ = 480/149, ȳ = 12555/149, slope 133/124, and
	// x̂ = ȳ + slope · (15 − x̄) = 12015/124 = 96.895 (the first-to-last line gives 97.5).
	e = ESCAPProgress(g, []plan.Point{pt(2015, 80), pt(2017, 84), pt(2021, 87)})
	if !near(e.Projection, 12015.0/124, 1e-9) {
		t.Errorf("unequal spacing: x̂ %v, want 12015/124 = 96.895", e.Projection)
	}
	// Values before the base year and after the target year are left out; unsorted input.
	e = ESCAPProgress(g, []plan.Point{pt(2021, 87), pt(2010, 0), pt(2018, 84), pt(2031, 1000), pt(2015, 80)})
	if !near(e.Projection, 97.5, 1e-9) {
		t.Errorf("filtered: %+v, want x̂ 97.5", e)
	}
	// Duplicate years, no value after the base, hold, toward.
	if e := ESCAPProgress(g, []plan.Point{pt(2015, 80), pt(2018, 84), pt(2018, 85)}); e.Status != ESCAPNotComputable || e.CS.OK {
		t.Errorf("duplicate years: %+v", e)
	}
	if e := ESCAPProgress(g, []plan.Point{pt(2015, 80)}); e.Status != ESCAPNotComputable || e.CS.OK {
		t.Errorf("no value after the base: %+v", e)
	}
	hold := Goal{Direction: plan.Hold, Baseline: pt(2015, 100), Target: pt(2030, 100), Tolerance: 0.5}
	if e := ESCAPProgress(hold, []plan.Point{pt(2015, 100), pt(2021, 99)}); e.Status != ESCAPNotMet || e.CS.OK {
		t.Errorf("hold: %+v", e)
	}
	// Parity 1.07 → 1 on y' = max(y, 1/y): 1.07, 1/0.97 = 1.0309, 1.01 (2015, 2018, 2021);
	// CS = (1.01 − 1.07) / (1 − 1.07) = 0.857.
	par := Goal{Direction: plan.Toward, Baseline: pt(2015, 1.07), Target: pt(2030, 1), Tolerance: 0.005}
	e = ESCAPProgress(par, []plan.Point{pt(2015, 1.07), pt(2018, 0.97), pt(2021, 1.01)})
	if !near(e.CS, 0.06/0.07, 1e-9) || !e.AP.OK || e.AP.V < 1 || e.Status != ESCAPMaintain {
		t.Errorf("toward: %+v", e)
	}
}

func TestMet(t *testing.T) {
	tests := []struct {
		dir                plan.Direction
		cur, target, tol   float64
		targetMet, holdMet bool
	}{
		{plan.Up, 75, 75, 0.5, true, true},
		{plan.Up, 74.6, 75, 0.5, false, true}, // up met exactly; as hold within tol
		{plan.Down, 5.4, 5, 0.5, false, true},
		{plan.Down, 5.6, 5, 0.5, false, false},
		{plan.Hold, 99.6, 100, 0.5, true, true},
		{plan.Hold, 99.4, 100, 0.5, false, false},
		{plan.Toward, 0.985, 1, 0.02, true, true},
		{plan.Toward, 1.03, 1, 0.02, false, false},
	}
	for _, tt := range tests {
		if got := TargetMet(tt.dir, tt.cur, tt.target, tt.tol); got != tt.targetMet {
			t.Errorf("TargetMet(%s, %v, %v, %v) = %v", tt.dir, tt.cur, tt.target, tt.tol, got)
		}
		if got := HoldMet(tt.dir, tt.cur, tt.target, tt.tol); got != tt.holdMet {
			t.Errorf("HoldMet(%s, %v, %v, %v) = %v", tt.dir, tt.cur, tt.target, tt.tol, got)
		}
	}
	for _, tt := range []struct {
		v, lo, hi float64
		want      bool
	}{{12, 10, 15, true}, {10, 10, 15, true}, {15, 10, 15, true}, {9.9, 10, 15, false}, {15.1, 10, 15, false}} {
		if got := InRange(tt.v, tt.lo, tt.hi); got != tt.want {
			t.Errorf("InRange(%v, %v, %v) = %v", tt.v, tt.lo, tt.hi, got)
		}
	}
}

// TestNoNaN sweeps awkward inputs through every method: a defined Number is finite, and
// every result has a status.
func TestNoNaN(t *testing.T) {
	vals := []float64{-5, -1, 0, 0.001, 1, 2, math.NaN(), math.Inf(1)}
	dirs := []plan.Direction{plan.Up, plan.Down, plan.Hold, plan.Toward, ""}
	check := func(what string, ns ...Number) {
		for _, n := range ns {
			if n.OK && (math.IsNaN(n.V) || math.IsInf(n.V, 0)) {
				t.Fatalf("%s: defined %v", what, n.V)
			}
		}
	}
	for _, d := range dirs {
		for _, b := range vals {
			for _, c := range vals {
				for _, tv := range vals {
					g := Goal{Direction: d, Baseline: pt(2020, b), Target: pt(2025, tv)}
					what := fmt.Sprintf("%s %v→%v target %v", d, b, c, tv)
					o := OpenSDGWithTarget(g, pt(2022, c))
					check("Open SDG "+what, o.R, o.Score, o.CAGRActual, o.CAGRRequired)
					u := UNSDChart(g, pt(2022, c))
					check("UNSD "+what, u.CR, u.CAGRActual, u.CAGRRequired)
					e := ESCAPProgress(g, []plan.Point{pt(2020, b), pt(2021, c), pt(2022, c), pt(2023, tv)})
					check("ESCAP "+what, e.CS, e.Line, e.Projection, e.AP)
					w := OpenSDGWithoutTarget(pt(2020, b), pt(2022, c), d, num(tv))
					check("Open SDG without target "+what, w.R, w.Score, w.Coefficient)
					if o.Status == "" || u.Status == "" || e.Status == "" || w.Status == "" {
						t.Fatalf("%s: empty status", what)
					}
				}
			}
		}
	}
}

func TestMethodLabels(t *testing.T) {
	for _, tt := range []struct{ zh, en, wantZh string }{
		{OpenSDGOnTrack.Label(), OpenSDGOnTrack.LabelEn(), "进展显著/符合预期"},
		{OpenSDGAccelerationNeeded.Label(), OpenSDGAccelerationNeeded.LabelEn(), "需加快"},
		{OpenSDGLimited.Label(), OpenSDGLimited.LabelEn(), "进展有限"},
		{OpenSDGDeterioration.Label(), OpenSDGDeterioration.LabelEn(), "恶化"},
		{UNSDFair.Label(), UNSDFair.LabelEn(), "进展尚可，需加快"},
		{ESCAPMaintain.Label(), ESCAPMaintain.LabelEn(), "保持"},
		{ESCAPAccelerate.Label(), ESCAPAccelerate.LabelEn(), "需加快"},
		{ESCAPReverse.Label(), ESCAPReverse.LabelEn(), "需扭转"},
		{ESCAPNotComputable.Label(), ESCAPNotComputable.LabelEn(), "无法计算"},
	} {
		if tt.zh != tt.wantZh || tt.en == "" {
			t.Errorf("label %q / %q, want %q", tt.zh, tt.en, tt.wantZh)
		}
	}
}

func ExampleOpenSDGWithTarget() {
	// Test vector 1 of spec/progress.md.
	g := Goal{Direction: plan.Up, Baseline: plan.Point{Year: 2020, Value: 95.2}, Target: plan.Point{Year: 2025, Value: 96.0}}
	o := OpenSDGWithTarget(g, plan.Point{Year: 2021, Value: 95.4})
	fmt.Printf("R = %.7f, score %.7f: %s (%s)\n", o.R.V, o.Score.V, o.Status.LabelEn(), o.Status.Label())
	// Output: R = 1.2541946, score 4.6728870: Substantial progress / on track (进展显著/符合预期)
}

func ExampleESCAPProgress() {
	// Test vector 4 of spec/progress.md, the second series.
	g := Goal{Direction: plan.Up, Baseline: plan.Point{Year: 2015, Value: 80}, Target: plan.Point{Year: 2030, Value: 95}}
	e := ESCAPProgress(g, []plan.Point{{Year: 2015, Value: 80}, {Year: 2018, Value: 82}, {Year: 2021, Value: 83}})
	fmt.Printf("CS = %.2f against %.2f; x̂ = %.2f, AP = %.2f: %s (%s)\n", e.CS.V, e.Line.V, e.Projection.V, e.AP.V, e.Status.LabelEn(), e.Status.Label())
	// Output: CS = 0.20 against 0.40; x̂ = 87.50, AP = 0.50: Accelerate progress to achieve the target (需加快)
}

func ExampleCheckTwoNonDecreasing() {
	// Test vector 6: 100 → 103 亿元 for 50 → 53 万 students, in 元 and students.
	c := CheckTwoNonDecreasing(Spending{Total: 100e8, Students: 50e4}, Spending{Total: 103e8, Students: 53e4})
	fmt.Printf("total %v; per student %.2f → %.2f 元: %v\n", c.Total, c.PerStudentPrev.V, c.PerStudentCur.V, c.PerStudent)
	// Output: total true; per student 20000.00 → 19433.96 元: false
}
