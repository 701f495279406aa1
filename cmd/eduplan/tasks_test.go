package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/store"
)

// taskExit is the status eduplan exits with after err.
func taskExit(err error) int { return exitCode(err) }

func TestTasksCommand(t *testing.T) {
	db := fixture.NewDBName(t)
	actor := "cli:" + currentUser()
	created, err := store.Open(context.Background(), db) // read commands need the file to exist
	if err != nil {
		t.Fatal(err)
	}
	created.Close()

	out, _, err := run(t, "tasks", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 34 || !strings.HasPrefix(lines[7], "7 ") || !strings.Contains(lines[7], "未启动 Not started") || !strings.Contains(lines[7], "0/2") {
		t.Fatalf("tasks list (%d lines):\n%s", len(lines), out)
	}

	out, _, err = run(t, "tasks", "set", "7", "--db", db, "--status", "进行中", "--note", "法育工程实施方案已印发", "--milestone", "2", "--done")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"推进法治教育、生态文明教育和国防教育", "进行中 in_progress", "法育工程实施方案已印发", "(1/2 done)",
		"  2 [x] 2025", "  1 [ ] 2025", "history 修改记录 (1)", actor + " (cli): status not_started → in_progress; note changed; milestone 2 done"} {
		if !strings.Contains(out, want) {
			t.Errorf("tasks set output lacks %q:\n%s", want, out)
		}
	}
	out, _, _ = run(t, "tasks", "list", "--db", db)
	if line := strings.Split(out, "\n")[7]; !strings.Contains(line, "进行中 In progress") || !strings.Contains(line, "1/2") || !strings.Contains(line, actor) {
		t.Errorf("task 7 in the list: %s", line)
	}

	// Undo the milestone: the history grows, newest first.
	if _, _, err := run(t, "tasks", "set", "7", "--db", db, "--milestone", "2", "--undone"); err != nil {
		t.Fatal(err)
	}
	out, _, err = run(t, "tasks", "show", "7", "--db", db, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Status         string `json:"status"`
		MilestonesDone int    `json:"milestones_done"`
		History        []struct {
			Actor  string `json:"actor"`
			Remote string `json:"remote"`
			After  struct {
				Status string `json:"status"`
			} `json:"after"`
		} `json:"history"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Status != "in_progress" || d.MilestonesDone != 0 || len(d.History) != 2 || d.History[0].Actor != actor || d.History[0].Remote != "cli" || d.History[1].After.Status != "in_progress" {
		t.Errorf("task 7 as JSON: %+v", d)
	}

	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"tasks", "set", "99", "--status", "done"}, 3, "no main task 99"},
		{[]string{"tasks", "set", "7", "--status", "finished"}, 2, "invalid task status"},
		{[]string{"tasks", "set", "7", "--milestone", "3", "--done"}, 2, "task 7 has no milestone 3"},
		{[]string{"tasks", "set", "7", "--done"}, 2, "--done and --undone need --milestone"},
		{[]string{"tasks", "set", "7", "--milestone", "1"}, 2, "--milestone needs --done or --undone"},
		{[]string{"tasks", "set", "7"}, 2, "nothing to change"},
		{[]string{"tasks", "show", "seven"}, 2, "is not a task number"},
		{[]string{"tasks", "show", "34"}, 3, "主要任务 34 不存在"},
	} {
		_, _, err := run(t, append(tc.args, "--db", db)...)
		if code := taskExit(err); code != tc.code || !strings.Contains(exitMessage(err), tc.msg) {
			t.Errorf("%v: exit %d (%v), want %d with %q", tc.args, code, err, tc.code, tc.msg)
		}
	}
	out, _, err = run(t, "tasks", "set", "8", "--db", db, "--status", "delayed", "--format", "json")
	var t8 struct {
		Status string `json:"status"`
	}
	if err != nil || json.Unmarshal([]byte(out), &t8) != nil || t8.Status != "delayed" {
		t.Errorf("tasks set --format json: %v\n%s", err, out)
	}
	out, _, _ = run(t, "tasks", "show", "7", "--db", db)
	if !strings.Contains(out, "history 修改记录 (2)") {
		t.Errorf("refused changes were recorded:\n%s", out)
	}
}

// TestProjectsCommand runs `eduplan projects` on the tiny data set, where the city's
// 2021 公办幼儿园在园幼儿占比 is 4 of 6 children: 66.67% against 75% by 2025 from 41.17%
// in 2020, c = 25.50 / 33.83 = 0.75 against τ = 0.2: ahead.
func TestProjectsCommand(t *testing.T) {
	db := tinyDB(t)
	out, _, err := run(t, "projects", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\n1        公办学前教育资源扩容工程", "kg_public_share", "66.67% (2021) / 75.00% (2025)", "快于预期 Ahead of schedule",
		"新建、改扩建中小学校", "- / 100 (2025)", "尚未测量 Not measured yet", "5–8 (2025)", "\n12       家庭学校社会协同育人工程"} {
		if !strings.Contains(out, want) {
			t.Errorf("projects lacks %q:\n%s", want, out)
		}
	}
	out, _, err = run(t, "projects", "--db", db, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var ps []struct {
		Code    string `json:"code"`
		Targets []struct {
			Measure string `json:"measure"`
			Status  string `json:"status"`
		} `json:"targets"`
	}
	if err := json.Unmarshal([]byte(out), &ps); err != nil || len(ps) != 12 || ps[0].Targets[1].Measure != "kg_public_share" || ps[0].Targets[1].Status != "ahead" {
		t.Errorf("projects as JSON: %v, %+v", err, ps)
	}
	if _, _, err := run(t, "projects", "--db", db, "--format", "xml"); taskExit(err) != 2 {
		t.Errorf("--format xml: %v", err)
	}
}
