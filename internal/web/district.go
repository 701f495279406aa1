package web

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
)

// districtPage is one district's scorecard: every indicator's progress there, beside the
// city's value and the district's rank among the districts.
type districtPage struct {
	page
	Code, Name   string
	CityName     string
	PlanName     string
	PeriodStart  int
	PeriodEnd    int
	Rank, Of     int
	Score        string // share of assessed indicators achieved, ahead or on track
	AtRisk       int
	Counts       []statusCount
	Rows         []scoreRow
	Others       []choice // every district, for moving between scorecards
	Permalink    string
	ProgressJSON string
	// AsOf is the last year of data the assessment reads; Years the choices of it.
	AsOf  int
	Years []choice
	Chart completionChart
	// Commitments are the district's progress on the plan's commitments.
	Commitments []commitmentView
}

type statusCount struct {
	Badge statusBadge
	N     int
}

// scoreRow is one indicator of a district's scorecard.
type scoreRow struct {
	No                     int
	Code, Name, Unit, URL  string
	Attribute              string
	Binding                bool
	Baseline, Latest       string
	Target                 string
	BaselineYear           int
	LatestYear, TargetYear int
	Status                 statusBadge
	City                   string
	CityYear               int
	CityURL                string
	CityStatus             statusBadge
	// Rank is the district's place among the districts with a latest value of the
	// indicator, better first by its direction; 0 without a value.
	Rank, RankOf        int
	Completion, Elapsed string
}

// completionChart is what static/charts.js draws on a district's page: each
// indicator's completion against the time elapsed, in percent.
type completionChart struct {
	Names      []string          `json:"names"`
	Completion []*float64        `json:"completion"`
	Elapsed    []*float64        `json:"elapsed"`
	Statuses   []string          `json:"statuses"`
	Labels     []string          `json:"labels"`
	Text       map[string]string `json:"text"`
}

func (s *Server) handleDistrictPage(w http.ResponseWriter, r *http.Request) {
	e := s.engineFor(r)
	pack := e.Pack()
	code := r.PathValue("code")
	if o := pack.Org(code); o == nil || o.Level != plan.LevelDistrict {
		s.pageError(w, r, plan.Errorf(plan.ENOTFOUND, "区县市 %q 不存在", "no district %q", code))
		return
	}
	scope := s.scopeFor(r)
	if !e.InScope(scope, code) {
		s.pageError(w, r, plan.Errorf(plan.EFORBIDDEN, "无权查看 %s 的数据", "org %s is outside your scope", code))
		return
	}
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.pageError(w, r, fmt.Errorf("demo flag: %w", err))
		return
	}
	year, err := asOfParam(r, e)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	then := e.AsOf(year) // the assessment as it stood with the data up to ?year=
	cards, err := progress.Scorecards(then, scope)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	city, err := progress.Assess(then, scope, progress.Query{Org: pack.Tenant})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	cityCommitments, err := progress.AssessCommitments(then, scope, progress.Query{Org: pack.Tenant})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := s.newPage(r, demo)
	p.Scripts = []string{s.static.url("vendor/echarts/echarts.min.js"), s.static.url("charts.js")}
	s.renderPage(w, r, "district", districtPageOf(p, then, e.Years(), year, code, cards, city, cityCommitments))
}

// districtPageOf arranges the scorecards, assessed on e (the data up to the year asked
// for, 0 for all), for one district's page; years are all the years with data.
func districtPageOf(p page, e *indicator.Engine, years []int, asked int, code string, cards []progress.Scorecard, city []progress.Row, cityCommitments []progress.CommitmentRow) districtPage {
	d := districtBuilder{p: p, lang: p.Lang, pack: e.Pack(), code: code, asked: asked}
	v := d.heading(e, years, len(cards))
	card := d.summary(&v, cards, cityCommitments)
	d.scores(&v, card, cards, city)
	return v
}

// districtBuilder holds what the sections of a district's page share.
type districtBuilder struct {
	p     page
	lang  string
	pack  *plan.Pack
	code  string // the district's
	asked int    // the year asked for, 0 for all the data
}

