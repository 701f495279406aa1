// Package quality tells, at a glance, what data a tenant holds and what it lacks: for the
// city and each district, each year and each kind of data, whether it is there, how many
// rows, from which import batch and with how many warnings, and which indicators cannot
// be computed for want of it.
//
// It reads the store (what is held, from which batch) and the indicator engine (what
// each compiled formula reads, and whether the cube has it); the CLI and the API read
// it. It sits beside progress in the flow: web → quality → indicator → cube → store.
package quality

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"time"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// Statuses of a cell.
const (
	StatusPresent = "present"
	// StatusPartial is the city's status when some districts have the data and others
	// not: the city's sums then count only those that have it.
	StatusPartial = "partial"
	StatusMissing = "missing"
)

// Report is the state of a tenant's data, org by org, year by year.
type Report struct {
	Tenant string `json:"tenant"`
	// Years are the plan's years and any other year with data, ascending.
	Years []int `json:"years"`
	// Cells are org × year × kind: orgs in pack order (the city, then its districts),
	// then years, then kinds (institutions, students, teachers, population, then the
	// reported elements that formulas read, in pack order, then the pack's record kinds).
	Cells []Cell `json:"cells"`
	// Blocked are the indicators that cannot be computed for an org and year because
	// an input is missing, in the order of Cells' orgs and years and the pack's
	// indicators. (A value may also be empty for a zero denominator; that is not a
	// data gap and is not listed.)
	Blocked []Blocked `json:"blocked"`
}

// Cell is one kind of data for one org and year.
type Cell struct {
	Org  string `json:"org"`
	Year int    `json:"year"`
	// Kind is institutions, students, teachers, population, facts or a record kind the
	// pack declares.
	Kind string `json:"kind"`
	// Element is the data element: the kind itself for the rosters and the declared
	// record kinds, the reported element for facts.
	Element string `json:"element"`
	Status  string `json:"status"`
	// Rows are the rows held: roster rows, institutions, population rows (ages × sex)
	// or reported values; reported values of a roster element (e.g. students of a year
	// before the rosters) count too.
	Rows int64 `json:"rows"`
	// Batches are the imports that hold the cell's current data, newest first: one
	// usually; a city's cell has its districts'.
	Batches []Batch `json:"batches"`
	// Warnings sums the warnings of those batches (a batch's warnings are the whole
	// file's, whichever districts it holds).
	Warnings int `json:"warnings"`
	// Blocks are the indicators of this org and year that cannot be computed because
	// this element is missing, in this year or in the year an offset call reads.
	Blocks []Block `json:"blocks,omitempty"`
	// Origins say, for students and teachers, where the figures come from: roster,
	// school (the schools' statistics tables, or figures reported at institutions),
	// district or city (totals reported for a district or the city).
	Origins []string `json:"origins,omitempty"`
}

// Batch is an import batch holding a cell's data.
type Batch struct {
	ID         int64     `json:"id"`
	File       string    `json:"file"`
	ImportedAt time.Time `json:"imported_at"`
	Warnings   int       `json:"warnings"`
}

// Block is an indicator that a missing element keeps from being computed; Year is the
// year of the element that is missing.
type Block struct {
	Indicator string `json:"indicator"`
	Year      int    `json:"year"`
}

// Blocked is an indicator that cannot be computed for an org and year, with what it
// lacks.
type Blocked struct {
	Org       string    `json:"org"`
	Year      int       `json:"year"`
	Indicator string    `json:"indicator"`
	Missing   []Missing `json:"missing"`
}

// Missing is a formula's input that has no data.
type Missing struct {
	// Call is the formula's call, e.g. teachers("stage=preschool").
	Call    string `json:"call"`
	Element string `json:"element"`
	Year    int    `json:"year"`
}

// rosterKinds are the kinds held as rows of a roster file, each its own element.
var rosterKinds = []string{store.KindInstitutions, store.KindStudents, store.KindTeachers, store.KindPopulation}

type holdingKey struct {
	kind    string
	year    int
	scope   string
	element string
}

