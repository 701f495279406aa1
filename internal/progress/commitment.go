package progress

import (
	"math"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// Range positions of a commitment's latest value.
const (
	Below  = "below"
	Within = "within"
	Above  = "above"
)

// CommitmentRow is the progress of one commitment (承诺事项) at one org: a progress Row
// with the commitment's kind of target. For a range, Target is the bound the value was
// judged against; for non_decreasing it is empty; for at_least it is the other series'
// value in the latest year (or the constant).
type CommitmentRow struct {
	Row
	Kind     plan.GoalKind `json:"target_kind"`
	Min      Number        `json:"target_min"`
	Max      Number        `json:"target_max"`
	Relation plan.Relation `json:"relation,omitempty"`
	Of       string        `json:"of,omitempty"`
	// Position is where the latest value lies against a range: below, within or above.
	Position string `json:"range_position,omitempty"`
	// Breaches are the years in which a relation, or a target held every year, did not
	// hold.
	Breaches []int `json:"breaches,omitempty"`
	// EveryYear marks a value or range target that must hold in every year.
	EveryYear bool `json:"every_year,omitempty"`
	// About and Band are an approximate target's value and band (约About（±Band）), 0
	// for others.
	About float64 `json:"about,omitempty"`
	Band  float64 `json:"band,omitempty"`
}

// AssessCommitments returns the progress of every commitment (pack order) at the city
// and each district (pack order) that the query selects, where the commitment is defined
// at the org's level.
//
// A value target is judged by the default method, exactly as a headline indicator; a
// commitment without a stated baseline takes as B each org's computed value in the
// baseline year (the city's too).
//
// A range target [min, max] is achieved when the latest value lies in it (bounds
// inclusive, no tolerance). Outside it, the value is judged by the default method
// toward the bound it comes from: min for an up commitment (so B → min, and a value
// above max, more than promised, counts as achieved), max for a down one, and the
// nearer bound for hold and toward (judged as toward). A value that has left the range
// its baseline was in is regressing.
//
// A relation target has no completion ratio: it is achieved when it held in every year
// checked so far and regressing (not met) when it failed in any, whose years are
// listed in Breaches. non_decreasing (只增不减) compares each year's value from the
// year after the baseline year to the latest with the value of the year before that has
// one, within the tolerance; at_least compares each year after the baseline year with
// the other series' value of the same year (or the constant), within the tolerance. Years where a value
// is missing are not checked; with none checked, the status is no_data.
func AssessCommitments(e *indicator.Engine, scope plan.Scope, q Query) ([]CommitmentRow, error) {
	pack := e.Pack()
	if q.Indicator != "" && pack.Commitment(q.Indicator) == nil {
		return nil, plan.Errorf(plan.ENOTFOUND, "承诺事项 %q 不存在", "no commitment %q", q.Indicator)
	}
	orgs, err := assessedOrgs(e, scope, q.Org)
	if err != nil {
		return nil, err
	}
	var rows []CommitmentRow
	for _, c := range pack.Commitments {
		if q.Indicator != "" && c.Code != q.Indicator {
			continue
		}
		for _, o := range orgs {
			if c.AtLevel(o.Level) {
				rows = append(rows, assessCommitment(e, c, o.Code))
			}
		}
	}
	return rows, nil
}

// assessedOrgs returns the city and the districts that a query's org selects in a scope.
func assessedOrgs(e *indicator.Engine, scope plan.Scope, org string) ([]*plan.Org, error) {
	pack := e.Pack()
	if org != "" {
		o := pack.Org(org)
		if o == nil {
			return nil, plan.Errorf(plan.ENOTFOUND, "区域 %q 不存在（进度按市和区县评估）", "no city or district %q (progress is assessed for the city and districts)", org)
		}
		if !e.InScope(scope, org) {
			return nil, plan.Errorf(plan.EFORBIDDEN, "无权查看 %s 的数据", "org %s is outside your scope", org)
		}
	}
	var out []*plan.Org
	for _, o := range append([]*plan.Org{pack.Top()}, pack.Districts()...) {
		if (org == "" || o.Code == org) && e.InScope(scope, o.Code) {
			out = append(out, o)
		}
	}
	return out, nil
}

func assessCommitment(e *indicator.Engine, c *plan.Indicator, org string) CommitmentRow {
	if c.Goal.EveryYear {
		return assessEveryYear(e, c, org)
	}
	switch c.Goal.Kind {
	case plan.GoalRange:
		return assessRange(e, c, org)
	case plan.GoalRelation:
		return assessRelation(e, c, org)
	}
	return CommitmentRow{Row: assess(e, c, org), Kind: plan.GoalValue}
}

func assessRange(e *indicator.Engine, c *plan.Indicator, org string) CommitmentRow {
	lo, hi := c.Goal.Min, c.Goal.Max
	cr := CommitmentRow{Kind: plan.GoalRange, Min: num(lo), Max: num(hi), About: c.Goal.About, Band: c.Goal.Band}
	r := Row{Indicator: c.Code, Org: org, Status: NoData, Baseline: baseline(e, c, org), Target: num(lo)}
	probe := judge(e, c, r) // for the latest value
	if !probe.Latest.OK {
		cr.Row = probe
		return cr
	}
	A := probe.Latest.V
	in := func(x float64) bool { return lo <= x && x <= hi }
	cr.Position = position(A, lo, hi)
	// The bound the value comes from, and the direction it is judged in.
	j := *c
	switch c.Direction {
	case plan.Up:
		r.Target = num(lo)
	case plan.Down:
		r.Target = num(hi)
	default:
		j.Direction = plan.Toward
		r.Target = num(lo)
		if A > hi {
			r.Target = num(hi)
		}
	}
	cr.Row = judge(e, &j, r)
	switch {
	case cr.Position == Within:
		cr.Status, cr.Completion = Achieved, Number{}
	case cr.Baseline.OK && in(cr.Baseline.V) && cr.Status != Achieved:
		cr.Status, cr.Completion = Regressing, Number{}
	case !cr.Baseline.OK:
		// No B to measure the way from (an average growth has none in its baseline
		// year): outside the range is not there yet.
		cr.Status = Lagging
	}
	// An approximate target (约10%) is a level to be about at the end, as a hold is:
	// being about it early is not 提前实现.
	cr.Early = cr.Status == Achieved && cr.LatestYear < cr.TargetYear && c.Goal.Band == 0
	cr.AtRisk = c.AtRisk() && (cr.Status == Lagging || cr.Status == Regressing)
	return cr
}

func assessRelation(e *indicator.Engine, c *plan.Indicator, org string) CommitmentRow {
	cr := CommitmentRow{Kind: plan.GoalRelation, Relation: c.Goal.Relation, Of: c.Goal.Of}
	r := Row{Indicator: c.Code, Org: org, Status: NoData, Baseline: baseline(e, c, org)}
	r = judge(e, c, r) // latest value, time elapsed, projection; the status is decided below
	r.Completion, r.RequiredChange, r.Status, r.AtRisk, r.Early = Number{}, Number{}, NoData, false, false
	bYear := c.Baseline.Year
	checked := 0
	switch c.Goal.Relation {
	case plan.NonDecreasing:
		prev := r.Baseline
		for _, p := range series(e, c, org) {
			if p.Year > bYear && p.Year <= r.LatestYear && prev.OK {
				checked++
				if p.Value < prev.V-c.Tolerance {
					cr.Breaches = append(cr.Breaches, p.Year)
				}
			}
			prev = num(p.Value)
		}
	case plan.AtLeast:
		for _, p := range series(e, c, org) {
			if p.Year <= bYear || p.Year > r.LatestYear {
				continue
			}
			other := other(e, c, org, p.Year)
			if !other.OK {
				continue
			}
			checked++
			if p.Year == r.LatestYear {
				r.Target = other
			}
			if p.Value < other.V-c.Tolerance {
				cr.Breaches = append(cr.Breaches, p.Year)
			}
		}
	}
	return cr.judged(c, r, checked)
}

// assessEveryYear judges a value or range target that must hold in every year
// (Goal.EveryYear): each year after the baseline year up to the latest is checked
// against the floor T − tol (up), the ceiling T + tol (down, hold and toward read as
// a floor and a ceiling both), or the range widened by tol; the years outside are
// Breaches. As for a relation, there is no completion ratio: achieved while no year
// failed, regressing (not met) once one did, no_data with no year to check.
func assessEveryYear(e *indicator.Engine, c *plan.Indicator, org string) CommitmentRow {
	cr := CommitmentRow{Kind: c.Goal.Kind, EveryYear: true}
	r := Row{Indicator: c.Code, Org: org, Status: NoData, Baseline: baseline(e, c, org)}
	lo, hi := math.Inf(-1), math.Inf(1)
	if c.Goal.Kind == plan.GoalRange {
		lo, hi = c.Goal.Min, c.Goal.Max
		cr.Min, cr.Max = num(lo), num(hi)
		r.Target = num(lo)
	} else {
		r.Target = target(e, c, org, r.Baseline)
		if r.Target.OK {
			switch c.Direction {
			case plan.Up:
				lo = r.Target.V
			case plan.Down:
				hi = r.Target.V
			default:
				lo, hi = r.Target.V, r.Target.V
			}
		}
	}
	r = judge(e, c, r) // latest value, time elapsed, projection; the status is decided below
	r.Completion, r.RequiredChange, r.Status, r.AtRisk, r.Early = Number{}, Number{}, NoData, false, false
	checked := 0
	for _, p := range series(e, c, org) {
		if p.Year <= c.Baseline.Year || p.Year > r.LatestYear {
			continue
		}
		checked++
		if p.Value < lo-c.Tolerance || p.Value > hi+c.Tolerance {
			cr.Breaches = append(cr.Breaches, p.Year)
		}
	}
	if r.Latest.OK && c.Goal.Kind == plan.GoalRange {
		cr.Position = position(r.Latest.V, lo, hi)
	}
	return cr.judged(c, r, checked)
}

// judged completes a commitment row checked year by year (a relation, or a target
// that must hold every year): no year checked is no_data, a year that failed
// (Breaches) is regressing, none is achieved.
func (cr CommitmentRow) judged(c *plan.Indicator, r Row, checked int) CommitmentRow {
	switch {
	case checked == 0:
		r.Status = NoData
	case len(cr.Breaches) > 0:
		r.Status = Regressing
	default:
		r.Status = Achieved
	}
	r.AtRisk = c.AtRisk() && r.Status == Regressing
	cr.Row = r
	return cr
}

// position is where x lies against the range [lo, hi].
func position(x, lo, hi float64) string {
	switch {
	case x < lo:
		return Below
	case x > hi:
		return Above
	}
	return Within
}

// other is what an at_least commitment is compared with in a year: the constant, the
// value of the indicator or commitment Of, or the reported fact Of.
func other(e *indicator.Engine, c *plan.Indicator, org string, year int) Number {
	switch {
	case c.Goal.Floor:
		return num(c.Target.Value)
	case e.Pack().Measure(c.Goal.Of) != nil:
		if v, ok := e.Get(c.Goal.Of, org, year); ok && v.OK {
			return num(v.Value)
		}
		return Number{}
	}
	if r := e.Cube().Get(c.Goal.Of, org, year, nil); r.OK {
		return num(r.Value)
	}
	return Number{}
}
