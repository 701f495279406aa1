// Package report lays out the evaluation report of a review (评估报告) — title page,
// contents, 总体情况, the headline indicators with their trend charts, the commitments by
// the plan's chapter, the key projects, the main tasks, the districts ranked with those
// that held the city back, the data sources and the methods — and writes it as an
// editable Word document (DOCX) or a print-ready HTML page, in Chinese or English.
//
// It reads an edition's content (edition.Build for the live figures of a draft) and the
// plan pack; cmd and web call it.
package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yantai-edu/eduplan/internal/docx"
	"github.com/yantai-edu/eduplan/internal/edition"
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
	Draft  bool
	Blocks []Block
}

// builder collects blocks in one language.
type builder struct {
	r    *Report
	en   bool
	pack *plan.Pack
	c    *edition.Content
	figN int
}

func (b *builder) tr(zh, en string) string {
	if b.en && en != "" {
		return en
	}
	return zh
}

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
		Block{Kind: Paragraph, Style: "Caption", Text: fmt.Sprintf("%s %d  %s", b.tr("图", "Figure"), b.figN, caption)})
}

// Build lays out the report of the review in c.
func Build(pack *plan.Pack, c *edition.Content, opt Options) *Report {
	b := &builder{r: &Report{Lang: opt.Lang}, en: opt.Lang == "en", pack: pack, c: c}
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
	kind := b.tr(zh, en)
	b.r.Title = c.Title
	if b.en || c.Title == "" {
		b.r.Title = b.tr(c.PlanName, c.PlanNameEn) + b.tr("", ": ") + kind + b.tr("报告", " report")
	}
	b.para("Title", b.r.Title)
	b.para("Subtitle", fmt.Sprintf(b.tr("（依据截至 %d 年的数据）", "(on the data up to %d)"), c.AsOf))
	if opt.Edition == nil {
		b.r.Draft = true
		b.r.Mark = b.tr("草稿 · 实时数据，未冻结，不是正式发布的评估结果", "DRAFT · live figures, not frozen, not the published review")
		b.para("Subtitle", b.tr("草稿", "DRAFT"))
		b.para("Note", b.tr("本稿依据生成时数据库中的实时数据，此后导入的数据会改变其中数字；正式报送请以已发布的版本为准。",
			"This draft shows the live figures at the time it was written; data imported later will change them. Hand in a published edition."))
	} else {
		h := opt.Edition
		state := b.tr("未发布", "not published")
		if h.PublishedAt != nil {
			state = b.tr("发布于 ", "published on ") + h.PublishedAt.In(chinaTime).Format("2006-01-02")
		}
		b.r.Mark = fmt.Sprintf(b.tr("版本 %d · %s · SHA-256 %s", "Edition %d · %s · SHA-256 %s"), h.Number, state, h.SHA256[:12])
		b.para("Subtitle", fmt.Sprintf(b.tr("版本 %d（%s）", "Edition %d (%s)"), h.Number, state))
		b.para("Note", "SHA-256 "+h.SHA256)
	}
	b.para("Note", fmt.Sprintf(b.tr("规划包 %s，版本 %s；报告生成于 %s。", "Plan pack %s, version %s; report written on %s."),
		c.Plan, c.PackVersion, opt.Generated.In(chinaTime).Format("2006-01-02 15:04")))
	b.r.Blocks = append(b.r.Blocks, Block{Kind: PageBreak}, Block{Kind: Contents, Text: b.tr("目录", "Contents")}, Block{Kind: PageBreak})
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
		return b.tr(it.City.Label(), it.City.LabelEn())
	}
	return b.tr(it.Verdict.Label(), it.Verdict.LabelEn())
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
	b.heading(1, b.tr("一、总体情况", "1. Overview"))
	inds, comms := b.items("indicator"), b.items("commitment")
	count := func(items []progress.ReviewItem) (n [3]int, risk []string) {
		for _, it := range items {
			n[outcomeOf(it)]++
			if it.City.AtRisk {
				risk = append(risk, b.tr(it.Name, it.NameEn))
			}
		}
		return n, risk
	}
	ni, risk := count(inds)
	nc, crisk := count(comms)
	zh, en := edition.KindLabel(b.c.Kind)
	if b.en {
		b.para("", fmt.Sprintf("This is the %s of the %s, on the data up to %d: the %d headline indicators and %d quantified commitments of the plan, its %d key projects and %d main tasks, and the districts.",
			strings.ToLower(en), b.c.PlanNameEn, b.c.AsOf, len(inds), len(comms), len(b.c.Projects), len(b.c.Tasks)))
	} else {
		b.para("", fmt.Sprintf("本报告为%s%s，依据截至 %d 年的数据，评估规划确定的 %d 项主要指标和 %d 项量化承诺事项的完成情况、%d 项重点工程和 %d 项主要任务的进展，以及各区县市的情况。",
			b.c.PlanName, zh, b.c.AsOf, len(inds), len(comms), len(b.c.Projects), len(b.c.Tasks)))
	}
	b.para("", fmt.Sprintf(b.tr("主要指标：已实现 %d 项，未实现 %d 项，无数据 %d 项。", "Headline indicators: %d achieved, %d not achieved, %d without data."), ni[0], ni[1], ni[2]))
	if len(risk) > 0 {
		b.para("", fmt.Sprintf(b.tr("约束性指标预警 %d 项：%s。", "%d binding indicators at risk: %s."), len(risk), strings.Join(risk, b.tr("、", "; "))))
	} else {
		b.para("", b.tr("约束性指标均无预警。", "No binding indicator is at risk."))
	}
	b.para("", fmt.Sprintf(b.tr("承诺事项：已实现 %d 项，未实现 %d 项，无数据 %d 项；其中约束性事项预警 %d 项。",
		"Commitments: %d achieved, %d not achieved, %d without data; %d binding ones at risk."), nc[0], nc[1], nc[2], len(crisk)))
	b.table(docx.Table{
		Header: []string{b.tr("类别", "Items"), b.tr("项数", "Count"), b.tr("已实现", "Achieved"), b.tr("未实现", "Not achieved"),
			b.tr("无数据", "No data"), b.tr("约束性预警", "Binding at risk")},
		Rows: [][]string{
			{b.tr("主要指标", "Headline indicators"), strconv.Itoa(len(inds)), strconv.Itoa(ni[0]), strconv.Itoa(ni[1]), strconv.Itoa(ni[2]), strconv.Itoa(len(risk))},
			{b.tr("承诺事项", "Commitments"), strconv.Itoa(len(comms)), strconv.Itoa(nc[0]), strconv.Itoa(nc[1]), strconv.Itoa(nc[2]), strconv.Itoa(len(crisk))},
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
			return b.tr("只增不减", "non-decreasing") + fmt.Sprintf(" (%d)", r.TargetYear)
		}
		of := r.Of
		if m := b.pack.Measure(r.Of); m != nil {
			of = b.tr(m.Name, m.NameEn)
		} else if m := b.pack.Measure(code); m != nil && m.Goal.Floor {
			of = b.num(code, progress.Number{V: m.Target.Value, OK: true})
		}
		return b.tr("不低于", "at least ") + of + fmt.Sprintf(" (%d)", r.TargetYear)
	}
	return fmt.Sprintf("%s (%d)", b.num(code, r.Target), r.TargetYear)
}

