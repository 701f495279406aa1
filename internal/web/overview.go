package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
)

// overviewPage is the plan at a glance: the headline indicators as cards, the
// commitments by status, the districts that hold the city back, and every district's
// status for each indicator — as assessed on the data up to a year.
type overviewPage struct {
	page
	PlanName     string
	PeriodStart  int
	PeriodEnd    int
	BaselineYear int
	// DataYears is the span of years with data, "" when there is none.
	DataYears string
	// AsOf is the last year of data the assessment reads; Years the choices of it.
	AsOf      int
	Years     []choice
	Permalink string
	Groups    []indicatorGroup
	Commit    commitmentSummary
	Behind    []laggard
	Columns   []gridColumn
	Districts []districtRow
	Legend    []statusBadge
}

type indicatorGroup struct {
	Name       string
	Indicators []indicatorRow
}

// Cards are the headline indicators in the groups' order, each with its group's name.
func (v overviewPage) Cards() []indicatorRow {
	var out []indicatorRow
	for _, g := range v.Groups {
		for _, c := range g.Indicators {
			c.Group = g.Name
			out = append(out, c)
		}
	}
	return out
}

// indicatorRow is one headline indicator's card.
type indicatorRow struct {
	No               int
	Code, Name, Unit string
	Group            string
	Attribute        string
	Binding          bool
	// The numbers with their unit, as the plan writes them ("41.17%", "49.18万人").
	BaselineYear int
	Baseline     string
	LatestYear   int
	Latest       string
	// LatestNumber and LatestUnit are Latest in two parts, for the card's big figure.
	LatestNumber, LatestUnit string
	TargetYear               int
	Target                   string
	Status                   statusBadge
	// Completion and Elapsed are the share of the way from baseline to target covered
	// and of the plan period gone, in words ("62%"); Completion is "" where the target
	// is judged met or not met (hold) or there is no latest value.
	Completion, Elapsed string
	Bar                 *completionBar
	Spark               *sparkline
	// URL is the indicator's page; ExplainURL the same at the latest year, where the
	// page explains the value.
	URL        string
	ExplainURL string
}

// completionBar draws completion against time elapsed, each 0–100 along the bar.
type completionBar struct {
	Status  string // the status's code, for the fill's colour
	Fill    string // the width of the completion drawn, clamped to the bar
	Elapsed string // where the time-elapsed mark stands
}

// sparkline is an indicator's trend, drawn on the server as inline SVG in a box of
// sparkWidth × sparkHeight: the values from the baseline year to the year assessed,
// and the straight way from the baseline to the target for comparison. Inline SVG
// rather than thirteen small ECharts: no script and no canvas, so the cards are whole
// before any JavaScript runs, print sharp at any size, keep to the CSP (presentation
// attributes and classes, no style attributes) and cost a few hundred bytes each.
type sparkline struct {
	Points       string // the polyline of the values
	Last, Target [2]string
	Base         [2]string
	Label        string // what the line shows, for screen readers and the tooltip
}

const sparkWidth, sparkHeight = 160.0, 44.0

// commitmentSummary is the commitments (承诺事项) at the city, by status.
type commitmentSummary struct {
	Total  int
	Counts []statusCount
	Items  []commitmentItem
	// NotMeasured are the plan's commitments no data can measure, with the reason.
	NotMeasured []notMeasuredItem
}

type notMeasuredItem struct{ Section, Text, Reason string }

type commitmentItem struct {
	Name, Latest string
	LatestYear   int
	Status       statusBadge
}

// laggard is a district with indicators lagging or regressing.
type laggard struct {
	Name, URL           string
	Lagging, Regressing int
	AtRisk              int
	// Behind are the indicators lagging or regressing, by their number on the cards and
	// the grid.
	Behind []gridColumn
}

type gridColumn struct {
	No        int
	Name      string
	GroupName string
	// GroupSpan is the number of columns of the group, on its first column; 0 elsewhere.
	GroupSpan int
}

type districtRow struct {
	Code, Name string
	URL        string // the district's scorecard
	Cells      []gridCell
}

