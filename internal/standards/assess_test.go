package standards_test

import (
	"math"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/standards"
)

func builtin(t testing.TB) *plan.Pack {
	t.Helper()
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// school builds a primary school's input from its students and its seven numerators
// (nil = unknown); a numerator given as a per-student or per-100 value is turned back
// into a count here, so the table reads as the standard's values.
func school(code string, students float64, values ...*float64) standards.SchoolInput {
	per := []float64{100, 100, 100, 1, 1, 1, 100}
	s := standards.SchoolInput{Code: code, Students: students}
	for j, v := range values {
		if v == nil {
			s.Numerators = append(s.Numerators, nil)
			continue
		}
		n := *v * students / per[j]
		s.Numerators = append(s.Numerators, &n)
	}
	return s
}

func f(x float64) *float64 { return &x }

// good are primary values meeting every threshold (4.2, 1.0, 0.9, 4.5, 7.5, 2000, 2.3).
func good() []*float64 { return []*float64{f(5), f(1.2), f(1), f(5), f(8), f(2100), f(2.5)} }

func with(vals []*float64, j int, v *float64) []*float64 {
	out := append([]*float64(nil), vals...)
	out[j] = v
	return out
}

// TestWorkedVector is the spec's worked vector: schools A, B, C with 400, 100, 500
// primary students and 20, 3, 25 qualified teachers. L1: A 5.0, B 3.0, C 5.0;
// X̄ = 48/1000·100 = 4.8; CV = √(0.4·0.2² + 0.1·1.8² + 0.5·0.2²) ÷ 4.8 = 0.6 ÷ 4.8 =
// 0.125. B misses L1 at 3.0 < 0.85·4.2 = 3.57, so B does not comply.
func TestWorkedVector(t *testing.T) {
	std := builtin(t).Standard("quality_balanced")
	in := []standards.SchoolInput{school("A", 400, good()...), school("B", 100, good()...), school("C", 500, good()...)}
	for i, n := range []float64{20, 3, 25} {
		in[i].Numerators[0] = f(n)
	}
	d := standards.Assess(std, "primary", in)
	l1 := d.Items[0]
	if !l1.Known || math.Abs(l1.Value-4.8) > 1e-12 {
		t.Errorf("L1 X̄ = %v (known %v), want 4.8", l1.Value, l1.Known)
	}
	if !l1.CVKnown || math.Abs(l1.CV-0.125) > 1e-12 {
		t.Errorf("L1 CV = %v, want 0.125", l1.CV)
	}
	if l1.CVMet != standards.Met || l1.Met != standards.Met {
		t.Errorf("L1 met %s, CV met %s; want met (4.8 ≥ 4.2, 0.125 ≤ 0.50)", l1.Met, l1.CVMet)
	}
	want := map[string]standards.Verdict{"A": standards.Met, "B": standards.NotMet, "C": standards.Met}
	for _, s := range d.Schools {
		if s.Verdict != want[s.Code] {
			t.Errorf("school %s: %s, want %s", s.Code, s.Verdict, want[s.Code])
		}
	}
	if b := d.Schools[1].Items[0]; b.Band != standards.BandBelow || b.Need != 2 {
		t.Errorf("B's L1: band %s need %v, want below and +2 teachers (4.2·100/100 = 4.2 → 5 − 3)", b.Band, b.Need)
	}
	if d.Verdict != standards.NotMet || d.Complying != 2 {
		t.Errorf("district: %s with %d complying, want not_met with 2", d.Verdict, d.Complying)
	}
}

func TestAssess(t *testing.T) {
	std := builtin(t).Standard("quality_balanced")
	tests := []struct {
		name    string
		schools []standards.SchoolInput
		school  []standards.Verdict
		verdict standards.Verdict
		check   func(t *testing.T, d standards.District)
	}{
		{
			name:    "all good",
			schools: []standards.SchoolInput{school("A", 300, good()...), school("B", 200, good()...)},
			school:  []standards.Verdict{standards.Met, standards.Met},
			verdict: standards.Met,
		},
		{
			// L5 at 7.0 is 93% of 7.5: one item missed, within 85% → complies.
			name:    "six of seven, the seventh within 85%",
			schools: []standards.SchoolInput{school("A", 300, with(good(), 4, f(7))...)},
			school:  []standards.Verdict{standards.Met},
			verdict: standards.Met,
		},
		{
			// L5 at 6.0 is 80% of 7.5: below the floor.
			name:    "one item below 85%",
			schools: []standards.SchoolInput{school("A", 300, with(good(), 4, f(6))...)},
			school:  []standards.Verdict{standards.NotMet},
			verdict: standards.NotMet,
		},
		{
			// L4 4.0 (89% of 4.5) and L5 7.0 (93% of 7.5): two missed, both within 85%.
			name:    "two items missed",
			schools: []standards.SchoolInput{school("A", 300, with(with(good(), 3, f(4)), 4, f(7))...)},
			school:  []standards.Verdict{standards.NotMet},
			verdict: standards.NotMet,
		},
		{
			// B has no sports area: its verdict and the district's are no_data, never a
			// pass, though A complies.
			name:    "missing input",
			schools: []standards.SchoolInput{school("A", 300, good()...), school("B", 200, with(good(), 4, nil)...)},
			school:  []standards.Verdict{standards.Met, standards.NoData},
			verdict: standards.NoData,
			check: func(t *testing.T, d standards.District) {
				if l5 := d.Items[4]; l5.Known || l5.Met != standards.NoData || l5.CVKnown {
					t.Errorf("L5 of the district = %+v, want unknown", l5)
				}
			},
		},
		{
			// No school has a PE or arts teacher: X̄ = 0, so the CV is empty (not a
			// failure by itself), and every school fails L3 (0 < 0.85·0.9).
			name:    "X̄ = 0",
			schools: []standards.SchoolInput{school("A", 300, with(good(), 2, f(0))...), school("B", 200, with(good(), 2, f(0))...)},
			school:  []standards.Verdict{standards.NotMet, standards.NotMet},
			verdict: standards.NotMet,
			check: func(t *testing.T, d standards.District) {
				l3 := d.Items[2]
				if !l3.Known || l3.Value != 0 || l3.CVKnown || l3.Met != standards.NotMet || l3.CVMet != standards.Met {
					t.Errorf("L3 of the district = %+v, want X̄ 0, no CV, not met", l3)
				}
				if need := d.Schools[0].Items[2].Need; need != 3 {
					t.Errorf("A needs %v PE/arts teachers, want 3 (0.9·300/100 = 2.7 → 3)", need)
				}
			},
		},
		{
			// Both schools comply, but L6 differs too much: A 2100, B 6000 yuan.
			// X̄ = (2100·300 + 6000·100)/400 = 3075; CV = √(0.75·975² + 0.25·2925²)/3075
			// = √(712968.75 + 2138906.25)/3075 = √2851875/3075 = 0.549 > 0.50.
			name:    "差异系数 over the limit",
			schools: []standards.SchoolInput{school("A", 300, with(good(), 5, f(2100))...), school("B", 100, with(good(), 5, f(6000))...)},
			school:  []standards.Verdict{standards.Met, standards.Met},
			verdict: standards.NotMet,
			check: func(t *testing.T, d standards.District) {
				l6 := d.Items[5]
				if math.Abs(l6.Value-3075) > 1e-9 || math.Abs(l6.CV-math.Sqrt(2851875)/3075) > 1e-12 || l6.CVMet != standards.NotMet {
					t.Errorf("L6 of the district = %+v, want X̄ 3075, CV 0.549 over 0.50", l6)
				}
			},
		},
		{
			name:    "no schools",
			verdict: standards.NoData,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := standards.Assess(std, "primary", tt.schools)
			for i, s := range d.Schools {
				if s.Verdict != tt.school[i] {
					t.Errorf("school %s: %s, want %s", s.Code, s.Verdict, tt.school[i])
				}
			}
			if d.Verdict != tt.verdict {
				t.Errorf("district: %s, want %s", d.Verdict, tt.verdict)
			}
			if tt.check != nil {
				tt.check(t, d)
			}
		})
	}
}
