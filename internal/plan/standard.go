package plan

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// StandardsFile is the optional file of a pack that holds its supervision standards.
const StandardsFile = "standards.yaml"

// Levels at which a standard is assessed.
const (
	// StandardSchools: every school of a stage is assessed on each item, and the district
	// on its schools' compliance and the 差异系数 (CV) of each item.
	StandardSchools = "schools"
	// StandardDistrict: the district is assessed on its own values only.
	StandardDistrict = "district"
)

// ConditionColumns are the quantities of a conditions file (办学条件), in its column
// order: what a standard's item may divide by a school's students.
var ConditionColumns = []string{"teaching_area", "sports_area", "equipment_value", "multimedia_classrooms"}

// Standard is a national supervision standard (督导评估标准, docs/standards.md): items
// with thresholds per stage, and the rules that turn them into a verdict. Everything a
// later revision or a province's stricter version changes is here, as pack data.
type Standard struct {
	Code   string
	Name   string
	NameEn string
	Basis  string // the document it comes from
	Level  string // StandardSchools or StandardDistrict
	Stages []string
	// ExcludeTypes are institution types whose schools are not assessed (special).
	ExcludeTypes []string
	// TeachingPointMin: a teaching point (教学点) with fewer students of a stage is left out.
	TeachingPointMin float64
	// MinMet and Floor are the school rule: at least MinMet items meet their threshold,
	// and each that does not reaches at least Floor times it.
	MinMet int
	Floor  float64
	// CVLimit is the largest 差异系数 allowed per stage.
	CVLimit map[string]float64
	Items   []*StandardItem
	Line    int
}

// StandardItem is one item of a standard. Its value for a school is Per × numerator ÷
// the school's students of the stage, the numerator being teachers of the stage that
// match Teachers[stage], or the school's Condition; a district-level item is an
// indicator of the pack or a formula of its own.
type StandardItem struct {
	Code      string
	Name      string
	NameEn    string
	Unit      string
	Per       float64
	Teachers  map[string]Filter // per stage
	Condition string
	Indicator string
	Formula   string
	Threshold map[string]float64 // per stage
	// Need, NeedEn name what a school lacking the item must add, for "+2 名体育、艺术教师".
	Need   string
	NeedEn string
	Line   int
}

// Standard returns the standard with the code, or nil.
func (p *Pack) Standard(code string) *Standard {
	for _, s := range p.Standards {
		if s.Code == code {
			return s
		}
	}
	return nil
}

func (l *loader) loadStandards(p *Pack) {
	const file = StandardsFile
	if _, err := fs.Stat(l.fsys, file); errors.Is(err, fs.ErrNotExist) {
		return // the file is optional
	}
	seen := map[string]int{}
	for i, n := range l.list(file, "standards") {
		m := l.mapping(file, fmt.Sprintf("standards[%d].", i), n)
		s := &Standard{Line: n.Line, MinMet: 0, Floor: 1}
		s.Code = m.str("code", true)
		if s.Code != "" {
			m.pre = fmt.Sprintf("standards[%s].", s.Code)
			if prev := seen[s.Code]; prev != 0 {
				l.add(file, m.line("code"), m.pre+"code", "%s already defined on line %d", s.Code, prev)
			}
			seen[s.Code] = m.line("code")
		}
		s.Name = m.str("name", true)
		s.NameEn = m.str("name_en", false)
		s.Basis = m.str("basis", false)
		s.Level = m.str("level", true)
		m.decode("stages", true, &s.Stages)
		m.decode("exclude_types", false, &s.ExcludeTypes)
		m.decode("teaching_point_min", false, &s.TeachingPointMin)
		for _, st := range s.Stages {
			if !slices.Contains(Domains["stage"], st) {
				l.add(file, m.line("stages"), m.pre+"stages", "unknown stage %q", st)
			}
		}
		for _, t := range s.ExcludeTypes {
			if !slices.Contains(Domains["type"], t) {
				l.add(file, m.line("exclude_types"), m.pre+"exclude_types", "unknown institution type %q", t)
			}
		}
		switch s.Level {
		case StandardSchools:
			l.schoolRule(m, s)
		case StandardDistrict, "":
		default:
			l.add(file, m.line("level"), m.pre+"level", "%q: expected %s or %s", s.Level, StandardSchools, StandardDistrict)
		}
		l.standardItems(p, m, s)
		m.done()
		p.Standards = append(p.Standards, s)
	}
}

// schoolRule reads the fields of a standard assessed school by school.
func (l *loader) schoolRule(m *mapping, s *Standard) {
	if _, v := m.get("school_rule"); v != nil {
		r := l.mapping(m.file, m.pre+"school_rule.", v)
		r.decode("min_met", true, &s.MinMet)
		r.decode("floor", true, &s.Floor)
		r.done()
		if s.Floor <= 0 || s.Floor > 1 {
			l.add(m.file, r.line("floor"), r.pre+"floor", "must be in (0, 1]")
		}
	} else {
		l.add(m.file, m.node.Line, m.pre+"school_rule", "required field is missing")
	}
	s.CVLimit = l.perStage(m, "cv_limit", s.Stages, true)
	for st, v := range s.CVLimit {
		if v <= 0 {
			l.add(m.file, m.line("cv_limit"), m.pre+"cv_limit."+st, "must be positive")
		}
	}
}

