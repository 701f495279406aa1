// Package plan is the plan pack: org units, data elements, indicators and their targets.
//
// A pack is plain text (a folder of YAML files and one CSV) that is versioned with the
// plan it describes. Everything else in eduplan reads the pack; nothing writes it. The
// Yantai 2021–2025 pack is embedded in the binary and is the default.
package plan

import (
	"fmt"
	"slices"
	"strings"
)

// Pack is one education development plan: what is measured, where, and what is promised.
type Pack struct {
	Code    string
	Version string
	Name    string
	NameEn  string
	// Tenant is the code of the top org unit; every stored row carries it.
	Tenant       string
	BaselineYear int
	TargetYear   int
	// Delta is δ of the progress rules: the band around time elapsed that is on track.
	Delta float64

	Orgs       []*Org
	Elements   []*Element
	Indicators []*Indicator
	// Commitments are the plan's other quantified promises (commitments.yaml, optional):
	// computed like indicators but kept apart, so that the headline table and its
	// outputs stay as the plan states them.
	Commitments []*Indicator
	// NotMeasured are the plan's commitments that no data can measure, each with the
	// reason (commitments.yaml's not_measured): said so, not left out unseen.
	NotMeasured []*NotMeasured
	// Rules are the plausibility rules of validation.yaml (none if the pack has no such
	// file): checks whose findings an import reports as warnings.
	Rules []*Rule
	// Units, Tasks and Projects are the plan's responsible units and main tasks
	// (tasks.yaml) and its key projects (projects.yaml); none if the pack has no such file.
	Units    []*Unit
	Tasks    []*Task
	Projects []*Project
	// Standards are the national supervision standards of standards.yaml (none if the
	// pack has no such file).
	Standards []*Standard
	// Checklists and CaseTypes are what supervision.yaml declares for the supervision
	// loop (none if the pack has no such file).
	Checklists []*Checklist
	CaseTypes  []*CaseType
	// Kinds are the record kinds declared in kinds.yaml (none if the pack has no such
	// file); their elements are in Elements too.
	Kinds []*RecordKind
	// SchoolTables are the school aggregate tables of school_tables.yaml (none if the
	// pack has no such file).
	SchoolTables []*SchoolTable

	orgs        map[string]*Org
	elements    map[string]*Element
	indicators  map[string]*Indicator
	commitments map[string]*Indicator
}

// Org levels.
const (
	LevelCity        = "city"
	LevelDistrict    = "district"
	LevelInstitution = "institution"
)

// Org is an administrative unit of the plan: the city or one of its districts
// (区、县级市、功能区). Institutions are not part of the pack: they come from
// institutions files, year by year.
type Org struct {
	Code     string
	Parent   string
	Level    string
	Name     string
	NameEn   string
	Kind     string
	Children []*Org
}

// Element sources.
const (
	SourceRoster = "roster"
	SourceFact   = "fact"
)

// Element is a data element: a kind of number that formulas read.
type Element struct {
	Code     string
	Name     string
	NameEn   string
	Source   string
	Unit     string
	Additive bool
	Dims     []string
	// WeightAges is the population age range whose size weights a non-additive
	// element's children when it is averaged up the hierarchy.
	WeightAges [2]int
	// Record says how an element of source record is computed from its kind's rows;
	// Domains are the codes of that kind's code and boolean fields, for filters.
	Record  *RecordMeasure
	Domains map[string][]string
}

// Direction is the way an indicator should move.
type Direction string

// Directions.
const (
	Up     Direction = "up"
	Down   Direction = "down"
	Hold   Direction = "hold"
	Toward Direction = "toward"
)

// Attribute is the legal weight of a target: expected (预期性) or binding (约束性).
type Attribute string

// Attributes.
const (
	Expected Attribute = "expected"
	Binding  Attribute = "binding"
)

// Label returns the Chinese term for the attribute.
func (a Attribute) Label() string {
	if a == Binding {
		return "约束性"
	}
	return "预期性"
}

// Point is a value in a year.
type Point struct {
	Year  int     `yaml:"year" json:"year"`
	Value float64 `yaml:"value" json:"value"`
}

