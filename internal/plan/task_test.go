package plan_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestBuiltinTasks checks the 33 main tasks against the plan text (part 二).
func TestBuiltinTasks(t *testing.T) {
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 33 {
		t.Fatalf("%d tasks, want 33", len(p.Tasks))
	}
	for i, task := range p.Tasks {
		if task.Number != i+1 || p.Task(i+1) != task {
			t.Errorf("task %d is numbered %d", i+1, task.Number)
		}
		if task.Title == "" || task.TitleEn == "" || p.Unit(task.Lead) == nil || len(task.Milestones) == 0 {
			t.Errorf("task %d: title %q / %q, lead %q, %d milestones", task.Number, task.Title, task.TitleEn, task.Lead, len(task.Milestones))
		}
	}
	if p.Task(0) != nil || p.Task(34) != nil {
		t.Error("tasks 0 and 34 exist")
	}
	// 二、(三)17 names the staffing (编制) and human-resources (人社) departments.
	if got := p.Task(17); got.Section != "二、(三)17" || got.Title != "深化教师管理体制改革" || got.Lead != "市教育局" ||
		!slices.Equal(got.Cooperating, []string{"市委编办", "市人力资源社会保障局"}) {
		t.Errorf("task 17 = %+v", got)
	}
	// 二、(五)22: 到2023年基本完成……培育110所信息化教学实验学校.
	if got := p.Task(22).Milestones; len(got) != 2 || got[0].Year != 2023 || got[1].Year != 2023 || !strings.Contains(got[1].Text, "110所") {
		t.Errorf("task 22 milestones = %+v", got)
	}
	// 二、(五)23: 到2022年全市智慧校园覆盖率达到90%以上.
	if got := p.Task(23).Milestones[0]; got.Year != 2022 || !strings.Contains(got.Text, "90%") {
		t.Errorf("task 23's first milestone = %+v", got)
	}
	// 二、(六)30 names the supervision committee as the body that leads.
	if got := p.Task(30); got.Lead != "市政府教育督导委员会" || !slices.Equal(got.Cooperating, []string{"市教育局"}) {
		t.Errorf("task 30 = %+v", got)
	}
	j := p.JSON()
	if len(j.Tasks) != 33 || len(j.Units) != len(p.Units) || j.Tasks[0].Cooperating == nil || j.Tasks[16].Cooperating[1] != "市人力资源社会保障局" {
		t.Errorf("JSON tasks = %+v", j.Tasks[:1])
	}
}

func TestParseTaskStatus(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want plan.TaskStatus
	}{
		{"in_progress", plan.TaskInProgress},
		{"进行中", plan.TaskInProgress},
		{" done ", plan.TaskDone},
		{"已完成", plan.TaskDone},
		{"未启动", plan.TaskNotStarted},
		{"delayed", plan.TaskDelayed},
		{"滞后", plan.TaskDelayed},
	} {
		if got, err := plan.ParseTaskStatus(tc.in); err != nil || got != tc.want {
			t.Errorf("ParseTaskStatus(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "finished", "Done"} {
		_, err := plan.ParseTaskStatus(bad)
		if plan.ErrorCode(err) != plan.EINVALID {
			t.Errorf("ParseTaskStatus(%q): err = %v, want EINVALID", bad, err)
		}
		if zh, en := plan.ErrorMessages(err); !strings.Contains(zh, "进行中") || !strings.Contains(en, "in_progress") {
			t.Errorf("ParseTaskStatus(%q): messages %q / %q", bad, zh, en)
		}
	}
	if plan.TaskDelayed.Label() != "滞后" || plan.TaskNotStarted.LabelEn() != "Not started" {
		t.Error("labels")
	}
}

// TestTaskErrors breaks tasks.yaml one way at a time and wants the issue at file:line:
// field. The lines are those of the built-in tasks.yaml.
func TestTaskErrors(t *testing.T) {
	tests := []struct{ old, new, want string }{
		// Task 1's lead, line 44.
		{"    lead: 市教育局\n    milestones:\n      - year: 2025\n        text: 推进大中小学", "    lead: 市教育厅\n    milestones:\n      - year: 2025\n        text: 推进大中小学", "tasks.yaml:44: tasks[1].lead"},
		{"cooperating: [市委编办, 市人力资源社会保障局]", "cooperating: [市委编办, 市人社局]", "tasks.yaml:302: tasks[17].cooperating"},
		{"cooperating: [市委编办, 市人力资源社会保障局]", "cooperating: [市委编办, 市教育局]", "tasks.yaml:302: tasks[17].cooperating"},
		{"cooperating: [市委编办, 市人力资源社会保障局]", "cooperating: [市委编办, 市委编办]", "tasks.yaml:302: tasks[17].cooperating"},
		// Task 2 renumbered 1, line 53.
		{"  - number: 2\n", "  - number: 1\n", "tasks.yaml:53: tasks[1].number"},
		{"  - number: 2\n", "  - number: 0\n", "tasks.yaml:53: tasks[0].number"},
		// Task 4's fourth milestone, 2030, moved beyond 2025 + 10.
		{"      - year: 2030", "      - year: 2040", "tasks.yaml:103: tasks[4].milestones[4].year"},
		{"    title: 深入推进德育改革", "    titel: 深入推进德育改革", "tasks.yaml:54: tasks[2].titel"},
		{"    title: 深入推进德育改革", "    titel: 深入推进德育改革", "tasks.yaml:53: tasks[2].title"},
		{"  - name: 驻烟高校\n", "  - name: 市教育局\n", "tasks.yaml:31: units[6].name"},
	}
	for _, tt := range tests {
		dir := copyBuiltin(t)
		path := filepath.Join(dir, plan.TasksFile)
		b, _ := os.ReadFile(path)
		if !strings.Contains(string(b), tt.old) {
			t.Fatalf("%q not found", tt.old)
		}
		os.WriteFile(path, []byte(strings.Replace(string(b), tt.old, tt.new, 1)), 0o644)
		wantIssue(t, dir, tt.want)
	}
}

// TestNoTasksOrProjects: both files are optional, as in a drafted pack.
func TestNoTasksOrProjects(t *testing.T) {
	dir := copyBuiltin(t)
	os.Remove(filepath.Join(dir, plan.TasksFile))
	os.Remove(filepath.Join(dir, plan.ProjectsFile))
	p, err := plan.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 0 || len(p.Projects) != 0 {
		t.Errorf("%d tasks, %d projects", len(p.Tasks), len(p.Projects))
	}
	if j := p.JSON(); j.Tasks == nil || j.Projects == nil || j.Units == nil {
		t.Error("JSON writes null for no tasks")
	}
	// Projects without tasks.yaml have no units to be led by, nor tasks to carry out.
	dir = copyBuiltin(t)
	os.Remove(filepath.Join(dir, plan.TasksFile))
	wantIssue(t, dir, "projects.yaml:26: projects[public_preschool].lead")
	wantIssue(t, dir, "projects.yaml:25: projects[public_preschool].tasks")
}

func ExampleParseTaskStatus() {
	st, _ := plan.ParseTaskStatus("进行中")
	fmt.Println(st, st.Label(), st.LabelEn())
	_, err := plan.ParseTaskStatus("finished")
	fmt.Println(plan.ErrorCode(err))
	// Output:
	// in_progress 进行中 In progress
	// invalid
}