func (l *loader) standardItems(p *Pack, m *mapping, s *Standard) {
	k, v := m.get("items")
	if v == nil || v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		line := m.node.Line
		if k != nil {
			line = k.Line
		}
		l.add(m.file, line, m.pre+"items", "expected a list of items")
		return
	}
	seen := map[string]bool{}
	for j, n := range v.Content {
		im := l.mapping(m.file, fmt.Sprintf("%sitems[%d].", m.pre, j), n)
		it := &StandardItem{Line: n.Line, Per: 1}
		it.Code = im.str("code", true)
		if it.Code != "" {
			im.pre = fmt.Sprintf("%sitems[%s].", m.pre, it.Code)
			if seen[it.Code] {
				l.add(m.file, im.line("code"), im.pre+"code", "%s appears twice", it.Code)
			}
			seen[it.Code] = true
		}
		it.Name = im.str("name", true)
		it.NameEn = im.str("name_en", false)
		it.Unit = im.str("unit", false)
		it.Need = im.str("need", false)
		it.NeedEn = im.str("need_en", false)
		im.decode("per", false, &it.Per)
		if it.Per <= 0 {
			l.add(m.file, im.line("per"), im.pre+"per", "must be positive")
		}
		it.Threshold = l.perStage(im, "threshold", s.Stages, true)
		it.Condition = im.str("condition", false)
		it.Indicator = im.str("indicator", false)
		it.Formula = im.str("formula", false)
		sources := 0
		if _, tv := im.get("teachers"); tv != nil {
			sources++
			it.Teachers = map[string]Filter{}
			bad := map[string]bool{} // a filter shared by the stages is reported once
			for st, text := range l.perStageText(im, "teachers", s.Stages) {
				f, err := ParseFilter(text, p.teacherDims())
				if err != nil && !bad[text] {
					bad[text] = true
					l.add(m.file, im.line("teachers"), im.pre+"teachers", "%v", err)
				}
				it.Teachers[st] = f
			}
		}
		for _, x := range []string{it.Condition, it.Indicator, it.Formula} {
			if x != "" {
				sources++
			}
		}
		if sources != 1 {
			l.add(m.file, n.Line, im.pre+"teachers", "an item needs exactly one of teachers, condition, indicator, formula")
		}
		if it.Condition != "" && !slices.Contains(ConditionColumns, it.Condition) {
			l.add(m.file, im.line("condition"), im.pre+"condition", "%q: expected one of %s", it.Condition, strings.Join(ConditionColumns, ", "))
		}
		if it.Indicator != "" && p.indicatorCode(it.Indicator) {
			l.add(m.file, im.line("indicator"), im.pre+"indicator", "no indicator %q", it.Indicator)
		}
		schoolItem := it.Teachers != nil || it.Condition != ""
		if s.Level == StandardSchools && !schoolItem {
			l.add(m.file, n.Line, im.pre+"teachers", "an item of a standard assessed by school needs teachers or condition")
		}
		if s.Level == StandardDistrict && schoolItem {
			l.add(m.file, n.Line, im.pre+"indicator", "an item of a district standard needs indicator or formula")
		}
		im.done()
		s.Items = append(s.Items, it)
	}
	if s.Level == StandardSchools && (s.MinMet < 0 || s.MinMet > len(s.Items)) {
		l.add(m.file, m.line("school_rule"), m.pre+"school_rule.min_met", "must be between 0 and the %d items", len(s.Items))
	}
}

// indicatorCode reports whether code is NOT a headline indicator or commitment of the
// pack read so far (true: an error to report).
func (p *Pack) indicatorCode(code string) bool {
	for _, ind := range slices.Concat(p.Indicators, p.Commitments) {
		if ind.Code == code {
			return false
		}
	}
	return true
}

func (p *Pack) teacherDims() []string {
	for _, e := range p.Elements {
		if e.Code == "teachers" {
			return e.Dims
		}
	}
	return nil
}

// perStage reads a number, or a mapping of stage to number, giving a value for every
// stage of the standard.
func (l *loader) perStage(m *mapping, key string, stages []string, required bool) map[string]float64 {
	out := map[string]float64{}
	k, v := m.get(key)
	if v == nil {
		if required {
			l.add(m.file, m.node.Line, m.pre+key, "required field is missing")
		}
		return out
	}
	if v.Kind == yaml.ScalarNode {
		var x float64
		if err := v.Decode(&x); err != nil {
			l.add(m.file, k.Line, m.pre+key, "expected a number or a number per stage")
			return out
		}
		for _, st := range stages {
			out[st] = x
		}
		return out
	}
	if err := v.Decode(&out); err != nil {
		l.add(m.file, k.Line, m.pre+key, "expected a number or a number per stage")
		return map[string]float64{}
	}
	l.stageKeys(m, key, k.Line, stages, slices.Collect(maps.Keys(out)))
	return out
}

// perStageText reads a string, or a mapping of stage to string.
func (l *loader) perStageText(m *mapping, key string, stages []string) map[string]string {
	out := map[string]string{}
	k, v := m.get(key)
	if v.Kind == yaml.ScalarNode {
		for _, st := range stages {
			out[st] = v.Value
		}
		return out
	}
	if err := v.Decode(&out); err != nil {
		l.add(m.file, k.Line, m.pre+key, "expected a filter or a filter per stage")
		return map[string]string{}
	}
	l.stageKeys(m, key, k.Line, stages, slices.Collect(maps.Keys(out)))
	return out
}

func (l *loader) stageKeys(m *mapping, key string, line int, stages, got []string) {
	for _, st := range stages {
		if !slices.Contains(got, st) {
			l.add(m.file, line, m.pre+key, "no value for stage %s", st)
		}
	}
	for _, st := range got {
		if !slices.Contains(stages, st) {
			l.add(m.file, line, m.pre+key+"."+st, "%s is not a stage of the standard", st)
		}
	}
}
