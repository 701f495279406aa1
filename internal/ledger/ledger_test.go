package ledger_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/ledger"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/store"
)

// institutions2025 has the tiny data set's two public kindergartens of 2020 (K1, MK) and
// two new ones: 新增公办幼儿园 in 2025 is 4 − 2 = 2.
const institutions2025 = `year,code,name,district,type,ownership,inclusive,location
2025,K1,芝罘公办幼儿园,370602,kindergarten,public,true,urban
2025,K2,芝罘民办幼儿园,370602,kindergarten,private,false,urban
2025,K3,芝罘新建公办幼儿园,370602,kindergarten,public,true,urban
2025,K4,牟平新建公办幼儿园,370612,kindergarten,public,true,rural
2025,MK,牟平乡村幼儿园,370612,kindergarten,public,true,rural
`

// moreFacts are reported facts of the city beside the tiny data set's own.
const moreFacts = `2020,370600,smart_campus_coverage,,50
2022,370600,smart_campus_coverage,,70
2020,370600,provincial_quality_vocational_schools,,0
2022,370600,provincial_quality_vocational_schools,,6
2022,370600,distinctive_vocational_programmes,,3
2020,370600,sh_poor_vision_rate,,30
2021,370600,sh_poor_vision_rate,,28.5
2022,370600,sh_poor_vision_rate,,28
2022,370600,schools_built,,40
`

func engine(t *testing.T) (*indicator.Engine, *store.DB) {
	t.Helper()
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return engineFor(t, pack)
}

// engineFor is the pack over the tiny data set, institutions2025 and moreFacts.
func engineFor(t *testing.T, pack *plan.Pack) (*indicator.Engine, *store.DB) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	tiny := fixture.TinyFiles()
	factsCSV, err := os.ReadFile(tiny[len(tiny)-1])
	if err != nil {
		t.Fatal(err)
	}
	facts := filepath.Join(dir, "facts.csv")
	inst := filepath.Join(dir, "institutions-2025.csv")
	os.WriteFile(facts, append(factsCSV, moreFacts...), 0o644)
	os.WriteFile(inst, []byte(institutions2025), 0o644)
	db, err := store.Open(ctx, filepath.Join(dir, "l.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	files := append(slices.Clone(tiny[:len(tiny)-1]), inst, facts)
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), files, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		t.Fatal(err)
	}
	return e, db
}

