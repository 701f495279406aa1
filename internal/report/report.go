// Package report lays out the evaluation report of a review (评估报告) — title page,
// contents, 总体情况, the headline indicators with their trend charts, the commitments by
// the plan's chapter, the key projects, the main tasks, the districts ranked with those
// that held the city back, the data sources and the methods — and writes it as an
// editable Word document (DOCX) or a print-ready HTML page, in Chinese or English.
//
// It reads an edition's content (edition.Build for the live figures of a draft) and the
// plan pack; cmd and web call it. Its Report and writers are also the document of a
// supervision round's report (督导报告), which supervision lays out in its blocks.
package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yantai-edu/eduplan/internal/docx"
	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/store"
)

// Options say which report to write.
type Options struct {
	// Lang is zh (the default) or en.
	Lang string
	// Edition is the edition the content is; nil for the live figures, a draft (草稿)
	// marked as such on every page.
	Edition *store.EditionHeader
	// Generated is when the report is written.
	Generated time.Time
}

// BlockKind is what a block of the report is.
type BlockKind int

// Kinds of block.
const (
	Paragraph BlockKind = iota
	Heading
	TableBlock
	Chart
	PageBreak
	Contents
)

// Block is one block of the report, in order.
type Block struct {
	Kind BlockKind
	// Level is a heading's level (1–3).
	Level int
	// Style is a paragraph's style: "" (body), Title, Subtitle, Caption or Note.
	Style string
	Text  string
	Table docx.Table
	// PNG is a chart's image.
	PNG []byte
}

// Report is the laid-out report.
type Report struct {
	Lang  string
	Title string
	// Mark is what every page says at its top: 草稿 for live figures, else the edition.
	Mark string
	// Draft is true for live figures.
	Draft bool
	// Generated is when the report says it was written: Options.Generated.
	Generated time.Time
	Blocks    []Block
}

// builder collects blocks in one language.
type builder struct {
	r    *Report
	en   bool
	lang string
	pack *plan.Pack
	c    *edition.Content
	figN int
}

// pick returns one of the data's paired texts (a name and its NameEn, a status's
// Label and LabelEn) in the report's language; the report's own words are in the
// locale catalogue.
func (b *builder) pick(zh, en string) string { return locale.Text{Zh: zh, En: en}.In(b.lang) }

func (b *builder) heading(level int, text string) {
	b.r.Blocks = append(b.r.Blocks, Block{Kind: Heading, Level: level, Text: text})
}

func (b *builder) para(style, text string) {
	b.r.Blocks = append(b.r.Blocks, Block{Kind: Paragraph, Style: style, Text: text})
}

func (b *builder) table(t docx.Table) {
	b.r.Blocks = append(b.r.Blocks, Block{Kind: TableBlock, Table: t})
}

func (b *builder) chart(png []byte, caption string) {
	b.figN++
	b.r.Blocks = append(b.r.Blocks, Block{Kind: Chart, PNG: png},
		Block{Kind: Paragraph, Style: "Caption", Text: fmt.Sprintf("%s %d  %s", locale.T(b.lang, "report_figure"), b.figN, caption)})
}

// Build lays out the report of the review in c.
func Build(pack *plan.Pack, c *edition.Content, opt Options) *Report {
	b := &builder{r: &Report{Lang: opt.Lang, Generated: opt.Generated}, en: opt.Lang == locale.En, lang: opt.Lang, pack: pack, c: c}
	b.titlePage(opt)
	b.summary()
	b.indicators()
	b.commitments()
	b.projects()
	b.tasks()
	b.districts()
	b.sources()
	b.methods()
	return b.r
}

