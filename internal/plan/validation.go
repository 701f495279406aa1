package plan

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// RulesFile is the optional file of a pack that holds its plausibility rules.
const RulesFile = "validation.yaml"

// Checks of plausibility rules: the few kinds of check an import knows how to run.
const (
	// CheckStudentAge compares a student's age on 1 September of the school year with
	// the age expected in the grade: grade+2 in preschool (grade 1 = 小班, age 3), grade+5
	// in every other stage (compulsory grades counted 1–9 continuously, senior 10–12,
	// higher from 13), as docs/formats.md numbers grades. A row rule.
	CheckStudentAge = "student_age"
	// CheckEnrolmentChange compares a district's enrolment in a stage with the year
	// before (and after) as stored: a change above MaxPercent warns.
	CheckEnrolmentChange = "enrolment_change"
	// CheckPreschoolPopulation compares a district's preschool enrolment with its
	// population aged Ages (3–5 by default), when that population is stored.
	CheckPreschoolPopulation = "preschool_vs_population"
	// CheckConditionPerStudent compares a school's conditions quantity (a column of a
	// conditions file) per student (× Per) with the range [Min, Max]: a row rule.
	CheckConditionPerStudent = "condition_per_student"
)

// Rule is a plausibility rule (合理性校验规则) of validation.yaml: a check that an
// import runs and that warns, never blocks, like DHIS2's validation rules. Its
// messages hold {placeholders} that the check fills (see RuleVars).
type Rule struct {
	Code      string
	Check     string
	Name      string
	NameEn    string
	Message   string
	MessageEn string

	// MaxYears (student_age) is the difference from the expected age tolerated.
	MaxYears int
	// MaxPercent is the change tolerated (enrolment_change, in either direction) or the
	// highest plausible enrolment as a share of the population (preschool_vs_population).
	MaxPercent float64
	// MinStudents (enrolment_change): districts whose enrolment in the stage is below it
	// in both years are not compared; small numbers swing.
	MinStudents int
	// Stages (student_age, enrolment_change) are the stages checked; empty: all.
	Stages []string
	// Ages (preschool_vs_population) are the population ages, inclusive.
	Ages [2]int
	// Condition, Per, Min and Max (condition_per_student): the conditions column, its
	// value per Per students, and the plausible range of that.
	Condition string
	Per       float64
	Min, Max  float64
	// Line is the rule's line in RulesFile, for messages.
	Line int
}

// RuleVars lists, by check, the placeholders its messages may use.
var RuleVars = map[string][]string{
	CheckStudentAge: {"student_id", "year", "birth_date", "age", "stage", "stage_zh", "grade", "expected", "max_years"},
	CheckEnrolmentChange: {"district", "district_name", "district_name_en", "stage", "stage_zh",
		"from_year", "from_count", "to_year", "to_count", "change", "max_percent", "min_students"},
	CheckPreschoolPopulation: {"district", "district_name", "district_name_en", "year", "students", "population",
		"percent", "max_percent", "ages"},
	CheckConditionPerStudent: {"institution", "year", "stage", "stage_zh", "value", "students", "per_student", "min", "max"},
}

// ruleParams lists, by check, the fields of a rule beyond the common ones; required
// ones are marked with a '!'.
var ruleParams = map[string][]string{
	CheckStudentAge:          {"max_years!", "stages"},
	CheckEnrolmentChange:     {"max_percent!", "min_students", "stages"},
	CheckPreschoolPopulation: {"max_percent!", "ages"},
	CheckConditionPerStudent: {"condition!", "per", "min!", "max!"},
}

var (
	ruleCodeRE    = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	placeholderRE = regexp.MustCompile(`\{([^{}]*)\}`)
)

// Format returns the rule's messages in Chinese and English with each {name} replaced
// by vars[name].
func (r *Rule) Format(vars map[string]string) (zh, en string) {
	fill := func(s string) string {
		return placeholderRE.ReplaceAllStringFunc(s, func(m string) string {
			if v, ok := vars[m[1:len(m)-1]]; ok {
				return v
			}
			return m
		})
	}
	return fill(r.Message), fill(r.MessageEn)
}

// RulesOf returns the pack's rules of a check, in file order.
func (p *Pack) RulesOf(check string) []*Rule {
	var out []*Rule
	for _, r := range p.Rules {
		if r.Check == check {
			out = append(out, r)
		}
	}
	return out
}

