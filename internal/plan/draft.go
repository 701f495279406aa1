package plan

import (
	"bytes"
	"fmt"
	"io/fs"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Draft writes the files of a draft pack for the plan period after p's: the same org
// units, elements, rules, indicators and commitments, with baselines in baseYear taken
// from actual values (the city's, from value) and targets in baseYear+period left for
// planners to set — each written equal to its baseline and marked TODO, so that `plan
// check` accepts the draft as it is. A commitment's range or relation is carried over
// as it was (marked TODO), due in the new target year (or its own later year, such as
// 2030); a fixed year at(B) of the old baseline year B in a formula becomes the new
// baseline year, so that "since 2020" counts become "since baseYear". src holds p's
// files, which are copied where they do not change.
func Draft(p *Pack, src fs.FS, baseYear int, value func(indicator string) (float64, bool)) (map[string][]byte, error) {
	period := p.TargetYear - p.BaselineYear
	targetYear := baseYear + period
	files := map[string][]byte{}
	for _, name := range []string{"orgunits.csv", "elements.yaml", "validation.yaml"} {
		b, err := fs.ReadFile(src, name)
		if err != nil {
			if name == "validation.yaml" {
				continue // optional
			}
			return nil, fmt.Errorf("draft: %w", err)
		}
		files[name] = b
	}

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
	add(head, "name", str(p.Name+"（下一规划期草案）"), "TODO: 规划名称 the plan's name")
	add(head, "name_en", str(p.NameEn+" (draft for the next period)"), "")
	add(head, "tenant", str(p.Tenant), "")
	add(head, "baseline_year", num(float64(baseYear)), "")
	add(head, "target_year", num(float64(targetYear)), "")
	add(head, "delta", num(p.Delta), "")
	b, err := encode(head, fmt.Sprintf("Draft pack for %d–%d, written by `eduplan plan draft` from %s %s.\nBaselines are the actual %d values; every target is a placeholder (TODO).",
		baseYear+1, targetYear, p.Code, p.Version, baseYear))
	if err != nil {
		return nil, err
	}
	files["pack.yaml"] = b

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
		levels := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, l := range ind.Levels {
			levels.Content = append(levels.Content, str(l))
		}
		add(m, "levels", levels, "")
		add(m, "formula", str(ind.Formula), "")
		base, note := ind.Target.Value, fmt.Sprintf("no actual %d value: the old target", baseYear)
		if v, ok := value(ind.Code); ok {
			base, note = v, fmt.Sprintf("actual %d value", baseYear)
		}
		add(m, "baseline", point(baseYear, base), note)
		add(m, "target", point(targetYear, base), fmt.Sprintf("TODO: 设定 %d 年目标 set the %d target", targetYear, targetYear))
		list.Content = append(list.Content, m)
	}
	root := &yaml.Node{Kind: yaml.MappingNode}
	add(root, "indicators", list, "")
	if files["indicators.yaml"], err = encode(root, "Indicators of the draft: formulas as in the plan before; baselines actual; targets to set."); err != nil {
		return nil, err
	}
	if len(p.Commitments) > 0 {
		if files[CommitmentsFile], err = draftCommitments(p, baseYear, targetYear, value); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// draftCommitments writes the commitments.yaml of a draft (see Draft).
func draftCommitments(p *Pack, baseYear, targetYear int, value func(string) (float64, bool)) ([]byte, error) {
	fixed := regexp.MustCompile(fmt.Sprintf(`\bat\(\s*%d\s*\)`, p.BaselineYear))
	list := &yaml.Node{Kind: yaml.SequenceNode}
	for _, c := range p.Commitments {
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
		add(m, "attribute", str(string(c.Attribute)), "")
		if c.Tolerance != DefaultTolerance(c.Unit) {
			add(m, "tolerance", num(c.Tolerance), "")
		}
		levels := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, l := range c.Levels {
			levels.Content = append(levels.Content, str(l))
		}
		add(m, "levels", levels, "")
		formula, note := c.Formula, ""
		if fixed.MatchString(formula) {
			formula = fixed.ReplaceAllString(formula, fmt.Sprintf("at(%d)", baseYear))
			note = fmt.Sprintf("at(%d) was at(%d)", baseYear, p.BaselineYear)
		}
		add(m, "formula", str(formula), note)
		base, known := value(c.Code)
		if known {
			add(m, "baseline", point(baseYear, base), fmt.Sprintf("actual %d value", baseYear))
		}
		year := targetYear
		if c.Target.Year > p.TargetYear && c.Target.Year > targetYear {
			year = c.Target.Year // a target due after the old plan's end, still ahead
		}
		todo := fmt.Sprintf("TODO: 设定 %d 年目标 set the %d target", year, year)
		t := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
		add(t, "year", num(float64(year)), "")
		switch c.Goal.Kind {
		case GoalRange:
			add(t, "min", num(c.Goal.Min), "")
			add(t, "max", num(c.Goal.Max), "")
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
		add(m, "target", t, todo)
		list.Content = append(list.Content, m)
	}
	root := &yaml.Node{Kind: yaml.MappingNode}
	add(root, "commitments", list, "")
	return encode(root, "Commitments of the draft: formulas as in the plan before; baselines actual where computed; targets to set.")
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
