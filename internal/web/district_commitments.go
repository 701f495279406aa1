package web

import (
	"fmt"
	"strconv"

	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
)

// commitmentView is one commitment of a district's scorecard: its target, the district's
// latest value and status, and the city's beside it.
type commitmentView struct {
	Code, Name, Section string
	// Must marks a commitment the plan words as 确保 or 只增不减 (须确保).
	Must       bool
	Target     string
	TargetYear int
	Latest     string
	LatestYear int
	Status     statusBadge
	// Note says where a range's value lies, or the years a relation was breached.
	Note       string
	City       string
	CityYear   int
	CityStatus statusBadge
}

// commitmentViewsOf lists a district's commitments, in pack order, with the city's
// rows beside them.
func commitmentViewsOf(p page, pack *plan.Pack, rows, city []progress.CommitmentRow) []commitmentView {
	lang := p.Lang
	cityRow := map[string]progress.CommitmentRow{}
	for _, r := range city {
		cityRow[r.Indicator] = r
	}
	var out []commitmentView
	for _, r := range rows {
		c := pack.Commitment(r.Indicator)
		if c == nil {
			continue
		}
		num := func(n progress.Number) string {
			if !n.OK {
				return "—"
			}
			return withUnit(lang, formatNumber(n.V, c.Decimals), c.Unit)
		}
		v := commitmentView{Code: c.Code, Name: pick(lang, c.Name, c.NameEn), Section: c.Section, Must: c.Must, TargetYear: r.TargetYear,
			Latest: num(r.Latest), LatestYear: r.LatestYear, Status: rowBadge(lang, r.Row), Target: commitmentTarget(p, pack, c, r)}
		switch {
		case r.Kind == plan.GoalRange && r.Position != "":
			v.Note = rangeWords(lang, r.Position)
		case len(r.Breaches) > 0:
			v.Note = fmt.Sprintf(locale.T(p.Lang, "breached_in"), joinYears(r.Breaches))
		}
		if cr, ok := cityRow[r.Indicator]; ok {
			v.City, v.CityYear, v.CityStatus = num(cr.Latest), cr.LatestYear, rowBadge(lang, cr.Row)
		}
		out = append(out, v)
	}
	return out
}

// commitmentTarget writes a commitment's target as the plan states it: a value, a
// range, or a relation that must hold every year.
func commitmentTarget(p page, pack *plan.Pack, c *plan.Indicator, r progress.CommitmentRow) string {
	lang := p.Lang
	f := func(x float64) string { return withUnit(lang, formatNumber(x, c.Decimals), c.Unit) }
	switch c.Goal.Kind {
	case plan.GoalRange:
		if c.Goal.Band > 0 { // 3%左右 with its band: 约3%（±0.5）
			return fmt.Sprintf(locale.T(p.Lang, "about_band"), f(c.Goal.About), strconv.FormatFloat(c.Goal.Band, 'f', -1, 64))
		}
		rng := fmt.Sprintf("%s–%s", formatNumber(c.Goal.Min, c.Decimals), f(c.Goal.Max))
		if c.Goal.EveryYear {
			return fmt.Sprintf(locale.T(p.Lang, "every_year_in"), rng)
		}
		return rng
	case plan.GoalRelation:
		switch {
		case c.Goal.Relation == plan.NonDecreasing:
			return locale.T(p.Lang, "non_decreasing")
		case c.Goal.Of != "":
			name := c.Goal.Of
			if m := pack.Measure(c.Goal.Of); m != nil {
				name = pick(lang, m.Name, m.NameEn)
			} else if el := pack.Element(c.Goal.Of); el != nil {
				name = pick(lang, el.Name, el.NameEn)
			}
			return fmt.Sprintf(locale.T(p.Lang, "at_least_of"), name)
		default:
			return fmt.Sprintf(locale.T(p.Lang, "at_least_yearly"), f(c.Target.Value))
		}
	}
	if !r.Target.OK {
		return "—"
	}
	if c.Goal.EveryYear {
		switch c.Direction {
		case plan.Up:
			return fmt.Sprintf(locale.T(p.Lang, "at_least_yearly"), f(r.Target.V))
		case plan.Down:
			return fmt.Sprintf(locale.T(p.Lang, "at_most_yearly"), f(r.Target.V))
		}
		return fmt.Sprintf(locale.T(p.Lang, "every_year_in"), f(r.Target.V))
	}
	return f(r.Target.V)
}

// rangeWords says where a value lies against a commitment's range.
func rangeWords(lang, position string) string {
	switch position {
	case progress.Below:
		return locale.T(lang, "range_below")
	case progress.Within:
		return locale.T(lang, "range_within")
	case progress.Above:
		return locale.T(lang, "range_above")
	}
	return ""
}
