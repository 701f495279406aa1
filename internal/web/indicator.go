package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yantai-edu/eduplan/internal/cube"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/store"
)

// indicatorPage is one indicator in depth: its trend in the city and each district, the
// districts ranked in a year, how a value is computed, and the data.
type indicatorPage struct {
	page
	Code, Name, Group string
	Unit              string
	Attribute         string
	Binding           bool
	Direction         string
	Formula           formulaView

	// The org and year shown; the org's baseline, target and status.
	Org, OrgName string
	OrgCard      string // the district's scorecard, "" for the city
	Year         int
	LatestYear   int
	Baseline     string
	BaselineYear int
	Target       string
	TargetYear   int
	Status       statusBadge
	Value        string // the org's value in Year with its unit, "" when none
	Permalink    string

	Orgs  []choice
	Years []choice

	Ranking []rankRow
	// NotRanked is set for a count indicator, whose districts are listed without a rank.
	NotRanked bool
	// MapList is the map's districts in the pack's order: chosen from a list as on the map.
	MapList   []rankRow
	Explain   *explainView
	DataYears []int
	Data      []dataRow
	CSVURL    string
	XLSXURL   string
	// AtInstitutions: the downloads hold each institution's values too.
	AtInstitutions bool

	Chart chartData
}

// choice is an option of the org or year selector.
type choice struct {
	Value, Label string
	Selected     bool
}

type rankRow struct {
	Rank            int // 0 without a value
	Code, Name, URL string
	Card            string // the district's scorecard
	Value           string
	Status          statusBadge
	Selected        bool
}

type explainView struct {
	OK      bool
	Value   string
	Reason  string
	Inputs  []inputView
	JSONURL string
}

type inputView struct {
	Symbol, Words, Call string
	Year                int
	Value               string
	OK                  bool
	Source              string
	Batches             []batchLink
}

type batchLink struct {
	ID    int64
	Title string
}

type dataRow struct {
	Code, Name, URL string
	City, Selected  bool
	Cells           []dataCell
}

type dataCell struct {
	Value, Title string
}

// chartData is what static/charts.js draws, read from the page as JSON.
type chartData struct {
	AxisName string `json:"axisName"`
	// Count: the indicator counts people or things, so the city's total and the
	// districts' differ by an order of magnitude.
	Count bool  `json:"count"`
	Years []int `json:"years"`
	// Series are the city's and each district's values over Years, null where none.
	Series   []chartSeries `json:"series"`
	Baseline *chartPoint   `json:"baseline"`
	Target   *chartPoint   `json:"target"`
	Ranking  chartRanking  `json:"ranking"`
	// Map is the districts on a map of Yantai in the ranking's year; nil without districts.
	Map  *chartMap         `json:"map"`
	Text map[string]string `json:"text"`
}

// chartMap is what the map draws: each district's value and status, by code. The
// districts' shapes are static/vendor/yantai-geo/yantai.json, fetched from GeoURL; the
// functional zones, which have no boundary of their own, are points.
type chartMap struct {
	GeoURL string    `json:"geoURL"`
	Year   int       `json:"year"`
	Items  []mapItem `json:"items"`
}

type mapItem struct {
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	Value  *float64 `json:"value"`
	Text   string   `json:"text"` // the value with its unit, "—" when none
	Status string   `json:"status"`
	Label  string   `json:"label"`
	Symbol string   `json:"symbol"`
	// Point is where a functional zone is marked (longitude, latitude); nil for a
	// district drawn by its boundary.
	Point []float64 `json:"point"`
}

// zonePoints are the functional zones, which share their land with the districts and
// have no boundary in the map's data: each is marked by a point near its centre.
var zonePoints = map[string][]float64{
	"370671": {121.50, 37.45}, // 高新区, Yantai High-tech Zone, east of 莱山区's coast
	"370672": {121.25, 37.56}, // 开发区, Economic and Technological Development Zone, west of 芝罘区
}

