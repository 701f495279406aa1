package ledger

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode/utf8"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// DemoActor is who the demo ledger's changes are recorded as, in the tasks' history and
// the audit log.
const DemoActor = "demo"

// Shares of the demo ledger's tasks that end done and delayed; the rest are in progress.
const (
	demoDone    = 0.3
	demoDelayed = 0.12
)

// SeedDemo fills the task ledger of a demo database with a believable state as of the
// pack's target year, the last year of the demo data: about three in ten tasks done
// with all their milestones, about one in eight delayed with a milestone overdue, the rest
// in progress — milestones due before that year done, most of those due in it —
// each with an evidence note of the kind a district clerk writes (a task in progress with
// its milestones done awaits its acceptance, 验收). Milestones due after
// that year are never done. The same seed gives the same ledger.
//
// Every change goes through the store's EditTask as DemoActor, so the history and the
// audit log show it. A ledger that anyone has edited already is left as it is.
func SeedDemo(ctx context.Context, db *store.DB, pack *plan.Pack, seed int64) error {
	entries, err := db.Tasks(ctx, pack.Tenant, pack)
	if err != nil {
		return err
	}
	for _, en := range entries {
		if !en.UpdatedAt.IsZero() {
			return nil
		}
	}
	last := pack.TargetYear
	r := rand.New(rand.NewPCG(uint64(seed), 0x7a5c))
	status := demoStatuses(r, pack.Tasks, last)
	err = db.Write(ctx, pack.Tenant, func(tx *store.Tx) error {
		for i, t := range pack.Tasks {
			for _, e := range demoEdits(r, pack, t, status[i], last) {
				e.Number, e.Actor, e.Remote = t.Number, DemoActor, DemoActor
				if _, err := tx.EditTask(ctx, pack, e); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo task ledger: %w", err)
	}
	return nil
}

// demoStatuses chooses each task's final status: done only for a task whose milestones
// are all due by the last year, delayed only for one with a milestone due by then.
func demoStatuses(r *rand.Rand, tasks []*plan.Task, last int) []plan.TaskStatus {
	n := len(tasks)
	out := make([]plan.TaskStatus, n)
	done, delayed := int(float64(n)*demoDone+0.5), int(float64(n)*demoDelayed+0.5)
	for _, i := range r.Perm(n) {
		due, later := 0, 0
		for _, m := range tasks[i].Milestones {
			if m.Year <= last {
				due++
			} else {
				later++
			}
		}
		switch {
		case done > 0 && later == 0:
			out[i] = plan.TaskDone
			done--
		case delayed > 0 && due > 0:
			out[i] = plan.TaskDelayed
			delayed--
		default:
			out[i] = plan.TaskInProgress
		}
	}
	return out
}

// demoEdits are the changes that bring a task to its status: a first one that starts
// it, with the milestones due before the last year, and for a task done or delayed a
// second one that closes it or says what is overdue.
func demoEdits(r *rand.Rand, pack *plan.Pack, t *plan.Task, status plan.TaskStatus, last int) []store.TaskEdit {
	start := demoStart(r, pack, t)
	done, late := demoMilestones(r, t, status, last)

	inProgress := plan.TaskInProgress
	first := store.TaskEdit{Status: &inProgress}
	for i, m := range t.Milestones {
		if done[i] && m.Year < last {
			first.Milestones = append(first.Milestones, store.MilestoneEdit{Index: i + 1, Done: true})
		}
	}
	var b strings.Builder
	b.WriteString(start)
	if len(first.Milestones) > 0 {
		b.WriteString("已完成:" + clauses(t, first.Milestones) + "。")
	}
	note := b.String()
	first.Note = &note

	var final store.TaskEdit
	text := demoFinalNote(r, t, status, done, late, start, last)
	final.Note = &text
	if status != plan.TaskInProgress {
		final.Status = &status
	}
	for i, d := range done {
		if d && t.Milestones[i].Year >= last {
			final.Milestones = append(final.Milestones, store.MilestoneEdit{Index: i + 1, Done: true})
		}
	}
	return []store.TaskEdit{first, final}
}

// demoStart is how a task's notes begin: the city issues its implementation plan
// (实施方案), a document with a number, a year or two after the baseline.
func demoStart(r *rand.Rand, pack *plan.Pack, t *plan.Task) string {
	issued := pack.BaselineYear + 1 + r.IntN(2)
	city := cityName(pack)
	prefix, _ := utf8.DecodeRuneInString(city) // 烟台市 issues 烟教发 documents
	doc := fmt.Sprintf("《%s%s实施方案》(%c教发〔%d〕%d号)", city, t.Title, prefix, issued, 3+r.IntN(60))
	return fmt.Sprintf("%d年%d月印发%s,召开全市推进会,各区市制定落实方案。", issued, 3+r.IntN(9), doc)
}

// demoMilestones says which of a task's milestones are done in the end: none due after
// the last year; of the others, all for a task done, else those due before the last
// year and seven in ten of those due in it. late is the milestone a delayed task is
// behind on, overdue where it can be.
func demoMilestones(r *rand.Rand, t *plan.Task, status plan.TaskStatus, last int) (done []bool, late int) {
	done = make([]bool, len(t.Milestones))
	var dueNow, overdue []int // undone candidates: due in the last year, due before it
	for i, m := range t.Milestones {
		switch {
		case m.Year > last:
		case status == plan.TaskDone:
			done[i] = true
		case m.Year < last:
			done[i] = true
			overdue = append(overdue, i)
		default:
			done[i] = r.Float64() < 0.7
			dueNow = append(dueNow, i)
		}
	}
	switch {
	case status == plan.TaskDelayed:
		late = pick(r, overdue, dueNow)
		done[late] = false
	case status == plan.TaskInProgress && len(dueNow) > 0 && r.Float64() < 0.5:
		// Half the tasks in progress still have one of the year's milestones open; the
		// others have done them all and await acceptance.
		done[dueNow[r.IntN(len(dueNow))]] = false
	}
	return done, late
}

// demoFinalNote is the evidence note of a task's last change, after start: accepted
// by the lead unit for a task done, the reason and the plan to catch up for one
// delayed, what is done and what is under way for one in progress.
func demoFinalNote(r *rand.Rand, t *plan.Task, status plan.TaskStatus, done []bool, late int, start string, last int) string {
	lead := t.Lead
	if lead == "" {
		lead = "牵头单位"
	}
	switch status {
	case plan.TaskDone:
		return fmt.Sprintf("%s%s等任务均已完成,%d年%d月经%s组织验收。佐证材料:实施方案、年度工作总结、验收意见,已归档(%s)。",
			start, clauses(t, marks(done, true)), last, 10+r.IntN(3), lead, lead)
	case plan.TaskDelayed:
		m := t.Milestones[late]
		return fmt.Sprintf("%s%s未按期完成(原定%d年),原因:%s。已向%s报送情况说明并制定整改计划,%d年%d月底前完成。佐证材料:情况说明、整改计划。",
			start, clause(m.Text), m.Year, demoReasons[r.IntN(len(demoReasons))], lead, last+1, 3+r.IntN(4))
	}
	return demoProgressNote(r, t, done, start, last)
}

// demoProgressNote is the final note of a task in progress: the milestones done, those
// due by the last year still open (or that it awaits acceptance), and those due later.
func demoProgressNote(r *rand.Rand, t *plan.Task, done []bool, start string, last int) string {
	var open, later []store.MilestoneEdit
	for _, m := range marks(done, false) {
		if t.Milestones[m.Index-1].Year > last {
			later = append(later, m)
		} else {
			open = append(open, m)
		}
	}
	text := start
	if d := marks(done, true); len(d) > 0 {
		text += "已完成:" + clauses(t, d) + "。"
	}
	if len(open) > 0 {
		text += fmt.Sprintf("正在推进:%s,预计%d年%d月完成。", clauses(t, open), last+1, 3+r.IntN(7))
	} else {
		text += "各节点任务已完成,正在开展总结评估,待组织验收。"
	}
	for _, m := range later {
		ms := t.Milestones[m.Index-1]
		text += fmt.Sprintf("%s按%d年目标持续推进。", clause(ms.Text), ms.Year)
	}
	return text + fmt.Sprintf("佐证材料:%d年度工作总结、推进会会议纪要。", last)
}

// demoReasons are why a delayed task is behind, as a ledger would put it.
var demoReasons = []string{
	"项目用地手续尚在办理",
	"建设资金未能足额到位",
	"涉及部门较多,协调工作尚未完成",
	"受疫情影响,部分工作推迟开展",
	"编制核定尚未批复",
	"相关标准待省里出台后再行细化",
}

// pick returns a random element of the first non-empty list.
func pick(r *rand.Rand, lists ...[]int) int {
	for _, l := range lists {
		if len(l) > 0 {
			return l[r.IntN(len(l))]
		}
	}
	return 0
}

// marks are the milestones whose done flag is v.
func marks(done []bool, v bool) []store.MilestoneEdit {
	var out []store.MilestoneEdit
	for i, d := range done {
		if d == v {
			out = append(out, store.MilestoneEdit{Index: i + 1, Done: d})
		}
	}
	return out
}

// clauses names milestones by the first clause of their text, joined with 、.
func clauses(t *plan.Task, ms []store.MilestoneEdit) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, clause(t.Milestones[m.Index-1].Text))
	}
	return strings.Join(parts, "、")
}

// clause is the first clause of a milestone's text: up to the first comma, colon or
// semicolon.
func clause(s string) string {
	if i := strings.IndexAny(s, ",,::;;"); i > 0 {
		return s[:i]
	}
	return s
}

// cityName is the name of the pack's top org unit, as a document title begins.
func cityName(pack *plan.Pack) string {
	if o := pack.Top(); o != nil {
		return o.Name
	}
	return ""
}
