package indicator

import (
	"context"
	"fmt"
	"slices"

	"github.com/yantai-edu/eduplan/internal/cube"
	"github.com/yantai-edu/eduplan/internal/store"
)

// Reload returns the engine after an import that replaced the data of some years and
// districts (scopes): the cube read again for those only (cube.Reload), and only the
// values whose inputs lie in them computed again. It equals Load's engine (tests check), in a fraction of
// the time: what keeps the pages and the API fresh right after an import.
func (e *Engine) Reload(ctx context.Context, db *store.DB, scopes []store.YearDistrict) (*Engine, error) {
	if e.until != 0 {
		return nil, fmt.Errorf("indicator: Reload of an AsOf view")
	}
	c, err := e.cube.Reload(ctx, db, scopes)
	if err != nil {
		return nil, err
	}
	n := e.update(c, scopes)
	n.generation = e.generation + 1
	// The small counts of the years the import left alone are the old engine's.
	changed := map[int]bool{}
	for _, s := range scopes {
		changed[s.Year] = true
	}
	old := e.smallCounts()
	n.small.once.Do(func() { n.small.m = n.findSmallCounts(old, changed) })
	n.prepare()
	return n, nil
}

// update returns the engine over c, a cube reloaded from e's for the scopes.
func (e *Engine) update(c *cube.Cube, scopes []store.YearDistrict) *Engine {
	n := &Engine{pack: e.pack, cube: c, formulas: e.formulas, byCode: e.byCode, small: &smallCounts{},
		index: make(map[valueKey]int, e.values.len())}
	top := e.pack.Top().Code
	// What changed, by year: the years, the districts (the city's code for the city's own
	// facts), and the institutions of those districts before and after.
	years := map[int]bool{}
	dists := map[int]map[string]bool{}
	insts := map[int]map[string]bool{}
	for _, s := range scopes {
		years[s.Year] = true
		if dists[s.Year] == nil {
			dists[s.Year], insts[s.Year] = map[string]bool{}, map[string]bool{}
		}
		dists[s.Year][s.District] = true
		for _, cb := range []*cube.Cube{e.cube, c} {
			for _, code := range cb.InstitutionCodes(s.Year, s.District) {
				insts[s.Year][code] = true
			}
		}
	}
	// A value is stale when a year it reads changed at its org: anywhere for the city
	// (which sums or weighs every district), in its district for a district, its own
	// rows for an institution.
	stale := func(f *Formula, org string, y int) bool {
		for _, cl := range f.calls {
			ry := cl.yearFor(y)
			if years[ry] && (org == top || dists[ry][org] || insts[ry][org]) {
				return true
			}
		}
		return false
	}
	if n.sameKeys(e, scopes) {
		// The same values exist as before: share the index and the values' chunks, and
		// compute again only those of the changed orgs that are stale (their chunks copied).
		n.index = e.index
		values := e.values.shared()
		var orgs []string
		for _, s := range scopes {
			orgs = append(orgs, top, s.District)
			orgs = append(orgs, c.InstitutionCodes(s.Year, s.District)...)
		}
		slices.Sort(orgs)
		orgs = slices.Compact(orgs)
		for _, f := range n.formulas {
			ys := staleYears(f, candidateYears(c), years)
			for _, org := range orgs {
				for _, y := range ys {
					i, ok := e.index[valueKey{f.Indicator.Code, org, y}]
					if ok && stale(f, org, y) {
						values.set(i, n.eval(f, org, y, nil))
					}
				}
			}
		}
		n.values = values.valueList
		n.keepYears()
		return n
	}
	n.compute(func(f *Formula, org string, y int) Value {
		if !stale(f, org, y) {
			if i, ok := e.index[valueKey{f.Indicator.Code, org, y}]; ok {
				return e.values.at(i)
			}
		}
		return n.eval(f, org, y, nil)
	})
	n.keepYears()
	return n
}

// sameKeys reports whether n (over e's cube reloaded for the scopes) has values for the
// same indicators, orgs and years as e: the same years with data, and the same
// institutions in each changed scope.
func (n *Engine) sameKeys(e *Engine, scopes []store.YearDistrict) bool {
	if !slices.Equal(candidateYears(n.cube), candidateYears(e.cube)) {
		return false
	}
	for _, s := range scopes {
		if !slices.Equal(n.cube.InstitutionCodes(s.Year, s.District), e.cube.InstitutionCodes(s.Year, s.District)) {
			return false
		}
	}
	return true
}

// staleYears returns the years whose value of f reads a changed year somewhere.
func staleYears(f *Formula, years []int, changed map[int]bool) []int {
	var out []int
	for _, y := range years {
		for _, cl := range f.calls {
			if changed[cl.yearFor(y)] {
				out = append(out, y)
				break
			}
		}
	}
	return out
}