// Indicator is a measure of the plan with its formula and its target.
type Indicator struct {
	Code      string
	Name      string
	NameEn    string
	Group     string
	GroupEn   string
	Unit      string
	Decimals  int
	Direction Direction
	Attribute Attribute
	// Tolerance is the margin within which a value counts as at its target. A
	// commitment's is 0 unless its pack states one with ToleranceReason: the plan writes
	// its floors and ceilings as 不低于, 以上, 以下, which allow no margin.
	Tolerance float64
	// ToleranceReason says why a commitment has a tolerance (empty for the headline
	// indicators, whose tolerance is the spec's default by unit).
	ToleranceReason string
	Levels          []string
	Formula         string
	Baseline        Point
	Target          Point
	// OrgBaselines and OrgTargets hold values the plan states for orgs other than the
	// city, by org code.
	OrgBaselines map[string]float64
	OrgTargets   map[string]float64
	// File is the pack file that defines it (IndicatorsFile or CommitmentsFile) and
	// FormulaLine the line of its formula there, for messages.
	File        string
	FormulaLine int

	// The fields below are a commitment's (承诺事项); a headline indicator leaves them zero.

	// Section is where the plan text makes the commitment, e.g. "二、(二)8" or "重点工程1".
	Section string
	// Measure and MeasureEn say briefly how the commitment is measured.
	Measure   string
	MeasureEn string
	// Must marks a commitment the plan words as 确保 or 只增不减 (须确保). The plan gives
	// 约束性/预期性 only to its 13 headline indicators, so a commitment has no Attribute.
	Must bool
	// NoBaseline is set when the plan states no baseline: Baseline.Value is then unused
	// and B is the org's computed value in Baseline.Year.
	NoBaseline bool
	// Goal is the kind of target and its range or relation. For a value target (and a
	// headline indicator) it is {Kind: GoalValue} and Target.Value is the target; for a
	// range, Target.Value is Goal.Min.
	Goal Goal

	targetLine int // of the target in File, for messages
}

// GoalKind is the kind of a commitment's target.
type GoalKind string

// Goal kinds.
const (
	// GoalValue is a number to reach by the target year, as for headline indicators.
	GoalValue GoalKind = "value"
	// GoalRange is a range to be within by the target year, e.g. 5–8 schools.
	GoalRange GoalKind = "range"
	// GoalRelation is a relation that must hold every year up to the target year.
	GoalRelation GoalKind = "relation"
)

// Relation is the relation of a relation target.
type Relation string

// Relations.
const (
	// NonDecreasing is 只增不减: every year's value at least the year before's.
	NonDecreasing Relation = "non_decreasing"
	// AtLeast is "not lower than another series" in every year, e.g. teachers' average
	// pay at least civil servants'.
	AtLeast Relation = "at_least"
)

// Label returns the relation in Chinese as plans word it: 只增不减, 每年不低于.
func (r Relation) Label() string {
	switch r {
	case NonDecreasing:
		return "只增不减"
	case AtLeast:
		return "每年不低于"
	}
	return string(r)
}

// LabelEn returns the relation in English.
func (r Relation) LabelEn() string {
	switch r {
	case NonDecreasing:
		return "non-decreasing"
	case AtLeast:
		return "every year at least"
	}
	return string(r)
}

// Goal is a target beyond a single value: a range or a relation.
type Goal struct {
	Kind GoalKind
	// Min and Max bound a range target, inclusive.
	Min, Max float64
	// Relation and Of define a relation. Of (at_least) is the code of the other series:
	// an indicator, a commitment or a fact element, read as fact(Of) for the org.
	Relation Relation
	Of       string
	// Floor is set when an at_least relation compares with a constant, Target.Value,
	// instead of a series: every year at least that value.
	Floor bool
	// EveryYear makes a value or range target hold in every year of the plan, not only
	// be reached by its year: 保持在93%以上 is a floor (up), a ceiling (down) or a range
	// (保持…大体相当) checked each year after the baseline year; any year outside it
	// is a breach.
	EveryYear bool
	// About and Band state an approximate target, "About 左右" read as About ± Band: a
	// range [About − Band, About + Band] (Min and Max), shown as 约About（±Band）.
	// Band is 0 for a target that is not approximate.
	About, Band float64
}

