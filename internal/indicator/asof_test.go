package indicator_test

import (
	"slices"
	"testing"

	"github.com/yantai-edu/eduplan/internal/indicator"
)

// TestAsOf: the tiny data set has 2020 and 2021; as of 2020 the engine knows 2020's
// values and nothing of 2021's.
func TestAsOf(t *testing.T) {
	e, pack := tinyEngine(t)
	if got := e.Years(); !slices.Equal(got, []int{2020, 2021}) {
		t.Fatalf("years %v, want [2020 2021]", got)
	}
	then := e.AsOf(2020)
	if got := then.Years(); !slices.Equal(got, []int{2020}) {
		t.Errorf("as of 2020: years %v, want [2020]", got)
	}
	if v, ok := then.Get("kg_public_share", "370600", 2020); !ok || !v.OK || v.Value != 100.0*4/6 {
		t.Errorf("as of 2020: kg_public_share 2020 = %+v %v, want 66.67", v, ok)
	}
	if _, ok := e.Get("kg_public_share", "370600", 2021); !ok {
		t.Fatal("the whole engine has no 2021 value")
	}
	if v, ok := then.Get("kg_public_share", "370600", 2021); ok {
		t.Errorf("as of 2020: 2021 value %+v is known", v)
	}
	vs, err := then.Values(pack.FullScope(), indicator.Query{Indicator: "kg_public_share"})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Year > 2020 {
			t.Errorf("as of 2020: Values holds %+v", v)
		}
	}
	if len(vs) == 0 {
		t.Error("as of 2020: no values")
	}
	if e.AsOf(2021) != e || e.AsOf(0) != e || e.AsOf(2030) != e {
		t.Error("as of the last year, 0 or later: not the engine itself")
	}
	if got := e.AsOf(2019).Years(); len(got) != 0 {
		t.Errorf("as of 2019: years %v, want none", got)
	}
	// The view leaves the engine as it was.
	if got := e.Years(); !slices.Equal(got, []int{2020, 2021}) {
		t.Errorf("after AsOf: years %v", got)
	}
}