func (b *builder) titlePage(opt Options) {
	c := b.c
	zh, en := edition.KindLabel(c.Kind)
	kind := b.pick(zh, en)
	b.r.Title = c.Title
	if b.en || c.Title == "" {
		b.r.Title = locale.F(b.lang, "report_title", b.pick(c.PlanName, c.PlanNameEn), kind)
	}
	b.para("Title", b.r.Title)
	b.para("Subtitle", locale.F(b.lang, "report_subtitle_as_of", c.AsOf))
	if opt.Edition == nil {
		b.r.Draft = true
		b.r.Mark = locale.T(b.lang, "report_draft_mark")
		b.para("Subtitle", locale.T(b.lang, "report_draft"))
		b.para("Note", locale.T(b.lang, "report_draft_note"))
	} else {
		h := opt.Edition
		state := locale.T(b.lang, "report_not_published")
		if h.PublishedAt != nil {
			state = locale.F(b.lang, "report_published_on", h.PublishedAt.In(chinaTime).Format("2006-01-02"))
		}
		b.r.Mark = locale.F(b.lang, "report_edition_mark", h.Number, state, h.SHA256[:12])
		b.para("Subtitle", locale.F(b.lang, "report_edition_subtitle", h.Number, state))
		b.para("Note", "SHA-256 "+h.SHA256)
	}
	b.para("Note", locale.F(b.lang, "report_written", c.Plan, c.PackVersion, opt.Generated.In(chinaTime).Format("2006-01-02 15:04")))
	b.r.Blocks = append(b.r.Blocks, Block{Kind: PageBreak}, Block{Kind: Contents, Text: locale.T(b.lang, "report_contents")}, Block{Kind: PageBreak})
}

var chinaTime = time.FixedZone("CST", 8*3600)

// outcome is how the report counts an item: achieved, not achieved or no data. In the
// final review that is its verdict; in a mid-term review, its status (a target due
// later is not achieved yet, which is no failure).
type outcome int

const (
	achieved outcome = iota
	notAchieved
	noData
)

func outcomeOf(it progress.ReviewItem) outcome {
	switch {
	case it.City.Status == progress.Achieved:
		return achieved
	case it.City.Status == progress.NoData:
		return noData
	}
	return notAchieved
}

// conclusion is the 结论 of an item: the verdict in the final review, the status
// (快于预期, 滞后 …) in a mid-term one.
func (b *builder) conclusion(it progress.ReviewItem) string {
	if b.c.Kind == edition.Midterm || it.Verdict == progress.NotDue {
		return b.pick(it.City.Label(), it.City.LabelEn())
	}
	return b.pick(it.Verdict.Label(), it.Verdict.LabelEn())
}

func (b *builder) items(kind string) []progress.ReviewItem {
	var out []progress.ReviewItem
	for _, it := range b.c.Review.Items {
		if it.Kind == kind {
			out = append(out, it)
		}
	}
	return out
}

func (b *builder) summary() {
	b.heading(1, locale.T(b.lang, "report_h_overview"))
	inds, comms := b.items("indicator"), b.items("commitment")
	count := func(items []progress.ReviewItem) (n [3]int, risk []string) {
		for _, it := range items {
			n[outcomeOf(it)]++
			if it.City.AtRisk {
				risk = append(risk, b.pick(it.Name, it.NameEn))
			}
		}
		return n, risk
	}
	ni, risk := count(inds)
	nc, crisk := count(comms)
	zh, en := edition.KindLabel(b.c.Kind)
	kind := zh
	if b.en {
		kind = strings.ToLower(en)
	}
	b.para("", locale.F(b.lang, "report_summary", b.pick(b.c.PlanName, b.c.PlanNameEn), kind, b.c.AsOf,
		len(inds), len(comms), len(b.c.Projects), len(b.c.Tasks)))
	b.para("", locale.F(b.lang, "report_indicator_counts", ni[0], ni[1], ni[2]))
	if len(risk) > 0 {
		b.para("", locale.F(b.lang, "report_binding_at_risk", len(risk), strings.Join(risk, locale.T(b.lang, "report_list_semicolon"))))
	} else {
		b.para("", locale.T(b.lang, "report_no_binding_at_risk"))
	}
	b.para("", locale.F(b.lang, "report_commitment_counts", nc[0], nc[1], nc[2], len(crisk)))
	b.table(docx.Table{
		Header: []string{locale.T(b.lang, "report_col_items"), locale.T(b.lang, "report_col_count"), locale.T(b.lang, "report_col_achieved"), locale.T(b.lang, "report_col_not_achieved"),
			locale.T(b.lang, "report_col_no_data"), locale.T(b.lang, "report_col_binding_at_risk")},
		Rows: [][]string{
			{locale.T(b.lang, "report_row_indicators"), strconv.Itoa(len(inds)), strconv.Itoa(ni[0]), strconv.Itoa(ni[1]), strconv.Itoa(ni[2]), strconv.Itoa(len(risk))},
			{locale.T(b.lang, "report_row_commitments"), strconv.Itoa(len(comms)), strconv.Itoa(nc[0]), strconv.Itoa(nc[1]), strconv.Itoa(nc[2]), strconv.Itoa(len(crisk))},
		},
		Right:  []bool{false, true, true, true, true, true},
		Widths: []int{3, 1, 1, 1, 1, 1},
	})
}