func (b *builder) indicators() {
	b.heading(1, b.tr("二、主要指标完成情况", "2. Headline indicators"))
	b.para("", fmt.Sprintf(b.tr("下表列出规划确定的 %d 项主要指标在全市的基期值、目标值和实际值（括号内为数据年份），完成进度为实际变化占目标要求变化的比例，时间进度为规划期已过去的比例。",
		"The table gives each of the plan's %d headline indicators at the city: baseline, target and latest value (its year in brackets); completion is the change achieved as a share of the change the target asks for, time elapsed the share of the plan period gone."),
		len(b.items("indicator"))))
	t := docx.Table{
		Header: []string{b.tr("序号", "No."), b.tr("指标", "Indicator"), b.tr("单位", "Unit"), b.tr("属性", "Type"), b.tr("基期值", "Baseline"),
			b.tr("目标值", "Target"), b.tr("实际值", "Actual"), b.tr("完成进度", "Done"), b.tr("时间进度", "Time"), b.tr("结论", "Conclusion")},
		Right:  []bool{true, false, false, false, true, true, true, true, true, false},
		Widths: []int{2, 8, 2, 3, 3, 4, 4, 3, 3, 4},
	}
	for i, it := range b.items("indicator") {
		r := it.City
		attr := ""
		if m := b.pack.Measure(it.Code); m != nil {
			attr = b.tr(m.Attribute.Label(), string(m.Attribute))
		}
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), b.tr(it.Name, it.NameEn), it.Unit, attr, b.num(it.Code, r.Baseline),
			b.target(it.Code, r), b.latest(it.Code, r), pct(r.Completion), pct(r.TimeElapsed), b.conclusion(it)})
	}
	b.table(t)
	b.heading(2, b.tr("主要指标变化趋势", "Trends of the headline indicators"))
	b.para("Note", b.tr("各图中蓝色折线为全市各年实际值，灰色圆点为基期值，红色虚线为目标值；横轴为年份，纵轴范围见图题。",
		"In each figure the blue line is the city's value year by year, the grey dot the baseline and the red dashed line the target; years run left to right, and the caption gives the vertical scale."))
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
	caption := fmt.Sprintf(b.tr("%s（%s）：%d—%d 年全市实际值与 %d 年目标值 %s；纵轴 %s—%s",
		"%s (%s): the city's values %d–%d against the %d target %s; vertical scale %s–%s"),
		b.tr(it.Name, it.NameEn), unit, b.pack.BaselineYear, b.c.AsOf, r.TargetYear, b.num(it.Code, r.Target), lo, hi)
	if first == 0 {
		caption += b.tr("（尚无数据）", " (no data yet)")
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
				return section, b.tr("重点工程", "Key project ") + n + b.tr("：", ": ") + b.tr(p.Name, p.NameEn)
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
			return key, key + " " + b.tr(t.Chapter, t.ChapterEn)
		}
	}
	return key, key
}

