package progress

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/sheet"
)

// Verdict is the final review's finding on one target (总结评估结论).
type Verdict string

// Verdicts of the final review.
const (
	// Met: achieved by the plan's end year (or by its own earlier target year).
	Met Verdict = "met"
	// NotMet: not achieved, the target year having come.
	NotMet Verdict = "not_met"
	// NotDue: not achieved yet, but due after the plan's end year (the 2030 limits).
	NotDue Verdict = "not_due"
	// NoValue: nothing to judge (no value after the baseline year, or no baseline).
	NoValue Verdict = "no_data"
)

// Label returns the verdict in Chinese.
func (v Verdict) Label() string {
	switch v {
	case Met:
		return "达到"
	case NotMet:
		return "未达到"
	case NotDue:
		return "未到目标年份"
	}
	return "无数据"
}

// LabelEn returns the verdict in English.
func (v Verdict) LabelEn() string {
	switch v {
	case Met:
		return "Met"
	case NotMet:
		return "Not met"
	case NotDue:
		return "Not yet due"
	}
	return "No data"
}

// Review is the final review (总结评估) of the plan at its end year: every headline
// indicator and commitment at the city, met or not, by how much, and the districts
// that held the city back.
type Review struct {
	// Year is the plan's end year; the review reads the data up to it.
	Year  int             `json:"year"`
	Items []ReviewItem    `json:"items"`
	Count map[Verdict]int `json:"counts"`
}

// ReviewItem is one headline indicator or commitment in the final review.
type ReviewItem struct {
	// Kind is "indicator" (the 13 headline indicators) or "commitment".
	Kind    string `json:"kind"`
	Code    string `json:"code"`
	Name    string `json:"name"`
	NameEn  string `json:"name_en"`
	Section string `json:"section,omitempty"`
	Unit    string `json:"unit"`
	// City is the city's progress row as of the end year.
	City    CommitmentRow `json:"city"`
	Verdict Verdict       `json:"verdict"`
	Gap
	// HeldBack are the districts where the target was not met, the largest gap first
	// (then pack order); empty where the target is not assessed per district.
	HeldBack []DistrictGap `json:"held_back"`
}

// Gap is how far a value is from its target.
type Gap struct {
	// Gap is what the value still lacks, in the target's unit, 0 when met: T − A for
	// up and hold, A − T for down, |A − T| for toward (the plain distance: a tolerance
	// that decided the status is in Check); for a range the
	// distance to the bound it is judged against; for a relation the largest
	// shortfall in a year it failed (the year before's value, or the other series').
	Gap Number `json:"gap"`
	// Share is Gap as a share of the change the target asked for, |T − B| (for a range,
	// |bound − B|): 0.25 = a quarter of the way left. Empty where the target asked for no
	// change (hold, a relation, B = T) or B is unknown.
	Share Number `json:"gap_share"`
	// Check is the comparison with a tolerance that decided the status, where one did,
	// e.g. "99.6 ≥ 100 − 0.5" (met within the tolerance) or "98.0 < 100 − 0.5"; empty
	// where no tolerance took part.
	Check string `json:"check,omitempty"`
}

// DistrictGap is a district where a target was not met.
type DistrictGap struct {
	Row CommitmentRow `json:"row"`
	// Verdict is the district's finding, as the city's: not met, or not due.
	Verdict Verdict `json:"verdict"`
	Gap
}

// FinalReview reviews every headline indicator and commitment at the plan's end year
// (pack.TargetYear): each is assessed at the city and the districts in scope, on the
// data up to the end year, by the rules of Assess and AssessCommitments; an item is
// met where its status is achieved, not met otherwise once its target year has come,
// not due before then.
func FinalReview(e *indicator.Engine, scope plan.Scope) (*Review, error) {
	return ReviewAt(e, scope, e.Pack().TargetYear)
}

