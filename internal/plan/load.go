package plan

import (
	"cmp"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed packs
var packs embed.FS

// BuiltinCode is the code of the pack used when no other is given.
const BuiltinCode = "yantai-2021-2025"

// Builtin returns the embedded Yantai 2021–2025 pack. It is loaded once per process
// and the same *Pack is returned to every caller: a pack is read-only once loaded (the
// server's requests already share one), and none may change it.
func Builtin() (*Pack, error) { return builtin() }

var builtin = sync.OnceValues(func() (*Pack, error) {
	sub, err := fs.Sub(packs, "packs/"+BuiltinCode)
	if err != nil {
		return nil, err
	}
	return Load(sub)
})

// BuiltinFS returns the files of the embedded pack, for copying or drafting.
func BuiltinFS() fs.FS {
	sub, _ := fs.Sub(packs, "packs/"+BuiltinCode)
	return sub
}

// LoadDir loads and validates the pack in a directory on disk.
func LoadDir(dir string) (*Pack, error) {
	if st, err := os.Stat(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, Errorf(ENOTFOUND, "规划包 %s 不存在", "plan pack %s does not exist", dir)
		}
		return nil, fmt.Errorf("plan pack %s: %w", dir, err)
	} else if !st.IsDir() {
		return nil, Errorf(EINVALID, "规划包 %s 不是目录", "plan pack %s: not a directory", dir)
	}
	return Load(os.DirFS(dir))
}

// Issue is one problem found in a pack, located as precisely as the file allows.
// Message is in English; MessageZh, where the check gives it, in Chinese.
type Issue struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Field     string `json:"field"`
	Message   string `json:"message"`
	MessageZh string `json:"message_zh,omitempty"`
}

// String locates the issue and says it in Chinese and English where it can.
func (i Issue) String() string {
	if i.MessageZh != "" {
		return fmt.Sprintf("%s:%d: %s: %s / %s", i.File, i.Line, i.Field, i.MessageZh, i.Message)
	}
	return fmt.Sprintf("%s:%d: %s: %s", i.File, i.Line, i.Field, i.Message)
}

// CheckError lists every problem found in a pack.
type CheckError struct{ Issues []Issue }

func (e *CheckError) Error() string {
	_, en := e.ErrorMessages()
	return en
}

// ErrorCode is EINVALID: the pack's author can fix every problem listed.
func (e *CheckError) ErrorCode() string { return EINVALID }

// ErrorMessages are the problems under a heading in each language; a problem whose
// check says it in English only is in English in both.
func (e *CheckError) ErrorMessages() (zh, en string) {
	zhs, ens := make([]string, len(e.Issues)), make([]string, len(e.Issues))
	for i, is := range e.Issues {
		at := fmt.Sprintf("%s:%d: %s: ", is.File, is.Line, is.Field)
		zhs[i], ens[i] = at+cmp.Or(is.MessageZh, is.Message), at+is.Message
	}
	return "规划包有误：\n" + strings.Join(zhs, "\n"), "invalid plan pack:\n" + strings.Join(ens, "\n")
}

type loader struct {
	fsys   fs.FS
	issues []Issue
}

