package standards

import (
	"slices"

	"github.com/yantai-edu/eduplan/internal/cube"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// Result is a standard's assessment of districts in a year.
type Result struct {
	Standard  *plan.Standard `json:"-"`
	Code      string         `json:"standard"`
	Year      int            `json:"year"`
	Districts []District     `json:"districts"`
}

// Query selects what Compute assesses.
type Query struct {
	Standard string
	Year     int
	// Org is a district, or "" (or the city) for every district.
	Org string
}

// Compute assesses the districts of the query against a standard of the pack, as the
// scope may see it: the city's and districts' figures are public; a school's figure
// resting on fewer than plan.PublicMinCount students or teachers is suppressed for a
// caller whose scope does not cover the school.
func Compute(e *indicator.Engine, scope plan.Scope, q Query) (*Result, error) {
	pack := e.Pack()
	std := pack.Standard(q.Standard)
	if std == nil {
		return nil, plan.Errorf(plan.ENOTFOUND, "督导评估标准 %q 不存在", "no standard %q", q.Standard)
	}
	if q.Year == 0 {
		return nil, plan.Errorf(plan.EINVALID, "需要指定年份", "the year is required")
	}
	if scope.Tenant != pack.Tenant {
		return nil, plan.Errorf(plan.EFORBIDDEN, "无权查看", "outside your scope")
	}
	districts := pack.Districts()
	if q.Org != "" && q.Org != pack.Tenant {
		o := pack.Org(q.Org)
		if o == nil || o.Level != plan.LevelDistrict {
			return nil, plan.Errorf(plan.ENOTFOUND, "区县 %q 不存在", "no district %q", q.Org)
		}
		districts = []*plan.Org{o}
	}
	res := &Result{Standard: std, Code: std.Code, Year: q.Year}
	var formulas []*indicator.Formula
	if std.Level == plan.StandardDistrict {
		var err error
		if formulas, err = compileItems(pack, std); err != nil {
			return nil, err
		}
	}
	for _, o := range districts {
		for _, stage := range std.Stages {
			var d District
			if std.Level == plan.StandardSchools {
				d = Assess(std, stage, schoolInputs(e.Cube(), std, o.Code, stage, q.Year))
				suppress(e, scope, std, &d)
			} else {
				d = assessDistrict(e, std, formulas, o.Code, stage, q.Year)
			}
			d.Org, d.Name, d.NameEn = o.Code, o.Name, o.NameEn
			res.Districts = append(res.Districts, d)
		}
	}
	return res, nil
}

// compileItems compiles the formula of each district item (nil for indicator items).
func compileItems(pack *plan.Pack, std *plan.Standard) ([]*indicator.Formula, error) {
	out := make([]*indicator.Formula, len(std.Items))
	for i, it := range std.Items {
		if it.Formula == "" {
			continue
		}
		f, err := indicator.Compile(pack, &plan.Indicator{Code: std.Code + "." + it.Code, Formula: it.Formula,
			Levels: []string{plan.LevelCity, plan.LevelDistrict}})
		if err != nil {
			return nil, plan.Errorf(plan.EINVALID, "标准 %s 的 %s：%v", "standard %s item %s: %v", std.Code, it.Code, err)
		}
		out[i] = f
	}
	return out, nil
}

// assessDistrict applies a district-level standard: each item's value against its
// threshold; met when all are met, no_data when any is unknown.
func assessDistrict(e *indicator.Engine, std *plan.Standard, formulas []*indicator.Formula, org, stage string, year int) District {
	d := District{Stage: stage, Verdict: Met}
	for i, it := range std.Items {
		f := Figure{Item: it.Code, Threshold: it.Threshold[stage], Met: NoData}
		var v indicator.Value
		if formulas[i] != nil {
			var inputs []indicator.Input
			v, inputs = e.Evaluate(formulas[i], org, year)
			for _, in := range inputs {
				f.Batches = mergeBatches(f.Batches, in.Batches)
			}
		} else {
			v, _ = e.Get(it.Indicator, org, year)
		}
		if v.OK {
			f.Known, f.Value = true, v.Value
			f.Met = verdictOf(f.Value >= f.Threshold)
		}
		switch {
		case f.Met == NoData:
			d.Verdict = NoData
		case f.Met == NotMet && d.Verdict == Met:
			d.Verdict = NotMet
		}
		d.Items = append(d.Items, f)
	}
	return d
}

// schoolInputs gathers what each school of a district brings to a stage's assessment:
// the institutions of the year with students of the stage, except the excluded types
// and teaching points with fewer than TeachingPointMin students of it.
func schoolInputs(c *cube.Cube, std *plan.Standard, district, stage string, year int) []SchoolInput {
	insts := c.Institutions(year)
	stageF := plan.Filter{{Key: "stage", Values: []string{stage}}}
	// A district whose teachers were imported counts 0 at a school without teachers.
	teachersIn := c.Get("teachers", district, year, nil).OK
	var out []SchoolInput
	for _, code := range c.InstitutionCodes(year, district) {
		in := insts[code]
		if slices.Contains(std.ExcludeTypes, in.Type) {
			continue
		}
		p := c.Get("students", code, year, stageF)
		if !p.OK || p.Value == 0 {
			continue
		}
		if in.TeachingPoint != nil && *in.TeachingPoint && p.Value < std.TeachingPointMin {
			continue
		}
		s := SchoolInput{Code: code, Name: in.Name, Students: p.Value}
		for _, it := range std.Items {
			var n *float64
			var batches []int64
			if it.Teachers != nil {
				n, batches = teacherCount(c, code, year, stage, it.Teachers[stage], teachersIn)
			} else {
				n, batches = conditionValue(c, code, year, stage, it.Condition, p.Value)
			}
			s.Numerators = append(s.Numerators, n)
			s.Batches = append(s.Batches, mergeBatches(slices.Clone(p.Batches), batches))
		}
		out = append(out, s)
	}
	return out
}

// teacherCount counts a school's teachers of a stage that match f; unknown when any of
// them has no value for a dimension f reads (an old file without the column).
func teacherCount(c *cube.Cube, code string, year int, stage string, f plan.Filter, teachersIn bool) (*float64, []int64) {
	withStage := append(plan.Filter{{Key: "stage", Values: []string{stage}}}, f...)
	r := c.Get("teachers", code, year, withStage)
	if !r.OK {
		if !teachersIn || r.Uncounted() {
			return nil, nil
		}
		return new(float64), nil
	}
	for _, cond := range f {
		blank := plan.Filter{{Key: "stage", Values: []string{stage}}, {Key: cond.Key, Values: []string{""}}}
		if u := c.Get("teachers", code, year, blank); u.OK && u.Value > 0 {
			return nil, r.Batches
		}
	}
	n := r.Value
	return &n, r.Batches
}

// conditionValue is a school's quantity for a stage: from its row for the stage, or
// else its share, by students, of its whole-institution row.
func conditionValue(c *cube.Cube, code string, year int, stage, column string, students float64) (*float64, []int64) {
	i := slices.Index(plan.ConditionColumns, column)
	if r := c.Condition(year, code, stage); r != nil && r.Values[i] != nil {
		v := *r.Values[i]
		return &v, []int64{r.Batch}
	}
	r := c.Condition(year, code, "")
	if r == nil || r.Values[i] == nil {
		return nil, nil
	}
	all := c.Get("students", code, year, nil)
	if !all.OK || all.Value == 0 {
		return nil, nil
	}
	v := *r.Values[i] * students / all.Value
	return &v, []int64{r.Batch}
}

// suppress blanks the school figures a scope may not see: those resting on fewer than
// plan.PublicMinCount students or teachers of a school outside the scope, and the
// verdicts resting on them. The district's figures, computed before, stay.
func suppress(e *indicator.Engine, scope plan.Scope, std *plan.Standard, d *District) {
	for i := range d.Schools {
		s := &d.Schools[i]
		if e.Covers(scope, s.Code) {
			continue
		}
		hidden := false
		for j, it := range std.Items {
			f := &s.Items[j]
			fewTeachers := it.Teachers != nil && f.Numerator > 0 && f.Numerator < plan.PublicMinCount
			if s.Students < plan.PublicMinCount || fewTeachers {
				*f = Figure{Item: f.Item, Threshold: f.Threshold, Met: NoData, Suppressed: true}
				hidden = true
			}
		}
		if hidden {
			s.Verdict, s.MetCount = NoData, 0
		}
		if s.Students < plan.PublicMinCount {
			s.Students = 0 // a small count itself
		}
	}
}