// Assess reports the data held for the scope: the city and every district for a scope
// of the whole tenant, one district for a district's scope. It needs aggregate detail
// (it names import files and counts rows). e is the engine built from db, whose cube
// says whether each formula input is there.
func Assess(ctx context.Context, db *store.DB, e *indicator.Engine, scope plan.Scope) (*Report, error) {
	pack := e.Pack()
	orgs, err := scopeOrgs(e, scope)
	if err != nil {
		return nil, err
	}
	formulas := make([]*indicator.Formula, 0, len(pack.Indicators))
	for _, ind := range pack.Indicators {
		f, err := indicator.Compile(pack, ind)
		if err != nil {
			return nil, err
		}
		formulas = append(formulas, f)
	}
	holdings, err := db.Holdings(ctx, pack.Tenant)
	if err != nil {
		return nil, err
	}
	held := make(map[holdingKey]*store.Holding, len(holdings))
	for i := range holdings {
		h := &holdings[i]
		held[holdingKey{h.Kind, h.Year, h.Scope, h.Element}] = h
	}
	rep := &Report{Tenant: pack.Tenant, Years: years(pack, e)}
	index := rep.addCells(e, held, orgs, heldElements(pack, formulas))
	rep.addBlocked(e, orgs, formulas, index)
	return rep, nil
}

// heldElements are what a cell is kept for: the rosters, each fact element a formula
// reads, and each declared kind (held as a whole, like a roster).
func heldElements(pack *plan.Pack, formulas []*indicator.Formula) []string {
	elements := slices.Clone(rosterKinds)
	for _, el := range pack.Elements {
		if el.Source == plan.SourceFact && reads(formulas, el.Code) {
			elements = append(elements, el.Code)
		}
	}
	for _, rk := range pack.Kinds {
		elements = append(elements, rk.Code)
	}
	return elements
}

// addCells adds a cell per org, year and element, and returns where each is in
// rep.Cells.
func (rep *Report) addCells(e *indicator.Engine, held map[holdingKey]*store.Holding, orgs []*plan.Org, elements []string) map[holdingKey]int {
	pack := e.Pack()
	index := map[holdingKey]int{} // (org, year, element) → index in rep.Cells
	for _, o := range orgs {
		for _, y := range rep.Years {
			for _, el := range elements {
				index[holdingKey{year: y, scope: o.Code, element: el}] = len(rep.Cells)
				cl := cell(pack, held, o, y, el)
				if el == store.KindStudents || el == store.KindTeachers {
					cl.Origins = e.Cube().Origins(el, o.Code, y).Names()
				}
				rep.Cells = append(rep.Cells, cl)
			}
		}
	}
	return index
}

// addBlocked adds each indicator an org cannot compute in a year for want of an input,
// and marks the cell of the missing input's data as blocking it.
func (rep *Report) addBlocked(e *indicator.Engine, orgs []*plan.Org, formulas []*indicator.Formula, index map[holdingKey]int) {
	pack, c := e.Pack(), e.Cube()
	for _, o := range orgs {
		for _, y := range rep.Years {
			for _, f := range formulas {
				if !f.Indicator.AtLevel(o.Level) {
					continue
				}
				var miss []Missing
				for _, r := range f.Reads() {
					ry := y + r.Offset
					if r.Year != 0 { // a fixed year, at(2020)
						ry = r.Year
					}
					if c.Get(r.Element, o.Code, ry, r.Filter).OK {
						continue
					}
					miss = append(miss, Missing{Call: r.Call, Element: r.Element, Year: ry})
					held := r.Element
					if el := pack.Element(r.Element); el != nil && el.Record != nil {
						held = el.Record.Kind // an element of a declared kind is missing with its kind
					}
					if i, ok := index[holdingKey{year: y, scope: o.Code, element: held}]; ok {
						b := Block{Indicator: f.Indicator.Code, Year: ry}
						if !slices.Contains(rep.Cells[i].Blocks, b) {
							rep.Cells[i].Blocks = append(rep.Cells[i].Blocks, b)
						}
					}
				}
				if len(miss) > 0 {
					rep.Blocked = append(rep.Blocked, Blocked{Org: o.Code, Year: y, Indicator: f.Indicator.Code, Missing: miss})
				}
			}
		}
	}
}