// num writes a number at the measure's precision, "—" when there is none.
func (b *builder) num(code string, n progress.Number) string {
	if !n.OK {
		return "—"
	}
	dec := 2
	if m := b.pack.Measure(code); m != nil {
		dec = m.Decimals
	}
	return strconv.FormatFloat(n.V+0, 'f', dec, 64)
}

func pct(n progress.Number) string {
	if !n.OK {
		return "—"
	}
	return strconv.FormatFloat(100*n.V, 'f', 0, 64) + "%"
}

func (b *builder) latest(code string, r progress.CommitmentRow) string {
	if !r.Latest.OK {
		return "—"
	}
	return fmt.Sprintf("%s (%d)", b.num(code, r.Latest), r.LatestYear)
}

// target writes a row's target: the value, the range or the relation, and its year.
func (b *builder) target(code string, r progress.CommitmentRow) string {
	switch r.Kind {
	case plan.GoalRange:
		return fmt.Sprintf("%s–%s (%d)", b.num(code, r.Min), b.num(code, r.Max), r.TargetYear)
	case plan.GoalRelation:
		if r.Relation == plan.NonDecreasing {
			return locale.F(b.lang, "report_non_decreasing", r.TargetYear)
		}
		of := r.Of
		if m := b.pack.Measure(r.Of); m != nil {
			of = b.pick(m.Name, m.NameEn)
		} else if m := b.pack.Measure(code); m != nil && m.Goal.Floor {
			of = b.num(code, progress.Number{V: m.Target.Value, OK: true})
		}
		return locale.F(b.lang, "report_at_least", of, r.TargetYear)
	}
	return fmt.Sprintf("%s (%d)", b.num(code, r.Target), r.TargetYear)
}

func (b *builder) indicators() {
	b.heading(1, locale.T(b.lang, "report_h_indicators"))
	b.para("", locale.F(b.lang, "report_indicators_intro", len(b.items("indicator"))))
	t := docx.Table{
		Header: []string{locale.T(b.lang, "report_col_no"), locale.T(b.lang, "report_col_indicator"), locale.T(b.lang, "report_col_unit"), locale.T(b.lang, "report_col_attribute"), locale.T(b.lang, "report_col_baseline"),
			locale.T(b.lang, "report_col_target_value"), locale.T(b.lang, "report_col_actual"), locale.T(b.lang, "report_col_completion"), locale.T(b.lang, "report_col_time_elapsed"), locale.T(b.lang, "report_col_conclusion")},
		Right:  []bool{true, false, false, false, true, true, true, true, true, false},
		Widths: []int{2, 8, 2, 3, 3, 4, 4, 3, 3, 4},
	}
	for i, it := range b.items("indicator") {
		r := it.City
		attr := ""
		if m := b.pack.Measure(it.Code); m != nil {
			attr = b.pick(m.Attribute.Label(), string(m.Attribute))
		}
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), b.pick(it.Name, it.NameEn), it.Unit, attr, b.num(it.Code, r.Baseline),
			b.target(it.Code, r), b.latest(it.Code, r), pct(r.Completion), pct(r.TimeElapsed), b.conclusion(it)})
	}
	b.table(t)
	b.heading(2, locale.T(b.lang, "report_h_trends"))
	b.para("Note", locale.T(b.lang, "report_trends_note"))
	for _, it := range b.items("indicator") {
		b.trend(it)
	}
}

// trend charts an indicator's city values from the baseline year to the review's year.
func (b *builder) trend(it progress.ReviewItem) {
	var pts []point
	var vs []float64
	first := 0
	for y := b.pack.BaselineYear; y <= b.c.AsOf; y++ {
		f, ok := b.c.Figure(it.Code, b.pack.Tenant, y)
		p := point{year: y, v: f.Value.V, ok: ok && f.Value.OK}
		if p.ok {
			vs = append(vs, p.v)
			if first == 0 {
				first = y
			}
		}
		pts = append(pts, p)
	}
	r := it.City
	if r.Baseline.OK {
		vs = append(vs, r.Baseline.V)
	}
	if r.Target.OK && r.Kind == plan.GoalValue {
		vs = append(vs, r.Target.V)
	}
	s := niceScale(vs...)
	png := trendChart(pts, r.Baseline.V, r.Target.V, r.Baseline.OK, r.Target.OK && r.Kind == plan.GoalValue, s)
	unit := it.Unit
	lo, hi := b.num(it.Code, progress.Number{V: s.lo, OK: true}), b.num(it.Code, progress.Number{V: s.hi, OK: true})
	caption := locale.F(b.lang, "report_trend_caption", b.pick(it.Name, it.NameEn), unit, b.pack.BaselineYear, b.c.AsOf, r.TargetYear, b.num(it.Code, r.Target), lo, hi)
	if first == 0 {
		caption = locale.F(b.lang, "report_no_data_yet", caption)
	}
	b.chart(png, caption)
}

