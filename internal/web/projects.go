package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/yantai-edu/eduplan/internal/ledger"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/store"
)

// The key projects (重点工程) and the task ledger (台账): GET /api/v1/projects,
// /api/v1/tasks, /api/v1/tasks/{n}, PATCH /api/v1/tasks/{n} and the page /projects.

func (s *Server) handleProjects(w http.ResponseWriter, r *http.Request) {
	projects, err := ledger.Projects(s.engineFor(r), s.scopeFor(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.respond(w, r, projects)
}

func (s *Server) handleTasks(w http.ResponseWriter, r *http.Request) {
	tasks, err := ledger.Tasks(r.Context(), s.db, s.scopeFor(r), s.pack)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.respond(w, r, tasks)
}

func (s *Server) handleTask(w http.ResponseWriter, r *http.Request) {
	n, err := taskParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	d, err := ledger.TaskWithHistory(r.Context(), s.db, s.scopeFor(r), s.pack, n)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.respond(w, r, d)
}

// taskEditBody is the JSON body of PATCH /api/v1/tasks/{n}: absent fields stay as they
// are.
type taskEditBody struct {
	Status     *string               `json:"status"`
	Note       *string               `json:"note"`
	Milestones []store.MilestoneEdit `json:"milestones"`
}

// maxTaskEdit bounds the body of a task edit: a note of MaxTaskNote characters and a
// few milestones, with room to spare.
const maxTaskEdit = 64 << 10

func (s *Server) handleTaskEdit(w http.ResponseWriter, r *http.Request) {
	n, err := taskParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	edit, err := decodeTaskEdit(http.MaxBytesReader(w, r.Body, maxTaskEdit))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	edit.Number, edit.Actor, edit.Remote = n, s.principalOf(r).User, remoteOf(r)
	if _, err := ledger.Edit(r.Context(), s.db, s.scopeFor(r), s.pack, edit); err != nil {
		s.apiError(w, r, err)
		return
	}
	d, err := ledger.TaskWithHistory(r.Context(), s.db, s.scopeFor(r), s.pack, n)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.respond(w, r, d)
}

// decodeTaskEdit reads a task edit's JSON body; anything it cannot read is EINVALID.
func decodeTaskEdit(body io.Reader) (store.TaskEdit, error) {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	var b taskEditBody
	if err := dec.Decode(&b); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return store.TaskEdit{}, plan.Errorf(plan.EINVALID, "请求体过大：最多 %d 字节", "the body is too large: at most %d bytes", tooBig.Limit)
		}
		return store.TaskEdit{}, plan.Errorf(plan.EINVALID, "请求体不是有效的 JSON：%v", "the body is not valid JSON: %v", err)
	}
	if dec.More() {
		return store.TaskEdit{}, plan.Errorf(plan.EINVALID, "请求体只能有一个 JSON 对象", "the body must hold one JSON object")
	}
	edit := store.TaskEdit{Note: b.Note, Milestones: b.Milestones}
	if b.Status != nil {
		st, err := plan.ParseTaskStatus(*b.Status)
		if err != nil {
			return store.TaskEdit{}, err
		}
		edit.Status = &st
	}
	return edit, nil
}

func taskParam(r *http.Request) (int, error) {
	s := r.PathValue("n")
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, plan.Errorf(plan.ENOTFOUND, "主要任务 %q 不存在：任务以序号 1、2……标识", "no main task %q: tasks are numbered 1, 2, ...", s)
	}
	return n, nil
}

// projectsPage shows the key projects with their targets' progress, and the ledger of
// the main tasks.
type projectsPage struct {
	page
	PlanName            string
	PeriodStart         int
	PeriodEnd           int
	Projects            []projectView
	Tasks               []taskView
	TaskCounts          []statusCount
	ProjectsJSON        string
	TasksJSON           string
	ProjectsN, TargetsN int
	MeasuredN           int
	// StatusOptions are the ledger's statuses for the edit form of users who may edit.
	StatusOptions []statusOption
}

type statusOption struct{ Code, Label string }

type projectView struct {
	No          int
	Code, Name  string
	Description string
	Lead        string
	Tasks       []taskLink
	Status      statusBadge
	Targets     []targetView
	// Rows is the number of table rows the project spans: one per target, at least one.
	Rows int
}

type taskLink struct {
	No  int
	URL string
}

type targetView struct {
	Name       string
	Measure    string
	MeasureURL string
	Value      string
	LatestYear int
	Target     string
	TargetYear int
	Status     statusBadge
	Measured   bool
	Breaches   string
}

