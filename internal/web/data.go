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
	pack := e.Pack()
	lang := p.Lang
	v := dataPage{page: p, Years: rep.Years,
		CSVURL: "/api/v1/quality?format=csv", JSONURL: "/api/v1/quality"}
	v.Title = locale.T(p.Lang, "data_page")
	orgName := func(code string) string {
		zh, en, _ := e.OrgName(code)
		return pick(lang, zh, en)
	}
	for _, st := range []string{quality.StatusPresent, quality.StatusPartial, quality.StatusMissing} {
		v.Legend = append(v.Legend, qualityStateOf(lang, st))
	}
	v.Legend = append(v.Legend, qualityState{"none", "–", locale.T(lang, "quality_none_all")})

	imported := 0
	for _, b := range batches {
		br := batchRow{ID: b.ID, Kind: kindLabel(pack, lang, b.Kind), File: b.File, Rows: formatNumber(float64(b.Rows), 0),
			ImportedAt: p.clock(b.ImportedAt), ReplacedBy: b.ReplacedBy, Warnings: b.Warnings}
		var ys, names []string
		for _, y := range b.Years {
			ys = append(ys, strconv.Itoa(y))
		}
		for _, d := range b.Districts {
			names = append(names, orgName(d))
		}
		br.Years = strings.Join(ys, ", ")
		br.Districts = strconv.Itoa(len(b.Districts))
		br.DistrictNames = strings.Join(names, locale.T(lang, "list_sep"))
		if b.ReplacedBy == 0 {
			imported += b.Rows
		}
		v.Batches = append(v.Batches, br)
	}
	v.Imported = formatNumber(float64(imported), 0)

	indName := func(code string) string {
		ind := pack.Indicator(code)
		return pick(lang, ind.Name, ind.NameEn)
	}
	// The grid: each org's elements down, years across. Cells come org by org, year by
	// year, element by element.
	yearAt := map[int]int{}
	for i, y := range rep.Years {
		yearAt[y] = i
	}
	type orgYear struct {
		org  string
		year int
	}
	held := map[orgYear]bool{}   // some data of the org in the year
	anyYear := map[int]bool{}    // some data of any org in the year
	rowAt := map[[2]string]int{} // (org, element) → index in the org's rows
	for _, c := range rep.Cells {
		if c.Status != quality.StatusMissing {
			held[orgYear{c.Org, c.Year}], anyYear[c.Year] = true, true
		}
	}
	for _, c := range rep.Cells {
		if len(v.Orgs) == 0 || v.Orgs[len(v.Orgs)-1].Code != c.Org {
			o := pack.Org(c.Org)
			qo := qualityOrg{Code: c.Org, Name: orgName(c.Org), City: o.Level == plan.LevelCity}
			if !qo.City {
				qo.URL = p.link("/districts/"+c.Org, nil)
			}
			v.Orgs = append(v.Orgs, qo)
		}
		qo := &v.Orgs[len(v.Orgs)-1]
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
		qc := qualityCell{qualityState: qualityStateOf(lang, c.Status), Blocks: len(c.Blocks)}
		switch {
		case c.Status != quality.StatusMissing:
			qc.Rows = formatNumber(float64(c.Rows), 0)
		case !anyYear[c.Year]:
			// A year nobody has data for yet (a plan year still to come) is not a gap
			// to chase: shown quietly, and said once below the grid.
			qc.qualityState, qc.Blocks = qualityState{"none", "–", locale.T(lang, "quality_none")}, 0
		}
		title := []string{fmt.Sprintf("%s · %d · %s: %s", qo.Name, c.Year, qo.Rows[i].Label, qc.Label)}
		if c.Status != quality.StatusMissing {
			title = append(title, fmt.Sprintf(locale.T(lang, "quality_rows"), qc.Rows))
		}
		for _, b := range c.Batches {
			title = append(title, fmt.Sprintf("#%d %s", b.ID, b.File))
		}
		if c.Warnings > 0 {
			title = append(title, fmt.Sprintf(locale.T(lang, "quality_warnings"), c.Warnings))
		}
		if len(c.Blocks) > 0 {
			var names []string
			for _, b := range c.Blocks {
				names = append(names, indName(b.Indicator))
			}
			title = append(title, locale.T(lang, "quality_blocks")+strings.Join(names, locale.T(lang, "list_sep")))
		}
		qc.Title = strings.Join(title, "\n")
		qo.Rows[i].Cells[yearAt[c.Year]] = qc
	}

	// The indicators blocked where an org holds some data in the year: the gaps worth
	// filling. Years with no data anywhere block everything, and are said once.
	var empty []string
	for _, y := range rep.Years {
		if !anyYear[y] {
			empty = append(empty, strconv.Itoa(y))
		}
	}
	v.Empty = strings.Join(empty, ", ")
	for _, b := range rep.Blocked {
		if !held[orgYear{b.Org, b.Year}] {
			continue
		}
		if n := len(v.Blocked); n == 0 || v.Blocked[n-1].Year != b.Year || v.Blocked[n-1].Org != orgName(b.Org) {
			v.Blocked = append(v.Blocked, blockedRow{Org: orgName(b.Org), Year: b.Year})
		}
		var miss []string
		for _, m := range b.Missing {
			miss = append(miss, fmt.Sprintf("%s (%d)", m.Call, m.Year))
		}
		q := url.Values{"year": {strconv.Itoa(b.Year)}}
		if b.Org != pack.Tenant {
			q.Set("org", b.Org)
		}
		br := &v.Blocked[len(v.Blocked)-1]
		br.Indicators = append(br.Indicators, blockedIndicator{Name: indName(b.Indicator),
			URL: p.link("/indicators/"+b.Indicator, q) + "#h-explain", Missing: strings.Join(miss, ", ")})
	}
	return v
}
