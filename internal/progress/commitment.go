package progress

import (
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
	// Breaches are the years in which a relation did not hold.
	Breaches []int `json:"breaches,omitempty"`
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
	cr := CommitmentRow{Kind: plan.GoalRange, Min: num(lo), Max: num(hi)}
	r := Row{Indicator: c.Code, Org: org, Status: NoData, Baseline: baseline(e, c, org), Target: num(lo)}
	probe := judge(e, c, r) // for the latest value
	if !probe.Latest.OK {
		cr.Row = probe
		return cr
	}
	A := probe.Latest.V
	in := func(x float64) bool { return lo <= x && x <= hi }
	switch {
	case in(A):
		cr.Position = Within
	case A < lo:
		cr.Position = Below
	default:
		cr.Position = Above
	}
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
	}
	cr.Early = cr.Status == Achieved && cr.LatestYear < cr.TargetYear
	cr.AtRisk = c.Attribute == plan.Binding && (cr.Status == Lagging || cr.Status == Regressing)
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
	switch {
	case checked == 0:
		r.Status = NoData
	case len(cr.Breaches) > 0:
		r.Status = Regressing
	default:
		r.Status = Achieved
	}
	r.AtRisk = c.Attribute == plan.Binding && r.Status == Regressing
	cr.Row = r
	return cr
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
