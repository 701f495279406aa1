package web

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/standards"
)

// standardsPage is the overview of the supervision standards: every district against
// each standard in a year, and the complying schools year by year.
type standardsPage struct {
	page
	Year      int
	Years     []choice
	Stages    []string // the quality_balanced stages' labels
	Districts []standardsRow
	Ready     []string // districts that meet every standard (every stage)
	History   []int
	HistRows  []historyRow
	Preschool string
	Balanced  string
}

// standardsRow is a district's line of the overview.
type standardsRow struct {
	Name, URL string
	Stages    []stageCell
	Preschool statusBadge
}

// stageCell is a district's quality_balanced assessment of one stage.
type stageCell struct {
	Badge     statusBadge
	Schools   string // "17/19"
	WorstCV   string // the largest CV as a share of its limit, with the item
	CVOver    bool
	WorstItem string
}

type historyRow struct {
	Name  string
	Cells []string // complying/assessed schools, both stages, per year
}

// verdictBadge shows a verdict with the colours of the progress statuses.
func verdictBadge(lang string, v standards.Verdict) statusBadge {
	switch v {
	case standards.Met:
		return statusBadge{Code: "achieved", Label: locale.T(lang, "verdict_met"), Symbol: "✓"}
	case standards.NotMet:
		return statusBadge{Code: "regressing", Label: locale.T(lang, "verdict_not_met"), Symbol: "✕"}
	}
	return statusBadge{Code: "no_data", Label: locale.T(lang, "verdict_no_data"), Symbol: "–"}
}

func stageLabel(lang, stage string) string {
	switch stage {
	case "primary":
		return locale.T(lang, "stage_primary")
	case "junior":
		return locale.T(lang, "stage_junior")
	case "preschool":
		return locale.T(lang, "stage_preschool")
	}
	return stage
}

// standardsYear is the year the standards pages show: ?year=, or the latest with data.
func standardsYear(r *http.Request, e *indicator.Engine) (int, error) {
	year, err := asOfParam(r, e)
	if err != nil || year != 0 {
		return year, err
	}
	if ys := e.Years(); len(ys) > 0 {
		return ys[len(ys)-1], nil
	}
	return 0, plan.Errorf(plan.ENOTFOUND, "还没有数据", "no data yet")
}

func (s *Server) handleStandardsPage(w http.ResponseWriter, r *http.Request) {
	e := s.engine(r)
	scope := s.scopeFor(r)
	year, err := standardsYear(r, e)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := s.newPage(r, demo)
	lang := p.Lang
	pack := e.Pack()
	qb, up := pack.Standard("quality_balanced"), pack.Standard("universal_preschool")
	if qb == nil || up == nil {
		s.pageError(w, r, plan.Errorf(plan.ENOTFOUND, "规划包未声明督导评估标准", "the plan pack declares no supervision standards"))
		return
	}
	balanced, err := standards.Compute(e, scope, standards.Query{Standard: qb.Code, Year: year})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	preschool, err := standards.Compute(e, scope, standards.Query{Standard: up.Code, Year: year})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := standardsPage{page: p, Year: year, Balanced: pick(lang, qb.Name, qb.NameEn), Preschool: pick(lang, up.Name, up.NameEn)}
	v.Title = locale.T(lang, "std_title")
	v.ScopeOrg = pick(lang, pack.Top().Name, pack.Top().NameEn)
	v.ScopeAsOf = year
	for _, st := range qb.Stages {
		v.Stages = append(v.Stages, stageLabel(lang, st))
	}
	ys := e.Years()
	for i := len(ys) - 1; i >= 0; i-- {
		v.Years = append(v.Years, choice{Value: strconv.Itoa(ys[i]), Label: strconv.Itoa(ys[i]), Selected: ys[i] == year})
	}
	v.Districts, v.Ready = standardsDistricts(lang, year, qb, balanced, preschool)
	v.History, v.HistRows = s.standardsHistory(e, scope, qb, lang)
	s.renderPage(w, r, "standards", v)
}

// standardsDistricts are each district's verdicts on the balanced-development standard,
// by stage, and on universal preschool, in the order the standard lists them; ready
// names those that meet both in every stage.
func standardsDistricts(lang string, year int, qb *plan.Standard, balanced, preschool *standards.Result) (districts []standardsRow, ready []string) {
	pre := map[string]standards.Verdict{}
	for _, d := range preschool.Districts {
		pre[d.Org] = d.Verdict
	}
	rows := map[string]*standardsRow{}
	var order []string
	for _, d := range balanced.Districts {
		row := rows[d.Org]
		if row == nil {
			row = &standardsRow{Name: pick(lang, d.Name, d.NameEn), URL: langURL(lang, "/standards/"+d.Org+"?year="+strconv.Itoa(year)),
				Preschool: verdictBadge(lang, pre[d.Org])}
			rows[d.Org] = row
			order = append(order, d.Org)
		}
		row.Stages = append(row.Stages, stageCellOf(lang, qb, d))
	}
	for _, org := range order {
		row := rows[org]
		districts = append(districts, *row)
		met := pre[org] == standards.Met
		for _, c := range row.Stages {
			met = met && c.Badge.Code == "achieved"
		}
		if met {
			ready = append(ready, row.Name)
		}
	}
	return districts, ready
}

