package indicator

import (
	"fmt"
	"sync"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// Small counts (小数抑制) are suppressed twice over. An institution's value resting on a
// count of 1 to plan.PublicMinCount−1 students or teachers is hidden from readers whose
// scope does not cover the institution (primary suppression, in eval and published). An
// aggregate is hidden from such a reader too when it would give one of those counts
// away (complementary suppression): a district whose one hidden institution is the only
// contributor to a count, or the only one hidden (the district's count minus its other
// institutions' shown counts is that school's). When one district alone is so hidden,
// the city's count minus the other districts' would be its, and so that school's: a
// second district is hidden with it, the first by code of those hiding two or more
// small counts (so that its own total is not known either), or if there is none, the
// city. Two or more hidden counts show only their sum.

// smallCounts are, for each count of people a formula reads (element, filter, year),
// the institutions of each district whose count is small: what an aggregate could give
// away. Built once per engine, when a reader first needs it.
type smallCounts struct {
	once sync.Once
	m    map[countKey]map[string][]string // district → institutions
}

// countKey is a formula's call of a count and the year it reads.
type countKey struct {
	call *call
	year int
}

// people reports whether a call counts people (students or teachers), the counts that
// small-count suppression protects.
func (c *call) people() bool {
	return c.element == store.KindStudents || c.element == store.KindTeachers
}

// smallCounts finds every small count of an institution that a formula reads.
func (e *Engine) smallCounts() map[countKey]map[string][]string {
	e.small.once.Do(func() {
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
		m := map[countKey]map[string][]string{}
		for _, y := range e.cube.Years() {
			insts := e.cube.Institutions(y)
			for _, code := range e.cube.InstitutionCodes(y, "") {
				for _, calls := range reads {
					r := e.cube.Get(calls[0].element, code, y, calls[0].filter)
					if !r.OK || r.Value <= 0 || r.Value >= plan.PublicMinCount {
						continue
					}
					d := insts[code].District
					for _, cl := range calls {
						k := countKey{cl, y}
						if m[k] == nil {
							m[k] = map[string][]string{}
						}
						m[k][d] = append(m[k][d], code)
					}
				}
			}
		}
		e.small.m = m
	})
	return e.small.m
}

// reveals reports whether the value of f at an aggregate org (the city or a district)
// would give away to the scope a small count it may not see.
func (e *Engine) reveals(scope plan.Scope, f *Formula, org string, year int) bool {
	o := e.pack.Org(org)
	if o == nil || f == nil {
		return false // an institution's own counts: primary suppression
	}
	hidden := func(codes []string) int {
		n := 0
		for _, code := range codes {
			if !e.covers(scope, code) {
				n++
			}
		}
		return n
	}
	var small map[countKey]map[string][]string
	for _, cl := range f.order {
		if !cl.people() {
			continue
		}
		if small == nil {
			small = e.smallCounts()
		}
		byDist := small[countKey{cl, cl.yearFor(year)}]
		if len(byDist) == 0 {
			continue
		}
		// The districts hiding exactly one small count, and the first (by code) of those
		// hiding two or more.
		ones, many := 0, ""
		for d, codes := range byDist {
			switch n := hidden(codes); {
			case n == 1:
				ones++
			case n > 1 && (many == "" || d < many):
				many = d
			}
		}
		switch {
		case o.Level == plan.LevelDistrict:
			if hidden(byDist[org]) == 1 || ones == 1 && org == many {
				return true
			}
		case o.Code == e.pack.Tenant:
			if ones == 1 && many == "" {
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

// For returns the engine as a reader with the scope sees it: Get gives each value as
// Values would (published), small counts and the aggregates that would give them away
// suppressed. Pages and assessments read values through it. It costs a copy of the
// Engine's header.
func (e *Engine) For(scope plan.Scope) *Engine {
	v := *e
	v.scope = &scope
	return &v
}