// ReviewAt reviews every headline indicator and commitment as FinalReview does, on the
// data up to the year end: the mid-term review (中期评估) at the plan's middle year,
// where targets due later are not yet due unless already achieved.
func ReviewAt(e *indicator.Engine, scope plan.Scope, end int) (*Review, error) {
	pack := e.Pack()
	at := e.AsOf(end)
	heads, err := Assess(at, scope, Query{})
	if err != nil {
		return nil, err
	}
	comms, err := AssessCommitments(at, scope, Query{})
	if err != nil {
		return nil, err
	}
	rows := make([]CommitmentRow, 0, len(heads)+len(comms))
	for _, r := range heads {
		rows = append(rows, CommitmentRow{Row: r, Kind: plan.GoalValue})
	}
	rows = append(rows, comms...)
	rev := &Review{Year: end, Count: map[Verdict]int{}}
	for _, ind := range slices.Concat(pack.Indicators, pack.Commitments) {
		item := ReviewItem{Kind: "indicator", Code: ind.Code, Name: ind.Name, NameEn: ind.NameEn, Section: ind.Section, Unit: ind.Unit,
			HeldBack: []DistrictGap{}}
		if pack.Commitment(ind.Code) != nil {
			item.Kind = "commitment"
		}
		var city *CommitmentRow
		for i := range rows {
			r := &rows[i]
			if r.Indicator != ind.Code {
				continue
			}
			if r.Org == pack.Tenant {
				city = r
				continue
			}
			if v := verdict(r, end); v == NotMet || v == NotDue {
				item.HeldBack = append(item.HeldBack, DistrictGap{Row: *r, Verdict: v, Gap: gapOf(at, ind, *r)})
			}
		}
		if city == nil {
			continue // the city is outside the scope
		}
		item.City, item.Verdict, item.Gap = *city, verdict(city, end), gapOf(at, ind, *city)
		slices.SortStableFunc(item.HeldBack, func(a, b DistrictGap) int {
			return cmp.Or(boolOrder(a.Gap.Gap.OK, b.Gap.Gap.OK), cmp.Compare(b.Gap.Gap.V, a.Gap.Gap.V))
		})
		rev.Items = append(rev.Items, item)
		rev.Count[item.Verdict]++
	}
	return rev, nil
}

// verdict is the review's finding on a row as of the end year.
func verdict(r *CommitmentRow, end int) Verdict {
	switch {
	case r.Status == Achieved:
		return Met
	case r.Status == NoData:
		return NoValue
	case r.TargetYear > end:
		return NotDue
	}
	return NotMet
}

// gapOf measures how far a row is from its target (see Gap).
func gapOf(e *indicator.Engine, ind *plan.Indicator, r CommitmentRow) Gap {
	if r.Status == Achieved {
		if r.Kind == plan.GoalRelation {
			return Gap{Gap: num(0)}
		}
		return Gap{Gap: num(0), Share: share(0, r.Baseline, r.Target), Check: check(ind, r)}
	}
	if !r.Latest.OK {
		return Gap{}
	}
	A := r.Latest.V
	if r.EveryYear {
		return Gap{Gap: everyYearGap(e, ind, r)}
	}
	switch r.Kind {
	case plan.GoalRelation:
		return Gap{Gap: relationGap(e, ind, r)}
	case plan.GoalRange:
		// Target holds the bound the value was judged against.
		if !r.Target.OK {
			return Gap{}
		}
		g := math.Abs(A - r.Target.V)
		return Gap{Gap: num(g), Share: share(g, r.Baseline, r.Target)}
	}
	if !r.Target.OK {
		return Gap{}
	}
	T := r.Target.V
	var g float64
	switch ind.Direction {
	case plan.Up:
		g = T - A
	case plan.Down:
		g = A - T
	case plan.Toward:
		g = math.Abs(A - T)
	case plan.Hold:
		return Gap{Gap: num(math.Max(0, T-A)), Check: check(ind, r)}
	}
	g = math.Max(0, g)
	return Gap{Gap: num(g), Share: share(g, r.Baseline, r.Target), Check: check(ind, r)}
}