// chapterOf is the heading of the chapter a commitment's section lies in: 二、(二)8 →
// 二、(二) and the chapter's name from the tasks there; 重点工程N → the key project.
func (b *builder) chapterOf(section string) (key, title string) {
	if n, ok := strings.CutPrefix(section, "重点工程"); ok {
		num, _ := strconv.Atoi(n)
		for _, p := range b.pack.Projects {
			if p.Number == num {
				return section, locale.F(b.lang, "report_project_chapter", n, b.pick(p.Name, p.NameEn))
			}
		}
		return section, section
	}
	key = section
	if i := strings.Index(section, ")"); i >= 0 {
		key = section[:i+1]
	}
	for _, t := range b.pack.Tasks {
		if strings.HasPrefix(t.Section, key) {
			return key, key + " " + b.pick(t.Chapter, t.ChapterEn)
		}
	}
	return key, key
}

func (b *builder) commitments() {
	b.heading(1, locale.T(b.lang, "report_h_commitments"))
	comms := b.items("commitment")
	b.para("", locale.F(b.lang, "report_commitments_intro", len(comms)))
	var keys []string
	groups := map[string][]progress.ReviewItem{}
	titles := map[string]string{}
	for _, it := range comms {
		k, title := b.chapterOf(it.Section)
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], it)
		titles[k] = title
	}
	slices.SortStableFunc(keys, func(x, y string) int { return sectionOrder(x) - sectionOrder(y) })
	for _, k := range keys {
		b.heading(2, titles[k])
		t := docx.Table{
			Header: []string{locale.T(b.lang, "report_col_commitment"), locale.T(b.lang, "report_col_unit"), locale.T(b.lang, "report_col_baseline"), locale.T(b.lang, "report_col_target"),
				locale.T(b.lang, "report_col_actual"), locale.T(b.lang, "report_col_conclusion")},
			Right:  []bool{false, false, true, true, true, false},
			Widths: []int{9, 3, 4, 6, 5, 4},
		}
		for _, it := range groups[k] {
			t.Rows = append(t.Rows, []string{b.pick(it.Name, it.NameEn), it.Unit, b.num(it.Code, it.City.Baseline), b.target(it.Code, it.City),
				b.latest(it.Code, it.City), b.conclusion(it)})
		}
		b.table(t)
	}
}

// sectionOrder orders the plan's chapters as the plan does: 一、(一) before 一、(二)
// before 二、(一) …, the key projects after them by number.
func sectionOrder(key string) int {
	numeral := func(s string) int { return strings.Index("一二三四五六七八九十", s)/3 + 1 }
	if n, ok := strings.CutPrefix(key, "重点工程"); ok {
		i, _ := strconv.Atoi(n)
		return 10000 + i
	}
	part, chapter, _ := strings.Cut(key, "、")
	order := numeral(part) * 100
	if r := []rune(strings.Trim(chapter, "()（）")); len(r) > 0 {
		order += numeral(string(r[0]))
	}
	return order
}

