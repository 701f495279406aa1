package supervision

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// DemoActor names who the demo round's steps are recorded as: "demo-督学" for the
// city's inspector, "demo-<district>" for each district's officer.
const DemoActor = "demo"

// demoPDF is the evidence file the demo attaches: a minimal PDF.
const demoPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

// SeedDemo opens a round of supervision in a demo database and takes it part of the
// way, so that a newcomer sees the loop at once: the districts' performance of their
// education duties (the pack's district_duty checklist) for the plan's last year, with
// some districts still writing, some submitted, one returned with a reason, one
// verified with a finding being rectified; and a school-safety hazard reported by a
// district. Every step goes through the loop's own checks as the demo's inspector or
// district officer, so the steps and the audit log show it. A database that has a round
// already is left as it is; the same seed gives the same round.
func SeedDemo(ctx context.Context, db *store.DB, pack *plan.Pack, seed int64) error {
	const checklist = "district_duty"
	if pack.Checklist(checklist) == nil || pack.CaseType("safety_hazard") == nil || len(pack.Districts()) < 4 {
		return nil // another pack: nothing to show
	}
	rs, err := db.Supervision(pack.Tenant).Rounds(ctx)
	if err != nil || len(rs) > 0 {
		return err
	}
	s := &Service{DB: db, Pack: pack}
	city := Actor{Principal: auth.Principal{User: DemoActor + "-督学", Role: auth.Inspector, Org: pack.Tenant}, Remote: DemoActor}
	officer := func(d string) Actor {
		return Actor{Principal: auth.Principal{User: DemoActor + "-" + d, Role: auth.DistrictOfficer, Org: d}, Remote: DemoActor}
	}
	year := pack.TargetYear
	r, err := s.OpenRound(ctx, city, NewRound{Title: fmt.Sprintf("%d 年度区市政府履行教育职责督导（演示）", year), Kind: KindChecklist, Subject: checklist,
		Year: year, SelfDue: fmt.Sprintf("%d-03-31", year+1), VerifyDue: fmt.Sprintf("%d-04-30", year+1), RectifyDue: fmt.Sprintf("%d-06-30", year+1)})
	if err != nil {
		return fmt.Errorf("demo round: %w", err)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5e9))
	items := pack.Checklist(checklist).Items
	answer := func(d string, weak int) error {
		var as []Answer
		for i, it := range items {
			a := Answer{Item: it.Code, Answer: Met, Note: demoNotes[i%len(demoNotes)]}
			if i == weak {
				a.Answer, a.Note = Partly, "部分学校尚未完成，已列入下一年度计划。"
			}
			if i == 0 {
				a.Files = []File{{Name: "教育经费执行情况.pdf", R: strings.NewReader(demoPDF)}}
			}
			as = append(as, a)
		}
		return s.Save(ctx, officer(d), r.ID, d, as)
	}
	districts := pack.Districts()
	for i, d := range districts {
		var err error
		switch {
		case i == 0: // verified, with a finding being rectified
			err = demoVerified(ctx, s, city, officer(d.Code), r, items, answer)
		case i == 1: // returned with a reason
			if err = answer(d.Code, 3); err == nil {
				if _, err = s.Submit(ctx, officer(d.Code), r.ID, d.Code); err == nil {
					if err = s.Review(ctx, city, r.ID, d.Code, items[3].Code, ActReturn, "风险防控体系佐证不足：请补充隐患排查台账。"); err == nil {
						err = s.Return(ctx, city, r.ID, d.Code, "第 4 项须补充材料后重新提交。")
					}
				}
			}
		case i < len(districts)/2+1 || rng.IntN(3) == 0: // submitted, awaiting verification
			if err = answer(d.Code, rng.IntN(len(items))); err == nil {
				_, err = s.Submit(ctx, officer(d.Code), r.ID, d.Code)
			}
		case rng.IntN(2) == 0: // started
			err = answer(d.Code, -1)
		}
		if err != nil {
			return fmt.Errorf("demo round, %s: %w", d.Code, err)
		}
	}
	d := districts[2].Code
	_, err = s.ReportCase(ctx, officer(d), CaseReport{Type: "safety_hazard", Org: d, Title: "某小学教学楼外墙瓷砖空鼓脱落风险",
		Due: time.Date(year+1, 1, 15, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), Fields: map[string]string{"risk": "high", "responsible": "区教体局", "location": "教学楼北侧外墙"}})
	if err != nil {
		return fmt.Errorf("demo hazard: %w", err)
	}
	return nil
}

var demoNotes = []string{
	"已落实，见年度决算报告。",
	"已印发并按计划实施。",
	"已落实，见编制核定文件。",
	"已建立并运行，见制度汇编。",
	"已实现全覆盖，见挂牌名单。",
}

// demoVerified takes one district's self-evaluation to verified, with a finding in
// rectification.
func demoVerified(ctx context.Context, s *Service, city, off Actor, r store.SupRound, items []*plan.ChecklistItem, answer func(string, int) error) error {
	d := off.Org
	if err := answer(d, -1); err != nil {
		return err
	}
	if _, err := s.Submit(ctx, off, r.ID, d); err != nil {
		return err
	}
	for _, it := range items {
		if err := s.Review(ctx, city, r.ID, d, it.Code, ActAccept, ""); err != nil {
			return err
		}
	}
	c, err := s.RaiseFinding(ctx, city, Finding{Round: r.ID, Org: d, Item: items[3].Code, Text: "部分学校安全风险台账未按月更新"})
	if err != nil {
		return err
	}
	if err := s.Verify(ctx, city, r.ID, d, ""); err != nil {
		return err
	}
	return s.CaseStep(ctx, off, c.ID, ActStart, "已部署全区学校逐月更新台账。", nil)
}
