// Package progress assesses each indicator against the plan's baseline and target, for
// the city and every district, by the rules of docs/indicators.md: time elapsed,
// completion, status, at-risk binding indicators, the change still required per year,
// and a linear-trend projection to the target year. It assesses the commitments
// (commitment.go) alike, ranks the districts (scorecard.go), sets the other methods of
// docs/progress.md beside the default (methods.go), and writes the final review at the
// plan's end year (review.go).
//
// It reads the indicator engine and is read by the views.
package progress

import (
	"encoding/json"
	"io"
	"math"
	"strconv"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/sheet"
)

// Query selects progress rows: empty fields select all.
type Query struct {
	Indicator string
	Org       string
}

// num makes a Number of v: undefined when NaN or infinite; −0 becomes 0.
func num(v float64) Number { return Number{V: v + 0, OK: !math.IsNaN(v) && !math.IsInf(v, 0)} }

// MarshalJSON writes the number, or null when undefined.
func (n Number) MarshalJSON() ([]byte, error) {
	if !n.OK {
		return []byte("null"), nil
	}
	return json.Marshal(n.V)
}

// UnmarshalJSON reads a number, or null as undefined.
func (n *Number) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Number{}
		return nil
	}
	*n = Number{OK: true}
	return json.Unmarshal(b, &n.V)
}

// String is the number as machine output writes it, "" when undefined.
func (n Number) String() string {
	if !n.OK {
		return ""
	}
	return indicator.FormatNumber(n.V)
}

// Assess returns the progress of every indicator (pack order) at the city and each
// district (pack order) that the query selects.
func Assess(e *indicator.Engine, scope plan.Scope, q Query) ([]Row, error) {
	pack := e.Pack()
	if q.Indicator != "" && pack.Indicator(q.Indicator) == nil {
		return nil, plan.Errorf(plan.ENOTFOUND, "指标 %q 不存在", "no indicator %q", q.Indicator)
	}
	if q.Org != "" {
		o := pack.Org(q.Org)
		if o == nil {
			return nil, plan.Errorf(plan.ENOTFOUND, "区域 %q 不存在（进度按市和区县评估）", "no city or district %q (progress is assessed for the city and districts)", q.Org)
		}
		if !e.InScope(scope, q.Org) {
			return nil, plan.Errorf(plan.EFORBIDDEN, "无权查看 %s 的数据", "org %s is outside your scope", q.Org)
		}
	}
	orgs := append([]*plan.Org{pack.Top()}, pack.Districts()...)
	var rows []Row
	for _, ind := range pack.Indicators {
		if q.Indicator != "" && ind.Code != q.Indicator {
			continue
		}
		for _, o := range orgs {
			if (q.Org != "" && o.Code != q.Org) || !ind.AtLevel(o.Level) || !e.InScope(scope, o.Code) {
				continue
			}
			rows = append(rows, assess(e, ind, o.Code))
		}
	}
	return rows, nil
}

// baseline returns B for an org: stated in the pack, else computed in the baseline year.
func baseline(e *indicator.Engine, ind *plan.Indicator, org string) Number {
	if org == e.Pack().Tenant && !ind.NoBaseline {
		return num(ind.Baseline.Value)
	}
	if v, ok := ind.OrgBaselines[org]; ok {
		return num(v)
	}
	if v, ok := e.Get(ind.Code, org, ind.Baseline.Year); ok && v.OK {
		return num(v.Value)
	}
	return Number{}
}

// target returns T for an org: stated, else the city's; for counts, the city's relative
// change applied to the org's baseline.
func target(e *indicator.Engine, ind *plan.Indicator, org string, b Number) Number {
	if org == e.Pack().Tenant {
		return num(ind.Target.Value)
	}
	if v, ok := ind.OrgTargets[org]; ok {
		return num(v)
	}
	if ind.IsCount() {
		if !b.OK || ind.Baseline.Value == 0 {
			return Number{}
		}
		return num(b.V * ind.Target.Value / ind.Baseline.Value)
	}
	return num(ind.Target.Value)
}

func assess(e *indicator.Engine, ind *plan.Indicator, org string) Row {
	r := Row{Indicator: ind.Code, Org: org, Status: NoData}
	r.Baseline = baseline(e, ind, org)
	r.Target = target(e, ind, org, r.Baseline)
	return judge(e, ind, r)
}

