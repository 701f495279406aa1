package progress

import (
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// Comparison is one indicator at one org assessed by every method side by side: the
// default (Chinese plan evaluation), Open SDG, the UNSD progress chart and UN ESCAP's
// anticipated progress. All read the same baseline, target and computed values.
type Comparison struct {
	Row     Row     `json:"default"`
	OpenSDG OpenSDG `json:"open_sdg"`
	UNSD    UNSD    `json:"unsd"`
	ESCAP   ESCAP   `json:"escap"`
}

// Compare assesses what Assess selects by every method.
func Compare(e *indicator.Engine, scope plan.Scope, q Query) ([]Comparison, error) {
	rows, err := Assess(e, scope, q)
	if err != nil {
		return nil, err
	}
	out := make([]Comparison, 0, len(rows))
	for _, r := range rows {
		c := Comparison{Row: r, OpenSDG: OpenSDG{Status: OpenSDGNotComputable}, UNSD: UNSD{Status: UNSDNotComputable}, ESCAP: ESCAP{Status: ESCAPNotComputable}}
		ind := e.Pack().Indicator(r.Indicator)
		if r.Baseline.OK && r.Target.OK && r.Latest.OK {
			g := Goal{Direction: ind.Direction, Tolerance: ind.Tolerance,
				Baseline: plan.Point{Year: r.BaselineYear, Value: r.Baseline.V},
				Target:   plan.Point{Year: r.TargetYear, Value: r.Target.V}}
			cur := plan.Point{Year: r.LatestYear, Value: r.Latest.V}
			c.OpenSDG = OpenSDGWithTarget(g, cur)
			c.UNSD = UNSDChart(g, cur)
			c.ESCAP = ESCAPProgress(g, series(e, ind, r.Org))
		}
		out = append(out, c)
	}
	return out, nil
}

// series is an org's computed values of an indicator from the baseline to the target year.
func series(e *indicator.Engine, ind *plan.Indicator, org string) []plan.Point {
	var pts []plan.Point
	for _, y := range e.Years() {
		if y < ind.Baseline.Year || y > ind.Target.Year {
			continue
		}
		if v, ok := e.Get(ind.Code, org, y); ok && v.OK {
			pts = append(pts, plan.Point{Year: y, Value: v.Value})
		}
	}
	return pts
}