type gridCell struct {
	statusBadge
	Title string
	URL   string
}

func (s *Server) handleOverview(w http.ResponseWriter, r *http.Request) {
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.pageError(w, r, fmt.Errorf("demo flag: %w", err))
		return
	}
	e := s.engineFor(r)
	year, err := asOfParam(r, e)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	then := e.AsOf(year)
	scope := s.scopeFor(r)
	rows, err := progress.Assess(then, scope, progress.Query{})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	commitments, err := progress.AssessCommitments(then, scope, progress.Query{Org: s.pack.Tenant})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderPage(w, r, "overview", overviewOf(s.newPage(r, demo), then, e.Years(), year, rows, commitments))
}

// asOfParam reads ?year=, the last year of data an assessment stands on: 0 when absent
// (all the data), else a year with data.
func asOfParam(r *http.Request, e *indicator.Engine) (int, error) {
	year, err := yearParam(r)
	if err != nil || year == 0 {
		return 0, err
	}
	if !slices.Contains(e.Years(), year) {
		return 0, plan.Errorf(plan.ENOTFOUND, "没有 %d 年的数据", "no data for %d", year)
	}
	return year, nil
}

// overviewOf arranges the progress rows, assessed on e (the data up to the year asked
// for, 0 for all), for the overview page; years are all the years with data.
func overviewOf(p page, e *indicator.Engine, years []int, asked int, rows []progress.Row, commitments []progress.CommitmentRow) overviewPage {
	o := newOverviewBuilder(p, e, asked, rows)
	v := o.heading(years)
	order := o.groups(&v)
	o.grid(&v, order)
	v.Commit = commitmentsOf(o.lang, o.pack, commitments)
	for _, st := range []progress.Status{progress.Achieved, progress.Ahead, progress.OnTrack, progress.Lagging, progress.Regressing, progress.NoData} {
		v.Legend = append(v.Legend, badgeOf(o.lang, st, false))
	}
	return v
}

// overviewBuilder holds what the overview's sections share: the progress rows by
// indicator and org, the year asked for and the last year with data.
type overviewBuilder struct {
	p        page
	lang     string
	e        *indicator.Engine
	pack     *plan.Pack
	asked    int
	lastYear int
	byKey    map[progressKey]progress.Row
}

// progressKey is an indicator at an org.
type progressKey struct{ indicator, org string }

func newOverviewBuilder(p page, e *indicator.Engine, asked int, rows []progress.Row) *overviewBuilder {
	o := &overviewBuilder{p: p, lang: p.Lang, e: e, pack: e.Pack(), asked: asked, byKey: make(map[progressKey]progress.Row, len(rows))}
	if seen := e.Years(); len(seen) > 0 {
		o.lastYear = seen[len(seen)-1]
	}
	for _, row := range rows {
		o.byKey[progressKey{row.Indicator, row.Org}] = row
	}
	return o
}

// row is an indicator's progress at an org, if it is assessed there.
func (o *overviewBuilder) row(ind, org string) (progress.Row, bool) {
	row, ok := o.byKey[progressKey{ind, org}]
	return row, ok
}

// keep makes links carry the year asked for, so that a district's or an indicator's page
// shows the same assessment.
func (o *overviewBuilder) keep(q url.Values) url.Values {
	if o.asked != 0 {
		if q == nil {
			q = url.Values{}
		}
		if q.Get("year") == "" {
			q.Set("year", strconv.Itoa(o.asked))
		}
	}
	return q
}

// pageFor links to the indicator's page for an org, in the latest year assessed, else
// the last year with any data (where the page says why there is no value).
func (o *overviewBuilder) pageFor(ind, org string, row progress.Row, ok bool) string {
	y := o.lastYear
	if ok && row.Latest.OK {
		y = row.LatestYear
	}
	if y == 0 {
		return ""
	}
	q := url.Values{"year": {strconv.Itoa(y)}}
	if org != o.pack.Tenant {
		q.Set("org", org)
	}
	return o.p.link("/indicators/"+ind, q)
}

