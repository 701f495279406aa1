package plan

// PackJSON is the pack as eduplan writes it for machines: `eduplan plan show --format
// json` and the API's /plan, /orgs and /indicators.
type PackJSON struct {
	Code         string          `json:"code"`
	Version      string          `json:"version"`
	Name         string          `json:"name"`
	NameEn       string          `json:"name_en"`
	Tenant       string          `json:"tenant"`
	BaselineYear int             `json:"baseline_year"`
	TargetYear   int             `json:"target_year"`
	Delta        float64         `json:"delta"`
	Orgs         []OrgJSON       `json:"orgs"`
	Elements     []ElementJSON   `json:"elements"`
	Indicators   []IndicatorJSON `json:"indicators"`
	// Commitments are the plan's other quantified promises; [] when the pack has none.
	Commitments []CommitmentJSON `json:"commitments"`
	// NotMeasured are the plan's commitments no data can measure, with the reason
	// (Pack.Unmeasured: commitments.yaml's and the key projects' targets with no
	// measure); [] when there are none.
	NotMeasured []NotMeasured `json:"not_measured"`
	Rules       []RuleJSON    `json:"rules"`
	// Units, Tasks and Projects are the main tasks' units, the main tasks and the key
	// projects; [] when the pack has none.
	Units    []Unit        `json:"units"`
	Tasks    []TaskJSON    `json:"tasks"`
	Projects []ProjectJSON `json:"projects"`
	// Kinds are the record kinds declared in kinds.yaml; [] when the pack has none.
	Kinds []KindJSON `json:"kinds"`
}

// KindJSON is a declared record kind as PackJSON writes it; its elements are among
// PackJSON's elements, with their record measure.
type KindJSON struct {
	Code      string   `json:"code"`
	Name      string   `json:"name"`
	NameEn    string   `json:"name_en"`
	Key       string   `json:"key"`
	KeyFields []string `json:"key_fields"`
	// Institutions is the filter the institution of a row must match ("" for any).
	Institutions string `json:"institutions,omitempty"`
	// OnRoster: each row names a person on that year's roster at its institution.
	OnRoster bool         `json:"on_roster"`
	Fields   []FieldJSON  `json:"fields"`
	Rules    []RecordRule `json:"rules"`
	Elements []string     `json:"elements"`
}

// FieldJSON is a field of a record kind as PackJSON writes it.
type FieldJSON struct {
	Code     string      `json:"code"`
	Name     string      `json:"name"`
	NameEn   string      `json:"name_en"`
	Type     string      `json:"type"`
	Unit     string      `json:"unit,omitempty"`
	Required bool        `json:"required"`
	Min      *float64    `json:"min,omitempty"`
	Max      *float64    `json:"max,omitempty"`
	Values   []CodeValue `json:"values,omitempty"`
	Aliases  []string    `json:"aliases,omitempty"`
	Computed string      `json:"computed,omitempty"`
	Multiple bool        `json:"multiple,omitempty"`
	From     string      `json:"from,omitempty"`
}

// RecordJSON is how an element is computed from a record kind, as ElementJSON writes it.
type RecordJSON struct {
	Kind        string  `json:"kind"`
	Measure     string  `json:"measure"`
	Field       string  `json:"field,omitempty"`
	Filter      string  `json:"filter"`
	Of          string  `json:"of,omitempty"`
	PerStudents *string `json:"per_students,omitempty"`
	Per         float64 `json:"per,omitempty"`
}

// CommitmentJSON is a commitment as PackJSON writes it: an indicator's fields, with the
// baseline null when the plan states none (B is then computed in the baseline year) and
// the target in its own form.
type CommitmentJSON struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	NameEn    string `json:"name_en"`
	Section   string `json:"section"`
	Measure   string `json:"measure"`
	MeasureEn string `json:"measure_en"`
	Group     string `json:"group"`
	GroupEn   string `json:"group_en"`
	Unit      string `json:"unit"`
	Decimals  int    `json:"decimals"`
	Direction string `json:"direction"`
	// Must is a commitment the plan words as 确保 or 只增不减; the plan gives no
	// commitment 约束性/预期性.
	Must            bool               `json:"must"`
	Tolerance       float64            `json:"tolerance"`
	ToleranceReason string             `json:"tolerance_reason,omitempty"`
	Levels          []string           `json:"levels"`
	Formula         string             `json:"formula"`
	Baseline        *Point             `json:"baseline"`
	Target          GoalJSON           `json:"target"`
	OrgBaselines    map[string]float64 `json:"org_baselines"`
	OrgTargets      map[string]float64 `json:"org_targets"`
}

// GoalJSON is a commitment's target: kind value with value, range with min and max, or
// relation with relation (and, for at_least, of or value).
type GoalJSON struct {
	Year     int      `json:"year"`
	Kind     string   `json:"kind"`
	Value    *float64 `json:"value,omitempty"`
	Min      *float64 `json:"min,omitempty"`
	Max      *float64 `json:"max,omitempty"`
	Relation string   `json:"relation,omitempty"`
	Of       string   `json:"of,omitempty"`
	// EveryYear: the value or range must hold in every year, not only by Year.
	EveryYear bool `json:"every_year,omitempty"`
	// About and Band: an approximate target (About 左右), Min and Max being About ∓ Band.
	About *float64 `json:"about,omitempty"`
	Band  *float64 `json:"band,omitempty"`
}

