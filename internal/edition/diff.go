package edition

import (
	"maps"
	"slices"
	"strconv"

	"github.com/yantai-edu/eduplan/internal/progress"
)

// What a change is of.
const (
	ChangeValue    = "value"    // a figure's value
	ChangeProgress = "progress" // a field of a progress row
	ChangeVerdict  = "verdict"  // the review's verdict or gap at the city
	ChangeProject  = "project"  // a key project's status
	ChangeTask     = "task"     // a main task's status or milestones
)

// Change is a figure that moved from one edition to another, with both values (as
// machine output writes numbers; "" for none) and the batches behind the change.
type Change struct {
	What string `json:"what"`
	// Code is the measure's code, a project's code or a task's number.
	Code  string `json:"code"`
	Org   string `json:"org,omitempty"`
	Year  int    `json:"year,omitempty"`
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
	// Batches are the import batches that brought the change: those the new figure read
	// that the old did not, and the other way round; for progress and verdicts, those of
	// the org's figures of the measure that moved.
	Batches []int64 `json:"batches"`
}

type figureKey struct {
	measure, org string
	year         int
}

type rowKey struct{ measure, org string }

// Diff lists every figure that moved from edition a to edition b: values (by measure,
// org and year), progress rows' baseline and latest value, completion, status and at-risk flag, the
// review's verdicts and gaps at the city, key projects' and main tasks' statuses.
func Diff(a, b *Content) []Change {
	out, behind := valueChanges(a, b)
	out = append(out, progressChanges(a, b, behind)...)
	out = append(out, verdictChanges(a, b, behind)...)
	return append(out, ledgerChanges(a, b)...)
}

// behind are, by measure and org, the batches behind the changes of its values.
type behind map[rowKey]map[int64]bool

func (bh behind) of(measure, org string) []int64 {
	return slices.Sorted(maps.Keys(bh[rowKey{measure, org}]))
}

// valueChanges are the figures whose value moved, appeared or went, and the batches
// behind each measure and org's moves.
func valueChanges(a, b *Content) ([]Change, behind) {
	out := []Change{}
	bh := behind{}
	old := map[figureKey]Figure{}
	for _, f := range a.Figures {
		old[figureKey{f.Measure, f.Org, f.Year}] = f
	}
	for _, f := range b.Figures {
		k := figureKey{f.Measure, f.Org, f.Year}
		o := old[k]
		delete(old, k)
		if o.Value == f.Value {
			continue
		}
		bs := movedBatches(o, f)
		out = append(out, Change{What: ChangeValue, Code: f.Measure, Org: f.Org, Year: f.Year, Field: "value",
			Old: o.Value.String(), New: f.Value.String(), Batches: bs})
		set := bh[rowKey{f.Measure, f.Org}]
		if set == nil {
			set = map[int64]bool{}
			bh[rowKey{f.Measure, f.Org}] = set
		}
		for _, id := range bs {
			set[id] = true
		}
	}
	for _, f := range a.Figures { // figures the new edition no longer has
		k, o := figureKey{f.Measure, f.Org, f.Year}, f
		if _, gone := old[k]; !gone {
			continue
		}
		out = append(out, Change{What: ChangeValue, Code: k.measure, Org: k.org, Year: k.year, Field: "value", Old: o.Value.String(), Batches: o.Batches()})
	}
	return out, bh
}

// progressChanges are the progress rows' fields that moved.
func progressChanges(a, b *Content, bh behind) []Change {
	var out []Change
	oldRows := map[rowKey]progress.Row{}
	for _, r := range rowsOf(a) {
		oldRows[rowKey{r.Indicator, r.Org}] = r
	}
	for _, r := range rowsOf(b) {
		o := oldRows[rowKey{r.Indicator, r.Org}]
		for _, f := range []struct{ field, old, new string }{
			{"baseline", o.Baseline.String(), r.Baseline.String()},
			{"latest", o.Latest.String(), r.Latest.String()},
			{"latest_year", year(o.LatestYear), year(r.LatestYear)},
			{"completion", o.Completion.String(), r.Completion.String()},
			{"status", string(o.Status), string(r.Status)},
			{"at_risk", strconv.FormatBool(o.AtRisk), strconv.FormatBool(r.AtRisk)},
		} {
			if f.old != f.new {
				out = append(out, Change{What: ChangeProgress, Code: r.Indicator, Org: r.Org, Field: f.field, Old: f.old, New: f.new,
					Batches: bh.of(r.Indicator, r.Org)})
			}
		}
	}
	return out
}

// verdictChanges are the review's verdicts and gaps at the city that moved.
func verdictChanges(a, b *Content, bh behind) []Change {
	var out []Change
	oldItems := map[string]progress.ReviewItem{}
	if a.Review != nil {
		for _, it := range a.Review.Items {
			oldItems[it.Code] = it
		}
	}
	if b.Review == nil {
		return nil
	}
	for _, it := range b.Review.Items {
		o := oldItems[it.Code]
		for _, f := range []struct{ field, old, new string }{
			{"verdict", string(o.Verdict), string(it.Verdict)},
			{"gap", o.Gap.Gap.String(), it.Gap.Gap.String()},
		} {
			if f.old != f.new {
				out = append(out, Change{What: ChangeVerdict, Code: it.Code, Org: it.City.Org, Field: f.field, Old: f.old, New: f.new,
					Batches: bh.of(it.Code, it.City.Org)})
			}
		}
	}
	return out
}

// ledgerChanges are the key projects' statuses and the main tasks' statuses and
// milestones that moved.
func ledgerChanges(a, b *Content) []Change {
	var out []Change
	oldProjects := map[string]progress.Status{}
	for _, p := range a.Projects {
		oldProjects[p.Code] = p.Status
	}
	for _, p := range b.Projects {
		if o := oldProjects[p.Code]; o != p.Status {
			out = append(out, Change{What: ChangeProject, Code: p.Code, Field: "status", Old: string(o), New: string(p.Status), Batches: []int64{}})
		}
	}
	oldTasks := map[int][2]string{}
	for _, t := range a.Tasks {
		oldTasks[t.Number] = [2]string{string(t.Status), strconv.Itoa(t.MilestonesDone)}
	}
	for _, t := range b.Tasks {
		o, n := oldTasks[t.Number], [2]string{string(t.Status), strconv.Itoa(t.MilestonesDone)}
		for i, field := range []string{"status", "milestones_done"} {
			if o[i] != n[i] {
				out = append(out, Change{What: ChangeTask, Code: strconv.Itoa(t.Number), Field: field, Old: o[i], New: n[i], Batches: []int64{}})
			}
		}
	}
	return out
}

// rowsOf are the content's progress rows, headline indicators' then commitments'.
func rowsOf(c *Content) []progress.Row {
	rows := slices.Clone(c.Progress)
	for _, r := range c.Commitments {
		rows = append(rows, r.Row)
	}
	return rows
}

func year(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

// movedBatches are the batches one figure read and the other did not; when both read
// the same ones (a batch's content cannot change, so only for figures read from the
// same snapshot differently), the new figure's.
func movedBatches(a, b Figure) []int64 {
	as, bs := a.Batches(), b.Batches()
	var out []int64
	for _, id := range bs {
		if !slices.Contains(as, id) {
			out = append(out, id)
		}
	}
	for _, id := range as {
		if !slices.Contains(bs, id) {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		out = bs
	}
	slices.Sort(out)
	return slices.Compact(append([]int64{}, out...))
}
