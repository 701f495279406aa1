package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
)

// page is what every page's layout reads.
type page struct {
	Lang      string
	HTMLLang  string
	T         map[string]string
	Title     string
	Demo      bool
	SwitchURL string
	CSS       string
	Icon      string
	// Scripts are the versioned URLs of the page's scripts, loaded deferred.
	Scripts []string
	// Home is the overview's URL in the page's language; DataURL the data page's.
	Home    string
	DataURL string
	// explicitLang is the ?lang= of the request, carried on to the pages it links.
	explicitLang string
}

func (s *Server) newPage(r *http.Request, demo bool) page {
	lang := langOf(r)
	p := page{Lang: lang, HTMLLang: "zh-CN", T: messages[lang], Demo: demo, CSS: s.static.url("app.css"), Icon: s.static.url("favicon.svg")}
	if l := r.URL.Query().Get("lang"); l == langZh || l == langEn {
		p.explicitLang = l
	}
	other := langEn
	if lang == langEn {
		p.HTMLLang, other = "en", langZh
	}
	p.SwitchURL = withLang(r.URL, other)
	p.Home = p.link("/", nil)
	p.DataURL = p.link("/data", nil)
	return p
}

// link returns a URL of this site with the query, keeping the page's language when the
// request chose it: a reader who switched language stays in it.
func (p page) link(path string, q url.Values) string {
	if p.explicitLang != "" {
		if q == nil {
			q = url.Values{}
		}
		q.Set("lang", p.explicitLang)
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// overviewPage is the plan at a glance: every indicator at the city, and every
// district's status for each.
type overviewPage struct {
	page
	PlanName     string
	PeriodStart  int
	PeriodEnd    int
	BaselineYear int
	// DataYears is the span of years with data, "" when there is none.
	DataYears string
	Groups    []indicatorGroup
	Columns   []gridColumn
	Districts []districtRow
	Legend    []statusBadge
}

type indicatorGroup struct {
	Name       string
	Indicators []indicatorRow
}

type indicatorRow struct {
	No               int
	Code, Name, Unit string
	Attribute        string
	Binding          bool
	BaselineYear     int
	Baseline         string
	LatestYear       int
	Latest           string
	TargetYear       int
	Target           string
	Status           statusBadge
	// URL is the indicator's page; ExplainURL the same at the latest year, where the
	// page explains the value.
	URL        string
	ExplainURL string
}

type statusBadge struct {
	Code   string // progress.Status, or "" where not applicable
	Label  string
	Symbol string // for the grid's cells, beside the colour
	AtRisk bool
}

// symbolOf marks a status with a shape as well as a colour, for readers who do not see
// colours.
func symbolOf(st progress.Status) string {
	switch st {
	case progress.Achieved:
		return "✓"
	case progress.Ahead:
		return "▲"
	case progress.OnTrack:
		return "●"
	case progress.Lagging:
		return "▼"
	case progress.Regressing:
		return "✕"
	}
	return "–"
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
	e := s.engine()
	rows, err := progress.Assess(e, s.scopeFor(r), progress.Query{})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderPage(w, r, "overview", overviewOf(s.newPage(r, demo), e, rows))
}

// overviewOf arranges progress rows for the overview page.
func overviewOf(p page, e *indicator.Engine, rows []progress.Row) overviewPage {
	pack := e.Pack()
	lang := p.Lang
	v := overviewPage{page: p, PlanName: pick(lang, pack.Name, pack.NameEn),
		PeriodStart: pack.BaselineYear + 1, PeriodEnd: pack.TargetYear, BaselineYear: pack.BaselineYear}
	v.Title = v.PlanName
	years := e.Years()
	lastYear := 0
	if len(years) > 0 {
		lastYear = years[len(years)-1]
		v.DataYears = strconv.Itoa(years[0])
		if years[0] != lastYear {
			v.DataYears += "–" + strconv.Itoa(lastYear)
		}
	}

	type key struct{ indicator, org string }
	byKey := make(map[key]progress.Row, len(rows))
	for _, row := range rows {
		byKey[key{row.Indicator, row.Org}] = row
	}
	// pageFor links to the indicator's page for an org, in the latest year assessed, else
	// the last year with any data (where the page says why there is no value).
	pageFor := func(ind, org string, row progress.Row, ok bool) string {
		y := lastYear
		if ok && row.Latest.OK {
			y = row.LatestYear
		}
		if y == 0 {
			return ""
		}
		q := url.Values{"year": {strconv.Itoa(y)}}
		if org != pack.Tenant {
			q.Set("org", org)
		}
		return p.link("/indicators/"+ind, q)
	}
	badge := func(row progress.Row, ok bool) statusBadge {
		if !ok {
			return statusBadge{Label: p.T["not_applicable"], Symbol: "·"}
		}
		return statusBadge{Code: string(row.Status), Label: statusLabel(lang, row.Status), Symbol: symbolOf(row.Status), AtRisk: row.AtRisk}
	}

	// Indicators in the pack's groups, in order of each group's first indicator.
	groupAt := map[string]int{}
	for _, ind := range pack.Indicators {
		i, ok := groupAt[ind.Group]
		if !ok {
			i = len(v.Groups)
			groupAt[ind.Group] = i
			v.Groups = append(v.Groups, indicatorGroup{Name: pick(lang, ind.Group, ind.GroupEn)})
		}
		row, ok := byKey[key{ind.Code, pack.Tenant}]
		ir := indicatorRow{
			Code: ind.Code, Name: pick(lang, ind.Name, ind.NameEn), Unit: unitLabel(lang, ind.Unit),
			Attribute: attributeLabel(lang, ind.Attribute), Binding: ind.Attribute == plan.Binding,
			BaselineYear: ind.Baseline.Year, Baseline: formatNumber(ind.Baseline.Value, ind.Decimals),
			TargetYear: ind.Target.Year, Target: formatNumber(ind.Target.Value, ind.Decimals),
			Latest: "—", Status: badge(row, ok), URL: p.link("/indicators/"+ind.Code, nil), ExplainURL: pageFor(ind.Code, pack.Tenant, row, ok),
		}
		if ok && row.Latest.OK {
			ir.LatestYear, ir.Latest = row.LatestYear, formatNumber(row.Latest.V, ind.Decimals)
		}
		v.Groups[i].Indicators = append(v.Groups[i].Indicators, ir)
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

	for _, d := range pack.Districts() {
		dr := districtRow{Code: d.Code, Name: pick(lang, d.Name, d.NameEn), URL: p.link("/districts/"+d.Code, nil)}
		for i, ind := range order {
			row, ok := byKey[key{ind.Code, d.Code}]
			c := gridCell{statusBadge: badge(row, ok)}
			c.Title = cellTitle(lang, dr.Name, v.Columns[i].Name, c.statusBadge, p.T["at_risk"], ind, row, ok)
			if ok {
				c.URL = pageFor(ind.Code, d.Code, row, ok)
			}
			dr.Cells = append(dr.Cells, c)
		}
		v.Districts = append(v.Districts, dr)
	}

	for _, st := range []progress.Status{progress.Achieved, progress.Ahead, progress.OnTrack, progress.Lagging, progress.Regressing, progress.NoData} {
		v.Legend = append(v.Legend, statusBadge{Code: string(st), Label: statusLabel(lang, st), Symbol: symbolOf(st)})
	}
	return v
}

// cellTitle says what a grid cell shows: "芝罘区 · 公办幼儿园在园幼儿占比：滞后（44.44%，2022年）".
func cellTitle(lang, district, indicator string, b statusBadge, atRisk string, ind *plan.Indicator, row progress.Row, ok bool) string {
	var value string
	if ok && row.Latest.OK {
		value = withUnit(lang, formatNumber(row.Latest.V, ind.Decimals), ind.Unit)
	}
	var t string
	if lang == langEn {
		t = district + " · " + indicator + ": " + b.Label
		if value != "" {
			t += fmt.Sprintf(" (%s, %d)", value, row.LatestYear)
		}
	} else {
		t = district + " · " + indicator + "：" + b.Label
		if value != "" {
			t += fmt.Sprintf("（%s，%d年）", value, row.LatestYear)
		}
	}
	if b.AtRisk {
		t += " ⚠ " + atRisk
	}
	return t
}

// renderPage executes a page's template into a buffer first, so that a failing template
// becomes a clean error rather than half a page.
func (s *Server) renderPage(w http.ResponseWriter, r *http.Request, name string, data any) {
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		s.pageError(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(buf.Bytes())
}

// errorPage is a page that says what went wrong, in the page's language.
type errorPage struct {
	page
	Status  int
	Code    string
	Message string
}

func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	status, d := s.errorOf(r, err)
	p := s.newPage(r, false)
	p.Title = strconv.Itoa(status)
	var buf bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&buf, "error", errorPage{page: p, Status: status, Code: d.Code, Message: pick(p.Lang, d.Message, d.MessageEn)}); err != nil {
		s.log.ErrorContext(r.Context(), "render error page", "err", err)
		http.Error(w, d.Message+" / "+d.MessageEn, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
