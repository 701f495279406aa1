package plan

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
)

// SupervisionFile is the optional file of a pack that holds its supervision checklists
// and case types (督导清单、案件类型): what a round of supervision may assess besides
// standards, indicators and the task ledger, and the kinds of case the loop follows.
const SupervisionFile = "supervision.yaml"

// Choice is one answer, result or option a pack offers, with its words.
type Choice struct {
	Code   string `yaml:"code" json:"code"`
	Name   string `yaml:"name" json:"name"`
	NameEn string `yaml:"name_en" json:"name_en"`
}

// Checklist is a list of items a district or institution declares met, partly met or
// not met with a note and evidence (自评清单), and that inspectors verify: a
// kindergarten annual inspection (幼儿园年检), a district's school-safety review.
type Checklist struct {
	Code   string
	Name   string
	NameEn string
	Basis  string
	// Level is "district" (each district evaluates itself) or "institution" (each
	// institution of Types does).
	Level string
	Types []string
	// Results are the verdicts an inspector may give an evaluation when verifying it
	// (合格/限期整改/不合格); none when the round gives no overall result.
	Results []Choice
	Items   []*ChecklistItem
	Line    int
}

// ChecklistItem is one item of a checklist; Theme groups findings in the city's summary.
type ChecklistItem struct {
	Code   string
	Name   string
	NameEn string
	Theme  string
}

// CaseType is a kind of case the supervision loop follows from open to closed. Source
// says how a case begins: "finding" (raised by an inspector on a round) or "report" (a
// school or district reports it, as a safety hazard). Fields are what a case of the type
// records besides its owner, due date and steps.
type CaseType struct {
	Code   string
	Name   string
	NameEn string
	Source string
	Fields []*CaseField
	Line   int
}

// CaseField is a field of a case type: free text, or one of Options.
type CaseField struct {
	Code     string
	Name     string
	NameEn   string
	Required bool
	Options  []Choice
}

// Level values of a checklist.
const (
	LevelDistrictRound    = "district"
	LevelInstitutionRound = "institution"
)

// Checklist returns the checklist with the code, or nil.
func (p *Pack) Checklist(code string) *Checklist {
	for _, c := range p.Checklists {
		if c.Code == code {
			return c
		}
	}
	return nil
}

// CaseType returns the case type with the code, or nil.
func (p *Pack) CaseType(code string) *CaseType {
	for _, c := range p.CaseTypes {
		if c.Code == code {
			return c
		}
	}
	return nil
}

// Option returns the field's option with the code, or nil.
func (f *CaseField) Option(code string) *Choice {
	for i := range f.Options {
		if f.Options[i].Code == code {
			return &f.Options[i]
		}
	}
	return nil
}

func (l *loader) loadSupervision(p *Pack) {
	const file = SupervisionFile
	if _, err := fs.Stat(l.fsys, file); errors.Is(err, fs.ErrNotExist) {
		return
	}
	n := l.document(file)
	if n == nil {
		return
	}
	top := l.mapping(file, "", n)
	lists := l.seq(top, "checklists")
	types := l.seq(top, "case_types")
	top.done()
	seen := map[string]int{}
	for i, n := range lists {
		m := l.mapping(file, fmt.Sprintf("checklists[%d].", i), n)
		c := &Checklist{Line: n.Line}
		c.Code = l.uniqueCode(m, seen, "checklists")
		c.Name = m.str("name", true)
		c.NameEn = m.str("name_en", false)
		c.Basis = m.str("basis", false)
		c.Level = m.str("level", true)
		if c.Level != "" && c.Level != LevelDistrictRound && c.Level != LevelInstitutionRound {
			l.add(file, m.line("level"), m.pre+"level", "%q: expected district or institution", c.Level)
		}
		m.decode("types", false, &c.Types)
		for _, t := range c.Types {
			if !slices.Contains(Domains["type"], t) {
				l.add(file, m.line("types"), m.pre+"types", "unknown institution type %q", t)
			}
		}
		c.Results = l.choices(m, "results", false)
		itemSeen := map[string]bool{}
		for j, in := range l.seq(m, "items") {
			im := l.mapping(file, fmt.Sprintf("%sitems[%d].", m.pre, j), in)
			it := &ChecklistItem{Code: im.str("code", true), Name: im.str("name", true), NameEn: im.str("name_en", false), Theme: im.str("theme", false)}
			if itemSeen[it.Code] {
				l.add(file, im.line("code"), im.pre+"code", "%s appears twice", it.Code)
			}
			itemSeen[it.Code] = true
			im.done()
			c.Items = append(c.Items, it)
		}
		if len(c.Items) == 0 {
			l.add(file, m.line("items"), m.pre+"items", "expected a list of items")
		}
		m.done()
		p.Checklists = append(p.Checklists, c)
	}
	seenType := map[string]int{}
	for i, n := range types {
		m := l.mapping(file, fmt.Sprintf("case_types[%d].", i), n)
		c := &CaseType{Line: n.Line}
		c.Code = l.uniqueCode(m, seenType, "case_types")
		c.Name = m.str("name", true)
		c.NameEn = m.str("name_en", false)
		c.Source = m.str("source", true)
		if c.Source != "" && c.Source != "finding" && c.Source != "report" {
			l.add(file, m.line("source"), m.pre+"source", "%q: expected finding or report", c.Source)
		}
		for j, fn := range l.seq(m, "fields") {
			fm := l.mapping(file, fmt.Sprintf("%sfields[%d].", m.pre, j), fn)
			f := &CaseField{Code: fm.str("code", true), Name: fm.str("name", true), NameEn: fm.str("name_en", false)}
			fm.decode("required", false, &f.Required)
			f.Options = l.choices(fm, "options", false)
			fm.done()
			c.Fields = append(c.Fields, f)
		}
		m.done()
		p.CaseTypes = append(p.CaseTypes, c)
	}
}

// uniqueCode reads a mapping's code, reporting one already seen in the list.
func (l *loader) uniqueCode(m *mapping, seen map[string]int, list string) string {
	code := m.str("code", true)
	if code == "" {
		return ""
	}
	m.pre = fmt.Sprintf("%s[%s].", list, code)
	if prev := seen[code]; prev != 0 {
		l.add(m.file, m.line("code"), m.pre+"code", "%s already defined on line %d", code, prev)
	}
	seen[code] = m.line("code")
	return code
}

// choices reads a list of {code, name, name_en}.
func (l *loader) choices(m *mapping, key string, required bool) []Choice {
	var out []Choice
	for j, n := range l.seq(m, key) {
		cm := l.mapping(m.file, fmt.Sprintf("%s%s[%d].", m.pre, key, j), n)
		c := Choice{Code: cm.str("code", true), Name: cm.str("name", true), NameEn: cm.str("name_en", false)}
		cm.done()
		out = append(out, c)
	}
	if required && len(out) == 0 {
		l.add(m.file, m.line(key), m.pre+key, "expected a list")
	}
	return out
}