func (o *overviewBuilder) badge(row progress.Row, ok bool) statusBadge {
	if !ok {
		return statusBadge{Label: locale.T(o.lang, "not_applicable"), Symbol: "·"}
	}
	return rowBadge(o.lang, row)
}

// heading is the page's top: the plan, the years of data and the year selector.
func (o *overviewBuilder) heading(years []int) overviewPage {
	pack, lang, lastYear := o.pack, o.lang, o.lastYear
	v := overviewPage{page: o.p, PlanName: pick(lang, pack.Name, pack.NameEn),
		PeriodStart: pack.BaselineYear + 1, PeriodEnd: pack.TargetYear, BaselineYear: pack.BaselineYear}
	v.Title = v.PlanName
	if seen := o.e.Years(); len(seen) > 0 {
		v.DataYears = strconv.Itoa(seen[0])
		if seen[0] != lastYear {
			v.DataYears += "–" + strconv.Itoa(lastYear)
		}
	}
	v.AsOf, v.ScopeAsOf = lastYear, lastYear
	for i := len(years) - 1; i >= 0; i-- {
		v.Years = append(v.Years, choice{Value: strconv.Itoa(years[i]), Label: strconv.Itoa(years[i]), Selected: years[i] == lastYear})
	}
	v.Permalink = "/?" + url.Values{"lang": {lang}}.Encode()
	if lastYear != 0 {
		v.Permalink = "/?" + url.Values{"year": {strconv.Itoa(lastYear)}, "lang": {lang}}.Encode()
	}
	return v
}

// groups are the city's indicator cards in the pack's groups, in order of each group's
// first indicator, numbered; each is a column of the districts' grid, returned in order.
func (o *overviewBuilder) groups(v *overviewPage) []*plan.Indicator {
	pack, tenant := o.pack, o.pack.Tenant
	groupAt := map[string]int{}
	for _, ind := range pack.Indicators {
		i, ok := groupAt[ind.Group]
		if !ok {
			i = len(v.Groups)
			groupAt[ind.Group] = i
			v.Groups = append(v.Groups, indicatorGroup{Name: pick(o.lang, ind.Group, ind.GroupEn)})
		}
		row, ok := o.row(ind.Code, tenant)
		v.Groups[i].Indicators = append(v.Groups[i].Indicators, cardOf(o.p, o.e, ind, row, ok, o.badge(row, ok),
			o.p.link("/indicators/"+ind.Code, o.keep(nil)), o.pageFor(ind.Code, tenant, row, ok)))
	}
	no := 0
	var order []*plan.Indicator
	for gi := range v.Groups {
		g := &v.Groups[gi]
		for ii := range g.Indicators {
			no++
			g.Indicators[ii].No = no
			col := gridColumn{No: no, Name: g.Indicators[ii].Name, GroupName: g.Name}
			if ii == 0 {
				col.GroupSpan = len(g.Indicators)
			}
			v.Columns = append(v.Columns, col)
			order = append(order, pack.Indicator(g.Indicators[ii].Code))
		}
	}
	return order
}