type chartSeries struct {
	Code     string     `json:"code"`
	Name     string     `json:"name"`
	City     bool       `json:"city"`
	Selected bool       `json:"selected"`
	Values   []*float64 `json:"values"`
	// Texts are the values as the page writes them, with their unit.
	Texts []string `json:"texts"`
}

type chartPoint struct {
	Year  int     `json:"year"`
	Value float64 `json:"value"`
	Text  string  `json:"text"`
}

type chartRanking struct {
	Year       int         `json:"year"`
	Items      []rankPoint `json:"items"`
	Target     *float64    `json:"target"`
	TargetText string      `json:"targetText"`
}

type rankPoint struct {
	Name  string   `json:"name"`
	Value *float64 `json:"value"`
	// Text is the value for a bar's label: the number, with the unit only where it is a
	// sign (%), as the axis names the others.
	Text   string `json:"text"`
	Status string `json:"status"`
	Label  string `json:"label"`
	Symbol string `json:"symbol"`
}

func (s *Server) handleIndicatorPage(w http.ResponseWriter, r *http.Request) {
	e := s.engineFor(r)
	pack := e.Pack()
	code := r.PathValue("code")
	ind := pack.Indicator(code)
	if ind == nil {
		s.pageError(w, r, plan.Errorf(plan.ENOTFOUND, "指标 %q 不存在", "no indicator %q", code))
		return
	}
	scope := s.scopeFor(r)
	org, year, err := indicatorShown(r, e, ind, scope)
	if err != nil {
		s.pageError(w, r, err)
		return
	}

	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.pageError(w, r, fmt.Errorf("demo flag: %w", err))
		return
	}
	// The statuses as they stood with the data up to the year shown.
	rows, err := progress.Assess(e.AsOf(year), scope, progress.Query{Indicator: code})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var ex *indicator.Explanation
	var batches []store.Batch
	if year != 0 {
		if ex, err = e.Explain(scope, code, org, year); plan.ErrorCode(err) == plan.EFORBIDDEN {
			ex = nil // a value this reader may not see is shown without how it was computed
		} else if err != nil {
			s.pageError(w, r, err)
			return
		}
		if batches, err = s.db.Batches(r.Context(), scope); err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	p := s.newPage(r, demo)
	p.Scripts = []string{s.static.url("vendor/echarts/echarts.min.js"), s.static.url("charts.js")}
	v := indicatorPageOf(p, e, ind, org, year, rows, ex, batches)
	if v.Chart.Map != nil {
		v.Chart.Map.GeoURL = s.static.url("vendor/yantai-geo/yantai.json")
	}
	s.renderPage(w, r, "indicator", v)
}

// indicatorShown reads the org (the city by default) and the year (the latest by
// default) an indicator's page shows, refusing an org the indicator is not computed for
// or the reader may not see, and a year without data.
func indicatorShown(r *http.Request, e *indicator.Engine, ind *plan.Indicator, scope plan.Scope) (string, int, error) {
	pack := e.Pack()
	org := r.URL.Query().Get("org")
	if org == "" {
		org = pack.Tenant
	}
	if o := pack.Org(org); o == nil || !ind.AtLevel(o.Level) {
		return "", 0, plan.Errorf(plan.ENOTFOUND, "此指标没有区域 %q 的值（可选市或区县市）", "this indicator has no values for %q (choose the city or a district)", org)
	}
	if !e.InScope(scope, org) {
		return "", 0, plan.Errorf(plan.EFORBIDDEN, "无权查看 %s 的数据", "org %s is outside your scope", org)
	}
	year, err := yearParam(r)
	if err != nil {
		return "", 0, err
	}
	years := e.Years()
	switch {
	case year == 0 && len(years) > 0:
		year = years[len(years)-1]
	case year != 0 && !slices.Contains(years, year):
		return "", 0, plan.Errorf(plan.ENOTFOUND, "没有 %d 年的数据", "no data for %d", year)
	}
	return org, year, nil
}