type taskView struct {
	No          int
	Title       string
	Section     string
	Chapter     string
	NewChapter  bool
	Lead        string
	Cooperating string
	Status      statusBadge
	Done, Total int
	Milestones  []milestoneView
	Note        string
	Updated     string
	UpdatedBy   string
	JSONURL     string
	StatusCode  string
	// EditURL is where the page's edit form posts.
	EditURL string
}

type milestoneView struct {
	Index  int
	Year   int
	Text   string
	Done   bool
	DoneOn string
}

func (s *Server) handleProjectsPage(w http.ResponseWriter, r *http.Request) {
	demo, err := s.isDemo(r.Context())
	if err != nil {
		s.pageError(w, r, fmt.Errorf("demo flag: %w", err))
		return
	}
	projects, err := ledger.Projects(s.engineFor(r), s.scopeFor(r))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	tasks, err := ledger.Tasks(r.Context(), s.db, s.scopeFor(r), s.pack)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderPage(w, r, "projects", projectsPageOf(s.newPage(r, demo), s.pack, projects, tasks))
}

// projectsPageOf arranges the projects and the task ledger for the page.
func projectsPageOf(p page, pack *plan.Pack, projects []ledger.Project, tasks []ledger.Task) projectsPage {
	lang := p.Lang
	v := projectsPage{page: p, PlanName: pick(lang, pack.Name, pack.NameEn), PeriodStart: pack.BaselineYear + 1, PeriodEnd: pack.TargetYear,
		ProjectsJSON: "/api/v1/projects", TasksJSON: "/api/v1/tasks", ProjectsN: len(projects)}
	v.Title = locale.T(p.Lang, "projects_title")
	for _, pr := range projects {
		pv := projectView{No: pr.Number, Code: pr.Code, Name: pick(lang, pr.Name, pr.NameEn), Description: pick(lang, pr.Description, pr.DescriptionEn),
			Lead: pick(lang, pr.Lead.Name, pr.Lead.NameEn), Status: targetBadge(lang, pr.Status), Rows: max(len(pr.Targets), 1)}
		for _, n := range pr.Tasks {
			pv.Tasks = append(pv.Tasks, taskLink{No: n, URL: "#task-" + strconv.Itoa(n)})
		}
		for _, t := range pr.Targets {
			tv := targetViewOf(p, pack, t)
			v.TargetsN++
			if tv.Measured {
				v.MeasuredN++
			}
			pv.Targets = append(pv.Targets, tv)
		}
		v.Projects = append(v.Projects, pv)
	}
	counts := map[plan.TaskStatus]int{}
	chapter := ""
	for _, t := range tasks {
		tv := taskViewOf(p, t)
		tv.NewChapter = tv.Chapter != chapter
		chapter = tv.Chapter
		counts[t.Status]++
		v.Tasks = append(v.Tasks, tv)
	}
	for _, st := range plan.TaskStatuses {
		v.TaskCounts = append(v.TaskCounts, statusCount{Badge: taskBadge(lang, st), N: counts[st]})
		v.StatusOptions = append(v.StatusOptions, statusOption{Code: string(st), Label: pick(lang, st.Label(), st.LabelEn())})
	}
	return v
}

// targetViewOf is a key project's target: its measure, latest value and target, worded
// as the district pages word a commitment's.
func targetViewOf(p page, pack *plan.Pack, t ledger.Target) targetView {
	lang := p.Lang
	tv := targetView{Name: pick(lang, t.Name, t.NameEn), Measure: t.Measure, Status: targetBadge(lang, t.Status),
		Measured: t.Status != ledger.NoMeasure, TargetYear: t.TargetYear, Value: "—", LatestYear: t.LatestYear}
	if t.MeasureKind == plan.MeasureIndicator {
		tv.MeasureURL = p.link("/indicators/"+t.Measure, nil)
	}
	// Numbers carry their unit only where it is a sign (%), as on the scorecards:
	// "200个" says nothing a reader does not know from the target's name.
	num := func(n progress.Number) string {
		if !n.OK {
			return "—"
		}
		if t.Unit == "%" {
			return formatNumber(n.V, t.Decimals) + "%"
		}
		return formatNumber(n.V, t.Decimals)
	}
	if t.Latest.OK {
		tv.Value = num(t.Latest)
	}
	switch t.Kind {
	case plan.GoalRange:
		tv.Target = num(t.Min) + "–" + num(t.Max)
	case plan.GoalRelation:
		if t.Relation == plan.NonDecreasing {
			tv.Target = locale.T(lang, "non_decreasing")
		} else {
			tv.Target = fmt.Sprintf(locale.T(lang, "at_least_yearly"), num(t.Target))
		}
	default:
		tv.Target = num(t.Target)
	}
	// A commitment's target as the district pages word it (every year, about).
	if c := pack.Commitment(t.Measure); c != nil && (c.Goal.EveryYear || c.Goal.Band > 0) {
		tv.Target = commitmentTarget(p, pack, c, progress.CommitmentRow{Row: progress.Row{Target: t.Target}})
	}
	if len(t.Breaches) > 0 {
		tv.Breaches = fmt.Sprintf(locale.T(lang, "breached_in"), joinYears(t.Breaches))
	}
	return tv
}

