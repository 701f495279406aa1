package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/quality"
	"github.com/yantai-edu/eduplan/internal/store"
)

// dataPage is what the tenant holds: the files imported, and for the city and each
// district, year and kind of data, whether it is there and what its absence blocks.
type dataPage struct {
	page
	Batches  []batchRow
	Years    []int
	Orgs     []qualityOrg
	Blocked  []blockedRow
	Empty    string // the years with no data at all, which block every indicator
	Legend   []qualityState
	CSVURL   string
	JSONURL  string
	Imported string // rows in current batches
}

type batchRow struct {
	ID               int64
	Kind, File       string
	Rows             string
	Years, Districts string
	DistrictNames    string
	ImportedAt       string
	ReplacedBy       int64
	Warnings         int
}

type qualityOrg struct {
	Code, Name, URL string
	City            bool
	Rows            []qualityRow
}

type qualityRow struct {
	Label string
	Cells []qualityCell
}

type qualityCell struct {
	qualityState
	Rows   string
	Title  string
	Blocks int
	// Source says where students' or teachers' figures come from (rosters, school
	// tables, reported totals).
	Source string
}

type qualityState struct {
	Status, Symbol, Label string
}

type blockedRow struct {
	Org        string
	Year       int
	Indicators []blockedIndicator
}

type blockedIndicator struct {
	Name, URL, Missing string
}

func (s *Server) handleDataPage(w http.ResponseWriter, r *http.Request) {
	e := s.engine(r)
	scope := s.scopeFor(r)
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.pageError(w, r, fmt.Errorf("demo flag: %w", err))
		return
	}
	batches, err := s.db.Batches(r.Context(), scope)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	rep, err := s.quality(r.Context(), e, scope)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderPage(w, r, "data", dataPageOf(s.newPage(r, demo), e, batches, rep))
}

func qualityStateOf(lang, status string) qualityState {
	switch status {
	case quality.StatusPresent:
		return qualityState{status, "✓", locale.T(lang, "quality_present")}
	case quality.StatusPartial:
		return qualityState{status, "◐", locale.T(lang, "quality_partial")}
	}
	return qualityState{quality.StatusMissing, "✕", locale.T(lang, "quality_missing")}
}

// kindLabel is how a page names a kind of data: a built-in kind, or one the pack
// declares by its name (by its code with a nil pack).
func kindLabel(pack *plan.Pack, lang, kind string) string {
	switch kind {
	case store.KindInstitutions:
		return locale.T(lang, "kind_institutions")
	case store.KindStudents:
		return locale.T(lang, "kind_students")
	case store.KindTeachers:
		return locale.T(lang, "kind_teachers")
	case store.KindPopulation:
		return locale.T(lang, "kind_population")
	case store.KindFacts:
		return locale.T(lang, "kind_facts")
	case store.KindConditions:
		return locale.T(lang, "kind_conditions")
	}
	if rk := recordKind(pack, kind); rk != nil {
		return pick(lang, rk.Name, cmp.Or(rk.NameEn, rk.Name))
	}
	return kind
}

func recordKind(pack *plan.Pack, kind string) *plan.RecordKind {
	if pack == nil {
		return nil
	}
	return pack.RecordKind(kind)
}

// dataPageOf arranges the batches and the data-quality report for the data page.
func dataPageOf(p page, e *indicator.Engine, batches []store.Batch, rep *quality.Report) dataPage {
	lang := p.Lang
	v := dataPage{page: p, Years: rep.Years,
		CSVURL: "/api/v1/quality?format=csv", JSONURL: "/api/v1/quality"}
	v.Title = locale.T(p.Lang, "data_page")
	for _, st := range []string{quality.StatusPresent, quality.StatusPartial, quality.StatusMissing} {
		v.Legend = append(v.Legend, qualityStateOf(lang, st))
	}
	v.Legend = append(v.Legend, qualityState{"none", "–", locale.T(lang, "quality_none_all")})
	d := dataNames{p: p, e: e}
	v.Batches, v.Imported = d.batchRows(batches)
	held, anyYear := holdings(rep)
	v.Orgs = d.grid(rep, anyYear)
	v.Empty, v.Blocked = d.blocked(rep, held, anyYear)
	return v
}

// dataNames names the orgs, indicators and kinds of the data page in its language.
type dataNames struct {
	p page
	e *indicator.Engine
}

func (d dataNames) org(code string) string {
	zh, en, _ := d.e.OrgName(code)
	return pick(d.p.Lang, zh, en)
}

func (d dataNames) indicator(code string) string {
	ind := d.e.Pack().Indicator(code)
	return pick(d.p.Lang, ind.Name, ind.NameEn)
}

// batchRows are the files imported, and the rows of those still current.
func (d dataNames) batchRows(batches []store.Batch) ([]batchRow, string) {
	lang := d.p.Lang
	var rows []batchRow
	imported := 0
	for _, b := range batches {
		br := batchRow{ID: b.ID, Kind: kindLabel(d.e.Pack(), lang, b.Kind), File: b.File, Rows: formatNumber(float64(b.Rows), 0),
			ImportedAt: d.p.clock(b.ImportedAt), ReplacedBy: b.ReplacedBy, Warnings: b.Warnings}
		var ys, names []string
		for _, y := range b.Years {
			ys = append(ys, strconv.Itoa(y))
		}
		for _, code := range b.Districts {
			names = append(names, d.org(code))
		}
		br.Years = strings.Join(ys, ", ")
		br.Districts = strconv.Itoa(len(b.Districts))
		br.DistrictNames = strings.Join(names, locale.T(lang, "list_sep"))
		if b.ReplacedBy == 0 {
			imported += b.Rows
		}
		rows = append(rows, br)
	}
	return rows, formatNumber(float64(imported), 0)
}