// indicatorPageOf arranges an indicator's values, progress and explanation for its page,
// section by section as the page shows them.
func indicatorPageOf(p page, e *indicator.Engine, ind *plan.Indicator, org string, year int,
	rows []progress.Row, ex *indicator.Explanation, batches []store.Batch) indicatorPage {
	b := newIndicatorBuilder(p, e, ind, org, year, rows)
	v := b.heading()
	b.orgPlan(&v)
	b.choices(&v)
	v.Chart = b.trend(v.Unit, v.Baseline, v.Target)
	b.ranking(&v)
	if ex != nil {
		v.Explain = explainOf(b.lang, v.Formula, ex, batches, b.withU, b.orgName, p.clock)
		v.Explain.JSONURL = "/api/v1/values/explain?" + url.Values{"indicator": {ind.Code}, "org": {org}, "year": {strconv.Itoa(year)}}.Encode()
		if ex.Value.OK {
			v.Value = b.withU(ex.Value.Value)
		}
	}
	v.DataYears, v.Data = e.Years(), b.dataRows()
	return v
}

// indicatorBuilder holds what the sections of an indicator's page share: the indicator,
// the org and year shown, and the orgs it is computed for with their progress.
type indicatorBuilder struct {
	p     page
	lang  string
	e     *indicator.Engine
	pack  *plan.Pack
	ind   *plan.Indicator
	org   string
	year  int
	orgs  []*plan.Org // the city first, then the districts the indicator is computed for
	rowOf map[string]progress.Row
}

func newIndicatorBuilder(p page, e *indicator.Engine, ind *plan.Indicator, org string, year int, rows []progress.Row) *indicatorBuilder {
	pack := e.Pack()
	b := &indicatorBuilder{p: p, lang: p.Lang, e: e, pack: pack, ind: ind, org: org, year: year,
		orgs: []*plan.Org{pack.Top()}, rowOf: map[string]progress.Row{}}
	for _, d := range pack.Districts() {
		if ind.AtLevel(d.Level) {
			b.orgs = append(b.orgs, d)
		}
	}
	for _, row := range rows {
		b.rowOf[row.Org] = row
	}
	return b
}

func (b *indicatorBuilder) orgName(code string) string {
	zh, en, _ := b.e.OrgName(code)
	return pick(b.lang, zh, en)
}

func (b *indicatorBuilder) num(x float64) string { return formatNumber(x, b.ind.Decimals) }

func (b *indicatorBuilder) withU(x float64) string { return withUnit(b.lang, b.num(x), b.ind.Unit) }

// self links this page for another org or year.
func (b *indicatorBuilder) self(org string, year int) string {
	q := url.Values{}
	if org != b.pack.Tenant {
		q.Set("org", org)
	}
	if year != 0 {
		q.Set("year", strconv.Itoa(year))
	}
	return b.p.link("/indicators/"+b.ind.Code, q)
}

// badge is an org's status; an org without a row is one the indicator does not apply to.
func (b *indicatorBuilder) badge(code string) statusBadge {
	row, ok := b.rowOf[code]
	if !ok {
		return statusBadge{Label: locale.T(b.lang, "not_applicable"), Symbol: "·"}
	}
	return rowBadge(b.lang, row)
}

// value is an org's value in a year, if it has one.
func (b *indicatorBuilder) value(code string, y int) (indicator.Value, bool) {
	val, ok := b.e.Get(b.ind.Code, code, y)
	return val, ok && val.OK
}