func TestProjects(t *testing.T) {
	e, _ := engine(t)
	projects, err := ledger.Projects(e, e.Pack().FullScope())
	if err != nil {
		t.Fatal(err)
	}
	if len(projects) != 12 {
		t.Fatalf("%d projects", len(projects))
	}
	n := func(v float64) progress.Number { return progress.Number{V: v, OK: true} }
	near := func(a progress.Number, b float64) bool { return a.OK && a.V > b-1e-9 && a.V < b+1e-9 }
	type want struct {
		project, index int // from 1
		measure        string
		latestYear     int
		latest         progress.Number
		target         progress.Number
		status         progress.Status
	}
	for _, w := range []want{
		// 新增公办幼儿园 2025: 4 − 2 = 2 of 200. B = 0, τ = 1, c = 0.01: lagging.
		{1, 1, "kg_public_new", 2025, n(2), n(200), progress.Lagging},
		// 公办率 2021: 4 of 6 children in public kindergartens = 66.67%; B = 41.17, T = 75:
		// c = 25.50 / 33.83 = 0.75 against τ = 0.2: ahead.
		{1, 2, "kg_public_share", 2021, n(100 * 4.0 / 6), n(75), progress.Ahead},
		// 新建、改扩建中小学校: 40 of 100 by 2022 from 0 in 2020, c = 0.4 = τ: on track.
		{2, 1, "schools_built", 2022, n(40), n(100), progress.OnTrack},
		{2, 2, "school_places_new", 0, progress.Number{}, n(60000), progress.NoData},
		// 视力不良率 falls 1.5 in 2021 but 0.5 in 2022: the yearly floor of 1 breached.
		{5, 1, "poor_vision_decline", 2022, n(0.5), n(1), progress.Regressing},
		// 6 high-level vocational schools, within 5–8: achieved.
		{8, 1, "vocational_quality_schools", 2022, n(6), n(5), progress.Achieved},
		// 3 programmes, below 6–9: toward min 6 from B = 0, c = 0.5 > τ + δ = 0.45: ahead.
		{8, 2, "vocational_distinctive_programmes", 2022, n(3), n(6), progress.Ahead},
		{8, 3, "industry_education_alliances", 0, progress.Number{}, n(2), progress.NoData},
		// 智慧校园 70% in 2022, its target year, against 90%: lagging.
		{10, 1, "smart_campus_coverage", 2022, n(70), n(90), progress.Lagging},
	} {
		tg := projects[w.project-1].Targets[w.index-1]
		if tg.Measure != w.measure || tg.LatestYear != w.latestYear || tg.Latest.OK != w.latest.OK || (w.latest.OK && !near(tg.Latest, w.latest.V)) ||
			!near(tg.Target, w.target.V) || tg.Status != w.status {
			t.Errorf("project %d target %d = %+v, want %+v", w.project, w.index, tg, w)
		}
	}
	// A project's status is its least favourable measured target's.
	for _, tc := range []struct {
		project int
		status  progress.Status
		zh      string
	}{
		{1, progress.Lagging, "滞后"},
		{2, progress.OnTrack, "基本符合预期"},
		{3, ledger.NoMeasure, "尚未测量"},
		// 美育: no value for any of its three targets.
		{6, progress.NoData, "无数据"},
		{5, progress.Regressing, "倒退"},
		{8, progress.Ahead, "快于预期"},
		{10, progress.Lagging, "滞后"},
	} {
		if p := projects[tc.project-1]; p.Status != tc.status || p.StatusLabel != tc.zh || p.Number != tc.project {
			t.Errorf("project %d: status %s %s, want %s", tc.project, p.Status, p.StatusLabel, tc.status)
		}
	}
	if p := projects[0]; p.Lead.NameEn != "Yantai Municipal Bureau of Education" || !slices.Equal(p.Tasks, []int{8}) {
		t.Errorf("project 1 = %+v", p)
	}
	if tg := projects[7].Targets[0]; tg.Kind != plan.GoalRange || !near(tg.Min, 5) || !near(tg.Max, 8) {
		t.Errorf("range target = %+v", tg)
	}
	if tg := projects[4].Targets[0]; !slices.Equal(tg.Breaches, []int{2022}) || tg.Kind != plan.GoalRelation {
		t.Errorf("relation target = %+v", tg)
	}
}

// TestNoMeasureYet: a target the pack does not measure yet shows the plan's figure only,
// and does not count in its project's status.
func TestNoMeasureYet(t *testing.T) {
	files := fixture.BuiltinFiles(t)
	files[plan.ProjectsFile] = &fstest.MapFile{Data: []byte(`projects:
  - code: p
    number: 1
    name: 工程
    section: 附件 重点工程1
    lead: 市教育局
    targets:
      - name: 尚无衡量的目标
        measure: none yet
        target: {year: 2025, value: 100, unit: count}
        reason: 测试
      - name: 智慧校园覆盖率
        measure: smart_campus_coverage
`)}
	pack, err := plan.Load(files)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := engineFor(t, pack)
	projects, err := ledger.Projects(e, pack.FullScope())
	if err != nil {
		t.Fatal(err)
	}
	p := projects[0]
	if tg := p.Targets[0]; tg.Status != ledger.NoMeasure || tg.MeasureKind != plan.MeasureNone || tg.Target != (progress.Number{V: 100, OK: true}) ||
		tg.TargetYear != 2025 || tg.Unit != "count" || tg.Latest.OK || tg.StatusLabelEn != "Not measured yet" {
		t.Errorf("target with no measure = %+v", tg)
	}
	// 智慧校园 70% in 2022 against 90% then: lagging, the project's status.
	if p.Status != progress.Lagging || p.Targets[1].Status != progress.Lagging {
		t.Errorf("project = %+v", p)
	}
}