func (l *loader) loadRules(p *Pack) {
	const file = RulesFile
	if _, err := fs.Stat(l.fsys, file); errors.Is(err, fs.ErrNotExist) {
		return // the file is optional
	}
	seen := map[string]int{}
	for i, n := range l.list(file, "rules") {
		m := l.mapping(file, fmt.Sprintf("rules[%d].", i), n)
		r := &Rule{Line: n.Line}
		r.Code = m.str("code", true)
		if r.Code != "" {
			m.pre = fmt.Sprintf("rules[%s].", r.Code)
		}
		r.Check = m.str("check", true)
		r.Name = m.str("name", false)
		r.NameEn = m.str("name_en", false)
		r.Message = m.str("message", true)
		r.MessageEn = m.str("message_en", true)
		if r.Code != "" && !ruleCodeRE.MatchString(r.Code) {
			l.add(file, m.line("code"), m.pre+"code", "%q: expected lower-case letters, digits and _", r.Code)
		}
		if r.Code != "" {
			if prev := seen[r.Code]; prev != 0 {
				l.add(file, m.line("code"), m.pre+"code", "%s already defined on line %d", r.Code, prev)
			}
			seen[r.Code] = m.line("code")
		}
		params, ok := ruleParams[r.Check]
		if !ok {
			if r.Check != "" {
				l.add(file, m.line("check"), m.pre+"check", "%q: expected one of %s", r.Check, strings.Join(slices.Sorted(maps.Keys(ruleParams)), ", "))
			}
			m.done()
			p.Rules = append(p.Rules, r)
			continue
		}
		for _, key := range []string{"message", "message_en"} {
			_, v := m.get(key)
			if v == nil {
				continue
			}
			if msg := checkPlaceholders(v.Value, RuleVars[r.Check]); msg != "" {
				l.add(file, m.line(key), m.pre+key, "%s", msg)
			}
		}
		for _, param := range params {
			name, required := strings.CutSuffix(param, "!")
			l.ruleParam(m, r, name, required)
		}
		if r.Check == CheckConditionPerStudent {
			if r.Per == 0 {
				r.Per = 1
			}
			if r.Min > r.Max {
				l.add(file, m.line("max"), m.pre+"max", "must not be below min")
			}
		}
		if r.Check == CheckPreschoolPopulation && r.Ages == [2]int{} {
			r.Ages = [2]int{3, 5}
		}
		m.done()
		p.Rules = append(p.Rules, r)
	}
}

// ruleParam reads and checks one check-specific field of a rule.
func (l *loader) ruleParam(m *mapping, r *Rule, name string, required bool) {
	field, line := m.pre+name, m.line(name)
	switch name {
	case "max_years":
		if m.decode(name, required, &r.MaxYears) && r.MaxYears < 0 {
			l.add(m.file, line, field, "must not be negative")
		}
	case "max_percent":
		if m.decode(name, required, &r.MaxPercent) && !(r.MaxPercent > 0) {
			l.add(m.file, line, field, "must be more than 0")
		}
	case "min_students":
		if m.decode(name, required, &r.MinStudents) && r.MinStudents < 0 {
			l.add(m.file, line, field, "must not be negative")
		}
	case "stages":
		if m.decode(name, required, &r.Stages) {
			for _, s := range r.Stages {
				if !slices.Contains(Domains["stage"], s) {
					l.add(m.file, line, field, "%q: expected stages among %s", s, strings.Join(Domains["stage"], ", "))
				}
			}
		}
	case "condition":
		if m.decode(name, required, &r.Condition) && !slices.Contains(ConditionColumns, r.Condition) {
			l.add(m.file, line, field, "%q: expected one of %s", r.Condition, strings.Join(ConditionColumns, ", "))
		}
	case "per":
		if m.decode(name, required, &r.Per) && !(r.Per > 0) {
			l.add(m.file, line, field, "must be more than 0")
		}
	case "min":
		if m.decode(name, required, &r.Min) && r.Min < 0 {
			l.add(m.file, line, field, "must not be negative")
		}
	case "max":
		m.decode(name, required, &r.Max)
	case "ages":
		var ages []int
		if m.decode(name, required, &ages) {
			if len(ages) != 2 || ages[0] > ages[1] || ages[0] < 0 || ages[1] > 100 {
				l.add(m.file, line, field, "expected [from, to] ages within 0..100")
			} else {
				r.Ages = [2]int{ages[0], ages[1]}
			}
		}
	}
}

// checkPlaceholders returns what is wrong with a message's {placeholders}, or "".
func checkPlaceholders(msg string, vars []string) string {
	if strings.TrimSpace(msg) == "" {
		return ""
	}
	var unknown []string
	for _, m := range placeholderRE.FindAllStringSubmatch(msg, -1) {
		if !slices.Contains(vars, m[1]) {
			unknown = append(unknown, "{"+m[1]+"}")
		}
	}
	if len(unknown) > 0 {
		return fmt.Sprintf("unknown placeholder %s; this check fills %s", strings.Join(unknown, ", "), "{"+strings.Join(vars, "}, {")+"}")
	}
	if rest := placeholderRE.ReplaceAllString(msg, ""); strings.ContainsAny(rest, "{}") {
		return "unbalanced { or }"
	}
	return ""
}