// keep carries the year asked for on to the pages linked, which then assess alike.
func (d districtBuilder) keep(q url.Values) url.Values {
	if d.asked != 0 {
		if q == nil {
			q = url.Values{}
		}
		q.Set("year", strconv.Itoa(d.asked))
	}
	return q
}

// heading is the page's top: the district, the plan, the year of data assessed with its
// selector, and the links to this view and its JSON.
func (d districtBuilder) heading(e *indicator.Engine, years []int, districts int) districtPage {
	pack, lang, code := d.pack, d.lang, d.code
	o := pack.Org(code)
	v := districtPage{page: d.p, Code: code, Name: pick(lang, o.Name, o.NameEn), CityName: pick(lang, pack.Top().Name, pack.Top().NameEn),
		PlanName: pick(lang, pack.Name, pack.NameEn), PeriodStart: pack.BaselineYear + 1, PeriodEnd: pack.TargetYear, Of: districts, Score: "—"}
	v.Title = v.Name
	v.ScopeOrg = v.Name
	if seen := e.Years(); len(seen) > 0 {
		v.AsOf = seen[len(seen)-1]
	}
	v.ScopeAsOf = v.AsOf
	for i := len(years) - 1; i >= 0; i-- {
		v.Years = append(v.Years, choice{Value: strconv.Itoa(years[i]), Label: strconv.Itoa(years[i]), Selected: years[i] == v.AsOf})
	}
	v.Permalink = "/districts/" + code + "?" + url.Values{"lang": {lang}}.Encode()
	if v.AsOf != 0 {
		v.Permalink = "/districts/" + code + "?" + url.Values{"year": {strconv.Itoa(v.AsOf)}, "lang": {lang}}.Encode()
	}
	v.ProgressJSON = "/api/v1/progress?" + url.Values{"org": {code}, "methods": {"all"}}.Encode()
	v.Chart.Text = map[string]string{"completion": locale.T(lang, "completion"), "elapsed": locale.T(lang, "time_elapsed")}
	return v
}

// summary is the district's rank, score and counts by status, its commitments, and the
// other districts to move to; it returns the district's scorecard.
func (d districtBuilder) summary(v *districtPage, cards []progress.Scorecard, cityCommitments []progress.CommitmentRow) progress.Scorecard {
	var card progress.Scorecard
	for _, c := range cards {
		if c.Org == d.code {
			card = c
		}
		o := d.pack.Org(c.Org)
		v.Others = append(v.Others, choice{Value: d.p.link("/districts/"+c.Org, d.keep(nil)), Label: pick(d.lang, o.Name, o.NameEn), Selected: c.Org == d.code})
	}
	v.Rank, v.AtRisk = card.Rank, card.AtRisk
	v.Commitments = commitmentViewsOf(d.p, d.pack, card.Commitments, cityCommitments)
	if card.Score.OK {
		v.Score = formatNumber(100*card.Score.V, 0) + "%"
	}
	for _, st := range []progress.Status{progress.Achieved, progress.Ahead, progress.OnTrack, progress.Lagging, progress.Regressing, progress.NoData} {
		if n := card.Counts[st]; n > 0 {
			v.Counts = append(v.Counts, statusCount{Badge: badgeOf(d.lang, st, false), N: n})
		}
	}
	return card
}

