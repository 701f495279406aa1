package indicator

import (
	"context"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/expr-lang/expr"

	"github.com/yantai-edu/eduplan/internal/cube"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// Engine is one consistent snapshot of every indicator's values: built from a cube,
// never changed after. A new Engine replaces it after each import.
type Engine struct {
	pack     *plan.Pack
	cube     *cube.Cube
	formulas []*Formula
	values   valueList
	index    map[valueKey]int
	// years are the years with data: the cube's, and those of its reported years in
	// which some value could be computed (keepYears); kept holds them too. until is the
	// last year an AsOf view knows, 0 for the whole engine; years then stop at it.
	until int
	years []int
	kept  map[int]bool
	// byCode finds a formula by its indicator's code.
	byCode map[string]*Formula
	// small is the institutions' small counts, found when first needed (suppress.go).
	small *smallCounts
	// scope, set by For, is the reader Get gives values to; nil gives every value whole.
	scope *plan.Scope
	// generation counts the engines of one data set: 1 when loaded whole, one more for
	// each Reload after an import.
	generation uint64
}

type valueKey struct {
	indicator string
	org       string
	year      int
}

// Load builds the cube of the pack's tenant from the store and computes every value.
func Load(ctx context.Context, db *store.DB, pack *plan.Pack) (*Engine, error) {
	c, err := cube.Load(ctx, db, pack)
	if err != nil {
		return nil, err
	}
	return New(pack, c)
}

// New compiles the pack's formulas and computes every indicator and commitment for the
// city and the districts in every year with data, and for each institution that year
// where the formula is defined at institutions.
func New(pack *plan.Pack, c *cube.Cube) (*Engine, error) {
	e := &Engine{pack: pack, cube: c, index: map[valueKey]int{}, byCode: map[string]*Formula{}, small: &smallCounts{}}
	for _, ind := range slices.Concat(pack.Indicators, pack.Commitments) {
		f, err := Compile(pack, ind)
		if err != nil {
			return nil, fmt.Errorf("indicator %s: %w", ind.Code, err)
		}
		e.formulas = append(e.formulas, f)
		e.byCode[ind.Code] = f
	}
	e.compute(func(f *Formula, org string, y int) Value { return e.eval(f, org, y, nil) })
	e.keepYears()
	e.generation = 1
	e.prepare()
	return e, nil
}

// candidateYears are the years values are computed for: the cube's years with data and
// its years with reported figures of roster elements only.
func candidateYears(c *cube.Cube) []int {
	return slices.Sorted(slices.Values(slices.Concat(c.Years(), c.ReportedYears())))
}

// keepYears sets the engine's years: the cube's years with data, and each year with
// reported figures only where some value could be computed (a bureau's totals that
// give an indicator are a year like any other; grade-1 entrants of 2012 alone are not).
func (e *Engine) keepYears() {
	e.kept = map[int]bool{}
	for _, y := range e.cube.Years() {
		e.kept[y] = true
	}
	if len(e.cube.ReportedYears()) > 0 {
		e.values.all(func(v Value) {
			if v.OK {
				e.kept[v.Year] = true
			}
		})
	}
	e.years = slices.Sorted(maps.Keys(e.kept))
}

// compute adds the value of every formula at every org and year there is one, as value
// gives it. The values are computed on every core (value must be safe to call from
// several goroutines: eval is) and added in a fixed order.
func (e *Engine) compute(value func(f *Formula, org string, y int) Value) {
	type job struct {
		f   *Formula
		org string
		y   int
	}
	c := e.cube
	orgs := []*plan.Org{e.pack.Top()}
	orgs = append(orgs, e.pack.Districts()...)
	insts := e.institutionCodes()
	var jobs []job
	years := candidateYears(c)
	for _, f := range e.formulas {
		for _, o := range orgs {
			if !f.Indicator.AtLevel(o.Level) {
				continue
			}
			for _, y := range years {
				jobs = append(jobs, job{f, o.Code, y})
			}
		}
		if !f.Indicator.AtLevel(plan.LevelInstitution) {
			continue
		}
		for _, code := range insts {
			for _, y := range years {
				if c.Institutions(y)[code] != nil {
					jobs = append(jobs, job{f, code, y})
				}
			}
		}
	}
	values := make([]Value, len(jobs))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(jobs)/256))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(jobs); i += workers {
				values[i] = value(jobs[i].f, jobs[i].org, jobs[i].y)
			}
		})
	}
	wg.Wait()
	for _, v := range values {
		e.add(v)
	}
}