// heading is the page's top: the indicator, its formula, the org and year, and the links
// to this view and the downloads.
func (b *indicatorBuilder) heading() indicatorPage {
	ind, org, year, lang := b.ind, b.org, b.year, b.lang
	v := indicatorPage{page: b.p, Code: ind.Code, Name: pick(lang, ind.Name, ind.NameEn), Group: pick(lang, ind.Group, ind.GroupEn),
		Unit: unitLabel(lang, ind.Unit), Attribute: attributeLabel(lang, ind.Attribute), Binding: ind.Attribute == plan.Binding,
		Direction: directionLabel(lang, ind.Direction), Formula: formulaOf(b.pack, lang, b.e.Formula(ind.Code)),
		Org: org, OrgName: b.orgName(org), Year: year, AtInstitutions: ind.AtLevel(plan.LevelInstitution)}
	v.Title = v.Name
	v.ScopeOrg, v.ScopeAsOf = v.OrgName, year
	if org != b.pack.Tenant {
		v.OrgCard = b.p.link("/districts/"+org, nil)
	}
	v.Permalink = "/indicators/" + ind.Code + "?" + url.Values{"org": {org}, "year": {strconv.Itoa(year)}, "lang": {lang}}.Encode()
	if year == 0 {
		v.Permalink = "/indicators/" + ind.Code + "?" + url.Values{"org": {org}, "lang": {lang}}.Encode()
	}
	v.CSVURL = "/api/v1/values?" + url.Values{"indicator": {ind.Code}, "format": {"csv"}}.Encode()
	v.XLSXURL = "/api/v1/values?" + url.Values{"indicator": {ind.Code}, "format": {"xlsx"}}.Encode()
	return v
}

// orgPlan is the selected org's plan: baseline, target and where it stands.
func (b *indicatorBuilder) orgPlan(v *indicatorPage) {
	sel := b.rowOf[b.org]
	v.BaselineYear, v.TargetYear, v.Status = b.ind.Baseline.Year, b.ind.Target.Year, b.badge(b.org)
	v.Baseline, v.Target = "—", "—"
	if sel.Baseline.OK {
		v.Baseline = b.withU(sel.Baseline.V)
	}
	if sel.Target.OK {
		v.Target = b.withU(sel.Target.V)
	}
	if sel.Latest.OK {
		v.LatestYear = sel.LatestYear
	}
}

// choices are the org and year selectors, the latest year first.
func (b *indicatorBuilder) choices(v *indicatorPage) {
	for _, o := range b.orgs {
		v.Orgs = append(v.Orgs, choice{Value: o.Code, Label: pick(b.lang, o.Name, o.NameEn), Selected: o.Code == b.org})
	}
	years := b.e.Years()
	for i := len(years) - 1; i >= 0; i-- {
		v.Years = append(v.Years, choice{Value: strconv.Itoa(years[i]), Label: strconv.Itoa(years[i]), Selected: years[i] == b.year})
	}
}

// trend is the chart of every org's values in every year from the baseline's to the
// target's, and any other with data, with the selected org's baseline and target.
func (b *indicatorBuilder) trend(unit, baseline, target string) chartData {
	ind, lang := b.ind, b.lang
	c := chartData{AxisName: unit, Count: ind.IsCount(),
		Text: map[string]string{"baseline": locale.T(lang, "baseline"), "target": locale.T(lang, "target"), "no_value": locale.T(lang, "no_value")}}
	first, last := ind.Baseline.Year, ind.Target.Year
	if years := b.e.Years(); len(years) > 0 {
		first, last = min(first, years[0]), max(last, years[len(years)-1])
	}
	for y := first; y <= last; y++ {
		c.Years = append(c.Years, y)
	}
	for i, o := range b.orgs {
		cs := chartSeries{Code: o.Code, Name: pick(lang, o.Name, o.NameEn), City: i == 0, Selected: o.Code == b.org}
		for _, y := range c.Years {
			var x *float64
			text := ""
			if val, ok := b.value(o.Code, y); ok {
				x, text = &val.Value, b.withU(val.Value)
			}
			cs.Values, cs.Texts = append(cs.Values, x), append(cs.Texts, text)
		}
		c.Series = append(c.Series, cs)
	}
	sel := b.rowOf[b.org]
	if sel.Baseline.OK {
		c.Baseline = &chartPoint{Year: sel.BaselineYear, Value: sel.Baseline.V, Text: baseline}
	}
	if sel.Target.OK {
		c.Target = &chartPoint{Year: sel.TargetYear, Value: sel.Target.V, Text: target}
	}
	return c
}