// AtRisk reports whether a lagging or regressing status puts the measure at risk: a
// binding (约束性) headline indicator, or a commitment the plan says it must keep
// (须确保).
func (ind *Indicator) AtRisk() bool { return ind.Attribute == Binding || ind.Must }

// IsCount reports whether the indicator counts people or things (万人, count), whose
// district targets scale with the city's relative change.
func (ind *Indicator) IsCount() bool { return ind.Unit == "万人" || ind.Unit == "count" }

// AtLevel reports whether the indicator's formula makes sense at an org level.
func (ind *Indicator) AtLevel(level string) bool { return slices.Contains(ind.Levels, level) }

// DefaultTolerance is the tolerance of docs/progress.md for a unit.
func DefaultTolerance(unit string) float64 {
	switch unit {
	case "%":
		return 0.5
	case "ratio":
		return 0.02
	case "年":
		return 0.05
	}
	return 0
}

// Org returns the org unit with the code, or nil.
func (p *Pack) Org(code string) *Org { return p.orgs[code] }

// Top returns the top org unit (the city).
func (p *Pack) Top() *Org { return p.orgs[p.Tenant] }

// Districts returns the org units one level below the top, in pack order.
func (p *Pack) Districts() []*Org { return p.Top().Children }

// Element returns the data element with the code, or nil.
func (p *Pack) Element(code string) *Element { return p.elements[code] }

// Indicator returns the indicator with the code, or nil.
func (p *Pack) Indicator(code string) *Indicator { return p.indicators[code] }

// Commitment returns the commitment with the code, or nil.
func (p *Pack) Commitment(code string) *Indicator { return p.commitments[code] }

// NotMeasured is a commitment of the plan that no data can measure: a rule to make or a
// mechanism to build, checked by supervision, not by a figure.
type NotMeasured struct {
	// Section is where the plan makes it, as a commitment's section.
	Section string `json:"section"`
	// Text is the plan's words; TextEn their English.
	Text   string `json:"text"`
	TextEn string `json:"text_en"`
	// Reason is why no data measures it; ReasonEn in English.
	Reason   string `json:"reason"`
	ReasonEn string `json:"reason_en"`
}

// Unmeasured returns, in one list, every commitment of the plan that no data can
// measure: not_measured of commitments.yaml, then each key project's target with no
// measure, its words and reason read from projects.yaml (they are written only there).
func (p *Pack) Unmeasured() []*NotMeasured {
	out := slices.Clone(p.NotMeasured)
	for _, pr := range p.Projects {
		for _, t := range pr.Targets {
			if t.Measure == "" {
				out = append(out, &NotMeasured{Section: pr.Section, Text: t.Name, TextEn: t.NameEn, Reason: t.Reason, ReasonEn: t.ReasonEn})
			}
		}
	}
	return out
}

// Measure returns the headline indicator or commitment with the code, or nil.
func (p *Pack) Measure(code string) *Indicator {
	if ind := p.indicators[code]; ind != nil {
		return ind
	}
	return p.commitments[code]
}

// Years returns the years of the plan from its baseline to its target year.
func (p *Pack) Years() []int {
	var ys []int
	for y := p.BaselineYear; y <= p.TargetYear; y++ {
		ys = append(ys, y)
	}
	return ys
}

func (p *Pack) index() error {
	p.orgs = make(map[string]*Org, len(p.Orgs))
	for _, o := range p.Orgs {
		o.Children = nil
		p.orgs[o.Code] = o
	}
	for _, o := range p.Orgs {
		if o.Parent != "" {
			parent := p.orgs[o.Parent]
			if parent == nil {
				return fmt.Errorf("org %s: parent %s not found", o.Code, o.Parent)
			}
			parent.Children = append(parent.Children, o)
		}
	}
	p.elements = make(map[string]*Element, len(p.Elements))
	for _, e := range p.Elements {
		p.elements[e.Code] = e
	}
	p.indicators = make(map[string]*Indicator, len(p.Indicators))
	for _, ind := range p.Indicators {
		p.indicators[ind.Code] = ind
	}
	p.commitments = make(map[string]*Indicator, len(p.Commitments))
	for _, c := range p.Commitments {
		p.commitments[c.Code] = c
	}
	return nil
}

// Detail is how much a caller may see within its scope.
type Detail int

