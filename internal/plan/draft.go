package plan

import (
	"bytes"
	"cmp"
	"fmt"
	"io/fs"
	"math"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DraftOptions say which period a draft is for and where its baselines come from.
type DraftOptions struct {
	// BaseYear is the new baseline year, usually the old target year.
	BaseYear int
	// Name and NameEn name the new plan; empty, they are derived from the old names:
	// "十四五" becomes "十五五" and "14th Five-Year" "15th Five-Year" when the new period
	// is a five-year plan period (2026–2030 is the 15th), else the years are added.
	Name, NameEn string
	// Demo says the actual values are from generated demo data (演示数据), not
	// statistics: each baseline taken from them is marked as such and TODO.
	Demo bool
}

// Draft writes the files of a draft pack for the plan period after p's: the same org
// units, elements, rules, indicators and commitments, with baselines in baseYear taken
// from actual values (the city's, from value) and targets in baseYear+period left for
// planners to set — each written equal to its baseline and marked TODO, so that `plan
// check` accepts the draft as it is. A commitment's range or relation is carried over
// as it was (marked TODO), due in the new target year (or its own later year, such as
// 2030); a fixed year at(B) of the old baseline year B in a formula becomes the new
// baseline year, so that "since 2020" counts become "since baseYear". src holds p's
// files, which are copied where they do not change. Baselines are rounded to each
// indicator's decimals, as the plan states them; those taken from demo data (opt.Demo)
// are marked TODO too, so that `plan check --strict` refuses the draft until they are
// replaced.
func Draft(p *Pack, src fs.FS, opt DraftOptions, value func(indicator string) (float64, bool)) (map[string][]byte, error) {
	baseYear := opt.BaseYear
	period := p.TargetYear - p.BaselineYear
	targetYear := baseYear + period
	files, err := draftCopies(src)
	if err != nil {
		return nil, err
	}
	if files["pack.yaml"], err = draftHeader(p, opt, baseYear, targetYear); err != nil {
		return nil, err
	}
	if files["indicators.yaml"], err = draftIndicators(p, baseYear, targetYear, opt.Demo, value); err != nil {
		return nil, err
	}
	if len(p.Commitments) > 0 {
		if files[CommitmentsFile], err = draftCommitments(p, baseYear, targetYear, opt.Demo, value); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// draftCopies reads the files a draft copies as they are: the org units, elements,
// rules and record kinds (the commitments' formulas read them). The rules and kinds
// are optional.
func draftCopies(src fs.FS) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, name := range []string{"orgunits.csv", "elements.yaml", RulesFile, KindsFile} {
		b, err := fs.ReadFile(src, name)
		if err != nil {
			if name == RulesFile || name == KindsFile {
				continue // optional
			}
			return nil, fmt.Errorf("draft: %w", err)
		}
		files[name] = b
	}
	return files, nil
}

// draftHeader writes the pack.yaml of a draft: the code with the new years, the names
// (see draftNames), the new period and where the baselines come from.
func draftHeader(p *Pack, opt DraftOptions, baseYear, targetYear int) ([]byte, error) {
	code := p.Code
	years := regexp.MustCompile(`\d{4}-\d{4}$`)
	if years.MatchString(code) {
		code = years.ReplaceAllString(code, fmt.Sprintf("%d-%d", baseYear+1, targetYear))
	} else {
		code = fmt.Sprintf("%s-%d-%d", code, baseYear+1, targetYear)
	}
	head := &yaml.Node{Kind: yaml.MappingNode}
	add(head, "code", str(code), "")
	add(head, "version", str("0.1.0-draft"), "")
	name, nameEn, named := draftNames(p, opt, baseYear+1, targetYear)
	nameNote := ""
	if !named {
		nameNote = "TODO: 规划名称 the plan's name"
	}
	add(head, "name", str(name), nameNote)
	add(head, "name_en", str(nameEn), "")
	add(head, "tenant", str(p.Tenant), "")
	add(head, "baseline_year", num(float64(baseYear)), "")
	add(head, "target_year", num(float64(targetYear)), "")
	add(head, "delta", num(p.Delta), "")
	source := fmt.Sprintf("the actual %d values", baseYear)
	if opt.Demo {
		source = fmt.Sprintf("the %d values of DEMO DATA (演示数据, not statistics): replace them (TODO)", baseYear)
	}
	return encode(head, fmt.Sprintf("Draft pack for %d–%d, written by `eduplan plan draft` from %s %s.\nBaselines are %s; every target is a placeholder (TODO).",
		baseYear+1, targetYear, p.Code, p.Version, source))
}

// draftIndicators writes the indicators.yaml of a draft: each indicator as it was,
// its baseline the actual value in baseYear (the old target where there is none), its
// target that baseline, marked TODO.
func draftIndicators(p *Pack, baseYear, targetYear int, demo bool, value func(string) (float64, bool)) ([]byte, error) {
	list := &yaml.Node{Kind: yaml.SequenceNode}
	for _, ind := range p.Indicators {
		m := &yaml.Node{Kind: yaml.MappingNode}
		add(m, "code", str(ind.Code), "")
		add(m, "name", str(ind.Name), "")
		add(m, "name_en", str(ind.NameEn), "")
		add(m, "group", str(ind.Group), "")
		add(m, "group_en", str(ind.GroupEn), "")
		add(m, "unit", str(ind.Unit), "")
		add(m, "decimals", num(float64(ind.Decimals)), "")
		add(m, "direction", str(string(ind.Direction)), "")
		add(m, "attribute", str(string(ind.Attribute)), "")
		if ind.Tolerance != DefaultTolerance(ind.Unit) {
			add(m, "tolerance", num(ind.Tolerance), "")
		}
		add(m, "levels", levelsNode(ind.Levels), "")
		add(m, "formula", str(ind.Formula), "")
		base, note := ind.Target.Value, fmt.Sprintf("no actual %d value: the old target", baseYear)
		if v, ok := value(ind.Code); ok {
			base, note = round(v, ind.Decimals), baselineNote(baseYear, demo)
		}
		add(m, "baseline", point(baseYear, base), note)
		add(m, "target", point(targetYear, base), fmt.Sprintf("TODO: 设定 %d 年目标 set the %d target", targetYear, targetYear))
		list.Content = append(list.Content, m)
	}
	root := &yaml.Node{Kind: yaml.MappingNode}
	add(root, "indicators", list, "")
	return encode(root, "Indicators of the draft: formulas as in the plan before; baselines actual; targets to set.")
}

// draftCommitments writes the commitments.yaml of a draft (see Draft).
func draftCommitments(p *Pack, baseYear, targetYear int, demo bool, value func(string) (float64, bool)) ([]byte, error) {
	fixed := regexp.MustCompile(fmt.Sprintf(`\bat\(\s*%d\s*\)`, p.BaselineYear))
	list := &yaml.Node{Kind: yaml.SequenceNode}
	for _, c := range p.Commitments {
		m := draftCommitmentHead(c)
		formula, note := c.Formula, ""
		if fixed.MatchString(formula) {
			formula = fixed.ReplaceAllString(formula, fmt.Sprintf("at(%d)", baseYear))
			note = fmt.Sprintf("at(%d) was at(%d)", baseYear, p.BaselineYear)
		}
		add(m, "formula", str(formula), note)
		base, known := value(c.Code)
		base = round(base, c.Decimals)
		if known {
			add(m, "baseline", point(baseYear, base), baselineNote(baseYear, demo))
		}
		year := targetYear
		if c.Target.Year > p.TargetYear && c.Target.Year > targetYear {
			year = c.Target.Year // a target due after the old plan's end, still ahead
		}
		t, todo := draftGoal(c, year, baseYear, base, known)
		add(m, "target", t, todo)
		list.Content = append(list.Content, m)
	}
	root := &yaml.Node{Kind: yaml.MappingNode}
	add(root, "commitments", list, "")
	return encode(root, "Commitments of the draft: formulas as in the plan before; baselines actual where computed; targets to set.")
}

// draftCommitmentHead starts a draft's entry of commitment c with the fields carried
// over as they were, up to its levels; the section is marked TODO.
func draftCommitmentHead(c *Indicator) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	add(m, "code", str(c.Code), "")
	add(m, "name", str(c.Name), "")
	add(m, "name_en", str(c.NameEn), "")
	add(m, "section", str(c.Section), "TODO: 新规划中的位置 where the new plan makes it")
	add(m, "measure", str(c.Measure), "")
	if c.MeasureEn != "" {
		add(m, "measure_en", str(c.MeasureEn), "")
	}
	add(m, "group", str(c.Group), "")
	add(m, "group_en", str(c.GroupEn), "")
	add(m, "unit", str(c.Unit), "")
	add(m, "decimals", num(float64(c.Decimals)), "")
	add(m, "direction", str(string(c.Direction)), "")
	if c.Must {
		add(m, "must", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"}, "")
	}
	if c.ToleranceReason != "" {
		add(m, "tolerance", num(c.Tolerance), "")
		add(m, "tolerance_reason", str(c.ToleranceReason), "")
	}
	add(m, "levels", levelsNode(c.Levels), "")
	return m
}

// draftGoal writes commitment c's target in year, with its TODO note: a range or
// relation carried over as it was, or a value equal to the new baseline (base, when
// known; else the old target).
func draftGoal(c *Indicator, year, baseYear int, base float64, known bool) (*yaml.Node, string) {
	todo := fmt.Sprintf("TODO: 设定 %d 年目标 set the %d target", year, year)
	t := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	add(t, "year", num(float64(year)), "")
	switch c.Goal.Kind {
	case GoalRange:
		if c.Goal.Band > 0 {
			add(t, "about", num(c.Goal.About), "")
			add(t, "band", num(c.Goal.Band), "")
		} else {
			add(t, "min", num(c.Goal.Min), "")
			add(t, "max", num(c.Goal.Max), "")
		}
		todo = fmt.Sprintf("TODO: 核定 %d 年区间 review the %d range (the plan before's)", year, year)
	case GoalRelation:
		add(t, "relation", str(string(c.Goal.Relation)), "")
		if c.Goal.Of != "" {
			add(t, "of", str(c.Goal.Of), "")
		}
		if c.Goal.Floor {
			add(t, "value", num(c.Target.Value), "")
		}
		todo = "TODO: 核定 review (the plan before's relation)"
	default:
		v := c.Target.Value
		if known {
			v = base
		} else {
			todo += fmt.Sprintf("; no actual %d value: the old target", baseYear)
		}
		add(t, "value", num(v), "")
	}
	if c.Goal.EveryYear {
		add(t, "every_year", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"}, "")
	}
	return t, todo
}

// levelsNode writes levels as a flow list: [city, district].
func levelsNode(levels []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, l := range levels {
		n.Content = append(n.Content, str(l))
	}
	return n
}

// baselineNote says where a draft's baseline came from.
func baselineNote(year int, demo bool) string {
	if demo {
		return fmt.Sprintf("TODO: %d 年演示数据，非统计数据，请替换 the %d value of demo data, not statistics: replace it", year, year)
	}
	return fmt.Sprintf("actual %d value", year)
}

// round rounds v to decimals places, as the plan states its figures.
func round(v float64, decimals int) float64 {
	f := math.Pow10(decimals)
	return math.Round(v*f) / f
}

// draftNames names the plan of first–last after p: the names given, or p's with the
// five-year plan's ordinal moved on ("十四五" → "十五五", "14th" → "15th") when both
// periods are five-year plan periods, or else p's with the
// years added. named is false when the name is only a guess for planners to set.
func draftNames(p *Pack, opt DraftOptions, first, last int) (name, nameEn string, named bool) {
	if opt.Name != "" {
		return opt.Name, cmp.Or(opt.NameEn, opt.Name), true
	}
	oldN, oldOK := fiveYearPlan(p.BaselineYear+1, p.TargetYear)
	newN, newOK := fiveYearPlan(first, last)
	if oldOK && newOK {
		zhOld, zhNew := chineseNumber(oldN)+"五", chineseNumber(newN)+"五"
		enOld, enNew := ordinal(oldN)+" Five-Year", ordinal(newN)+" Five-Year"
		if strings.Contains(p.Name, zhOld) {
			name, nameEn = strings.ReplaceAll(p.Name, zhOld, zhNew), strings.ReplaceAll(p.NameEn, enOld, enNew)
			return name, cmp.Or(opt.NameEn, nameEn), true
		}
	}
	return fmt.Sprintf("%s（%d—%d年草案）", p.Name, first, last), cmp.Or(opt.NameEn, fmt.Sprintf("%s (draft for %d–%d)", p.NameEn, first, last)), false
}

// fiveYearPlan returns the number of China's five-year plan that runs first–last: the
// 1st ran 1953–1957, the 2nd 1958–1962, the 3rd (after three years of readjustment)
// 1966–1970, and every one since five years after the one before (the 14th 2021–2025).
func fiveYearPlan(first, last int) (int, bool) {
	switch {
	case last-first != 4:
		return 0, false
	case first == 1953 || first == 1958:
		return (first-1953)/5 + 1, true
	case first < 1966 || (first-1966)%5 != 0:
		return 0, false
	}
	return (first-1966)/5 + 3, true
}

// chineseNumber writes 1–99 in Chinese numerals: 9 九, 14 十四, 21 二十一.
func chineseNumber(n int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n%10]
	}
	return digits[n/10] + "十" + digits[n%10]
}

// ordinal writes 14 as "14th", 21 as "21st".
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// num is a plain number: its tag is left to the reader, so 2025 reads as an int.
func num(v float64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.FormatFloat(v, 'f', -1, 64)}
}

func point(year int, v float64) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	add(m, "year", num(float64(year)), "")
	add(m, "value", num(v), "")
	return m
}

// add appends key: v to a mapping, with a comment at the end of the line.
func add(m *yaml.Node, key string, v *yaml.Node, comment string) {
	v.LineComment = comment
	m.Content = append(m.Content, str(key), v)
}

func encode(n *yaml.Node, comment string) ([]byte, error) {
	n.HeadComment = comment
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return nil, fmt.Errorf("draft: %w", err)
	}
	return b.Bytes(), enc.Close()
}