// RuleJSON is a plausibility rule as PackJSON writes it: the check's parameters that do
// not apply to it are left out.
type RuleJSON struct {
	Code        string   `json:"code"`
	Check       string   `json:"check"`
	Name        string   `json:"name"`
	NameEn      string   `json:"name_en"`
	Message     string   `json:"message"`
	MessageEn   string   `json:"message_en"`
	MaxYears    *int     `json:"max_years,omitempty"`
	MaxPercent  *float64 `json:"max_percent,omitempty"`
	MinStudents *int     `json:"min_students,omitempty"`
	Stages      []string `json:"stages,omitempty"`
	Ages        []int    `json:"ages,omitempty"`
}

// OrgJSON is an org unit as PackJSON writes it.
type OrgJSON struct {
	Code   string `json:"code"`
	Parent string `json:"parent"`
	Level  string `json:"level"`
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
	Kind   string `json:"kind"`
}

// ElementJSON is a data element as PackJSON writes it.
type ElementJSON struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	NameEn     string   `json:"name_en"`
	Source     string   `json:"source"`
	Unit       string   `json:"unit"`
	Additive   bool     `json:"additive"`
	Dims       []string `json:"dims"`
	WeightAges []int    `json:"weight_ages,omitempty"`
	// Record is set for an element computed from a declared record kind.
	Record *RecordJSON `json:"record,omitempty"`
}

// IndicatorJSON is an indicator as PackJSON writes it, with its attribute's labels.
type IndicatorJSON struct {
	Code             string             `json:"code"`
	Name             string             `json:"name"`
	NameEn           string             `json:"name_en"`
	Group            string             `json:"group"`
	GroupEn          string             `json:"group_en"`
	Unit             string             `json:"unit"`
	Decimals         int                `json:"decimals"`
	Direction        string             `json:"direction"`
	Attribute        string             `json:"attribute"`
	AttributeLabel   string             `json:"attribute_label"`
	AttributeLabelEn string             `json:"attribute_label_en"`
	Tolerance        float64            `json:"tolerance"`
	Levels           []string           `json:"levels"`
	Formula          string             `json:"formula"`
	Baseline         Point              `json:"baseline"`
	Target           Point              `json:"target"`
	OrgBaselines     map[string]float64 `json:"org_baselines"`
	OrgTargets       map[string]float64 `json:"org_targets"`
}

// LabelEn returns the English term for the attribute.
func (a Attribute) LabelEn() string {
	if a == Binding {
		return "Binding"
	}
	return "Expected"
}

// JSON returns the pack in its machine-readable form.
func (p *Pack) JSON() PackJSON {
	out := PackJSON{Code: p.Code, Version: p.Version, Name: p.Name, NameEn: p.NameEn, Tenant: p.Tenant,
		BaselineYear: p.BaselineYear, TargetYear: p.TargetYear, Delta: p.Delta,
		Orgs: p.OrgsJSON(), Elements: []ElementJSON{}, Indicators: []IndicatorJSON{}}
	for _, e := range p.Elements {
		el := ElementJSON{Code: e.Code, Name: e.Name, NameEn: e.NameEn, Source: e.Source, Unit: e.Unit,
			Additive: e.Additive, Dims: nonNil(e.Dims)}
		if r := e.Record; r != nil {
			el.Record = &RecordJSON{Kind: r.Kind, Measure: r.Op, Field: r.Field, Filter: r.Filter.String(), Of: r.Of}
			if r.PerStudents {
				s := r.Students.String()
				el.Record.PerStudents, el.Record.Per = &s, r.Per
			}
		} else if !e.Additive {
			el.WeightAges = e.WeightAges[:]
		}
		out.Elements = append(out.Elements, el)
	}
	for _, ind := range p.Indicators {
		out.Indicators = append(out.Indicators, ind.JSON())
	}
	out.Commitments = make([]CommitmentJSON, 0, len(p.Commitments))
	for _, c := range p.Commitments {
		out.Commitments = append(out.Commitments, c.CommitmentJSON())
	}
	unmeasured := p.Unmeasured()
	out.NotMeasured = make([]NotMeasured, 0, len(unmeasured))
	for _, n := range unmeasured {
		out.NotMeasured = append(out.NotMeasured, *n)
	}
	out.Rules = make([]RuleJSON, 0, len(p.Rules))
	for _, r := range p.Rules {
		out.Rules = append(out.Rules, r.JSON())
	}
	out.Units, out.Tasks, out.Projects = []Unit{}, []TaskJSON{}, []ProjectJSON{}
	for _, u := range p.Units {
		out.Units = append(out.Units, *u)
	}
	for _, t := range p.Tasks {
		out.Tasks = append(out.Tasks, t.JSON())
	}
	for _, pr := range p.Projects {
		out.Projects = append(out.Projects, p.ProjectJSON(pr))
	}
	out.Kinds = []KindJSON{}
	for _, k := range p.Kinds {
		kj := KindJSON{Code: k.Code, Name: k.Name, NameEn: k.NameEn, Key: k.Key, KeyFields: nonNil(k.KeyFields),
			Institutions: k.Institutions.String(), OnRoster: k.OnRoster, Fields: []FieldJSON{}, Rules: []RecordRule{}, Elements: []string{}}
		for _, f := range k.Fields {
			kj.Fields = append(kj.Fields, FieldJSON{Code: f.Code, Name: f.Name, NameEn: f.NameEn, Type: f.Type, Unit: f.Unit,
				Required: f.Required, Min: f.Min, Max: f.Max, Values: f.Values, Aliases: f.Aliases, Computed: f.Computed,
				Multiple: f.Multiple, From: f.From})
		}
		for _, r := range k.Rules {
			kj.Rules = append(kj.Rules, *r)
		}
		for _, e := range k.Elements {
			kj.Elements = append(kj.Elements, e.Code)
		}
		out.Kinds = append(out.Kinds, kj)
	}
	return out
}