// grid is each district's status on each indicator (the columns, in order), and the
// five districts furthest behind.
func (o *overviewBuilder) grid(v *overviewPage, order []*plan.Indicator) {
	for _, d := range o.pack.Districts() {
		dr := districtRow{Code: d.Code, Name: pick(o.lang, d.Name, d.NameEn), URL: o.p.link("/districts/"+d.Code, o.keep(nil))}
		lg := laggard{Name: dr.Name, URL: dr.URL}
		for i, ind := range order {
			row, ok := o.row(ind.Code, d.Code)
			c := gridCell{statusBadge: o.badge(row, ok)}
			c.Title = cellTitle(o.lang, dr.Name, v.Columns[i].Name, c.statusBadge, locale.T(o.lang, "at_risk"), ind, row, ok)
			if ok {
				c.URL = o.pageFor(ind.Code, d.Code, row, ok)
				switch row.Status {
				case progress.Lagging:
					lg.Lagging++
					lg.Behind = append(lg.Behind, v.Columns[i])
				case progress.Regressing:
					lg.Regressing++
					lg.Behind = append(lg.Behind, v.Columns[i])
				}
				if row.AtRisk {
					lg.AtRisk++
				}
			}
			dr.Cells = append(dr.Cells, c)
		}
		v.Districts = append(v.Districts, dr)
		if len(lg.Behind) > 0 {
			v.Behind = append(v.Behind, lg)
		}
	}
	// The districts with the most indicators behind first; more regressing, then more
	// binding indicators at risk, weigh heavier on a tie.
	slices.SortStableFunc(v.Behind, func(a, b laggard) int {
		return cmp.Or(cmp.Compare(b.Lagging+b.Regressing, a.Lagging+a.Regressing),
			cmp.Compare(b.Regressing, a.Regressing), cmp.Compare(b.AtRisk, a.AtRisk))
	})
	if len(v.Behind) > 5 {
		v.Behind = v.Behind[:5]
	}
}

// cardOf is an indicator's card: its latest value, target and status at the city, its
// completion against time elapsed and its trend.
func cardOf(p page, e *indicator.Engine, ind *plan.Indicator, row progress.Row, ok bool, b statusBadge, link, explain string) indicatorRow {
	lang := p.Lang
	withU := func(x float64) string { return withUnit(lang, formatNumber(x, ind.Decimals), ind.Unit) }
	c := indicatorRow{
		Code: ind.Code, Name: pick(lang, ind.Name, ind.NameEn), Unit: unitLabel(lang, ind.Unit),
		Attribute: attributeLabel(lang, ind.Attribute), Binding: ind.Attribute == plan.Binding,
		BaselineYear: ind.Baseline.Year, Baseline: withU(ind.Baseline.Value),
		TargetYear: ind.Target.Year, Target: withU(ind.Target.Value),
		Latest: "—", Status: b, URL: link, ExplainURL: explain,
	}
	if !ok {
		return c
	}
	if row.Baseline.OK {
		c.Baseline = withU(row.Baseline.V)
	}
	if row.Target.OK {
		c.Target = withU(row.Target.V)
	}
	if row.Latest.OK {
		c.LatestYear, c.Latest = row.LatestYear, withU(row.Latest.V)
		c.LatestNumber = formatNumber(row.Latest.V, ind.Decimals)
		c.LatestUnit = strings.TrimSpace(withUnit(lang, "", ind.Unit))
	}
	if row.TimeElapsed.OK {
		c.Elapsed = formatNumber(100*row.TimeElapsed.V, 0) + "%"
	}
	if row.Completion.OK && row.TimeElapsed.OK {
		c.Completion = formatNumber(100*row.Completion.V, 0) + "%"
		c.Bar = &completionBar{Status: b.Code, Fill: svgNumber(100 * min(max(row.Completion.V, 0), 1)), Elapsed: svgNumber(100 * min(max(row.TimeElapsed.V, 0), 1))}
	}
	c.Spark = sparkOf(lang, e, ind, row, withU)
	return c
}

