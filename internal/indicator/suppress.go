package indicator

import (
	"cmp"
	"fmt"
	"slices"
	"sync"

	"github.com/yantai-edu/eduplan/internal/cube"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// Small counts (小数抑制) are suppressed twice over, as statistical offices suppress the
// cells of a table. An institution's value resting on a count of 1 to
// plan.PublicMinCount−1 students or teachers is hidden from readers whose scope does not
// cover the institution (primary suppression, in eval and published). The counts a value
// rests on are those of the rosters' students and teachers a formula reads and, for an
// element of a record kind about persons, the people behind it (cube.Result.People: the
// rows counted, summed or averaged; a share's denominator's and numerator's). For each
// such count, complementary (secondary) suppression then keeps it from being recovered
// by subtraction, from the reader's point of view:
//
//   - In a district where exactly one institution's small count is hidden, the smallest
//     other contributor to that count the reader does not cover (ties by code) is hidden
//     too, its values and their explanations: the district's value stays published,
//     and only the sum of the two can be known.
//   - A district where that one cannot be protected inside it (it is the only
//     contributor the reader does not cover) is hidden itself, value and explanation.
//   - When exactly one district is so hidden, the city minus the other districts would
//     give it away: the smallest other district (ties by code) whose own count is not
//     known either — two or more of its institutions hidden — is hidden beside it, or
//     if there is none, the city value.
//
// Two or more hidden counts in a district show only their sum and hide nothing more.

// smallCounts are, for each count of people a formula reads (element, filter, year),
// the cells complementary suppression works on. Built once per engine, when a reader
// first needs it; what a scope may not see is then worked out once per scope.
type smallCounts struct {
	once sync.Once
	m    map[countKey]*countCells

	mu   sync.Mutex
	seen map[scopedKey]*hiddenCells
}

// countKey is one count of people a formula's call rests on (part, the index in
// call.counts) and the year it reads.
type countKey struct {
	call *call
	year int
	part int
}

type scopedKey struct {
	cells *countCells
	scope plan.Scope
}

// countCells is one count in one year: its districts' cells and the districts that
// contribute to it, smallest count first.
type countCells struct {
	dists map[string]*distCells
	order []string
}

// distCells is one district's institutions for a count: those whose count is small (by
// code) and the smallest few other contributors, smallest first. A reader not covering
// the district covers at most one of its institutions, so three are enough.
type distCells struct {
	small  []string
	others []string
}

// hiddenCells is what complementary suppression hides of one count from one scope.
type hiddenCells struct {
	insts map[string]bool
	dists map[string]bool
	city  bool
}

// people reports whether a call counts people or rests on counts of them (students or
// teachers, or an element of a record kind about them), the counts that small-count
// suppression protects.
func (c *call) people() bool {
	return c.element == store.KindStudents || c.element == store.KindTeachers || c.persons
}

// counts are the counts of people a value the call read rests on: a roster's count of
// students or teachers itself, or the people behind an element of a record kind about
// persons (a share's denominator's and numerator's).
func (c *call) counts(r cube.Result) [2]float64 {
	if c.persons {
		return r.People
	}
	return [2]float64{r.Value}
}

// smallCount reports whether a count of people is small: 1 to plan.PublicMinCount−1.
func smallCount(n float64) bool { return n > 0 && n < plan.PublicMinCount }

// smallCounts finds, for every count of people a formula reads, the cells of each
// year that has a small one.
func (e *Engine) smallCounts() map[countKey]*countCells {
	e.small.once.Do(func() { e.small.m = e.findSmallCounts(nil, nil) })
	return e.small.m
}

// findSmallCounts finds the cells of every year of the cube: those of the years not
// changed taken from old (an engine's before an import; a year's cells read that
// year's rosters alone), the others worked out.
func (e *Engine) findSmallCounts(old map[countKey]*countCells, changed map[int]bool) map[countKey]*countCells {
	m := map[countKey]*countCells{}
	years := e.cube.Years()
	var todo []int
	for _, y := range years {
		if old == nil || changed[y] {
			todo = append(todo, y)
		}
	}
	for k, c := range old {
		if !changed[k.year] && slices.Contains(years, k.year) {
			m[k] = c
		}
	}
	if len(todo) == 0 {
		return m
	}
	// Each count once, however many calls read it.
	reads := map[string][]*call{}
	for _, f := range e.formulas {
		for _, cl := range f.order {
			if cl.people() {
				k := cl.element + "\x00" + cl.filter.String()
				reads[k] = append(reads[k], cl)
			}
		}
	}
	for _, y := range todo {
		insts := e.cube.Institutions(y)
		codes := e.cube.InstitutionCodes(y, "")
		for _, calls := range reads {
			for part, c := range e.countCellsOf(calls[0], y, insts, codes) {
				if c == nil {
					continue
				}
				for _, cl := range calls {
					m[countKey{cl, y, part}] = c
				}
			}
		}
	}
	return m
}

// contrib is an institution's or a district's count of people.
type contrib struct {
	code string
	n    float64
}

func byCount(a, b contrib) int { return cmp.Or(cmp.Compare(a.n, b.n), cmp.Compare(a.code, b.code)) }

// countCellsOf reads the counts of people a call rests on at each institution of a
// year, and returns the cells of each count (by part, as call.counts) that has a small
// one; nil for a count that has none.
func (e *Engine) countCellsOf(cl *call, y int, insts map[string]*cube.Institution, codes []string) [2]*countCells {
	var small [2]map[string][]string
	var others [2]map[string][]contrib
	var totals [2]map[string]float64
	for part := range 2 {
		small[part], others[part], totals[part] = map[string][]string{}, map[string][]contrib{}, map[string]float64{}
	}
	for _, code := range codes {
		r := e.cube.Get(cl.element, code, y, cl.filter)
		if !r.OK {
			continue
		}
		d := insts[code].District
		for part, n := range cl.counts(r) {
			if n <= 0 {
				continue
			}
			totals[part][d] += n
			if smallCount(n) {
				small[part][d] = append(small[part][d], code)
			} else {
				others[part][d] = append(others[part][d], contrib{code, n})
			}
		}
	}
	var out [2]*countCells
	for part := range 2 {
		if len(small[part]) > 0 {
			out[part] = newCountCells(small[part], others[part], totals[part])
		}
	}
	return out
}

// newCountCells is one count's cells: each district's small institutions (by code)
// and smallest three other contributors, from a count's small institutions, other
// contributors and totals by district.
func newCountCells(small map[string][]string, others map[string][]contrib, totals map[string]float64) *countCells {
	c := &countCells{dists: map[string]*distCells{}}
	var ds []contrib
	for d, n := range totals {
		ds = append(ds, contrib{d, n})
		o := others[d]
		slices.SortFunc(o, byCount)
		dc := &distCells{small: small[d]}
		slices.Sort(dc.small)
		for _, x := range o[:min(len(o), 3)] {
			dc.others = append(dc.others, x.code)
		}
		c.dists[d] = dc
	}
	slices.SortFunc(ds, byCount)
	for _, x := range ds {
		c.order = append(c.order, x.code)
	}
	return c
}

// hidden works out what complementary suppression hides of a count from a scope.
func (e *Engine) hidden(scope plan.Scope, c *countCells) *hiddenCells {
	k := scopedKey{c, scope}
	e.small.mu.Lock()
	defer e.small.mu.Unlock()
	if h, ok := e.small.seen[k]; ok {
		return h
	}
	h := &hiddenCells{insts: map[string]bool{}, dists: map[string]bool{}}
	var alone []string          // districts hidden themselves
	unknown := map[string]int{} // institutions whose count the reader cannot know, by district
	for _, d := range c.order {
		dc := c.dists[d]
		n := 0
		for _, code := range dc.small {
			if !e.covers(scope, code) {
				n++
			}
		}
		unknown[d] = n
		if n != 1 {
			continue
		}
		i := slices.IndexFunc(dc.others, func(code string) bool { return !e.covers(scope, code) })
		if i < 0 {
			h.dists[d] = true
			alone = append(alone, d)
			continue
		}
		h.insts[dc.others[i]] = true
		unknown[d]++
	}
	if len(alone) == 1 {
		i := slices.IndexFunc(c.order, func(d string) bool { return d != alone[0] && unknown[d] >= 2 })
		if i < 0 {
			h.city = true
		} else {
			h.dists[c.order[i]] = true
		}
	}
	if e.small.seen == nil {
		e.small.seen = map[scopedKey]*hiddenCells{}
	}
	e.small.seen[k] = h
	return h
}

// reveals reports whether the value of f at an org would give away to the scope a
// small count it may not see: an institution hidden beside a small one, a district or
// the city hidden by complementary suppression. An institution's own small counts are
// primary suppression's.
func (e *Engine) reveals(scope plan.Scope, f *Formula, org string, year int) bool {
	if f == nil {
		return false
	}
	var small map[countKey]*countCells
	for _, cl := range f.order {
		if !cl.people() {
			continue
		}
		if small == nil {
			small = e.smallCounts()
		}
		for part := range 2 {
			c := small[countKey{cl, cl.yearFor(year), part}]
			if c == nil {
				continue
			}
			h := e.hidden(scope, c)
			if h.insts[org] || h.dists[org] || h.city && org == e.pack.Tenant {
				return true
			}
		}
	}
	return false
}

// revealedValue is v suppressed because it would give away a small count.
func revealedValue(v Value) Value {
	return Value{Indicator: v.Indicator, Org: v.Org, Year: v.Year, small: true,
		Reason:   fmt.Sprintf("可据此推算出某机构不足 %d 人的计数，不予公开", plan.PublicMinCount),
		ReasonEn: fmt.Sprintf("suppressed: it would give away an institution's count of fewer than %d people", plan.PublicMinCount)}
}

// prepare works out the small counts and what complementary suppression hides from the
// public, the scope of most readers, before the engine is handed to any: otherwise the
// first public request after each import would pay for it.
func (e *Engine) prepare() {
	public := plan.Scope{Tenant: e.pack.Tenant, Org: e.pack.Tenant, Detail: plan.Public}
	for _, c := range e.smallCounts() {
		e.hidden(public, c)
	}
}

// For returns the engine as a reader with the scope sees it: Get gives each value as
// Values would (published), small counts and the values that would give them away
// suppressed. Pages and assessments read values through it. It costs a copy of the
// Engine's header.
func (e *Engine) For(scope plan.Scope) *Engine {
	v := *e
	v.scope = &scope
	return &v
}