// taskViewOf is a main task's row of the ledger: its lead and cooperating units, status,
// milestones and last update.
func taskViewOf(p page, t ledger.Task) taskView {
	lang := p.Lang
	tv := taskView{No: t.Number, Title: pick(lang, t.Title, t.TitleEn), Section: t.Section, Chapter: pick(lang, t.Chapter, t.ChapterEn),
		Lead: pick(lang, t.Lead.Name, t.Lead.NameEn), Status: taskBadge(lang, t.Status), Done: t.MilestonesDone, Total: len(t.Milestones),
		Note: t.Note, UpdatedBy: t.UpdatedBy, JSONURL: "/api/v1/tasks/" + strconv.Itoa(t.Number),
		StatusCode: string(t.Status), EditURL: p.link("/projects/tasks/"+strconv.Itoa(t.Number), nil)}
	var co []string
	for _, u := range t.Cooperating {
		co = append(co, pick(lang, u.Name, u.NameEn))
	}
	tv.Cooperating = strings.Join(co, locale.T(lang, "list_sep_units"))
	for _, m := range t.Milestones {
		tv.Milestones = append(tv.Milestones, milestoneView{Index: m.Index, Year: m.Year, Text: pick(lang, m.Text, m.TextEn), Done: m.Done, DoneOn: m.DoneOn})
	}
	if t.UpdatedAt != nil {
		tv.Updated = t.UpdatedAt.In(p.zone).Format(time.DateOnly)
	}
	return tv
}

// handleTaskForm takes the task ledger's edit form of the projects page: the same
// edit as PATCH /api/v1/tasks/{n}, from a browser, then back to the task's row.
func (s *Server) handleTaskForm(w http.ResponseWriter, r *http.Request) {
	n, err := taskParam(r)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxTaskEdit)
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, plan.Errorf(plan.EINVALID, "表单无法读取：%v", "the form cannot be read: %v", err))
		return
	}
	st, err := plan.ParseTaskStatus(r.PostFormValue("status"))
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	edit := store.TaskEdit{Number: n, Status: &st, Note: &note, Actor: s.principalOf(r).User, Remote: remoteOf(r)}
	// Every milestone of the form is sent: checked ones done, the others not.
	done := map[string]bool{}
	for _, v := range r.PostForm["done"] {
		done[v] = true
	}
	for _, v := range r.PostForm["milestone"] {
		i, err := strconv.Atoi(v)
		if err != nil {
			s.pageError(w, r, plan.Errorf(plan.EINVALID, "里程碑 %q 无效", "invalid milestone %q", v))
			return
		}
		edit.Milestones = append(edit.Milestones, store.MilestoneEdit{Index: i, Done: done[v]})
	}
	if _, err := ledger.Edit(r.Context(), s.db, s.scopeFor(r), s.pack, edit); err != nil {
		s.pageError(w, r, err)
		return
	}
	q := url.Values{}
	if l := r.URL.Query().Get("lang"); l == langEn {
		q.Set("lang", l)
	}
	target := "/projects"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	http.Redirect(w, r, target+"#task-"+strconv.Itoa(n), http.StatusSeeOther)
}

// targetBadge is a project target's status as the page shows it; no measure yet has
// no colour.
func targetBadge(lang string, st progress.Status) statusBadge {
	if st == ledger.NoMeasure {
		zh, en := ledger.StatusLabel(st)
		return statusBadge{Label: pick(lang, zh, en), Symbol: "·"}
	}
	return badgeOf(lang, st, false)
}

// taskBadge is a task's status as the page shows it: the colour and shape of the
// progress status it is closest to, and its own words.
func taskBadge(lang string, st plan.TaskStatus) statusBadge {
	like := map[plan.TaskStatus]progress.Status{plan.TaskDone: progress.Achieved, plan.TaskInProgress: progress.OnTrack,
		plan.TaskDelayed: progress.Lagging, plan.TaskNotStarted: progress.NoData}[st]
	return statusBadge{Code: string(like), Label: pick(lang, st.Label(), st.LabelEn()), Symbol: symbolOf(like)}
}

func joinYears(ys []int) string {
	s := make([]string, len(ys))
	for i, y := range ys {
		s[i] = strconv.Itoa(y)
	}
	return strings.Join(s, ", ")
}
