package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/ledger"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/store"
)

// TestProjectsAPI checks the key projects' answer against the plan's annex and against
// progress, which it reads.
func TestProjectsAPI(t *testing.T) {
	// The fields read here; progress.Number is written as a number or null.
	type target struct {
		Measure       string   `json:"measure"`
		MeasureKind   string   `json:"measure_kind"`
		Latest        *float64 `json:"latest"`
		Target        *float64 `json:"target"`
		Status        string   `json:"status"`
		StatusLabel   string   `json:"status_label"`
		StatusLabelEn string   `json:"status_label_en"`
	}
	var projects []struct {
		Number  int       `json:"number"`
		Name    string    `json:"name"`
		Lead    plan.Unit `json:"lead"`
		Status  string    `json:"status"`
		Targets []target  `json:"targets"`
	}
	getData(t, "/api/v1/projects", &projects)
	if len(projects) != 12 {
		t.Fatalf("%d projects, want 12", len(projects))
	}
	p1 := projects[0]
	if p1.Number != 1 || p1.Name != "公办学前教育资源扩容工程" || p1.Lead.Name != "市教育局" || len(p1.Targets) != 2 {
		t.Fatalf("project 1 = %+v", p1)
	}
	// 新增公办幼儿园: the commitment kg_public_new's target, 200, and its status as progress
	// assesses it at the city.
	rows, err := progress.AssessCommitments(engine, pack.FullScope(), progress.Query{Indicator: "kg_public_new", Org: pack.Tenant})
	if err != nil || len(rows) != 1 {
		t.Fatalf("progress of kg_public_new: %v, %v", rows, err)
	}
	tg := p1.Targets[0]
	if tg.Measure != "kg_public_new" || tg.MeasureKind != plan.MeasureCommitment || tg.Target == nil || *tg.Target != 200 ||
		tg.Status != string(rows[0].Status) || (tg.Latest != nil) != rows[0].Latest.OK || (tg.Latest != nil && *tg.Latest != rows[0].Latest.V) ||
		tg.StatusLabel != rows[0].Status.Label() {
		t.Errorf("project 1's first target = %+v, progress row %+v", tg, rows[0])
	}
	// 新建、改扩建中小学校100所以上: a reported count, 100 by 2025.
	if tg := projects[1].Targets[0]; tg.Measure != "schools_built" || tg.MeasureKind != plan.MeasureCommitment || tg.Target == nil || *tg.Target != 100 {
		t.Errorf("project 2's first target = %+v", tg)
	}
	// 学校德育铸魂工程 states no quantified target.
	if p := projects[2]; p.Status != string(ledger.NoMeasure) || p.Targets == nil || len(p.Targets) != 0 {
		t.Errorf("project 3 (no quantified target) = %+v", p)
	}
}

// patchTask sends a PATCH of a task as a role and returns the status and the body.
func patchTask(t *testing.T, role auth.Role, n, body string) (int, []byte) {
	t.Helper()
	return call(t, role, "PATCH", "/api/v1/tasks/"+n, strings.NewReader(body), "application/json")
}

func TestTasksAPI(t *testing.T) {
	var tasks []ledger.Task
	getData(t, "/api/v1/tasks", &tasks)
	if len(tasks) != 33 || tasks[16].Number != 17 || tasks[16].Title != "深化教师管理体制改革" || len(tasks[16].Cooperating) != 2 {
		t.Fatalf("%d tasks; 17 = %+v", len(tasks), tasks[16])
	}

	// The analyst marks task 5 in progress with a note and its second milestone done.
	status, body := patchTask(t, auth.Analyst, "5", `{"status": "进行中", "note": "美育课程方案已印发", "milestones": [{"index": 2, "done": true}]}`)
	if status != http.StatusOK {
		t.Fatalf("PATCH: status %d: %s", status, body)
	}
	var env envelope
	json.Unmarshal(body, &env)
	var d ledger.TaskDetail
	if err := json.Unmarshal(env.Data, &d); err != nil {
		t.Fatal(err)
	}
	if d.Status != plan.TaskInProgress || d.Note != "美育课程方案已印发" || d.MilestonesDone != 1 || !d.Milestones[1].Done || d.Milestones[0].Done ||
		d.UpdatedBy != "analyst1" || len(d.History) != 1 || d.History[0].Actor != "analyst1" || d.History[0].Remote != "127.0.0.1" ||
		d.History[0].Before.Status != plan.TaskNotStarted {
		t.Errorf("task 5 after PATCH = %+v", d)
	}
	var again ledger.TaskDetail
	getData(t, "/api/v1/tasks/5", &again)
	if again.Status != plan.TaskInProgress || len(again.History) != 1 || again.History[0].ID != d.History[0].ID {
		t.Errorf("GET task 5 = %+v", again)
	}
	// The public sees the change, not who made it nor from where.
	if status, body := call(t, auth.Public, "GET", "/api/v1/tasks/5", nil, ""); status != http.StatusOK ||
		!strings.Contains(string(body), `"status":"in_progress"`) || strings.Contains(string(body), "analyst1") || strings.Contains(string(body), "127.0.0.1") {
		t.Errorf("task 5 for the public: %d %s", status, body)
	}
	log, err := db.AuditLog(context.Background(), pack.Tenant, store.AuditQuery{Action: store.AuditTaskEdit, Actor: "analyst1"})
	if err != nil || len(log) == 0 || log[0].Object != "task 5" || log[0].Remote != "127.0.0.1" ||
		log[0].DetailEn != "status not_started → in_progress; note changed; milestone 2 done" || log[0].Detail != "状态 未启动 → 进行中；说明已修改；里程碑 2 已完成" {
		t.Errorf("audit log = %+v, %v", log, err)
	}

	// Refused edits say why in both languages, and change nothing.
	for _, tc := range []struct {
		n, body string
		status  int
		en      string
	}{
		{"99", `{"status": "done"}`, 404, "no main task 99"},
		{"x", `{"status": "done"}`, 404, `no main task "x"`},
		{"5", `{"milestones": [{"index": 9, "done": true}]}`, 400, "task 5 has no milestone 9 (it has 2)"},
		{"5", `{"status": "finished"}`, 400, `invalid task status "finished"`},
		{"5", `{"colour": "red"}`, 400, "not valid JSON"},
		{"5", `{"status": "done"`, 400, "not valid JSON"},
		{"5", `{}`, 400, "nothing to change"},
		{"5", `{"note": "a"} {"note": "b"}`, 400, "one JSON object"},
	} {
		status, body := patchTask(t, auth.Admin, tc.n, tc.body)
		var e struct {
			Error struct {
				Message   string `json:"message"`
				MessageEn string `json:"message_en"`
			} `json:"error"`
		}
		json.Unmarshal(body, &e)
		if status != tc.status || !strings.Contains(e.Error.MessageEn, tc.en) || e.Error.Message == "" {
			t.Errorf("PATCH %s %s: %d %s, want %d %q", tc.n, tc.body, status, body, tc.status, tc.en)
		}
	}
	getData(t, "/api/v1/tasks/5", &again)
	if len(again.History) != 1 {
		t.Errorf("task 5 has %d changes after refused edits", len(again.History))
	}
}