// ranking is the districts ranked in the year, the better first by the indicator's
// direction, as a table, a bar chart and a map.
func (b *indicatorBuilder) ranking(v *indicatorPage) {
	ind := b.ind
	rk := b.ranked()
	v.Chart.Ranking.Year = b.year
	v.NotRanked = ind.IsCount()
	if !ind.IsCount() { // a count's target is the city's; each district's differs
		t := ind.Target.Value
		v.Chart.Ranking.Target, v.Chart.Ranking.TargetText = &t, b.withU(t)
	}
	for i, x := range rk {
		bd := b.badge(x.org.Code)
		rr := rankRow{Code: x.org.Code, Name: pick(b.lang, x.org.Name, x.org.NameEn), URL: b.self(x.org.Code, b.year), Card: b.p.link("/districts/"+x.org.Code, nil),
			Value: "—", Status: bd, Selected: x.org.Code == b.org}
		pt := rankPoint{Name: rr.Name, Text: "—", Status: bd.Code, Label: bd.Label, Symbol: bd.Symbol}
		if x.ok {
			rr.Value = b.withU(x.val.Value)
			// 并列: a value equal to the one before shares its rank (1, 2, 2, 4). A count
			// (万人, a number of things) follows a district's size: not ranked.
			switch {
			case ind.IsCount():
			case i > 0 && rk[i-1].ok && better(ind, rk[i-1].val.Value, x.val.Value) == 0:
				rr.Rank = v.Ranking[i-1].Rank
			default:
				rr.Rank = i + 1
			}
			pt.Value, pt.Text = &x.val.Value, b.num(x.val.Value)
			if ind.Unit == "%" {
				pt.Text += "%"
			}
		}
		v.Ranking = append(v.Ranking, rr)
		v.Chart.Ranking.Items = append(v.Chart.Ranking.Items, pt)
		if v.Chart.Map == nil {
			v.Chart.Map = &chartMap{Year: b.year}
		}
		v.Chart.Map.Items = append(v.Chart.Map.Items, mapItem{Code: x.org.Code, Name: rr.Name, Value: pt.Value, Text: rr.Value,
			Status: bd.Code, Label: bd.Label, Symbol: bd.Symbol, Point: zonePoints[x.org.Code]})
	}
	at := map[string]rankRow{}
	for _, rr := range v.Ranking {
		at[rr.Code] = rr
	}
	for _, o := range b.orgs[1:] {
		v.MapList = append(v.MapList, at[o.Code])
	}
}

// rankedOrg is a district with its value in the year, if it has one.
type rankedOrg struct {
	org *plan.Org
	val indicator.Value
	ok  bool
}

// ranked are the districts in the year, the better value first by the indicator's
// direction, those without one last.
func (b *indicatorBuilder) ranked() []rankedOrg {
	var rk []rankedOrg
	for _, o := range b.orgs[1:] {
		val, ok := b.value(o.Code, b.year)
		rk = append(rk, rankedOrg{o, val, ok})
	}
	slices.SortStableFunc(rk, func(x, y rankedOrg) int {
		switch {
		case x.ok && y.ok:
			return better(b.ind, x.val.Value, y.val.Value)
		case x.ok:
			return -1
		case y.ok:
			return 1
		}
		return 0
	})
	return rk
}

// dataRows are the data: every org in every year with data.
func (b *indicatorBuilder) dataRows() []dataRow {
	var rows []dataRow
	for i, o := range b.orgs {
		dr := dataRow{Code: o.Code, Name: pick(b.lang, o.Name, o.NameEn), URL: b.self(o.Code, b.year), City: i == 0, Selected: o.Code == b.org}
		for _, y := range b.e.Years() {
			c := dataCell{Value: "—"}
			if val, ok := b.e.Get(b.ind.Code, o.Code, y); ok {
				if val.OK {
					c.Value = b.num(val.Value)
				} else {
					c.Title = pick(b.lang, val.Reason, val.ReasonEn)
				}
			}
			dr.Cells = append(dr.Cells, c)
		}
		rows = append(rows, dr)
	}
	return rows
}