// Details, from least to most.
const (
	// Public sees published aggregates of the city and districts only.
	Public Detail = iota
	// Aggregates sees every org's aggregates, institutions included.
	Aggregates
	// Records sees rows of rosters too (student and teacher ids).
	Records
)

// PublicMinCount is the smallest count of people the public may see behind an
// institution's value: a value computed from a count of 1 to PublicMinCount−1 students
// or teachers (on the rosters, or the rows of a record kind about persons) is
// suppressed for callers whose scope does not cover the institution.
const PublicMinCount = 10

// Scope is what a caller may see or change: the org subtree under Org, at a detail.
// Every read and write takes one, so that access is decided in one place.
type Scope struct {
	// Tenant is the top org of the pack the caller works in.
	Tenant string `json:"tenant"`
	Org    string `json:"org"`
	Detail Detail `json:"detail"`
}

// MarshalText names a detail: public, aggregates or records.
func (d Detail) MarshalText() ([]byte, error) {
	switch d {
	case Public:
		return []byte("public"), nil
	case Aggregates:
		return []byte("aggregates"), nil
	case Records:
		return []byte("records"), nil
	}
	return nil, fmt.Errorf("plan: no detail %d", int(d))
}

// FullScope is the scope of the whole pack at full detail, as the CLI on the server has.
func (p *Pack) FullScope() Scope { return Scope{Tenant: p.Tenant, Org: p.Tenant, Detail: Records} }

// ScaleCounts returns a copy of the pack whose count indicators (万人, count) have their
// baselines and targets multiplied by s: the plan of a city s times the size, which is
// what a demo data set generated at scale s is measured against.
func (p *Pack) ScaleCounts(s float64) *Pack {
	if s == 1 || s <= 0 {
		return p
	}
	q := *p
	q.Indicators = make([]*Indicator, len(p.Indicators))
	for i, ind := range p.Indicators {
		c := *ind
		if c.IsCount() {
			c.Baseline.Value *= s
			c.Target.Value *= s
			c.OrgBaselines = scaleMap(c.OrgBaselines, s)
			c.OrgTargets = scaleMap(c.OrgTargets, s)
		}
		q.Indicators[i] = &c
	}
	q.indicators = make(map[string]*Indicator, len(q.Indicators))
	for _, ind := range q.Indicators {
		q.indicators[ind.Code] = ind
	}
	// Commitments that count people from rosters (new teachers) or from the records of
	// persons (master teachers) scale with the data.
	// Counts of institutions do not: a smaller demo city keeps more, smaller schools
	// (its institutions grow far slower than its scale), and reported counts (schools of
	// a rank, alliances) are reported at their real size.
	q.Commitments = make([]*Indicator, len(p.Commitments))
	q.commitments = make(map[string]*Indicator, len(p.Commitments))
	for i, ind := range p.Commitments {
		c := *ind
		if c.IsCount() && (readsRoster(c.Formula) || p.readsPersons(c.Formula)) {
			c.Baseline.Value *= s
			c.Target.Value *= s
			c.Goal.Min *= s
			c.Goal.Max *= s
			c.OrgBaselines = scaleMap(c.OrgBaselines, s)
			c.OrgTargets = scaleMap(c.OrgTargets, s)
		}
		q.Commitments[i] = &c
		q.commitments[c.Code] = &c
	}
	return &q
}

// readsPersons reports whether a formula counts the rows of a record kind about
// persons (fact("td_masters")), which scale with the data as rosters do.
func (p *Pack) readsPersons(formula string) bool {
	for _, k := range p.Kinds {
		if !k.Person() {
			continue
		}
		for _, e := range k.Elements {
			if e.Record.Op == MeasureCount && e.Record.Of == "" && strings.Contains(formula, `fact("`+e.Code+`"`) {
				return true
			}
		}
	}
	return false
}

// readsRoster reports whether a formula counts people in a roster.
func readsRoster(formula string) bool {
	for _, fn := range []string{"students(", "teachers(", "population("} {
		if strings.Contains(formula, fn) {
			return true
		}
	}
	return false
}

func scaleMap(m map[string]float64, s float64) map[string]float64 {
	if m == nil {
		return nil
	}
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = v * s
	}
	return out
}