// JSON returns the rule in its machine-readable form.
func (r *Rule) JSON() RuleJSON {
	out := RuleJSON{Code: r.Code, Check: r.Check, Name: r.Name, NameEn: r.NameEn, Message: r.Message, MessageEn: r.MessageEn, Stages: r.Stages}
	switch r.Check {
	case CheckStudentAge:
		out.MaxYears = &r.MaxYears
	case CheckEnrolmentChange:
		out.MaxPercent, out.MinStudents = &r.MaxPercent, &r.MinStudents
	case CheckPreschoolPopulation:
		out.MaxPercent, out.Ages = &r.MaxPercent, r.Ages[:]
	}
	return out
}

// OrgsJSON returns the pack's org units in their machine-readable form.
func (p *Pack) OrgsJSON() []OrgJSON {
	out := make([]OrgJSON, 0, len(p.Orgs))
	for _, o := range p.Orgs {
		out = append(out, OrgJSON{o.Code, o.Parent, o.Level, o.Name, o.NameEn, o.Kind})
	}
	return out
}

// JSON returns the indicator in its machine-readable form.
func (ind *Indicator) JSON() IndicatorJSON {
	return IndicatorJSON{
		Code: ind.Code, Name: ind.Name, NameEn: ind.NameEn, Group: ind.Group, GroupEn: ind.GroupEn,
		Unit: ind.Unit, Decimals: ind.Decimals, Direction: string(ind.Direction),
		Attribute: string(ind.Attribute), AttributeLabel: ind.Attribute.Label(), AttributeLabelEn: ind.Attribute.LabelEn(),
		Tolerance: ind.Tolerance, Levels: nonNil(ind.Levels), Formula: ind.Formula,
		Baseline: ind.Baseline, Target: ind.Target,
		OrgBaselines: nonNilMap(ind.OrgBaselines), OrgTargets: nonNilMap(ind.OrgTargets),
	}
}

// CommitmentJSON returns the commitment in its machine-readable form.
func (ind *Indicator) CommitmentJSON() CommitmentJSON {
	out := CommitmentJSON{
		Code: ind.Code, Name: ind.Name, NameEn: ind.NameEn, Section: ind.Section, Measure: ind.Measure, MeasureEn: ind.MeasureEn,
		Group: ind.Group, GroupEn: ind.GroupEn, Unit: ind.Unit, Decimals: ind.Decimals, Direction: string(ind.Direction),
		Must: ind.Must, Tolerance: ind.Tolerance, ToleranceReason: ind.ToleranceReason, Levels: nonNil(ind.Levels), Formula: ind.Formula,
		Target:       GoalJSON{Year: ind.Target.Year, Kind: string(ind.Goal.Kind), EveryYear: ind.Goal.EveryYear},
		OrgBaselines: nonNilMap(ind.OrgBaselines), OrgTargets: nonNilMap(ind.OrgTargets),
	}
	if !ind.NoBaseline {
		b := ind.Baseline
		out.Baseline = &b
	}
	switch ind.Goal.Kind {
	case GoalRange:
		lo, hi := ind.Goal.Min, ind.Goal.Max
		out.Target.Min, out.Target.Max = &lo, &hi
		if ind.Goal.Band > 0 {
			about, band := ind.Goal.About, ind.Goal.Band
			out.Target.About, out.Target.Band = &about, &band
		}
	case GoalRelation:
		out.Target.Relation, out.Target.Of = string(ind.Goal.Relation), ind.Goal.Of
		if ind.Goal.Floor {
			v := ind.Target.Value
			out.Target.Value = &v
		}
	default:
		v := ind.Target.Value
		out.Target.Value = &v
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nonNilMap(m map[string]float64) map[string]float64 {
	if m == nil {
		return map[string]float64{}
	}
	return m
}