func (b *builder) projects() {
	b.heading(1, locale.T(b.lang, "report_h_projects"))
	counts := map[progress.Status]int{}
	for _, p := range b.c.Projects {
		counts[p.Status]++
	}
	b.para("", locale.F(b.lang, "report_projects_intro", len(b.c.Projects)))
	t := docx.Table{
		Header: []string{locale.T(b.lang, "report_col_no"), locale.T(b.lang, "report_col_project"), locale.T(b.lang, "report_col_lead"), locale.T(b.lang, "report_col_target"),
			locale.T(b.lang, "report_col_actual"), locale.T(b.lang, "report_col_project_target_value"), locale.T(b.lang, "report_col_progress")},
		Right:  []bool{true, false, false, false, true, true, false},
		Widths: []int{2, 7, 5, 8, 4, 4, 4},
	}
	for _, p := range b.c.Projects {
		name := b.pick(p.Name, p.NameEn) + "\n" + locale.F(b.lang, "report_project_status", b.pick(p.StatusLabel, p.StatusLabelEn))
		lead := b.pick(p.Lead.Name, p.Lead.NameEn)
		if len(p.Targets) == 0 {
			t.Rows = append(t.Rows, []string{strconv.Itoa(p.Number), name, lead, locale.T(b.lang, "report_no_quantified_target"), "", "", b.pick(p.StatusLabel, p.StatusLabelEn)})
		}
		for i, tg := range p.Targets {
			no, nm, ld := "", "", ""
			if i == 0 {
				no, nm, ld = strconv.Itoa(p.Number), name, lead
			}
			f := func(n progress.Number) string {
				if !n.OK {
					return "—"
				}
				return strconv.FormatFloat(n.V+0, 'f', tg.Decimals, 64)
			}
			latest := f(tg.Latest)
			if tg.Latest.OK {
				latest += fmt.Sprintf(" (%d)", tg.LatestYear)
			}
			target := f(tg.Target)
			if tg.Kind == plan.GoalRange {
				target = f(tg.Min) + "–" + f(tg.Max)
			}
			t.Rows = append(t.Rows, []string{no, nm, ld, b.pick(tg.Name, tg.NameEn), latest, target, b.pick(tg.StatusLabel, tg.StatusLabelEn)})
		}
	}
	b.table(t)
}

func (b *builder) tasks() {
	b.heading(1, locale.T(b.lang, "report_h_tasks"))
	counts := map[plan.TaskStatus]int{}
	for _, t := range b.c.Tasks {
		counts[t.Status]++
	}
	var parts []string
	for _, st := range []plan.TaskStatus{plan.TaskDone, plan.TaskInProgress, plan.TaskDelayed, plan.TaskNotStarted} {
		parts = append(parts, locale.F(b.lang, "report_task_count", b.pick(st.Label(), st.LabelEn()), counts[st]))
	}
	b.para("", locale.F(b.lang, "report_tasks_intro", len(b.c.Tasks), strings.Join(parts, locale.T(b.lang, "report_status_sep"))))
	t := docx.Table{
		Header: []string{locale.T(b.lang, "report_col_no"), locale.T(b.lang, "report_col_task"), locale.T(b.lang, "report_col_lead"), locale.T(b.lang, "report_col_milestones"), locale.T(b.lang, "report_col_status")},
		Right:  []bool{true, false, false, true, false},
		Widths: []int{2, 12, 5, 3, 3},
	}
	for _, tk := range b.c.Tasks {
		t.Rows = append(t.Rows, []string{strconv.Itoa(tk.Number), b.pick(tk.Title, tk.TitleEn), b.pick(tk.Lead.Name, tk.Lead.NameEn),
			fmt.Sprintf("%d/%d", tk.MilestonesDone, len(tk.Milestones)), b.pick(tk.StatusLabel, tk.StatusLabelEn)})
	}
	b.table(t)
}

