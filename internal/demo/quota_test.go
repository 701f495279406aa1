package demo

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

func TestApportion(t *testing.T) {
	for _, c := range []struct {
		name    string
		total   int
		weights []float64
		caps    []int
		want    []int
	}{
		{"proportional", 10, []float64{1, 1, 2}, nil, []int{3, 2, 5}}, // 2.5, 2.5, 5: the tie goes to the first
		{"largest remainder", 7, []float64{0.5, 0.3, 0.2}, nil, []int{4, 2, 1}},
		{"zero total", 0, []float64{1, 2}, nil, []int{0, 0}},
		{"zero weight gets nothing", 5, []float64{0, 1, 1}, nil, []int{0, 3, 2}},
		{"caps", 10, []float64{8, 1, 1}, []int{4, 10, 10}, []int{4, 3, 3}},
		{"cap of zero", 4, []float64{1, 1}, []int{0, 9}, []int{0, 4}},
		// 4117·4600/6600 = 2869.4 and 4117·2000/6600 = 1247.6: the second has the larger remainder.
		{"public children", 4117, []float64{10000 * 0.46, 5000 * 0.40}, []int{10000, 5000}, []int{2869, 1248}},
		{"no weight at all", 3, []float64{0, 0}, nil, []int{2, 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := apportion(c.total, c.weights, c.caps)
			if !slices.Equal(got, c.want) {
				t.Errorf("apportion(%d, %v, %v) = %v, want %v", c.total, c.weights, c.caps, got, c.want)
			}
		})
	}
}

// TestFitShare checks counts that print as a plan's baseline: 100·n/den with the
// indicator's decimals, as the indicator engine computes and prints them.
func TestFitShare(t *testing.T) {
	for _, c := range []struct {
		den     int
		want    float64
		dec     int
		n       int
		ok      bool
		prints  string
		comment string
	}{
		{10000, 41.17, 2, 4117, true, "41.17", "exact"},
		{170000, 41.17, 2, 69989, true, "41.17", ""},
		{1000, 75.6, 1, 756, true, "75.6", ""},
		{605, 75.6, 1, 457, false, "", "457/605 = 75.54 and 458/605 = 75.70: no count fits"},
		{606, 75.6, 1, 458, true, "75.6", "458/606 = 75.58"},
		{0, 60, 1, 0, false, "", ""},
	} {
		n, ok := fitShare(c.den, c.want, c.dec)
		if n != c.n || ok != c.ok {
			t.Errorf("fitShare(%d, %v) = %d, %v; want %d, %v (%s)", c.den, c.want, n, ok, c.n, c.ok, c.comment)
		}
		if ok {
			if got := strconv.FormatFloat(100*float64(n)/float64(c.den), 'f', c.dec, 64); got != c.prints {
				t.Errorf("%d/%d prints %s, want %s", n, c.den, got, c.prints)
			}
		}
	}
	if den, n := fitDen(605, 75.6, 1); den != 606 || n != 458 {
		t.Errorf("fitDen(605, 75.6) = %d, %d; want 606, 458", den, n)
	}
}

func TestFitCompulsory(t *testing.T) {
	q, rho := aim{base: 92.6, decimals: 1}, aim{base: 1.07, decimals: 2}
	for _, n := range [][nLocations]int{{900, 300, 500}, {20000, 5000, 10000}, {40, 0, 25}, {1, 1, 1}} {
		extra, b := fitCompulsory(n, q, rho)
		for i := range n {
			n[i] += extra[i]
		}
		share := 100 * float64(b[0]+b[1]+b[2]) / float64(n[0]+n[1]+n[2])
		ratio := (float64(b[0]) / float64(n[0])) / (float64(b[2]) / float64(n[2]))
		if s, r := strconv.FormatFloat(share, 'f', 1, 64), strconv.FormatFloat(ratio, 'f', 2, 64); s != "92.6" || r != "1.07" {
			t.Errorf("teachers %v (%v added): bachelors %v give %s%% and ratio %s", n, extra, b, s, r)
		}
	}
}

// TestIDSpace checks that ids are unique, opaque and the same for the same seed.
func TestIDSpace(t *testing.T) {
	a := newIDSpace('S', rand.New(rand.NewPCG(1, 2)))
	b := newIDSpace('S', rand.New(rand.NewPCG(1, 2)))
	seen := map[string]bool{}
	var buf [16]byte
	for serial := uint64(1); serial <= 200000; serial++ {
		id := a.format(buf[:0], serial)
		if len(id) != 13 || id[0] != 'S' {
			t.Fatalf("id %q is not S and 12 hex digits", id)
		}
		if seen[id] {
			t.Fatalf("id %s issued twice", id)
		}
		seen[id] = true
		if id != b.format(buf[:0], serial) {
			t.Fatal("same seed, different ids")
		}
	}
	if c := newIDSpace('S', rand.New(rand.NewPCG(2, 2))); a.format(nil, 1) == c.format(nil, 1) {
		t.Error("different seeds, same ids")
	}
}

func TestCNNumber(t *testing.T) {
	for n, want := range map[int]string{1: "一", 10: "十", 11: "十一", 20: "二十", 35: "三十五", 99: "九十九", 120: "120"} {
		if got := cnNumber(n); got != want {
			t.Errorf("cnNumber(%d) = %s, want %s", n, got, want)
		}
	}
}