// orgYear is an org in a year.
type orgYear struct {
	org  string
	year int
}

// holdings says where there is data: some of the org in the year (held), some of any
// org in the year (anyYear).
func holdings(rep *quality.Report) (held map[orgYear]bool, anyYear map[int]bool) {
	held, anyYear = map[orgYear]bool{}, map[int]bool{}
	for _, c := range rep.Cells {
		if c.Status != quality.StatusMissing {
			held[orgYear{c.Org, c.Year}], anyYear[c.Year] = true, true
		}
	}
	return held, anyYear
}

// grid is each org's elements down, years across. The report's cells come org by org,
// year by year, element by element.
func (d dataNames) grid(rep *quality.Report, anyYear map[int]bool) []qualityOrg {
	pack, lang := d.e.Pack(), d.p.Lang
	yearAt := map[int]int{}
	for i, y := range rep.Years {
		yearAt[y] = i
	}
	var orgs []qualityOrg
	rowAt := map[[2]string]int{} // (org, element) → index in the org's rows
	for _, c := range rep.Cells {
		if len(orgs) == 0 || orgs[len(orgs)-1].Code != c.Org {
			o := pack.Org(c.Org)
			qo := qualityOrg{Code: c.Org, Name: d.org(c.Org), City: o.Level == plan.LevelCity}
			if !qo.City {
				qo.URL = d.p.link("/districts/"+c.Org, nil)
			}
			orgs = append(orgs, qo)
		}
		qo := &orgs[len(orgs)-1]
		i, ok := rowAt[[2]string{c.Org, c.Element}]
		if !ok {
			label := kindLabel(pack, lang, c.Kind)
			if c.Kind == store.KindFacts {
				if el := pack.Element(c.Element); el != nil {
					label += locale.T(lang, "label_sep") + pick(lang, el.Name, el.NameEn)
				}
			}
			i = len(qo.Rows)
			rowAt[[2]string{c.Org, c.Element}] = i
			qo.Rows = append(qo.Rows, qualityRow{Label: label, Cells: make([]qualityCell, len(rep.Years))})
		}
		qo.Rows[i].Cells[yearAt[c.Year]] = d.cell(c, qo.Name, qo.Rows[i].Label, anyYear[c.Year])
	}
	return orgs
}

// cell is one org's element in one year: whether it is there, and in its title the
// rows, files, warnings and the indicators its absence blocks.
func (d dataNames) cell(c quality.Cell, orgName, label string, anyYear bool) qualityCell {
	lang := d.p.Lang
	qc := qualityCell{qualityState: qualityStateOf(lang, c.Status), Blocks: len(c.Blocks), Source: originLabel(lang, c.Origins)}
	switch {
	case c.Status != quality.StatusMissing:
		qc.Rows = formatNumber(float64(c.Rows), 0)
	case !anyYear:
		// A year nobody has data for yet (a plan year still to come) is not a gap
		// to chase: shown quietly, and said once below the grid.
		qc.qualityState, qc.Blocks = qualityState{"none", "–", locale.T(lang, "quality_none")}, 0
	}
	title := []string{fmt.Sprintf("%s · %d · %s: %s", orgName, c.Year, label, qc.Label)}
	if c.Status != quality.StatusMissing {
		title = append(title, fmt.Sprintf(locale.T(lang, "quality_rows"), qc.Rows))
	}
	for _, b := range c.Batches {
		title = append(title, fmt.Sprintf("#%d %s", b.ID, b.File))
	}
	if qc.Source != "" {
		title = append(title, locale.T(lang, "quality_source")+qc.Source)
	}
	if c.Warnings > 0 {
		title = append(title, fmt.Sprintf(locale.T(lang, "quality_warnings"), c.Warnings))
	}
	if len(c.Blocks) > 0 {
		var names []string
		for _, b := range c.Blocks {
			names = append(names, d.indicator(b.Indicator))
		}
		title = append(title, locale.T(lang, "quality_blocks")+strings.Join(names, locale.T(lang, "list_sep")))
	}
	qc.Title = strings.Join(title, "\n")
	return qc
}

// blocked are the indicators blocked where an org holds some data in the year: the gaps
// worth filling. Years with no data anywhere block everything, and are said once (empty).
func (d dataNames) blocked(rep *quality.Report, held map[orgYear]bool, anyYear map[int]bool) (empty string, rows []blockedRow) {
	var years []string
	for _, y := range rep.Years {
		if !anyYear[y] {
			years = append(years, strconv.Itoa(y))
		}
	}
	for _, b := range rep.Blocked {
		if !held[orgYear{b.Org, b.Year}] {
			continue
		}
		if n := len(rows); n == 0 || rows[n-1].Year != b.Year || rows[n-1].Org != d.org(b.Org) {
			rows = append(rows, blockedRow{Org: d.org(b.Org), Year: b.Year})
		}
		var miss []string
		for _, m := range b.Missing {
			miss = append(miss, fmt.Sprintf("%s (%d)", m.Call, m.Year))
		}
		q := url.Values{"year": {strconv.Itoa(b.Year)}}
		if b.Org != d.e.Pack().Tenant {
			q.Set("org", b.Org)
		}
		br := &rows[len(rows)-1]
		br.Indicators = append(br.Indicators, blockedIndicator{Name: d.indicator(b.Indicator),
			URL: d.p.link("/indicators/"+b.Indicator, q) + "#h-explain", Missing: strings.Join(miss, ", ")})
	}
	return strings.Join(years, ", "), rows
}