func (b *builder) commitments() {
	b.heading(1, b.tr("三、承诺事项完成情况", "3. Commitments"))
	comms := b.items("commitment")
	b.para("", fmt.Sprintf(b.tr("规划正文和重点工程中另有 %d 项量化承诺事项，按其在规划中的章节列示如下。",
		"The plan's text and key projects make %d further quantified commitments, listed by the chapter that makes them."), len(comms)))
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
			Header: []string{b.tr("事项", "Commitment"), b.tr("单位", "Unit"), b.tr("基期值", "Baseline"), b.tr("目标", "Target"),
				b.tr("实际值", "Actual"), b.tr("结论", "Conclusion")},
			Right:  []bool{false, false, true, true, true, false},
			Widths: []int{9, 3, 4, 6, 5, 4},
		}
		for _, it := range groups[k] {
			t.Rows = append(t.Rows, []string{b.tr(it.Name, it.NameEn), it.Unit, b.num(it.Code, it.City.Baseline), b.target(it.Code, it.City),
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
	b.heading(1, b.tr("四、重点工程进展", "4. Key projects"))
	counts := map[progress.Status]int{}
	for _, p := range b.c.Projects {
		counts[p.Status]++
	}
	b.para("", fmt.Sprintf(b.tr("规划附件列出 %d 项重点工程。每项工程的状态取其各量化目标中最不利的进展；尚无衡量指标的目标只列出规划数字。",
		"The plan's annex lists %d key projects. A project's status is the least favourable of its measured targets'; a target with no measure yet shows the plan's figure only."),
		len(b.c.Projects)))
	t := docx.Table{
		Header: []string{b.tr("序号", "No."), b.tr("重点工程", "Key project"), b.tr("牵头单位", "Lead"), b.tr("目标", "Target"),
			b.tr("实际值", "Actual"), b.tr("目标值", "Target value"), b.tr("进展", "Status")},
		Right:  []bool{true, false, false, false, true, true, false},
		Widths: []int{2, 7, 5, 8, 4, 4, 4},
	}
	for _, p := range b.c.Projects {
		name := b.tr(p.Name, p.NameEn) + "\n" + b.tr("工程状态：", "Status: ") + b.tr(p.StatusLabel, p.StatusLabelEn)
		lead := b.tr(p.Lead.Name, p.Lead.NameEn)
		if len(p.Targets) == 0 {
			t.Rows = append(t.Rows, []string{strconv.Itoa(p.Number), name, lead, b.tr("无量化目标", "no quantified target"), "", "", b.tr(p.StatusLabel, p.StatusLabelEn)})
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
			t.Rows = append(t.Rows, []string{no, nm, ld, b.tr(tg.Name, tg.NameEn), latest, target, b.tr(tg.StatusLabel, tg.StatusLabelEn)})
		}
	}
	b.table(t)
}

func (b *builder) tasks() {
	b.heading(1, b.tr("五、主要任务落实情况", "5. Main tasks"))
	counts := map[plan.TaskStatus]int{}
	for _, t := range b.c.Tasks {
		counts[t.Status]++
	}
	var parts []string
	for _, st := range []plan.TaskStatus{plan.TaskDone, plan.TaskInProgress, plan.TaskDelayed, plan.TaskNotStarted} {
		part := fmt.Sprintf("%s %d", b.tr(st.Label(), st.LabelEn()), counts[st])
		if !b.en {
			part += " 项"
		}
		parts = append(parts, part)
	}
	b.para("", fmt.Sprintf(b.tr("规划 %d 项主要任务的台账记录：%s。", "The ledger of the plan's %d main tasks: %s."), len(b.c.Tasks), strings.Join(parts, b.tr("，", ", "))))
	t := docx.Table{
		Header: []string{b.tr("序号", "No."), b.tr("主要任务", "Main task"), b.tr("牵头单位", "Lead"), b.tr("里程碑", "Milestones"), b.tr("状态", "Status")},
		Right:  []bool{true, false, false, true, false},
		Widths: []int{2, 12, 5, 3, 3},
	}
	for _, tk := range b.c.Tasks {
		t.Rows = append(t.Rows, []string{strconv.Itoa(tk.Number), b.tr(tk.Title, tk.TitleEn), b.tr(tk.Lead.Name, tk.Lead.NameEn),
			fmt.Sprintf("%d/%d", tk.MilestonesDone, len(tk.Milestones)), b.tr(tk.StatusLabel, tk.StatusLabelEn)})
	}
	b.table(t)
}

func (b *builder) districts() {
	b.heading(1, b.tr("六、各区县市情况", "6. Districts"))
	cards := slices.Clone(b.c.Districts)
	slices.SortStableFunc(cards, func(x, y progress.Scorecard) int { return x.Rank - y.Rank })
	b.para("", b.tr("达标率为各区县市主要指标中已实现、快于预期或基本符合预期的比例（不计无数据的指标），排名依达标率，相同时约束性指标预警少者在前、倒退少者在前。",
		"A district's score is the share of its assessed headline indicators achieved, ahead or on track (those without data not counted); districts rank by it, then by fewer binding indicators at risk, then fewer regressing."))
	t := docx.Table{
		Header: []string{b.tr("排名", "Rank"), b.tr("区县市", "District"), b.tr("达标率", "Score"), b.tr("已实现", "Achieved"), b.tr("快于预期", "Ahead"),
			b.tr("基本符合", "On track"), b.tr("滞后", "Lagging"), b.tr("倒退", "Regressing"), b.tr("约束性预警", "Binding at risk")},
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
		b.chart(barChart(scores, 0.5), b.tr("各区县市达标率（横条自上而下依排名：", "Districts' scores (bars top to bottom by rank: ")+
			strings.Join(order, b.tr("、", ", "))+b.tr("；竖线为 25%、50%、75%、100%，绿色为 50% 及以上）", "; lines at 25%, 50%, 75% and 100%; green at 50% or more)"))
	}
	b.heading(2, b.tr("拖后腿的区县市", "Districts that held the city back"))
	times := map[string]int{}
	t = docx.Table{
		Header: []string{b.tr("指标", "Indicator"), b.tr("区县市", "District"), b.tr("实际值", "Actual"), b.tr("目标值", "Target"),
			b.tr("差距", "Gap"), b.tr("占应变化", "Share of change left")},
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
				name = b.tr(it.Name, it.NameEn)
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
		named = append(named, fmt.Sprintf(b.tr("%s（%d 项）", "%s (%d)"), b.c.OrgName(o, b.en), times[o]))
	}
	if len(named) > 0 {
		b.para("", b.tr("未完成目标的区县市及其未完成的指标和承诺事项数，多者在前：", "Districts by the number of indicators and commitments whose target they did not meet, most first: ")+
			strings.Join(named, b.tr("、", ", "))+b.tr("。", "."))
	} else {
		b.para("", b.tr("没有区县市拖后腿。", "No district held the city back."))
	}
	b.para("", b.tr("下表列出主要指标中每个未完成目标的区县市，差距以指标单位计，差距最大者在前。",
		"The table lists, for each headline indicator, the districts that did not meet its target, the largest gap (in the indicator's unit) first."))
	if len(t.Rows) > 0 {
		b.table(t)
	}
}

func (b *builder) sources() {
	b.heading(1, b.tr("附录一 数据来源", "Appendix 1. Data sources"))
	b.para("", fmt.Sprintf(b.tr("本报告的 %d 个数值均由下列 %d 个导入批次的数据计算，每个数值可追溯至其所用批次（见版本的数值清单）。",
		"The report's %d figures are computed from the data of the %d import batches below; each figure names the batches it read (see the edition's list of figures)."),
		len(b.c.Figures), len(b.c.Batches)))
	t := docx.Table{
		Header: []string{b.tr("批次", "Batch"), b.tr("类型", "Kind"), b.tr("文件", "File"), b.tr("行数", "Rows"), b.tr("年份", "Years"),
			b.tr("导入日期", "Imported"), "SHA-256"},
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
	b.heading(1, b.tr("附录二 评估方法", "Appendix 2. Methods"))
	for _, p := range [][2]string{
		{"每项指标以规划确定的基期值 B（基期年 b）、目标值 T（目标年 t）和基期年之后最近一年 y 的实际值 A 评估。全市的基期值和目标值取自规划；区县市未单列的，基期值取其基期年的计算值，目标值取全市目标（在校生人数等总量指标按全市的相对变化折算）。",
			"Each indicator is assessed from the plan's baseline B (in the baseline year b), its target T (in the target year t) and the latest actual value A (in the latest year y after b that has one). The city's baselines and targets are the plan's; a district without its own takes its computed value in the baseline year as B and the city's target as T (for counts such as enrolment, the city's relative change applied to its baseline)."},
		{"时间进度 τ = (y − b) / (t − b)。完成进度 c：正向和逆向指标为 (A − B) / (T − B)；趋近型指标为 (|B − T| − |A − T|) / |B − T|；保持型指标及基期值等于目标值的指标不计完成进度。",
			"Time elapsed τ = (y − b) / (t − b). Completion c is (A − B) / (T − B) for indicators that should rise or fall, (|B − T| − |A − T|) / |B − T| for those that should approach a value; indicators to be held, and those whose baseline equals the target, have none."},
		{fmt.Sprintf("进展判定（δ = %.2f）：达到目标为已实现（含容差）；c > τ + δ 为快于预期；τ − δ ≤ c ≤ τ + δ 为基本符合预期；0 ≤ c < τ − δ 为滞后；c < 0 为倒退；基期年之后没有任何实际值为无数据。约束性指标滞后或倒退的，列为预警。", b.pack.Delta),
			fmt.Sprintf("Status (δ = %.2f): a target reached (within its tolerance) is achieved; c > τ + δ is ahead of schedule; τ − δ ≤ c ≤ τ + δ on track; 0 ≤ c < τ − δ lagging; c < 0 regressing; no actual value after the baseline year, no data. A binding indicator lagging or regressing is flagged at risk.", b.pack.Delta)},
		{"总结评估的结论：已实现的为已完成；目标年份已到而未实现的为未完成，并以目标单位给出差距及其占目标要求变化的比例；目标年份在规划期之后的（如 2030 年近视率目标）为未到目标年份。中期评估的结论为各项的进展判定。",
			"The final review's verdict: achieved is met; not achieved once the target year has come is not met, with the gap in the target's unit and as a share of the change the target asked for; a target due after the plan period (such as the 2030 near-sightedness limits) is not yet due. A mid-term review's conclusion is each item's status."},
		{"承诺事项中的区间目标，实际值落在区间内为已实现，否则按其所靠近的边界评估；“只增不减”“不低于”等关系目标，各年均成立为已实现，任一年不成立为倒退。",
			"A commitment with a range is achieved when the value lies in it, and otherwise judged against the bound it comes from; a relation (non-decreasing, at least another series) is achieved when it held in every year and regressing when it failed in any."},
		{"数值依导入的学校、学生、教师、人口和统计报表数据计算：名册按学校汇总到区县市和全市，非可加数据以人口加权平均。每个版本冻结全部数值、所用输入及其批次，并以 SHA-256 校验，此后导入的数据不改变已生成的版本。",
			"Figures are computed from the imported institution, student, teacher, population and reported data: rosters summed from schools to districts and the city, non-additive figures averaged weighted by population. Each edition freezes every figure, its inputs and their batches, checked by SHA-256; data imported later never changes an edition."},
	} {
		b.para("", b.tr(p[0], p[1]))
	}
}