func stageCellOf(lang string, std *plan.Standard, d standards.District) stageCell {
	c := stageCell{Badge: verdictBadge(lang, d.Verdict), Schools: fmt.Sprintf("%d/%d", d.Complying, len(d.Schools))}
	worst := -1.0
	for i, f := range d.Items {
		if f.CVKnown && f.CVLimit > 0 && f.CV/f.CVLimit > worst {
			worst = f.CV / f.CVLimit
			c.WorstCV = fmt.Sprintf("%.3f / %.2f", f.CV, f.CVLimit)
			c.CVOver = f.CV > f.CVLimit
			c.WorstItem = std.Items[i].Code + " " + pick(lang, std.Items[i].Name, std.Items[i].NameEn)
		}
	}
	return c
}

// standardsHistory counts, per district and year, the schools complying with
// quality_balanced (both stages) out of those assessed.
func (s *Server) standardsHistory(e *indicator.Engine, scope plan.Scope, std *plan.Standard, lang string) ([]int, []historyRow) {
	years := e.Years()
	var rows []historyRow
	index := map[string]int{}
	for _, y := range years {
		res, err := standards.Compute(e, scope, standards.Query{Standard: std.Code, Year: y})
		if err != nil {
			continue
		}
		counts := map[string][2]int{}
		for _, d := range res.Districts {
			if _, ok := index[d.Org]; !ok {
				index[d.Org] = len(rows)
				rows = append(rows, historyRow{Name: pick(lang, d.Name, d.NameEn)})
			}
			c := counts[d.Org]
			counts[d.Org] = [2]int{c[0] + d.Complying, c[1] + len(d.Schools)}
		}
		for org, i := range index {
			c := counts[org]
			cell := "—"
			if c[1] > 0 {
				cell = fmt.Sprintf("%d/%d", c[0], c[1])
			}
			rows[i].Cells = append(rows[i].Cells, cell)
		}
	}
	return years, rows
}

// standardsDistrictPage is one district against the standards in a year.
type standardsDistrictPage struct {
	page
	Name, Back string
	// CSV and Detail are the API's rows and its full assessment, with every figure's
	// numbers and import batches, of the district and year.
	CSV, Detail string
	Year        int
	Years       []choice
	Stages      []stageSection
	Preschool   stageSection
}

// stageSection is a standard's assessment of one stage of a district.
type stageSection struct {
	Title   string
	Badge   statusBadge
	Summary string
	Items   []itemLine
	Heads   []string // the items' codes, for the schools' table
	Schools []schoolLine
}

type itemLine struct {
	Code, Name, Value, Threshold string
	Met                          statusBadge
	CV, CVLimit                  string
	// CVBar is the bar's length on a track of 150 where the limit is at 100 (an SVG's
	// attribute: the pages' content security policy allows no inline style).
	CVBar  string
	CVOver bool
}

type schoolLine struct {
	Name, Code, Students string
	Cells                []schoolCell
	Badge                statusBadge
	Needs                string
}

type schoolCell struct {
	Value, Band, Title string
}

func (s *Server) handleStandardsDistrictPage(w http.ResponseWriter, r *http.Request) {
	e := s.engine(r)
	pack := e.Pack()
	code := r.PathValue("code")
	if o := pack.Org(code); o == nil || o.Level != plan.LevelDistrict {
		s.pageError(w, r, plan.Errorf(plan.ENOTFOUND, "区县市 %q 不存在", "no district %q", code))
		return
	}
	scope := s.scopeFor(r)
	year, err := standardsYear(r, e)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p := s.newPage(r, demo)
	lang := p.Lang
	o := pack.Org(code)
	v := standardsDistrictPage{page: p, Name: pick(lang, o.Name, o.NameEn), Year: year,
		Back: langURL(lang, "/standards?year="+strconv.Itoa(year))}
	v.Title = v.Name + " · " + locale.T(lang, "std_title")
	q := "?year=" + strconv.Itoa(year) + "&org=" + code
	v.CSV = "/api/v1/standards/quality_balanced" + q + "&format=csv"
	v.Detail = "/api/v1/standards/quality_balanced" + q + "&detail=full"
	v.ScopeOrg, v.ScopeAsOf = v.Name, year
	ys := e.Years()
	for i := len(ys) - 1; i >= 0; i-- {
		v.Years = append(v.Years, choice{Value: strconv.Itoa(ys[i]), Label: strconv.Itoa(ys[i]), Selected: ys[i] == year})
	}
	for _, std := range pack.Standards {
		res, err := standards.Compute(e, scope, standards.Query{Standard: std.Code, Year: year, Org: code})
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		for _, d := range res.Districts {
			sec := stageSectionOf(lang, std, d)
			if std.Level == plan.StandardSchools {
				v.Stages = append(v.Stages, sec)
			} else {
				v.Preschool = sec
			}
		}
	}
	s.renderPage(w, r, "standards_district", v)
}

