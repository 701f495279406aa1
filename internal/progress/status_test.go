package progress

import (
	"math"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestStatus works each rule of spec/indicators.md through by hand.
// τ = 0.4 (two years of five); δ = 0.05.
func TestStatus(t *testing.T) {
	const tau, delta = 0.4, 0.05
	tests := []struct {
		name       string
		dir        plan.Direction
		B, T, A    float64
		tol        float64
		want       Status
		completion float64 // NaN: none
	}{
		{"up achieved", plan.Up, 40, 75, 75, 0.5, Achieved, 1},
		{"up ahead", plan.Up, 40, 75, 60, 0.5, Ahead, 20.0 / 35},                            // c = 0.571 > 0.45
		{"up on track", plan.Up, 40, 75, 54, 0.5, OnTrack, 14.0 / 35},                       // c = 0.4
		{"up on track near the lower edge", plan.Up, 40, 75, 52.6, 0.5, OnTrack, 12.6 / 35}, // c = 0.36
		{"up lagging", plan.Up, 40, 75, 45, 0.5, Lagging, 5.0 / 35},                         // c = 0.143
		{"up no change is lagging", plan.Up, 40, 75, 40, 0.5, Lagging, 0},
		{"up regressing", plan.Up, 40, 75, 39, 0.5, Regressing, -1.0 / 35},
		{"down on track", plan.Down, 10, 5, 8, 0, OnTrack, 0.4},
		{"down achieved", plan.Down, 10, 5, 4.9, 0, Achieved, 5.1 / 5},
		{"down regressing", plan.Down, 10, 5, 11, 0, Regressing, -0.2},
		{"toward achieved within tol", plan.Toward, 1.07, 1, 1.015, 0.02, Achieved, (0.07 - 0.015) / 0.07},
		{"toward lagging", plan.Toward, 1.07, 1, 1.06, 0.02, Lagging, (0.07 - 0.06) / 0.07},
		{"toward overshoot counts distance", plan.Toward, 1.07, 1, 0.95, 0.02, Lagging, (0.07 - 0.05) / 0.07}, // c = 0.286
		{"toward regressing", plan.Toward, 1.07, 1, 1.1, 0.02, Regressing, (0.07 - 0.1) / 0.07},
		{"hold achieved within tol", plan.Hold, 100, 100, 99.6, 0.5, Achieved, math.NaN()},
		{"hold lagging", plan.Hold, 99, 100, 98.7, 0.5, Lagging, math.NaN()},
		{"hold regressing", plan.Hold, 100, 100, 99.4, 0.5, Regressing, math.NaN()},
		{"up with B = T decided as hold", plan.Up, 100, 100, 99.6, 0.5, Achieved, math.NaN()},
		{"up with B = T below tol", plan.Up, 100, 100, 99, 0.5, Regressing, math.NaN()},
	}
	for _, tt := range tests {
		var c Number
		if tt.dir != plan.Hold && tt.B != tt.T {
			switch tt.dir {
			case plan.Toward:
				c = num((math.Abs(tt.B-tt.T) - math.Abs(tt.A-tt.T)) / math.Abs(tt.B-tt.T))
			default:
				c = num((tt.A - tt.B) / (tt.T - tt.B))
			}
		}
		if math.IsNaN(tt.completion) != !c.OK || c.OK && math.Abs(c.V-tt.completion) > 1e-12 {
			t.Errorf("%s: completion %v, want %v", tt.name, c, tt.completion)
		}
		if got := status(tt.dir, tt.B, tt.T, tt.A, tt.tol, tau, delta, c); got != tt.want {
			t.Errorf("%s: status %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestTrend(t *testing.T) {
	// y = 2x - 4000 through 2020..2022 (exact line): at 2025, 50.
	got := trend([]float64{2020, 2021, 2022}, []float64{40, 42, 44}, 2025)
	if !got.OK || math.Abs(got.V-50) > 1e-9 {
		t.Errorf("trend = %v, want 50", got)
	}
	// Points 1, 2, 6 at x = 0, 1, 2: slope 2.5, mean 3 at x = 1 → 3 + 2.5·4 = 13 at x = 5.
	got = trend([]float64{0, 1, 2}, []float64{1, 2, 6}, 5)
	if !got.OK || math.Abs(got.V-13) > 1e-9 {
		t.Errorf("trend = %v, want 13", got)
	}
}

func TestNegativeZero(t *testing.T) {
	negZero := math.Copysign(0, -1)
	if s := num(negZero / 25).String(); s != "0" {
		t.Errorf("−0 prints %q, want 0", s)
	}
}

func TestNumberJSON(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Number
	}{{"null", Number{}}, {"2.5", Number{V: 2.5, OK: true}}, {"0", Number{V: 0, OK: true}}} {
		var n Number
		if err := n.UnmarshalJSON([]byte(tt.in)); err != nil || n != tt.want {
			t.Errorf("%s → %+v, %v; want %+v", tt.in, n, err, tt.want)
		}
		if b, _ := n.MarshalJSON(); string(b) != tt.in {
			t.Errorf("%+v → %s, want %s", n, b, tt.in)
		}
	}
}