// sparkOf draws an indicator's values at the city from the baseline year to the last
// year assessed: x spans the plan period, y the values and the target. Nil with fewer
// than one value.
func sparkOf(lang string, e *indicator.Engine, ind *plan.Indicator, row progress.Row, withU func(float64) string) *sparkline {
	type pt struct {
		year int
		v    float64
	}
	var pts []pt
	for _, y := range e.Years() {
		if y < ind.Baseline.Year || y > ind.Target.Year {
			continue
		}
		if val, ok := e.Get(ind.Code, row.Org, y); ok && val.OK {
			pts = append(pts, pt{y, val.Value})
		}
	}
	if len(pts) == 0 || ind.Target.Year <= ind.Baseline.Year {
		return nil
	}
	lo, hi := pts[0].v, pts[0].v
	for _, q := range pts {
		lo, hi = min(lo, q.v), max(hi, q.v)
	}
	if row.Target.OK {
		lo, hi = min(lo, row.Target.V), max(hi, row.Target.V)
	}
	if row.Baseline.OK {
		lo, hi = min(lo, row.Baseline.V), max(hi, row.Baseline.V)
	}
	if hi == lo {
		lo, hi = lo-1, hi+1
	}
	const pad = 4.0
	x := func(year int) string {
		span := float64(ind.Target.Year - ind.Baseline.Year)
		return svgNumber(pad + (sparkWidth-2*pad)*float64(year-ind.Baseline.Year)/span)
	}
	y := func(v float64) string {
		return svgNumber(sparkHeight - pad - (sparkHeight-2*pad)*(v-lo)/(hi-lo))
	}
	s := &sparkline{}
	var b strings.Builder
	var words []string
	for i, q := range pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(x(q.year) + "," + y(q.v))
		words = append(words, fmt.Sprintf("%d %s", q.year, withU(q.v)))
	}
	s.Points = b.String()
	last := pts[len(pts)-1]
	s.Last = [2]string{x(last.year), y(last.v)}
	if row.Baseline.OK {
		s.Base = [2]string{x(ind.Baseline.Year), y(row.Baseline.V)}
	}
	if row.Target.OK {
		s.Target = [2]string{x(ind.Target.Year), y(row.Target.V)}
		words = append(words, fmt.Sprintf("%s %d %s", locale.T(lang, "spark_target"), ind.Target.Year, withU(row.Target.V)))
	}
	s.Label = locale.T(lang, "spark_trend") + strings.Join(words, locale.T(lang, "phrase_sep"))
	return s
}

// svgNumber writes a coordinate for SVG: one decimal is finer than a pixel here.
func svgNumber(x float64) string { return strconv.FormatFloat(x, 'f', 1, 64) }

// commitmentsOf counts the city's commitments by status, and lists them.
func commitmentsOf(lang string, pack *plan.Pack, rows []progress.CommitmentRow) commitmentSummary {
	var s commitmentSummary
	counts := map[progress.Status]int{}
	for _, r := range rows {
		if r.Org != pack.Tenant {
			continue
		}
		c := pack.Commitment(r.Indicator)
		if c == nil {
			continue
		}
		s.Total++
		counts[r.Status]++
		it := commitmentItem{Name: pick(lang, c.Name, c.NameEn), Latest: "—", Status: rowBadge(lang, r.Row)}
		if r.Latest.OK {
			it.Latest, it.LatestYear = withUnit(lang, formatNumber(r.Latest.V, c.Decimals), c.Unit), r.LatestYear
		}
		s.Items = append(s.Items, it)
	}
	for _, st := range []progress.Status{progress.Achieved, progress.Ahead, progress.OnTrack, progress.Lagging, progress.Regressing, progress.NoData} {
		if n := counts[st]; n > 0 {
			s.Counts = append(s.Counts, statusCount{Badge: badgeOf(lang, st, false), N: n})
		}
	}
	for _, n := range pack.Unmeasured() {
		s.NotMeasured = append(s.NotMeasured, notMeasuredItem{Section: n.Section, Text: pick(lang, n.Text, n.TextEn), Reason: pick(lang, n.Reason, n.ReasonEn)})
	}
	return s
}

// cellTitle says what a grid cell shows: "芝罘区 · 公办幼儿园在园幼儿占比：滞后（44.44%，2022年）".
func cellTitle(lang, district, indicator string, b statusBadge, atRisk string, ind *plan.Indicator, row progress.Row, ok bool) string {
	var value string
	if ok && row.Latest.OK {
		value = withUnit(lang, formatNumber(row.Latest.V, ind.Decimals), ind.Unit)
	}
	t := fmt.Sprintf(locale.T(lang, "cell_title"), district, indicator, b.Label)
	if value != "" {
		t += fmt.Sprintf(locale.T(lang, "cell_value"), value, row.LatestYear)
	}
	if b.AtRisk {
		t += " ⚠ " + atRisk
	}
	return t
}