// judge fills the row's latest value, time elapsed, required change, projection,
// completion and status against its Baseline and Target, by the default method.
func judge(e *indicator.Engine, ind *plan.Indicator, r Row) Row {
	bYear, tYear := ind.Baseline.Year, ind.Target.Year
	org := r.Org
	r.BaselineYear, r.TargetYear = bYear, tYear

	// A: the latest year after b, up to t, with a value; the series for the trend.
	pts := series(e, ind, org)
	xs, ys := make([]float64, len(pts)), make([]float64, len(pts))
	for i, p := range pts {
		xs[i], ys[i] = float64(p.Year), p.Value
		if p.Year > bYear {
			r.LatestYear, r.Latest = p.Year, num(p.Value)
		}
	}
	if len(xs) >= 3 {
		r.Projection = trend(xs, ys, float64(tYear))
	}
	if !r.Latest.OK {
		return r
	}
	y := r.LatestYear
	r.TimeElapsed = num(float64(y-bYear) / float64(tYear-bYear))
	if r.Target.OK && y < tYear {
		r.RequiredChange = num((r.Target.V - r.Latest.V) / float64(tYear-y))
	}
	if !r.Baseline.OK || !r.Target.OK {
		return r
	}
	B, T, A, tau := r.Baseline.V, r.Target.V, r.Latest.V, r.TimeElapsed.V
	tol, delta := ind.Tolerance, e.Pack().Delta
	dir := ind.Direction
	// A ratio measures the way from B to T; with B already at or beyond T there is no way
	// to measure (as for hold), and the value is judged against T with the tolerance.
	reached := dir == plan.Up && B >= T || dir == plan.Down && B <= T || dir == plan.Toward && math.Abs(B-T) <= tol
	if dir != plan.Hold && B != T && !reached {
		switch dir {
		case plan.Up, plan.Down:
			r.Completion = num((A - B) / (T - B))
		case plan.Toward:
			r.Completion = num((math.Abs(B-T) - math.Abs(A-T)) / math.Abs(B-T))
		}
	}
	r.Status = status(dir, B, T, A, tol, tau, delta, r.Completion)
	r.Early = r.Status == Achieved && r.Completion.OK && y < tYear
	r.AtRisk = ind.AtRisk() && (r.Status == Lagging || r.Status == Regressing)
	return r
}

// status applies the rules of docs/indicators.md.
func status(dir plan.Direction, B, T, A, tol, tau, delta float64, c Number) Status {
	switch {
	case dir == plan.Up && A >= T, dir == plan.Down && A <= T, dir == plan.Toward && math.Abs(A-T) <= tol:
		return Achieved
	}
	if !c.OK {
		// hold, or a target equal to the baseline: judged against T and B with tol.
		switch dir {
		case plan.Down:
			// the mirror of hold for a ceiling
			switch {
			case A <= T+tol:
				return Achieved
			case A <= B+tol:
				return Lagging
			}
			return Regressing
		case plan.Toward:
			return Regressing
		}
		switch {
		case A >= T-tol:
			return Achieved
		case A >= B-tol:
			return Lagging
		}
		return Regressing
	}
	switch {
	case c.V < 0:
		return Regressing
	case c.V > tau+delta:
		return Ahead
	case c.V >= tau-delta:
		return OnTrack
	}
	return Lagging
}

// trend is the ordinary least squares line through the points, read at x.
func trend(xs, ys []float64, x float64) Number {
	n := float64(len(xs))
	var sx, sy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
	}
	mx, my := sx/n, sy/n
	var sxy, sxx float64
	for i := range xs {
		sxy += (xs[i] - mx) * (ys[i] - my)
		sxx += (xs[i] - mx) * (xs[i] - mx)
	}
	if sxx == 0 {
		return Number{}
	}
	slope := sxy / sxx
	return num(my + slope*(x-mx))
}

// Header is the header of the "Progress out" CSV of docs/formats.md.
var Header = []string{"indicator", "org", "baseline_year", "baseline", "latest_year", "latest", "target_year", "target",
	"time_elapsed", "completion", "status", "at_risk", "required_change", "projection"}

// Record returns the row as a record of the "Progress out" CSV, in Header's order.
func (r Row) Record() []string {
	latestYear := ""
	if r.Latest.OK {
		latestYear = strconv.Itoa(r.LatestYear)
	}
	return []string{r.Indicator, r.Org, strconv.Itoa(r.BaselineYear), r.Baseline.String(), latestYear, r.Latest.String(),
		strconv.Itoa(r.TargetYear), r.Target.String(), r.TimeElapsed.String(), r.Completion.String(), string(r.Status),
		strconv.FormatBool(r.AtRisk), r.RequiredChange.String(), r.Projection.String()}
}

// WriteCSV writes rows as the "Progress out" CSV of docs/formats.md.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := sheet.NewWriter(w)
	cw.Write(Header)
	for _, r := range rows {
		cw.Write(r.Record())
	}
	cw.Flush()
	return cw.Error()
}