// scores are the district's indicators, each beside the city's value and the district's
// rank, as a table and as the completion chart.
func (d districtBuilder) scores(v *districtPage, card progress.Scorecard, cards []progress.Scorecard, city []progress.Row) {
	cityRow := map[string]progress.Row{}
	for _, r := range city {
		cityRow[r.Indicator] = r
	}
	// latest[indicator] is each district's latest value, for the ranks.
	latest := map[string][]float64{}
	for _, c := range cards {
		for _, r := range c.Rows {
			if r.Latest.OK {
				latest[r.Indicator] = append(latest[r.Indicator], r.Latest.V)
			}
		}
	}
	for i, r := range card.Rows {
		sr := d.scoreRow(i+1, r, latest[r.Indicator])
		if c, ok := cityRow[r.Indicator]; ok {
			sr.City, sr.CityStatus = shortNumber(d.pack.Indicator(r.Indicator), c.Latest), rowBadge(d.lang, c)
			if c.Latest.OK {
				sr.CityYear = c.LatestYear
			}
		}
		var comp, elapsed *float64
		comp, sr.Completion = percentOf(r.Completion)
		elapsed, sr.Elapsed = percentOf(r.TimeElapsed)
		v.Rows = append(v.Rows, sr)

		v.Chart.Names = append(v.Chart.Names, sr.Name)
		v.Chart.Completion = append(v.Chart.Completion, comp)
		v.Chart.Elapsed = append(v.Chart.Elapsed, elapsed)
		v.Chart.Statuses = append(v.Chart.Statuses, string(r.Status))
		v.Chart.Labels = append(v.Chart.Labels, sr.Status.Symbol+" "+sr.Status.Label)
	}
}

// scoreRow is the district's row of an indicator; others are every district's latest
// value of it, for the rank.
func (d districtBuilder) scoreRow(no int, r progress.Row, others []float64) scoreRow {
	ind, lang := d.pack.Indicator(r.Indicator), d.lang
	withU := func(n progress.Number) string { return shortNumber(ind, n) }
	sr := scoreRow{No: no, Code: ind.Code, Name: pick(lang, ind.Name, ind.NameEn), Unit: unitLabel(lang, ind.Unit),
		URL:       d.p.link("/indicators/"+ind.Code, d.keep(url.Values{"org": {d.code}})),
		Attribute: attributeLabel(lang, ind.Attribute), Binding: ind.Attribute == plan.Binding,
		Baseline: withU(r.Baseline), BaselineYear: r.BaselineYear, Latest: withU(r.Latest), Target: withU(r.Target), TargetYear: r.TargetYear,
		Status: rowBadge(lang, r), City: "—", CityURL: d.p.link("/indicators/"+ind.Code, d.keep(nil)), RankOf: len(others)}
	if r.Latest.OK {
		sr.LatestYear = r.LatestYear
	}
	// Ranked among the districts, equal values sharing a rank (并列); a count (万人)
	// follows a district's size and is not ranked.
	if r.Latest.OK && !ind.IsCount() {
		sr.Rank = 1
		for _, x := range others {
			if better(ind, x, r.Latest.V) < 0 {
				sr.Rank++
			}
		}
	}
	return sr
}

// shortNumber writes a number of a scorecard with its unit only where it is a sign (%):
// the indicator's column names the others, and "0.04 ×10,000 persons" in every cell
// crowds the table.
func shortNumber(ind *plan.Indicator, n progress.Number) string {
	if !n.OK {
		return "—"
	}
	if ind.Unit == "%" {
		return formatNumber(n.V, ind.Decimals) + "%"
	}
	return formatNumber(n.V, ind.Decimals)
}

// percentOf is a share in percent to one decimal, for the chart and the table.
func percentOf(n progress.Number) (*float64, string) {
	if !n.OK {
		return nil, "—"
	}
	x := math.Round(1000*n.V) / 10
	return &x, formatNumber(x, 1) + "%"
}

// badgeOf is a status as the pages show it: colour, symbol and words.
func badgeOf(lang string, st progress.Status, atRisk bool) statusBadge {
	return statusBadge{Code: string(st), Label: statusLabel(lang, st), Symbol: symbolOf(st), AtRisk: atRisk}
}

// better orders two values of an indicator, the better first: higher for up and hold,
// lower for down, nearer the city's target for toward.
func better(ind *plan.Indicator, a, b float64) int {
	switch ind.Direction {
	case plan.Down:
		return cmp.Compare(a, b)
	case plan.Toward:
		return cmp.Compare(math.Abs(a-ind.Target.Value), math.Abs(b-ind.Target.Value))
	}
	return cmp.Compare(b, a)
}