func TestProjectsPage(t *testing.T) {
	if status, body := patchTask(t, auth.Admin, "6", `{"status": "done", "milestones": [{"index": 1, "done": true}]}`); status != http.StatusOK {
		t.Fatalf("PATCH task 6: %d %s", status, body)
	}
	res, body := get(t, "/projects")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	page := string(body)
	for _, want := range []string{
		"<h1>重点工程与主要任务</h1>", "公办学前教育资源扩容工程", "新增公办幼儿园",
		// A project with no quantified target: the words beside the symbol.
		"新建、改扩建中小学校", "尚未测量", "规划未提出量化目标",
		// The annex's text of each project.
		"<summary>主要内容</summary><p>通过新建、改扩建、回购、回租等方式新增公办幼儿园200处以上",
		// 5–8 schools, a range.
		`5–8<span class="year">2025</span>`,
		"主要任务台账", "深化教师管理体制改革", "配合单位：市委编办、市人力资源社会保障局",
		"<h2 id=\"h-projects\">重点工程 <span class=\"h-note\">12 项工程，",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(page, `<tr id="task-`); n != 33 {
		t.Errorf("%d task rows, want 33", n)
	}
	if n := strings.Count(page, `<tbody id="project-`); n != 12 {
		t.Errorf("%d project groups, want 12", n)
	}
	// Task 6, done: its status in words and symbol, and its first milestone ticked.
	row := regexp.MustCompile(`(?s)<tr id="task-6">.*?</tr>`).FindString(page)
	if !strings.Contains(row, `<span class="badge status-achieved"><span class="sym" aria-hidden="true">✓</span> 已完成</span>`) ||
		!strings.Contains(row, "里程碑 1/2") || !strings.Contains(row, `<div class="milestone done">`) {
		t.Errorf("task 6's row:\n%s", row)
	}

	_, body = get(t, "/projects?lang=en")
	en := string(body)
	for _, want := range []string{"<h1>Key projects and main tasks</h1>", "Expanding public preschool provision", "Not measured yet",
		"Municipal Commission Office for Public Sector Reform", "milestones 1/2", "Yantai Municipal Bureau of Education"} {
		if !strings.Contains(en, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
	// Every page links to it.
	if _, body := get(t, "/"); !strings.Contains(string(body), `<a href="/projects">重点工程</a>`) {
		t.Error("the overview has no link to /projects")
	}
}

// FuzzTaskEdit sends PATCH bodies for task 2: whatever the body, the answer is the task
// (200) or a refusal saying why (400), never an internal error, and a refusal changes
// nothing.
func FuzzTaskEdit(f *testing.F) {
	for _, seed := range []string{
		`{"status": "in_progress"}`,
		`{"status": "已完成", "note": "证据", "milestones": [{"index": 1, "done": true}, {"index": 2, "done": false}]}`,
		`{"milestones": [{"index": -1, "done": true}]}`,
		`{"milestones": [{"index": 9223372036854775807, "done": true}]}`,
		`{"milestones": null, "note": null, "status": null}`,
		`{"status": 3}`,
		`[]`,
		`null`,
		``,
		`{"note": "\u0000"}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var before ledger.TaskDetail
		getData(t, "/api/v1/tasks/2", &before)
		status, b := patchTask(t, auth.Admin, "2", body)
		switch status {
		case http.StatusOK:
		case http.StatusBadRequest:
			var after ledger.TaskDetail
			getData(t, "/api/v1/tasks/2", &after)
			if len(after.History) != len(before.History) {
				t.Errorf("refused body %q changed task 2", body)
			}
		default:
			t.Errorf("body %q: status %d: %s", body, status, b)
		}
	})
}