func TestTasks(t *testing.T) {
	ctx := context.Background()
	e, db := engine(t)
	pack := e.Pack()
	db.Now = func() time.Time { return time.Date(2023, 6, 30, 4, 0, 0, 0, time.UTC) }
	status := plan.TaskInProgress
	task, err := ledger.Edit(ctx, db, pack.FullScope(), pack, store.TaskEdit{Number: 22, Status: &status,
		Milestones: []store.MilestoneEdit{{Index: 1, Done: true}}, Actor: "alice", Remote: "10.1.1.1"})
	if err != nil {
		t.Fatal(err)
	}
	if task.Status != plan.TaskInProgress || task.StatusLabel != "进行中" || task.MilestonesDone != 1 || len(task.Milestones) != 2 ||
		!task.Milestones[0].Done || task.Milestones[0].DoneOn != "2023-06-30" || task.Milestones[0].Year != 2023 || task.Milestones[1].Done ||
		task.UpdatedAt == nil || task.UpdatedBy != "alice" {
		t.Errorf("task 22 after the edit = %+v", task)
	}
	tasks, err := ledger.Tasks(ctx, db, pack.FullScope(), pack)
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 33 || tasks[21].MilestonesDone != 1 || tasks[0].Status != plan.TaskNotStarted || tasks[0].UpdatedAt != nil || tasks[0].StatusLabelEn != "Not started" {
		t.Errorf("tasks: %d, 22 = %+v, 1 = %+v", len(tasks), tasks[21], tasks[0])
	}
	if c := tasks[16].Cooperating; len(c) != 2 || c[0] != (plan.Unit{Name: "市委编办", NameEn: "Municipal Commission Office for Public Sector Reform"}) {
		t.Errorf("task 17's cooperating units = %+v", c)
	}
	d, err := ledger.TaskWithHistory(ctx, db, pack.FullScope(), pack, 22)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.History) != 1 || d.History[0].Actor != "alice" || d.History[0].After.Status != plan.TaskInProgress || d.MilestonesDone != 1 {
		t.Errorf("task 22 with history = %+v", d)
	}
	// The public sees what was done, not who did it nor from where; an inspector sees
	// who, not from where.
	public := plan.Scope{Tenant: pack.Tenant, Org: pack.Tenant, Detail: plan.Public}
	if d, err := ledger.TaskWithHistory(ctx, db, public, pack, 22); err != nil || d.UpdatedBy != "" || d.History[0].Actor != "" ||
		d.History[0].Remote != "" || d.History[0].After.UpdatedBy != "" || d.Status != plan.TaskInProgress || d.UpdatedAt == nil {
		t.Errorf("task 22 for the public = %+v, %v", d, err)
	}
	if ts, _ := ledger.Tasks(ctx, db, public, pack); ts[21].UpdatedBy != "" || ts[21].MilestonesDone != 1 {
		t.Errorf("task 22 in the list for the public = %+v", ts[21])
	}
	inspector := plan.Scope{Tenant: pack.Tenant, Org: pack.Tenant, Detail: plan.Aggregates}
	if d, _ := ledger.TaskWithHistory(ctx, db, inspector, pack, 22); d.UpdatedBy != "alice" || d.History[0].Actor != "alice" || d.History[0].Remote != "" {
		t.Errorf("task 22 for an inspector = %+v", d)
	}
	// Every main task is the city's: a scope of one district (an analyst or admin
	// granted there) may not change the ledger, nor see from where the city changed it.
	district := plan.Scope{Tenant: pack.Tenant, Org: "370602", Detail: plan.Records}
	done := plan.TaskDone
	if _, err := ledger.Edit(ctx, db, district, pack, store.TaskEdit{Number: 22, Status: &done, Actor: "bob"}); plan.ErrorCode(err) != plan.EFORBIDDEN {
		t.Errorf("a district's scope editing task 22: %v, want forbidden", err)
	}
	if d, _ := ledger.TaskWithHistory(ctx, db, district, pack, 22); d.Status != plan.TaskInProgress || len(d.History) != 1 || d.History[0].Remote != "" {
		t.Errorf("task 22 for a district's scope = %+v", d)
	}
	if d, err := ledger.TaskWithHistory(ctx, db, pack.FullScope(), pack, 1); err != nil || d.History == nil || len(d.History) != 0 {
		t.Errorf("task 1 with history = %+v, %v", d, err)
	}
	if _, err := ledger.TaskWithHistory(ctx, db, pack.FullScope(), pack, 40); plan.ErrorCode(err) != plan.ENOTFOUND {
		t.Errorf("task 40: %v", err)
	}
	if _, err := ledger.Edit(ctx, db, pack.FullScope(), pack, store.TaskEdit{Number: 40, Status: &status, Actor: "alice"}); plan.ErrorCode(err) != plan.ENOTFOUND {
		t.Errorf("edit task 40: %v", err)
	}
}