func figure(x float64) string {
	switch {
	case math.Abs(x) >= 1000:
		return formatNumber(x, 0)
	case math.Abs(x) >= 100:
		return formatNumber(x, 1)
	}
	return formatNumber(x, 2)
}

func stageSectionOf(lang string, std *plan.Standard, d standards.District) stageSection {
	sec := stageSection{Title: pick(lang, std.Name, std.NameEn) + " · " + stageLabel(lang, d.Stage), Badge: verdictBadge(lang, d.Verdict)}
	if std.Level == plan.StandardSchools {
		sec.Summary = fmt.Sprintf(locale.T(lang, "schools_comply"), len(d.Schools), d.Complying)
	}
	for i, f := range d.Items {
		it := std.Items[i]
		l := itemLine{Code: it.Code, Name: pick(lang, it.Name, it.NameEn), Value: "—", Threshold: "≥ " + figure(f.Threshold),
			Met: verdictBadge(lang, f.Met)}
		if f.Known {
			l.Value = figure(f.Value)
		}
		if f.CVLimit > 0 {
			l.CVLimit = "≤ " + formatNumber(f.CVLimit, 2)
			l.CV = "—"
			if f.CVKnown {
				l.CV = formatNumber(f.CV, 3)
				l.CVBar = strconv.FormatFloat(math.Min(150, 100*f.CV/f.CVLimit), 'f', 1, 64)
				l.CVOver = f.CV > f.CVLimit
			}
		}
		sec.Items = append(sec.Items, l)
		sec.Heads = append(sec.Heads, it.Code)
	}
	schools := slices.Clone(d.Schools)
	// Those holding the district back first: not complying (fewest items met first),
	// then no data, then complying; by code within each.
	rank := map[standards.Verdict]int{standards.NotMet: 0, standards.NoData: 1, standards.Met: 2}
	slices.SortStableFunc(schools, func(a, b standards.School) int {
		return cmp.Or(rank[a.Verdict]-rank[b.Verdict], a.MetCount-b.MetCount, strings.Compare(a.Code, b.Code))
	})
	for _, sc := range schools {
		sec.Schools = append(sec.Schools, schoolLineOf(lang, std, sc))
	}
	return sec
}

// schoolLineOf is a school's line of a district's section: its value and band on each
// item, what it needs to comply, and its verdict.
func schoolLineOf(lang string, std *plan.Standard, sc standards.School) schoolLine {
	line := schoolLine{Name: sc.Name, Code: sc.Code, Students: "—", Badge: verdictBadge(lang, sc.Verdict)}
	if sc.Students > 0 { // 0: a small count the caller may not see
		line.Students = formatNumber(sc.Students, 0)
	}
	var needs []string
	hidden := false
	for i, f := range sc.Items {
		it := std.Items[i]
		c := schoolCell{Value: "—", Band: "none"}
		switch {
		case f.Suppressed:
			hidden = true
			c.Title = fmt.Sprintf(locale.T(lang, "std_suppressed"), plan.PublicMinCount)
		case f.Known:
			c.Value, c.Band = figure(f.Value), f.Band
			c.Title = pick(lang, it.Name, it.NameEn) + " ≥ " + figure(f.Threshold)
			if f.Need > 0 {
				needs = append(needs, "+"+formatNumber(f.Need, 0)+" "+pick(lang, it.Need, it.NeedEn))
			}
		default:
			c.Title = locale.T(lang, "std_no_data")
		}
		line.Cells = append(line.Cells, c)
	}
	line.Needs = strings.Join(needs, locale.T(lang, "clause_sep"))
	if hidden {
		line.Badge = statusBadge{Label: locale.T(lang, "std_hidden"), Symbol: "–"}
	}
	return line
}

// langURL adds ?lang=en (or &lang=en) to a page's URL on English pages.
func langURL(lang, u string) string {
	if lang != langEn {
		return u
	}
	if strings.Contains(u, "?") {
		return u + "&lang=en"
	}
	return u + "?lang=en"
}