// explainOf says how a value was computed: each input's number, where it came from and
// the import batches that hold it.
func explainOf(lang string, f formulaView, ex *indicator.Explanation, batches []store.Batch,
	withU func(float64) string, orgName func(string) string, clock func(time.Time) string) *explainView {
	byID := make(map[int64]store.Batch, len(batches))
	for _, b := range batches {
		byID[b.ID] = b
	}
	v := &explainView{OK: ex.Value.OK}
	if ex.Value.OK {
		v.Value = withU(ex.Value.Value)
	} else {
		v.Reason = pick(lang, ex.Value.Reason, ex.Value.ReasonEn)
	}
	seen := map[string]bool{}
	for _, in := range ex.Inputs {
		k := in.Call + "\x00" + strconv.Itoa(in.Year)
		if seen[k] {
			continue // a call read twice is one input
		}
		seen[k] = true
		iv := inputView{Call: in.Call, Year: in.Year, Value: "—", OK: in.OK, Source: sourceLabel(lang, in.Source)}
		if o := originLabel(lang, in.Origins); o != "" {
			if in.Source == cube.SourceRoster {
				iv.Source = locale.T(lang, "source_counted") // from rosters or school tables, as o says
			}
			iv.Source += locale.T(lang, "label_sep") + o
		}
		if term, ok := f.term(in.Call); ok {
			iv.Symbol, iv.Words = term.Symbol, term.Words
		}
		if in.OK {
			iv.Value = formatNumber(in.Value, decimalsOf(in.Value))
		}
		for _, id := range in.Batches {
			bl := batchLink{ID: id, Title: "#" + strconv.FormatInt(id, 10)}
			if b, ok := byID[id]; ok {
				bl.Title = fmt.Sprintf("%s · %s · %s", b.File, kindLabel(nil, lang, b.Kind), clock(b.ImportedAt))
			}
			iv.Batches = append(iv.Batches, bl)
		}
		v.Inputs = append(v.Inputs, iv)
	}
	return v
}

// decimalsOf is how many decimals an input is written with: none for whole counts, two
// otherwise (inputs are counts, or reported figures such as 10.8 years).
func decimalsOf(x float64) int {
	if x == math.Trunc(x) {
		return 0
	}
	return 2
}

// directionLabel says which way an indicator should move.
func directionLabel(lang string, d plan.Direction) string {
	switch d {
	case plan.Up:
		return locale.T(lang, "direction_up")
	case plan.Down:
		return locale.T(lang, "direction_down")
	case plan.Hold:
		return locale.T(lang, "direction_hold")
	case plan.Toward:
		return locale.T(lang, "direction_toward")
	}
	return string(d)
}

// originLabel says which kinds of input a number came from (indicator.Input.Origins).
func originLabel(lang string, origins []string) string {
	var out []string
	for _, o := range origins {
		switch o {
		case "roster":
			out = append(out, locale.T(lang, "origin_roster"))
		case "school":
			out = append(out, locale.T(lang, "origin_school"))
		case "district":
			out = append(out, locale.T(lang, "origin_district"))
		case "city":
			out = append(out, locale.T(lang, "origin_city"))
		}
	}
	return strings.Join(out, locale.T(lang, "list_sep"))
}

// sourceLabel says how an input was found (indicator.Input.Source).
func sourceLabel(lang, source string) string {
	switch source {
	case cube.SourceRoster:
		return locale.T(lang, "source_roster")
	case cube.SourceFact:
		return locale.T(lang, "source_fact")
	case cube.SourceChildren:
		return locale.T(lang, "source_children")
	case cube.SourceMissing:
		return locale.T(lang, "source_missing")
	}
	return source
}