// check writes the comparison with the tolerance that decided a value target's status:
// for hold, toward, and up or down without a completion ratio (B = T, or B already
// beyond T), once the value is short of T. Empty where the tolerance is 0 or took no
// part.
func check(ind *plan.Indicator, r CommitmentRow) string {
	tol := ind.Tolerance
	if tol == 0 || r.Kind != plan.GoalValue || !r.Latest.OK || !r.Target.OK {
		return ""
	}
	A, T := r.Latest.V, r.Target.V
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', ind.Decimals, 64) }
	ft := strconv.FormatFloat(tol, 'f', -1, 64)
	switch {
	case ind.Direction == plan.Toward:
		d := math.Abs(A - T)
		if d <= tol {
			return fmt.Sprintf("|%s − %s| ≤ %s", f(A), f(T), ft)
		}
		return fmt.Sprintf("|%s − %s| > %s", f(A), f(T), ft)
	case r.Completion.OK:
		return "" // judged by its completion ratio, not the tolerance
	case ind.Direction == plan.Down && A > T:
		if A <= T+tol {
			return fmt.Sprintf("%s ≤ %s + %s", f(A), f(T), ft)
		}
		return fmt.Sprintf("%s > %s + %s", f(A), f(T), ft)
	case ind.Direction != plan.Down && A < T:
		if A >= T-tol {
			return fmt.Sprintf("%s ≥ %s − %s", f(A), f(T), ft)
		}
		return fmt.Sprintf("%s < %s − %s", f(A), f(T), ft)
	}
	return ""
}

// share is g over |T − B|, empty where that is 0 or unknown.
func share(g float64, b, t Number) Number {
	if !b.OK || !t.OK || b.V == t.V {
		return Number{}
	}
	return num(g / math.Abs(t.V-b.V))
}

// relationGap is the largest shortfall of a relation in the years it failed.
func relationGap(e *indicator.Engine, c *plan.Indicator, r CommitmentRow) Number {
	if len(r.Breaches) == 0 {
		return Number{}
	}
	worst := Number{}
	prev := r.Baseline
	for _, p := range series(e, c, r.Org) {
		var need Number
		switch c.Goal.Relation {
		case plan.NonDecreasing:
			need = prev
		case plan.AtLeast:
			need = other(e, c, r.Org, p.Year)
		}
		if slices.Contains(r.Breaches, p.Year) && need.OK && (!worst.OK || need.V-p.Value > worst.V) {
			worst = num(need.V - p.Value)
		}
		prev = num(p.Value)
	}
	return worst
}

// everyYearGap is the largest distance outside a target held every year (a floor, a
// ceiling or a range) in the years it was breached.
func everyYearGap(e *indicator.Engine, c *plan.Indicator, r CommitmentRow) Number {
	lo, hi := math.Inf(-1), math.Inf(1)
	switch {
	case r.Kind == plan.GoalRange:
		lo, hi = c.Goal.Min, c.Goal.Max
	case !r.Target.OK:
		return Number{}
	case c.Direction == plan.Up:
		lo = r.Target.V
	case c.Direction == plan.Down:
		hi = r.Target.V
	default:
		lo, hi = r.Target.V, r.Target.V
	}
	worst := Number{}
	for _, p := range series(e, c, r.Org) {
		if !slices.Contains(r.Breaches, p.Year) {
			continue
		}
		if g := math.Max(lo-p.Value, p.Value-hi); !worst.OK || g > worst.V {
			worst = num(g)
		}
	}
	return worst
}

// ReviewHeader is the header of the final review's CSV: the city's row of each item,
// then a row for each district that held it back.
var ReviewHeader = []string{"kind", "code", "section", "org", "baseline", "latest_year", "latest", "target_year", "target",
	"status", "verdict", "gap", "gap_share", "check"}

// WriteReviewCSV writes the review as CSV, numbers as in "Indicator values out".
func WriteReviewCSV(w io.Writer, rev *Review) error {
	cw := sheet.NewWriter(w)
	cw.Write(ReviewHeader)
	rec := func(it ReviewItem, r CommitmentRow, v Verdict, g Gap) []string {
		latestYear := ""
		if r.Latest.OK {
			latestYear = strconv.Itoa(r.LatestYear)
		}
		return []string{it.Kind, it.Code, it.Section, r.Org, r.Baseline.String(), latestYear, r.Latest.String(),
			strconv.Itoa(r.TargetYear), r.Target.String(), string(r.Status), string(v), g.Gap.String(), g.Share.String(), g.Check}
	}
	for _, it := range rev.Items {
		cw.Write(rec(it, it.City, it.Verdict, it.Gap))
		for _, d := range it.HeldBack {
			cw.Write(rec(it, d.Row, d.Verdict, d.Gap))
		}
	}
	cw.Flush()
	return cw.Error()
}