func (e *Engine) add(v Value) {
	e.index[valueKey{v.Indicator, v.Org, v.Year}] = e.values.len()
	e.values.add(v)
}

// institutionCodes returns every institution code of any year, sorted.
func (e *Engine) institutionCodes() []string {
	seen := map[string]bool{}
	for _, y := range candidateYears(e.cube) {
		for _, code := range e.cube.InstitutionCodes(y, "") {
			seen[code] = true
		}
	}
	codes := make([]string, 0, len(seen))
	for code := range seen {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	return codes
}

// eval computes one value; with trace non-nil it records every input read.
func (e *Engine) eval(f *Formula, org string, year int, trace *[]Input) Value {
	v := Value{Indicator: f.Indicator.Code, Org: org, Year: year}
	var missing []string
	get := func(fn string, args []any) float64 {
		cl := f.calls[callKey(fn, args)]
		y := cl.yearFor(year)
		r := e.cube.Get(cl.element, org, y, cl.filter)
		if (fn == "students" || fn == "teachers") && r.OK && smallCount(r.Value) {
			v.small = true
		}
		if r.OK && cl.persons && slices.ContainsFunc(r.People[:], smallCount) {
			v.small = true
		}
		if trace != nil {
			*trace = append(*trace, Input{Call: cl.text, Org: org, Year: y, Value: r.Value, OK: r.OK, Source: r.Source, Batches: r.Batches,
				Origins: r.Origin.Names()})
		}
		if !r.OK {
			missing = append(missing, cl.describe(year))
			return 0
		}
		return r.Value
	}
	env := map[string]any{}
	for _, fn := range rosterFuncs {
		env[fn] = func(filter string, offset ...int) float64 {
			args := []any{filter}
			for _, o := range offset {
				args = append(args, o)
			}
			return get(fn, args)
		}
	}
	env["fact"] = func(element string, rest ...any) float64 {
		return get("fact", append([]any{element}, rest...))
	}
	// years_since(Y) is the years from Y to the year evaluated, for cagr.
	env["years_since"] = func(y int) float64 { return float64(year - y) }
	env["cagr"] = cagr
	out, err := expr.Run(f.program, env)
	switch {
	case err != nil:
		v.Reason, v.ReasonEn = "计算出错："+err.Error(), "evaluation failed: "+err.Error()
	case len(missing) > 0:
		v.Reason = "缺少输入数据：" + strings.Join(missing, "，")
		v.ReasonEn = "missing input: " + strings.Join(missing, ", ")
	default:
		x, _ := out.(float64)
		if math.IsNaN(x) || math.IsInf(x, 0) {
			v.Reason, v.ReasonEn = "分母为零", "zero denominator"
		} else {
			v.Value, v.OK = x, true
		}
	}
	return v
}

// Generation is the engine's place in the line of engines of one data set: 1 when
// loaded whole, one more than the engine it replaced after each Reload. Views (For,
// AsOf) share their engine's. Caches of answers drawn from an engine key by it.
func (e *Engine) Generation() uint64 { return e.generation }

// Formula returns the compiled formula of an indicator or commitment; nil if there is
// none by that code.
func (e *Engine) Formula(code string) *Formula { return e.byCode[code] }

// Pack returns the pack the engine computes.
func (e *Engine) Pack() *plan.Pack { return e.pack }

// Cube returns the cube the engine reads.
func (e *Engine) Cube() *cube.Cube { return e.cube }

// Years returns the years that have data, ascending.
func (e *Engine) Years() []int { return e.years }

// Get returns the value of an indicator at an org in a year, if it was computed: as
// the reader of For's scope may see it, or whole.
func (e *Engine) Get(indicator, org string, year int) (Value, bool) {
	if (e.until != 0 && year > e.until) || !e.kept[year] {
		return Value{}, false
	}
	i, ok := e.index[valueKey{indicator, org, year}]
	if !ok {
		return Value{}, false
	}
	if e.scope != nil {
		return e.published(*e.scope, e.values.at(i)), true
	}
	return e.values.at(i), true
}

// OrgName returns the names of an org of the pack or of an institution.
func (e *Engine) OrgName(code string) (zh, en string, ok bool) {
	if o := e.pack.Org(code); o != nil {
		return o.Name, o.NameEn, true
	}
	if in := e.cube.Institution(code); in != nil {
		return in.Name, in.Name, true
	}
	return "", "", false
}

// district returns the district an org belongs to ("" for the city), and whether the
// org is known.
func (e *Engine) district(code string) (string, bool) {
	if o := e.pack.Org(code); o != nil {
		if o.Level == plan.LevelDistrict {
			return o.Code, true
		}
		return "", true
	}
	if in := e.cube.Institution(code); in != nil {
		return in.District, true
	}
	return "", false
}

// District returns the district an org unit or institution belongs to (a district's
// is itself; the city's is ""); false if the code is neither.
func (e *Engine) District(code string) (string, bool) { return e.district(code) }

// InScope reports whether an org's values are visible in a scope at all: the city's
// and the districts' are published to everyone, and so are the institutions' — in full
// to callers whose scope covers the institution (see covers), to the others with every
// value resting on a count of fewer than plan.PublicMinCount people suppressed.
func (e *Engine) InScope(scope plan.Scope, code string) bool {
	if scope.Tenant != e.pack.Tenant {
		return false
	}
	_, ok := e.district(code)
	return ok
}

// covers reports whether a scope sees an org's values in full, small counts included.
func (e *Engine) covers(scope plan.Scope, code string) bool {
	if scope.Tenant != e.pack.Tenant {
		return false
	}
	if e.pack.Org(code) != nil {
		return true
	}
	if scope.Detail < plan.Aggregates {
		return false
	}
	if scope.Org == e.pack.Tenant {
		return true
	}
	d, ok := e.district(code)
	return ok && (d == scope.Org || code == scope.Org)
}

// published is v as the scope may see it: a small count's value outside the caller's
// scope becomes empty, with the reason, and so does an aggregate that would give such a
// count away (suppress.go).
func (e *Engine) published(scope plan.Scope, v Value) Value {
	if v.OK && e.reveals(scope, e.byCode[v.Indicator], v.Org, v.Year) {
		return revealedValue(v)
	}
	if !v.small || e.covers(scope, v.Org) {
		return v
	}
	return Value{Indicator: v.Indicator, Org: v.Org, Year: v.Year, small: true,
		Reason:   fmt.Sprintf("不足 %d 人，不予公开", plan.PublicMinCount),
		ReasonEn: fmt.Sprintf("suppressed: fewer than %d people", plan.PublicMinCount)}
}

// Values returns the computed values that match the query and lie in the scope, by
// indicator (pack order), org (city, districts, institutions) and year: the headline
// indicators' values, or with q.Commitments the commitments'.
func (e *Engine) Values(scope plan.Scope, q Query) ([]Value, error) {
	if err := e.check(scope, q.Indicator, q.Org); err != nil {
		return nil, err
	}
	if q.Indicator != "" && (e.pack.Commitment(q.Indicator) != nil) != q.Commitments {
		if q.Commitments {
			return nil, plan.Errorf(plan.ENOTFOUND, "承诺事项 %q 不存在（%[1]s 是指标）", "no commitment %q (%[1]s is an indicator)", q.Indicator)
		}
		return nil, plan.Errorf(plan.ENOTFOUND, "指标 %q 不存在（%[1]s 是承诺事项）", "no indicator %q (%[1]s is a commitment)", q.Indicator)
	}
	var out []Value
	e.values.all(func(v Value) {
		if (e.pack.Commitment(v.Indicator) != nil) != q.Commitments {
			return
		}
		if (q.Indicator == "" || v.Indicator == q.Indicator) && (q.Org == "" || v.Org == q.Org) &&
			(q.Year == 0 || v.Year == q.Year) && (e.until == 0 || v.Year <= e.until) && e.kept[v.Year] && e.InScope(scope, v.Org) {
			out = append(out, e.published(scope, v))
		}
	})
	return out, nil
}

func (e *Engine) check(scope plan.Scope, indicator, org string) error {
	if indicator != "" && e.pack.Measure(indicator) == nil {
		return plan.Errorf(plan.ENOTFOUND, "指标 %q 不存在", "no indicator %q", indicator)
	}
	if org != "" {
		if _, ok := e.district(org); !ok {
			return plan.Errorf(plan.ENOTFOUND, "机构 %q 不存在", "no org unit %q", org)
		}
		if !e.InScope(scope, org) {
			return plan.Errorf(plan.EFORBIDDEN, "无权查看 %s 的数据", "org %s is outside your scope", org)
		}
	}
	return nil
}

// Explain recomputes one value and returns it with the formula and each input read,
// with the import batches each came from.
func (e *Engine) Explain(scope plan.Scope, indicator, org string, year int) (*Explanation, error) {
	if indicator == "" || org == "" || year == 0 {
		return nil, plan.Errorf(plan.EINVALID, "需要指定 indicator、org 和 year", "indicator, org and year are required")
	}
	if err := e.check(scope, indicator, org); err != nil {
		return nil, err
	}
	for _, f := range e.formulas {
		if f.Indicator.Code != indicator {
			continue
		}
		var trace []Input
		v := e.eval(f, org, year, &trace)
		if v.small && !e.covers(scope, org) {
			return nil, plan.Errorf(plan.EFORBIDDEN, "%s 的这个值基于不足 %d 人的计数，不予公开", "this value of %s rests on a count of fewer than %d people and is not published",
				org, plan.PublicMinCount)
		}
		if e.reveals(scope, f, org, year) {
			return nil, plan.Errorf(plan.EFORBIDDEN, "%s 的这个值可推算出某机构不足 %d 人的计数，不予公开", "this value of %s would give away an institution's count of fewer than %d people and is not published",
				org, plan.PublicMinCount)
		}
		return &Explanation{Value: v, Formula: f.Indicator.Formula, Inputs: trace}, nil
	}
	return nil, plan.Errorf(plan.ENOTFOUND, "指标 %q 不存在", "no indicator %q", indicator)
}

// FormatNumber writes a number with enough digits to read back the same float64,
// without an exponent: the machine-output form of docs/formats.md.
func FormatNumber(x float64) string { return strconv.FormatFloat(x+0, 'f', -1, 64) } // x+0: −0 prints 0

// Evaluate computes a formula compiled by Compile (one not of the pack's indicators,
// such as a supervision standard's item) at an org and year, with each input it read.
func (e *Engine) Evaluate(f *Formula, org string, year int) (Value, []Input) {
	var trace []Input
	v := e.eval(f, org, year, &trace)
	return v, trace
}

// Covers reports whether a scope sees an org's values in full, small counts included:
// the city's and districts' always; an institution's when the scope is at least
// aggregates and covers its district.
func (e *Engine) Covers(scope plan.Scope, code string) bool { return e.covers(scope, code) }
