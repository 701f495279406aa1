package cube

import (
	"slices"
	"strconv"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// Sources of a number, for explanations.
const (
	SourceRoster   = "roster"   // counted from roster rows
	SourceFact     = "fact"     // reported at the org itself
	SourceChildren = "children" // the sum (or weighted mean) of the org's children
	SourceMissing  = "missing"
)

// Origin is the kinds of input a number came from, a bit each: the issue a bureau asks
// of any figure is whether it was counted from rosters, from the schools' statistics
// tables, or reported as a district's or the city's total.
type Origin uint8

// Origins of a number.
const (
	FromRoster   Origin = 1 << iota // counted from roster rows (名册)
	FromSchool                      // a school's aggregate: a school table, or a figure reported at an institution (学校汇总表)
	FromDistrict                    // a total reported for a district (区县合计)
	FromCity                        // a total reported for the city (全市合计)
)

// originNames are the origins' codes, in bit order.
var originNames = []string{"roster", "school", "district", "city"}

// Names returns the codes of the origins: roster, school, district, city.
func (o Origin) Names() []string {
	var out []string
	for i, n := range originNames {
		if o&(1<<i) != 0 {
			out = append(out, n)
		}
	}
	return out
}

// Result is a number read from the cube.
type Result struct {
	Value   float64
	OK      bool
	Source  string
	Batches []int64
	// People are, for an element of a record kind about persons (student, teacher),
	// the counts of people the value rests on, as small-count suppression reads a
	// formula's counts of students and teachers: People[0] the rows counted (for a sum
	// or a mean, the rows giving the field), or a share's denominator's; People[1] a
	// share's numerator's, or a per-student rate's students. Zeros for other elements,
	// and for a value reported at the org.
	People [2]float64
	// Origin is the kinds of input the number came from.
	Origin Origin
	// uncounted: the org has data of the element, but not by the filter's dims (a
	// school table by grade asked about hukou); a sum over it is missing too.
	uncounted bool
}

var missing = Result{Source: SourceMissing}

// Uncounted reports whether the org has data of the element but not by the dims the
// filter reads (a school table by grade asked about hukou, a teachers file without the
// backbone column asked about backbone teachers): missing, not zero.
func (r Result) Uncounted() bool { return r.uncounted }

// uncounted is the Result of data that cannot answer the filter.
var uncounted = Result{Source: SourceMissing, uncounted: true}

// matcher is a filter compiled against a kind's codes: allow[i][code] for condition i.
type matcher struct {
	dims  []int
	allow [][256]bool
	need  uint64 // the dims the filter reads, a bit each
}

type matcherKey struct {
	kind   string
	filter string
}

func (c *Cube) matcher(kind string, f plan.Filter) *matcher {
	key := matcherKey{kind, f.String()}
	if m, ok := c.matchers.Load(key); ok {
		return m.(*matcher)
	}
	k := c.kinds[kind]
	m := &matcher{}
	for _, cond := range f {
		dim, ok := k.pos[cond.Key]
		var allow [256]bool
		if ok {
			for _, v := range cond.Values {
				if code, ok := k.codes[dim][v]; ok {
					allow[code] = true
				}
				if v == "false" {
					allow[0] = true // an unknown boolean counts as false
				}
			}
		}
		if !ok {
			dim = -1
		} else {
			m.need |= 1 << (dim & 63)
		}
		m.dims = append(m.dims, dim)
		m.allow = append(m.allow, allow)
	}
	c.matchers.Store(key, m)
	return m
}

// count sums the cells of b that m matches, and returns with the sum the batches of
// those cells, as a mask of b's (block.fed).
func (b *block) count(m *matcher, width int) (float64, uint64) {
	var sum float64
	var mask uint64
rows:
	for i, cnt := range b.counts {
		t := b.tuples[i*width : (i+1)*width]
		for j, d := range m.dims {
			if d < 0 || !m.allow[j][t[d]] {
				continue rows
			}
		}
		sum += cnt
		mask |= b.masks[i]
	}
	return sum, mask
}

// Get returns the value of an element at an org in a year, for the rows or facts that
// match the filter, by the rules of docs/indicators.md:
//   - a fact reported at the org for exactly the filter's dims wins;
//   - otherwise an org holding roster rows counts them, and a parent sums its
//     children that have a value (none having one: no value);
//   - a non-additive element takes the mean of its children's values weighted by their
//     population in the element's weight ages.
func (c *Cube) Get(element, org string, year int, f plan.Filter) Result {
	el := c.pack.Element(element)
	if el == nil {
		return missing
	}
	if _, ok := c.kinds[element]; ok && el.Source == plan.SourceRoster {
		return c.roster(element, org, year, f)
	}
	if el.Source == plan.SourceRecord {
		return c.record(el, org, year, f)
	}
	return c.expand(f, func(g plan.Filter) Result { return c.factNode(el, org, year, g) })
}

// expand sums a filter's single-valued parts, each found by node: a fact matches a
// filter only when its dims are exactly the filter's pairs. Any part missing: missing.
func (c *Cube) expand(f plan.Filter, node func(plan.Filter) Result) Result {
	if f.Single() {
		return node(f)
	}
	out := Result{OK: true, Source: SourceChildren}
	for _, g := range f.Expand() {
		r := node(g)
		if !r.OK {
			return r
		}
		out.Value += r.Value
		out.Batches = mergeBatches(out.Batches, r.Batches)
		out.Origin |= r.Origin
	}
	return out
}

func (c *Cube) roster(kind, org string, year int, f plan.Filter) Result {
	if !c.touched[elYear{kind, year}][org] {
		return c.aggCount(kind, org, year, f)
	}
	return c.expand(f, func(g plan.Filter) Result { return c.rosterNode(kind, org, year, g) })
}

// aggCount counts the roster rows of the org's subtree: no fact below it to consider.
func (c *Cube) aggCount(kind, org string, year int, f plan.Filter) Result {
	b := c.agg[nodeKey{kind, year, org}]
	if b == nil {
		return missing
	}
	m := c.matcher(kind, f)
	if b.uncarried&m.need != 0 {
		return uncounted
	}
	n, fed := b.count(m, len(c.kinds[kind].dims))
	return Result{Value: n, OK: true, Source: SourceRoster, Batches: b.fed(fed), Origin: b.origin}
}

func (c *Cube) rosterNode(kind, org string, year int, g plan.Filter) Result {
	if r, ok := c.fact(kind, org, year, g); ok {
		return r
	}
	if !c.touched[elYear{kind, year}][org] {
		return c.aggCount(kind, org, year, g)
	}
	out := Result{Source: SourceChildren}
	if b := c.own[nodeKey{kind, year, org}]; b != nil {
		m := c.matcher(kind, g)
		if b.uncarried&m.need != 0 {
			return uncounted
		}
		n, fed := b.count(m, len(c.kinds[kind].dims))
		out.Value += n
		out.OK = true
		out.Batches = mergeBatches(out.Batches, b.fed(fed))
		out.Origin |= b.origin
	}
	for _, ch := range c.children(org, year) {
		r := c.rosterNode(kind, ch, year, g)
		if r.uncounted {
			return uncounted
		}
		if r.OK {
			out.Value += r.Value
			out.OK = true
			out.Batches = mergeBatches(out.Batches, r.Batches)
			out.Origin |= r.Origin
		}
	}
	if !out.OK {
		return missing
	}
	return out
}

func (c *Cube) fact(element, org string, year int, g plan.Filter) (Result, bool) {
	f, ok := c.facts[factKey{element, org, year, g.String()}]
	if !ok {
		return Result{}, false
	}
	return Result{Value: f.value, OK: true, Source: SourceFact, Batches: []int64{f.batch}, Origin: c.reportedAt(org)}, true
}

// Origins returns the kinds of input an element has at an org in a year, its subtree
// included: rosters or school tables counted there, and figures reported at it or below.
func (c *Cube) Origins(element, org string, year int) Origin {
	var o Origin
	if b := c.agg[nodeKey{element, year, org}]; b != nil {
		o |= b.origin
	}
	if !c.touched[elYear{element, year}][org] {
		return o
	}
	for k := range c.facts {
		if k.element == element && k.year == year && slices.Contains(c.lineage(k.org, year), org) {
			o |= c.reportedAt(k.org)
		}
	}
	return o
}

// reportedAt is the origin of a figure reported at an org: an institution's is a
// school's aggregate, a district's or the city's a total.
func (c *Cube) reportedAt(org string) Origin {
	switch o := c.pack.Org(org); {
	case o == nil:
		return FromSchool
	case o.Level == plan.LevelCity:
		return FromCity
	}
	return FromDistrict
}

func (c *Cube) factNode(el *plan.Element, org string, year int, g plan.Filter) Result {
	if r, ok := c.fact(el.Code, org, year, g); ok {
		return r
	}
	if !c.touched[elYear{el.Code, year}][org] {
		return missing
	}
	out := Result{Source: SourceChildren}
	var weight float64
	for _, ch := range c.children(org, year) {
		r := c.factNode(el, ch, year, g)
		if !r.OK {
			continue
		}
		out.Origin |= r.Origin
		if el.Additive {
			out.Value += r.Value
			out.OK = true
			out.Batches = mergeBatches(out.Batches, r.Batches)
			continue
		}
		w := c.population(ch, year, el.WeightAges)
		if !w.OK || w.Value <= 0 {
			continue
		}
		out.Value += r.Value * w.Value
		weight += w.Value
		out.Batches = mergeBatches(mergeBatches(out.Batches, r.Batches), w.Batches)
	}
	if !el.Additive {
		if weight == 0 {
			return missing
		}
		out.Value /= weight
		out.OK = true
	}
	if !out.OK {
		return missing
	}
	return out
}

// population returns the population of an org aged ages[0]..ages[1].
func (c *Cube) population(org string, year int, ages [2]int) Result {
	var values []string
	for a := ages[0]; a <= ages[1]; a++ {
		values = append(values, strconv.Itoa(a))
	}
	return c.roster("population", org, year, plan.Filter{{Key: "age", Values: values}})
}

// children returns the orgs directly below org in a year: a pack org's children and, for
// a district, the institutions of that year in it.
func (c *Cube) children(org string, year int) []string {
	o := c.pack.Org(org)
	if o == nil {
		return nil
	}
	var out []string
	for _, ch := range o.Children {
		out = append(out, ch.Code)
	}
	out = append(out, c.byDist[year][org]...)
	return out
}

func mergeBatches(a, b []int64) []int64 {
	if len(b) == 0 {
		return a
	}
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
}

// record computes an element of a declared record kind at an org in a year: its
// measure over the rows matching both its own filter and f, then as a share of
// another element, or per student. Shares, means and rates are computed from the
// org's own sums, never averaged from its children's.
func (c *Cube) record(el *plan.Element, org string, year int, f plan.Filter) Result {
	rm := el.Record
	rk := c.pack.RecordKind(rm.Kind)
	if rk == nil {
		return missing
	}
	// A value reported at the org (a year before the register existed) wins, as a
	// reported value of a roster element does.
	if r, ok := c.fact(el.Code, org, year, f); ok && f.Single() {
		return r
	}
	num := c.recordBase(rm, org, year, f)
	if !num.OK {
		return missing
	}
	out := num
	switch {
	case rm.Of != "":
		of := c.pack.Element(rm.Of)
		if of == nil || of.Record == nil {
			return missing
		}
		den := c.recordBase(of.Record, org, year, f)
		if !den.OK || den.Value == 0 {
			return missing
		}
		out = Result{Value: 100 * num.Value / den.Value, OK: true, Source: SourceRoster,
			Batches: mergeBatches(num.Batches, den.Batches), People: [2]float64{den.People[0], num.People[0]}}
	case rm.PerStudents:
		st := c.roster("students", org, year, rm.Students)
		if !st.OK || st.Value == 0 {
			return missing
		}
		out = Result{Value: rm.Per * num.Value / st.Value, OK: true, Source: SourceRoster,
			Batches: mergeBatches(num.Batches, st.Batches), People: [2]float64{num.People[0], st.Value}}
	}
	if !rk.Person() {
		out.People = [2]float64{}
	}
	return out
}

// recordBase is a record measure before any share or rate: the rows counted, or a
// field summed or averaged over the rows that gave it. People[0] is the rows behind it.
func (c *Cube) recordBase(rm *plan.RecordMeasure, org string, year int, f plan.Filter) Result {
	g := rm.Filter.And(f)
	rows := c.aggCount(rm.Kind, org, year, g)
	if !rows.OK {
		return missing
	}
	switch rm.Op {
	case plan.MeasureSum, plan.MeasureMean:
		sum := c.aggCount(rm.Kind+"."+rm.Field, org, year, g)
		n := c.aggCount(rm.Kind+"."+rm.Field+"#n", org, year, g)
		if !sum.OK || !n.OK {
			return missing
		}
		out := Result{Value: sum.Value, OK: true, Source: SourceRoster, Batches: sum.Batches, People: [2]float64{n.Value}}
		if rm.Op == plan.MeasureMean {
			if n.Value == 0 {
				return missing
			}
			out.Value /= n.Value
		}
		return out
	}
	rows.People[0] = rows.Value
	return rows
}