// scopeOrgs returns the orgs a scope may see the data quality of.
func scopeOrgs(e *indicator.Engine, scope plan.Scope) ([]*plan.Org, error) {
	pack := e.Pack()
	if scope.Tenant != pack.Tenant || scope.Detail < plan.Aggregates {
		return nil, plan.Errorf(plan.EFORBIDDEN, "无权查看数据质量", "you may not see the data quality")
	}
	if _, _, ok := e.OrgName(scope.Org); !ok {
		return nil, plan.Errorf(plan.ENOTFOUND, "机构 %q 不存在", "no org unit %q", scope.Org)
	}
	if scope.Org == pack.Tenant {
		return append([]*plan.Org{pack.Top()}, pack.Districts()...), nil
	}
	if o := pack.Org(scope.Org); o != nil && o.Level == plan.LevelDistrict {
		return []*plan.Org{o}, nil
	}
	// An institution's clerk sees the quality of the district its files feed.
	if d, ok := e.District(scope.Org); ok && pack.Org(scope.Org) == nil {
		if o := pack.Org(d); o != nil {
			return []*plan.Org{o}, nil
		}
	}
	return nil, plan.Errorf(plan.EFORBIDDEN, "只有市或区县可查看数据质量", "data quality is for the city or a district")
}

// years returns the plan's years and the years with data.
func years(pack *plan.Pack, e *indicator.Engine) []int {
	set := map[int]bool{}
	for _, y := range pack.Years() {
		set[y] = true
	}
	for _, y := range e.Years() {
		set[y] = true
	}
	return slices.Sorted(maps.Keys(set))
}

// reads reports whether any formula reads the element.
func reads(formulas []*indicator.Formula, element string) bool {
	for _, f := range formulas {
		for _, r := range f.Reads() {
			if r.Element == element {
				return true
			}
		}
	}
	return false
}

func kindOf(pack *plan.Pack, element string) string {
	if slices.Contains(rosterKinds, element) || pack.RecordKind(element) != nil {
		return element
	}
	return store.KindFacts
}

// cell builds the cell of an org, year and element from the holdings. A district holds
// a roster element through its roster snapshot and through facts of that element
// reported in it; the city through facts reported at the city, or else through its
// districts.
func cell(pack *plan.Pack, held map[holdingKey]*store.Holding, o *plan.Org, year int, element string) Cell {
	c := Cell{Org: o.Code, Year: year, Kind: kindOf(pack, element), Element: element, Status: StatusMissing, Batches: []Batch{}}
	own := func(scope string) []*store.Holding {
		var hs []*store.Holding
		if c.Kind != store.KindFacts {
			if h := held[holdingKey{c.Kind, year, scope, ""}]; h != nil {
				hs = append(hs, h)
			}
			for _, t := range pack.SchoolTables { // a district's school tables
				if h := held[holdingKey{c.Kind, year, scope, t.Code}]; t.Element == element && h != nil {
					hs = append(hs, h)
				}
			}
		}
		if h := held[holdingKey{store.KindFacts, year, scope, element}]; h != nil {
			hs = append(hs, h)
		}
		return hs
	}
	hs := own(o.Code)
	if len(hs) > 0 {
		c.Status = StatusPresent
	}
	if o.Level == plan.LevelCity {
		some, all := false, true
		for _, d := range pack.Districts() {
			dh := own(d.Code)
			some, all = some || len(dh) > 0, all && len(dh) > 0
			hs = append(hs, dh...)
		}
		switch {
		case c.Status == StatusPresent:
		case all:
			c.Status = StatusPresent
		case some:
			c.Status = StatusPartial
		}
	}
	seen := map[int64]bool{}
	for _, h := range hs {
		c.Rows += h.Rows
		if !seen[h.Batch.ID] {
			seen[h.Batch.ID] = true
			c.Batches = append(c.Batches, Batch{ID: h.Batch.ID, File: h.Batch.File, ImportedAt: h.Batch.ImportedAt, Warnings: h.Batch.Warnings})
			c.Warnings += h.Batch.Warnings
		}
	}
	slices.SortFunc(c.Batches, func(a, b Batch) int { return cmp.Compare(b.ID, a.ID) })
	return c
}