func (l *loader) add(file string, line int, field, format string, args ...any) {
	l.issues = append(l.issues, Issue{File: file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

// issue adds a problem said in Chinese and English, both formatted with args (an
// English format whose words come in another order numbers them: %[2]s).
func (l *loader) issue(file string, line int, field, zh, en string, args ...any) {
	l.issues = append(l.issues, Issue{File: file, Line: line, Field: field,
		Message: fmt.Sprintf(en, args...), MessageZh: fmt.Sprintf(zh, args...)})
}

// issueErr adds err as a problem, in both languages when it is Coded.
func (l *loader) issueErr(file string, line int, field string, err error) {
	zh, en := err.Error(), err.Error()
	var c Coded
	if errors.As(err, &c) {
		zh, en = c.ErrorMessages()
	}
	l.issues = append(l.issues, Issue{File: file, Line: line, Field: field, Message: en, MessageZh: zh})
}

// Load reads and validates a pack from a file system whose root holds pack.yaml,
// orgunits.csv, elements.yaml and indicators.yaml, and optionally kinds.yaml,
// commitments.yaml, validation.yaml, tasks.yaml, projects.yaml and standards.yaml. A pack with any problem is refused
// with a *CheckError that lists them all.
func Load(fsys fs.FS) (*Pack, error) {
	l := &loader{fsys: fsys}
	p := &Pack{}
	l.loadHeader(p)
	l.loadOrgs(p)
	l.loadElements(p)
	l.loadKinds(p)
	l.loadIndicators(p)
	l.loadCommitments(p)
	l.loadRules(p)
	l.loadTasks(p)
	l.loadProjects(p)
	l.loadStandards(p)
	l.loadSupervision(p)
	l.loadSchoolTables(p)
	if len(l.issues) == 0 {
		if err := p.index(); err != nil {
			l.add("orgunits.csv", 0, "parent", "%v", err)
		}
	}
	if len(l.issues) > 0 {
		return nil, &CheckError{Issues: l.issues}
	}
	return p, nil
}

// mapping is a YAML mapping node read field by field, remembering what was read so
// that unknown fields can be reported.
type mapping struct {
	l    *loader
	file string
	node *yaml.Node
	pre  string
	used map[string]bool
}

func (l *loader) mapping(file, prefix string, n *yaml.Node) *mapping {
	if n.Kind != yaml.MappingNode {
		l.issue(file, n.Line, strings.TrimSuffix(prefix, "."), "应为映射（键: 值）", "expected a mapping")
		return &mapping{l: l, file: file, node: &yaml.Node{Kind: yaml.MappingNode, Line: n.Line}, pre: prefix, used: map[string]bool{}}
	}
	return &mapping{l: l, file: file, node: n, pre: prefix, used: map[string]bool{}}
}

func (m *mapping) get(key string) (*yaml.Node, *yaml.Node) {
	m.used[key] = true
	for i := 0; i+1 < len(m.node.Content); i += 2 {
		if m.node.Content[i].Value == key {
			return m.node.Content[i], m.node.Content[i+1]
		}
	}
	return nil, nil
}

// line returns the line of a field's key, or of the mapping when it is absent.
func (m *mapping) line(key string) int {
	for i := 0; i+1 < len(m.node.Content); i += 2 {
		if m.node.Content[i].Value == key {
			return m.node.Content[i].Line
		}
	}
	return m.node.Line
}

func (m *mapping) decode(key string, required bool, out any) bool {
	k, v := m.get(key)
	if v == nil {
		if required {
			m.l.issue(m.file, m.node.Line, m.pre+key, "缺少必填项", "required field is missing")
		}
		return false
	}
	if err := v.Decode(out); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if i := strings.LastIndex(msg, "\n"); i >= 0 {
			msg = strings.TrimSpace(msg[i+1:]) // "unmarshal errors:\n  line 26: cannot ..."
			if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "line ") {
				msg = rest
			}
		}
		m.l.issue(m.file, k.Line, m.pre+key, "值的类型不对：%s", "%s", msg)
		return false
	}
	return true
}

func (m *mapping) str(key string, required bool) string {
	var s string
	m.decode(key, required, &s)
	if required && s == "" {
		if _, v := m.get(key); v != nil {
			m.l.issue(m.file, m.line(key), m.pre+key, "不能为空", "must not be empty")
		}
	}
	return strings.TrimSpace(s)
}

func (m *mapping) done() {
	for i := 0; i+1 < len(m.node.Content); i += 2 {
		k := m.node.Content[i]
		if !m.used[k.Value] {
			m.l.issue(m.file, k.Line, m.pre+k.Value, "未知的项", "unknown field")
		}
	}
}

func (l *loader) document(file string) *yaml.Node {
	b, err := fs.ReadFile(l.fsys, file)
	if err != nil {
		l.add(file, 0, "", "%v", cleanErr(err))
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		line := 0
		fmt.Sscanf(strings.TrimPrefix(err.Error(), "yaml: "), "line %d:", &line)
		l.issue(file, line, "", "YAML 格式有误：%s", "%s", strings.TrimPrefix(err.Error(), "yaml: "))
		return nil
	}
	if len(doc.Content) == 0 {
		l.issue(file, 1, "", "文件为空", "file is empty")
		return nil
	}
	return doc.Content[0]
}

func cleanErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (l *loader) loadHeader(p *Pack) {
	const file = "pack.yaml"
	n := l.document(file)
	if n == nil {
		return
	}
	m := l.mapping(file, "", n)
	p.Code = m.str("code", true)
	p.Version = m.str("version", true)
	p.Name = m.str("name", true)
	p.NameEn = m.str("name_en", false)
	p.Tenant = m.str("tenant", true)
	m.decode("baseline_year", true, &p.BaselineYear)
	m.decode("target_year", true, &p.TargetYear)
	p.Delta = 0.05
	m.decode("delta", false, &p.Delta)
	if p.TargetYear != 0 && p.TargetYear <= p.BaselineYear {
		l.add(file, m.line("target_year"), "target_year", "must be after baseline_year %d", p.BaselineYear)
	}
	if p.Delta < 0 || p.Delta >= 1 {
		l.add(file, m.line("delta"), "delta", "must be in [0, 1)")
	}
	m.done()
}

// orgsFile is the pack's list of org units.
const orgsFile = "orgunits.csv"

var orgColumns = []string{"code", "parent", "level", "name", "name_en", "kind"}

// loadOrgs reads orgunits.csv: the city and its districts.
func (l *loader) loadOrgs(p *Pack) {
	const file = orgsFile
	f, err := l.fsys.Open(file)
	if err != nil {
		l.add(file, 0, "", "%v", cleanErr(err))
		return
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	col, ok := l.orgHeader(r)
	if !ok {
		return
	}
	seen, ok := l.orgRows(p, r, col)
	if !ok {
		return
	}
	l.checkOrgRefs(p, seen)
}

// orgHeader reads the header of orgunits.csv: the index of each column by name. It is
// false when the header cannot be read, a column is missing, or the pack has a problem
// already.
func (l *loader) orgHeader(r *csv.Reader) (map[string]int, bool) {
	const file = orgsFile
	header, err := r.Read()
	if err != nil {
		l.add(file, 1, "", "cannot read the header: %v", err)
		return nil, false
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, c := range orgColumns {
		if _, ok := col[c]; !ok {
			l.add(file, 1, c, "column is missing")
		}
	}
	return col, len(l.issues) == 0
}

// orgRows reads the orgs of orgunits.csv into p, checking each row, and returns the
// line of each code. It is false when a row cannot be read as CSV.
func (l *loader) orgRows(p *Pack, r *csv.Reader, col map[string]int) (map[string]int, bool) {
	const file = orgsFile
	seen := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			l.add(file, line, "", "%v", err)
			return nil, false
		}
		get := func(c string) string {
			if i := col[c]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		o := &Org{Code: get("code"), Parent: get("parent"), Level: get("level"), Name: get("name"), NameEn: get("name_en"), Kind: get("kind")}
		switch {
		case o.Code == "":
			l.add(file, line, "code", "must not be empty")
			continue
		case seen[o.Code] != 0:
			l.add(file, line, "code", "%s already on line %d", o.Code, seen[o.Code])
			continue
		}
		seen[o.Code] = line
		if o.Name == "" {
			l.add(file, line, "name", "must not be empty")
		}
		switch o.Level {
		case LevelCity:
			if o.Parent != "" {
				l.add(file, line, "parent", "the city has no parent")
			}
		case LevelDistrict:
			if o.Parent == "" {
				l.add(file, line, "parent", "a district needs its city")
			}
		default:
			l.add(file, line, "level", "%q: expected city or district", o.Level)
		}
		p.Orgs = append(p.Orgs, o)
	}
	return seen, true
}

// checkOrgRefs checks that every parent is an org of the file, and that the pack's
// tenant is its city.
func (l *loader) checkOrgRefs(p *Pack, seen map[string]int) {
	for _, o := range p.Orgs {
		if o.Parent != "" {
			if _, ok := seen[o.Parent]; !ok {
				l.add(orgsFile, seen[o.Code], "parent", "%s is not an org code in this file", o.Parent)
			}
		}
	}
	if p.Tenant != "" {
		if i := slices.IndexFunc(p.Orgs, func(o *Org) bool { return o.Code == p.Tenant }); i < 0 {
			l.add("pack.yaml", 0, "tenant", "%s is not an org in orgunits.csv", p.Tenant)
		} else if p.Orgs[i].Level != LevelCity {
			l.add("pack.yaml", 0, "tenant", "%s is not the city", p.Tenant)
		}
	}
}

// list returns the required list under key of a file, whose other top-level keys may
// only be those of also (lists read by optionalList).
func (l *loader) list(file, key string, also ...string) []*yaml.Node {
	n := l.document(file)
	if n == nil {
		return nil
	}
	m := l.mapping(file, "", n)
	k, v := m.get(key)
	for _, a := range also {
		m.get(a)
	}
	m.done()
	if v == nil {
		l.issue(file, n.Line, key, "缺少必填项", "required field is missing")
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		l.issue(file, k.Line, key, "应为列表", "expected a list")
		return nil
	}
	return v.Content
}

func (l *loader) loadElements(p *Pack) {
	const file = "elements.yaml"
	seen := map[string]int{}
	for i, n := range l.list(file, "elements") {
		m := l.mapping(file, fmt.Sprintf("elements[%d].", i), n)
		e := &Element{Additive: true}
		e.Code = m.str("code", true)
		e.Name = m.str("name", true)
		e.NameEn = m.str("name_en", false)
		e.Source = m.str("source", true)
		e.Unit = m.str("unit", false)
		m.decode("additive", false, &e.Additive)
		m.decode("dims", false, &e.Dims)
		var ages []int
		if m.decode("weight_ages", false, &ages) {
			if len(ages) != 2 || ages[0] > ages[1] || ages[0] < 0 || ages[1] > 100 {
				l.add(file, m.line("weight_ages"), m.pre+"weight_ages", "expected [from, to] ages within 0..100")
			} else {
				e.WeightAges = [2]int{ages[0], ages[1]}
			}
		}
		if e.Source != SourceRoster && e.Source != SourceFact && e.Source != "" {
			l.add(file, m.line("source"), m.pre+"source", "%q: expected roster or fact (an element computed from records is declared under its kind in kinds.yaml)", e.Source)
		}
		if !e.Additive && ages == nil {
			l.add(file, m.line("additive"), m.pre+"weight_ages", "a non-additive element needs the ages whose population weights it")
		}
		for _, d := range e.Dims {
			if _, ok := Domains[d]; !ok {
				if _, ok := intDims[d]; !ok {
					l.add(file, m.line("dims"), m.pre+"dims", "unknown dimension %q", d)
				}
			}
		}
		if e.Code != "" {
			if prev := seen[e.Code]; prev != 0 {
				l.add(file, m.line("code"), m.pre+"code", "%s already defined on line %d", e.Code, prev)
			}
			seen[e.Code] = m.line("code")
		}
		m.done()
		p.Elements = append(p.Elements, e)
	}
	for _, code := range []string{"students", "teachers", "population", "institutions"} {
		if _, ok := seen[code]; !ok {
			l.add(file, 0, "elements", "the roster element %q is missing", code)
		}
	}
}

var (
	units      = []string{"%", "ratio", "万人", "年", "count", "万元", "元", "Gbps"}
	directions = []Direction{Up, Down, Hold, Toward}
	levels     = []string{LevelCity, LevelDistrict, LevelInstitution}
)

func (l *loader) loadIndicators(p *Pack) {
	p.Indicators = l.measures(p, IndicatorsFile, "indicators", nil)
}

// loadCommitments reads commitments.yaml when the pack has one. Its codes share one
// name space with the indicators', since formulas and values are keyed by code.
func (l *loader) loadCommitments(p *Pack) {
	if _, err := fs.Stat(l.fsys, CommitmentsFile); errors.Is(err, fs.ErrNotExist) {
		return
	}
	taken := map[string]bool{}
	for _, ind := range p.Indicators {
		taken[ind.Code] = true
	}
	p.Commitments = l.measures(p, CommitmentsFile, "commitments", taken)
	p.NotMeasured = l.notMeasured()
	elements := map[string]*Element{}
	for _, el := range p.Elements {
		elements[el.Code] = el
	}
	codes := map[string]bool{}
	for _, c := range p.Commitments {
		codes[c.Code] = true
	}
	for _, c := range p.Commitments {
		if c.Goal.Relation != AtLeast || c.Goal.Of == "" || codes[c.Goal.Of] || taken[c.Goal.Of] {
			continue
		}
		if el := elements[c.Goal.Of]; el == nil || el.Source != SourceFact {
			l.add(CommitmentsFile, c.targetLine, "commitments["+c.Code+"].target.of", "%s is not an indicator, a commitment or a fact element", c.Goal.Of)
		}
	}
}

// notMeasured reads the not_measured list of commitments.yaml, when it has one: the
// plan's commitments that no data can measure, each with the reason.
func (l *loader) notMeasured() []*NotMeasured {
	doc := l.document(CommitmentsFile)
	if doc == nil {
		return nil
	}
	k, v := l.mapping(CommitmentsFile, "", doc).get("not_measured")
	if v == nil {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		l.add(CommitmentsFile, k.Line, "not_measured", "expected a list")
		return nil
	}
	var out []*NotMeasured
	for i, n := range v.Content {
		m := l.mapping(CommitmentsFile, fmt.Sprintf("not_measured[%d].", i), n)
		out = append(out, &NotMeasured{
			Section:  m.str("section", true),
			Text:     m.str("text", true),
			TextEn:   m.str("text_en", false),
			Reason:   m.str("reason", true),
			ReasonEn: m.str("reason_en", false),
		})
		m.done()
	}
	return out
}

// measures reads the list under key of an indicators file. With taken non-nil the file
// holds commitments: codes in taken are refused, and the commitment fields are read.
func (l *loader) measures(p *Pack, file, key string, taken map[string]bool) []*Indicator {
	commitments := taken != nil
	var out []*Indicator
	seen := map[string]int{}
	var also []string
	if commitments {
		also = []string{"not_measured"}
	}
	for i, n := range l.list(file, key, also...) {
		m := l.mapping(file, fmt.Sprintf("%s[%d].", key, i), n)
		ind := &Indicator{File: file, Goal: Goal{Kind: GoalValue}}
		ind.Code = m.str("code", true)
		m.pre = fmt.Sprintf("%s[%s].", key, ind.Code)
		l.measureWording(m, ind, commitments)
		l.measureRule(m, ind, commitments)
		l.measureGoals(p, m, ind, commitments)
		l.checkMeasure(p, m, ind)
		if ind.Code != "" {
			if prev := seen[ind.Code]; prev != 0 {
				l.add(file, m.line("code"), m.pre+"code", "%s already defined on line %d", ind.Code, prev)
			} else if taken[ind.Code] {
				l.add(file, m.line("code"), m.pre+"code", "%s is already an indicator in %s", ind.Code, IndicatorsFile)
			}
			seen[ind.Code] = m.line("code")
		}
		m.done()
		out = append(out, ind)
	}
	return out
}

// measureWording reads how the plan words an indicator or commitment: its names and
// group, and for a commitment the place in the plan and how it is measured.
func (l *loader) measureWording(m *mapping, ind *Indicator, commitments bool) {
	ind.Name = m.str("name", true)
	ind.NameEn = m.str("name_en", false)
	ind.Group = m.str("group", false)
	ind.GroupEn = m.str("group_en", false)
	if commitments {
		ind.Section = m.str("section", true)
		ind.Measure = m.str("measure", true)
		ind.MeasureEn = m.str("measure_en", false)
	}
}

// measureRule reads how an indicator or commitment is computed and judged: unit,
// decimals, direction, attribute (for a commitment: must), formula, levels and
// tolerance.
func (l *loader) measureRule(m *mapping, ind *Indicator, commitments bool) {
	ind.Unit = m.str("unit", true)
	m.decode("decimals", false, &ind.Decimals)
	ind.Direction = Direction(m.str("direction", true))
	if commitments {
		// The plan gives 约束性/预期性 to its 13 headline indicators only.
		if k, _ := m.get("attribute"); k != nil {
			l.add(m.file, k.Line, m.pre+"attribute", "the plan states 约束性/预期性 for its headline indicators only: write must: true for a commitment worded 确保 or 只增不减, else nothing")
		}
		m.decode("must", false, &ind.Must)
	} else {
		ind.Attribute = Attribute(m.str("attribute", true))
	}
	ind.Formula = m.str("formula", true)
	ind.FormulaLine = m.line("formula")
	m.decode("levels", false, &ind.Levels)
	if commitments {
		// Floors and ceilings (不低于, 以上, 以下) allow no margin unless the pack says why.
		ind.ToleranceReason = m.str("tolerance_reason", false)
		if k, _ := m.get("tolerance"); k != nil && ind.ToleranceReason == "" {
			l.add(m.file, k.Line, m.pre+"tolerance", "a commitment's tolerance needs tolerance_reason: the plan's 不低于/以上/以下 allow none")
		}
	} else {
		ind.Tolerance = DefaultTolerance(ind.Unit)
	}
	m.decode("tolerance", false, &ind.Tolerance)
}

// measureGoals reads where an indicator or commitment starts and where it is to be:
// the baseline (optional for a commitment), the target (a commitment's goal), and the
// baselines and targets of single orgs.
func (l *loader) measureGoals(p *Pack, m *mapping, ind *Indicator, commitments bool) {
	if commitments {
		if _, v := m.get("baseline"); v == nil {
			ind.NoBaseline = true
			ind.Baseline.Year = p.BaselineYear
		} else {
			l.point(m, "baseline", &ind.Baseline, p.BaselineYear)
		}
		l.goal(m, ind)
	} else {
		l.point(m, "baseline", &ind.Baseline, p.BaselineYear)
		l.point(m, "target", &ind.Target, p.TargetYear)
	}
	m.decode("org_baselines", false, &ind.OrgBaselines)
	m.decode("org_targets", false, &ind.OrgTargets)
}

// checkMeasure checks the values read of an indicator or commitment against the codes
// the pack allows, and sets the default levels (city and district).
func (l *loader) checkMeasure(p *Pack, m *mapping, ind *Indicator) {
	file := m.file
	if ind.Unit != "" && !slices.Contains(units, ind.Unit) {
		l.add(file, m.line("unit"), m.pre+"unit", "%q: expected one of %s", ind.Unit, strings.Join(units, ", "))
	}
	if ind.Direction != "" && !slices.Contains(directions, ind.Direction) {
		l.add(file, m.line("direction"), m.pre+"direction", "%q: expected up, down, hold or toward", ind.Direction)
	}
	if ind.Attribute != "" && ind.Attribute != Expected && ind.Attribute != Binding {
		l.add(file, m.line("attribute"), m.pre+"attribute", "%q: expected expected (预期性) or binding (约束性)", ind.Attribute)
	}
	if ind.Decimals < 0 || ind.Decimals > 6 {
		l.add(file, m.line("decimals"), m.pre+"decimals", "must be within 0..6")
	}
	if ind.Tolerance < 0 {
		l.add(file, m.line("tolerance"), m.pre+"tolerance", "must not be negative")
	}
	if len(ind.Levels) == 0 {
		ind.Levels = []string{LevelCity, LevelDistrict}
	}
	for _, lv := range ind.Levels {
		if !slices.Contains(levels, lv) {
			l.add(file, m.line("levels"), m.pre+"levels", "%q: expected city, district or institution", lv)
		}
	}
	for _, key := range []string{"org_baselines", "org_targets"} {
		var mm map[string]float64
		m.decode(key, false, &mm)
		for code := range mm {
			if !slices.ContainsFunc(p.Orgs, func(o *Org) bool { return o.Code == code }) {
				l.add(file, m.line(key), m.pre+key, "%s is not an org code", code)
			}
		}
	}
}

// goal reads a commitment's target: {year, value}, {year, min, max} or
// {year, relation[, of]}.
func (l *loader) goal(m *mapping, ind *Indicator) {
	const key = "target"
	k, v := m.get(key)
	if v == nil {
		l.add(m.file, m.node.Line, m.pre+key, "required field is missing")
		return
	}
	tm := l.mapping(m.file, m.pre+key+".", v)
	ind.targetLine = k.Line
	tm.decode("year", true, &ind.Target.Year)
	has := func(k string) bool { _, v := tm.get(k); return v != nil }
	hasValue, hasMin, hasMax, hasRel, hasAbout := has("value"), has("min"), has("max"), has("relation"), has("about")
	tm.decode("every_year", false, &ind.Goal.EveryYear)
	if ind.Goal.EveryYear && hasRel {
		l.add(m.file, tm.line("every_year"), m.pre+key+".every_year", "a relation is checked every year already")
	}
	forms := 0
	for _, b := range []bool{hasValue && !hasRel, hasMin || hasMax, hasRel, hasAbout} {
		if b {
			forms++
		}
	}
	switch {
	case forms != 1:
		l.add(m.file, k.Line, m.pre+key, "expected one of value, min and max, about and band, or relation")
	case hasAbout:
		// about: 3, band: 0.5 is 3左右 read as 2.5–3.5.
		ind.Goal.Kind = GoalRange
		tm.decode("about", true, &ind.Goal.About)
		if tm.decode("band", true, &ind.Goal.Band) && ind.Goal.Band <= 0 {
			l.add(m.file, tm.line("band"), m.pre+key+".band", "must be more than 0")
		}
		ind.Goal.Min, ind.Goal.Max = ind.Goal.About-ind.Goal.Band, ind.Goal.About+ind.Goal.Band
		ind.Target.Value = ind.Goal.Min
	case hasValue && !hasRel:
		tm.decode("value", true, &ind.Target.Value)
	case hasRel:
		ind.Goal.Kind = GoalRelation
		ind.Goal.Relation = Relation(tm.str("relation", true))
		ind.Goal.Of = tm.str("of", false)
		switch ind.Goal.Relation {
		case NonDecreasing:
			if hasValue {
				l.add(m.file, tm.line("value"), m.pre+key+".value", "non_decreasing compares a series with itself: no value")
			}
			if ind.Goal.Of != "" {
				l.add(m.file, tm.line("of"), m.pre+key+".of", "non_decreasing compares a series with itself: no of")
			}
		case AtLeast:
			switch {
			case hasValue && ind.Goal.Of != "":
				l.add(m.file, tm.line("of"), m.pre+key+".of", "at_least compares with another series (of) or a value, not both")
			case hasValue:
				ind.Goal.Floor = tm.decode("value", true, &ind.Target.Value)
			case ind.Goal.Of == "":
				l.add(m.file, tm.line("relation"), m.pre+key+".of", "at_least needs the code of the other series, or a value")
			case ind.Goal.Of == ind.Code:
				l.add(m.file, tm.line("of"), m.pre+key+".of", "a series is always at least itself")
			}
		case "":
		default:
			l.add(m.file, tm.line("relation"), m.pre+key+".relation", "%q: expected non_decreasing or at_least", ind.Goal.Relation)
		}
	default:
		ind.Goal.Kind = GoalRange
		okMin := tm.decode("min", true, &ind.Goal.Min)
		okMax := tm.decode("max", true, &ind.Goal.Max)
		if okMin && okMax && ind.Goal.Min > ind.Goal.Max {
			l.add(m.file, tm.line("max"), m.pre+key+".max", "%v is below min %v", ind.Goal.Max, ind.Goal.Min)
		}
		ind.Target.Value = ind.Goal.Min
	}
	tm.done()
	if ind.Target.Year != 0 && (ind.Target.Year <= ind.Baseline.Year) {
		l.add(m.file, tm.line("year"), m.pre+key+".year", "%d is not after the baseline year %d", ind.Target.Year, ind.Baseline.Year)
	}
}

func (l *loader) point(m *mapping, key string, pt *Point, year int) {
	k, v := m.get(key)
	if v == nil {
		l.add(m.file, m.node.Line, m.pre+key, "required field is missing")
		return
	}
	pm := l.mapping(m.file, m.pre+key+".", v)
	pm.decode("year", true, &pt.Year)
	pm.decode("value", true, &pt.Value)
	pm.done()
	if year != 0 && pt.Year != 0 && pt.Year != year {
		l.add(m.file, k.Line, m.pre+key+".year", "%d differs from the pack's %s_year %d", pt.Year, key, year)
	}
}

// IndicatorsFile is where indicators are defined in a pack, for messages about formulas.
const IndicatorsFile = "indicators.yaml"

// CommitmentsFile is the optional file of a pack that holds its commitments.
const CommitmentsFile = "commitments.yaml"