func (b *builder) districts() {
	b.heading(1, locale.T(b.lang, "report_h_districts"))
	cards := slices.Clone(b.c.Districts)
	slices.SortStableFunc(cards, func(x, y progress.Scorecard) int { return x.Rank - y.Rank })
	b.para("", locale.T(b.lang, "report_scores_note"))
	t := docx.Table{
		Header: []string{locale.T(b.lang, "report_col_rank"), locale.T(b.lang, "report_col_district"), locale.T(b.lang, "report_col_score"), locale.T(b.lang, "report_col_achieved"), locale.T(b.lang, "report_col_ahead"),
			locale.T(b.lang, "report_col_on_track"), locale.T(b.lang, "report_col_lagging"), locale.T(b.lang, "report_col_regressing"), locale.T(b.lang, "report_col_binding_at_risk")},
		Right:  []bool{true, false, true, true, true, true, true, true, true},
		Widths: []int{2, 5, 3, 3, 3, 3, 3, 3, 3},
	}
	var scores []float64
	var order []string
	for _, d := range cards {
		n := func(s progress.Status) string { return strconv.Itoa(d.Counts[s]) }
		t.Rows = append(t.Rows, []string{strconv.Itoa(d.Rank), b.c.OrgName(d.Org, b.en), pct(d.Score), n(progress.Achieved), n(progress.Ahead),
			n(progress.OnTrack), n(progress.Lagging), n(progress.Regressing), strconv.Itoa(d.AtRisk)})
		scores = append(scores, d.Score.V)
		order = append(order, fmt.Sprintf("%s %s", b.c.OrgName(d.Org, b.en), pct(d.Score)))
	}
	b.table(t)
	if len(cards) > 0 {
		b.chart(barChart(scores, 0.5), locale.F(b.lang, "report_scores_caption", strings.Join(order, locale.T(b.lang, "report_list_comma"))))
	}
	b.heading(2, locale.T(b.lang, "report_h_held_back"))
	times := map[string]int{}
	t = docx.Table{
		Header: []string{locale.T(b.lang, "report_col_indicator"), locale.T(b.lang, "report_col_district"), locale.T(b.lang, "report_col_actual"), locale.T(b.lang, "report_col_target_value"),
			locale.T(b.lang, "report_col_gap"), locale.T(b.lang, "report_col_gap_share")},
		Right:  []bool{false, false, true, true, true, true},
		Widths: []int{7, 4, 4, 4, 3, 3},
	}
	for _, it := range b.c.Review.Items {
		for _, d := range it.HeldBack {
			times[d.Row.Org]++
		}
		if it.Kind != "indicator" {
			continue
		}
		for i, d := range it.HeldBack {
			name := ""
			if i == 0 {
				name = b.pick(it.Name, it.NameEn)
			}
			t.Rows = append(t.Rows, []string{name, b.c.OrgName(d.Row.Org, b.en), b.latest(it.Code, d.Row), b.target(it.Code, d.Row),
				b.num(it.Code, d.Gap.Gap), pct(d.Share)})
		}
	}
	var who []string
	for _, o := range b.c.Orgs {
		if times[o.Code] > 0 {
			who = append(who, o.Code)
		}
	}
	slices.SortStableFunc(who, func(x, y string) int { return times[y] - times[x] })
	var named []string
	for _, o := range who {
		named = append(named, locale.F(b.lang, "report_org_count", b.c.OrgName(o, b.en), times[o]))
	}
	if len(named) > 0 {
		b.para("", locale.F(b.lang, "report_held_back_by_count", strings.Join(named, locale.T(b.lang, "report_list_comma"))))
	} else {
		b.para("", locale.T(b.lang, "report_none_held_back"))
	}
	b.para("", locale.T(b.lang, "report_held_back_note"))
	if len(t.Rows) > 0 {
		b.table(t)
	}
}

func (b *builder) sources() {
	b.heading(1, locale.T(b.lang, "report_h_sources"))
	b.para("", locale.F(b.lang, "report_sources_intro", len(b.c.Figures), len(b.c.Batches)))
	t := docx.Table{
		Header: []string{locale.T(b.lang, "report_col_batch"), locale.T(b.lang, "report_col_kind"), locale.T(b.lang, "report_col_file"), locale.T(b.lang, "report_col_rows"), locale.T(b.lang, "report_col_years"),
			locale.T(b.lang, "report_col_imported"), "SHA-256"},
		Right:  []bool{true, false, false, true, false, false, false},
		Widths: []int{2, 3, 6, 2, 4, 3, 4},
	}
	for _, bt := range b.c.Batches {
		ys := make([]string, len(bt.Years))
		for i, y := range bt.Years {
			ys[i] = strconv.Itoa(y)
		}
		years := strings.Join(ys, ", ")
		if len(ys) > 3 {
			years = ys[0] + "–" + ys[len(ys)-1]
		}
		t.Rows = append(t.Rows, []string{strconv.FormatInt(bt.ID, 10), bt.Kind, bt.File, strconv.Itoa(bt.Rows), years,
			bt.ImportedAt.In(chinaTime).Format("2006-01-02"), bt.SHA256[:min(12, len(bt.SHA256))]})
	}
	b.table(t)
}

func (b *builder) methods() {
	b.heading(1, locale.T(b.lang, "report_h_methods"))
	b.para("", locale.T(b.lang, "report_method_1"))
	b.para("", locale.T(b.lang, "report_method_2"))
	b.para("", locale.F(b.lang, "report_method_3", b.pack.Delta))
	b.para("", locale.T(b.lang, "report_method_4"))
	b.para("", locale.T(b.lang, "report_method_5"))
	b.para("", locale.T(b.lang, "report_method_6"))
}
