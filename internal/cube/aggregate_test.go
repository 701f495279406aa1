package cube

import (
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestAggregateOwnAndBelow: an org's roll-up begins as its own block, shared, and an
// institution's stays so; an org with cells of its own and cells below it of the same
// kind gets a roll-up of its own, summing both, and its own cells are left as they
// were. Both orders in which aggregate may meet the two (by org code) are tried. The
// built-in kinds never put cells at a district and below it; a pack's could.
func TestAggregateOwnAndBelow(t *testing.T) {
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	const kind, year, district = "students", 2020, "370602"
	for _, child := range []string{"X1", "1X"} { // after the district's code, then before
		c, err := newCube(pack)
		if err != nil {
			t.Fatal(err)
		}
		c.insts[year] = map[string]*Institution{child: {Code: child, District: district}}
		own := &ownBlocks{c: c, idx: map[nodeKey]map[string]int{}}
		tuple := make([]uint8, len(c.kinds[kind].dims))
		own.add(nodeKey{kind, year, district}, tuple, 5, 1)
		own.add(nodeKey{kind, year, child}, tuple, 3, 2)
		c.aggregate()
		c.seal()
		sum := func(b *block) float64 {
			var n float64
			for _, v := range b.counts {
				n += v
			}
			return n
		}
		dk, ck, top := nodeKey{kind, year, district}, nodeKey{kind, year, child}, nodeKey{kind, year, pack.Top().Code}
		if got := sum(c.own[dk]); got != 5 || len(c.own[dk].batches) != 1 {
			t.Errorf("child %s: the district's own cells now count %v in %d batches, want 5 in 1", child, got, len(c.own[dk].batches))
		}
		if c.agg[dk] == c.own[dk] {
			t.Errorf("child %s: the district's roll-up is its own block", child)
		}
		if got := sum(c.agg[dk]); got != 8 || len(c.agg[dk].batches) != 2 {
			t.Errorf("child %s: the district's roll-up counts %v in %d batches, want 8 in 2", child, got, len(c.agg[dk].batches))
		}
		if c.agg[ck] != c.own[ck] {
			t.Errorf("child %s: the institution's roll-up is a copy, not its own block", child)
		}
		if got := sum(c.agg[top]); got != 8 {
			t.Errorf("child %s: the city's roll-up counts %v, want 8", child, got)
		}
	}
}
