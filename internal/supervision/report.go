package supervision

import (
	"context"
	"io"
	"slices"

	"github.com/xuri/excelize/v2"

	"github.com/yantai-edu/eduplan/internal/sheet"
	"github.com/yantai-edu/eduplan/internal/store"
)

// Report is a round's report: a row per covered org (its self-evaluation, the
// verification's result and its cases) and the city's summary.
type Report struct {
	Round         store.SupRound `json:"round"`
	SubjectName   string         `json:"subject_name"`
	SubjectNameEn string         `json:"subject_name_en"`
	Rows          []ReportRow    `json:"rows"`
	Summary       Summary        `json:"summary"`
	Cases         []CaseView     `json:"cases"`
}

// ReportRow is one org of a round's report.
type ReportRow struct {
	Org    string `json:"org"`
	Name   string `json:"name"`
	NameEn string `json:"name_en"`
	Status string `json:"status"`
	Result string `json:"result,omitempty"`
	// ResultName and ResultNameEn are the result in words (限期整改), as the round's
	// checklist names it.
	ResultName   string `json:"result_name,omitempty"`
	ResultNameEn string `json:"result_name_en,omitempty"`
	// Submission is the submission the answers are counted from, 0 when the
	// self-evaluation was never submitted and they are counted as they stand.
	Submission int `json:"submission,omitempty"`
	Items      int `json:"items"`
	Met        int `json:"met"`
	Partly     int `json:"partly"`
	NotMet     int `json:"not_met"`
	Accepted   int `json:"accepted"`
	Returned   int `json:"returned"`
	Findings   int `json:"findings"`
	OpenCases  int `json:"open_cases"`
	Overdue    int `json:"overdue"`
}

// Summary is the city's summary of a round.
type Summary struct {
	Orgs      int            `json:"orgs"`
	Submitted int            `json:"submitted"` // submitted or verified
	Verified  int            `json:"verified"`
	Met       int            `json:"items_met"`
	Returned  int            `json:"items_returned"`
	Findings  int            `json:"findings"`
	Themes    map[string]int `json:"findings_by_theme"`
	OpenCases int            `json:"open_cases"`
	Overdue   int            `json:"overdue"`
}

// RoundReport builds a round's report as the actor may see it: a district officer's
// holds their district's row only. A self-evaluation once submitted is counted as last
// submitted, computed items at their frozen values, so that later data never changes
// the report of what was submitted and verified; one never submitted is counted from
// its answers and the values now.
func (s *Service) RoundReport(ctx context.Context, a Actor, id int64) (*Report, error) {
	rv, err := s.RoundDetail(ctx, a, id)
	if err != nil {
		return nil, err
	}
	rep := &Report{Round: rv.SupRound, SubjectName: rv.SubjectName, SubjectNameEn: rv.SubjectNameEn, Summary: Summary{Themes: map[string]int{}}}
	cases, err := s.Cases(ctx, a, id)
	if err != nil {
		return nil, err
	}
	rep.Cases = cases
	for _, e := range rv.Evals {
		row, err := s.reportRow(ctx, rv.SupRound, e)
		if err != nil {
			return nil, err
		}
		for _, c := range cases {
			if c.Org != e.Org {
				continue
			}
			row.Findings++
			if c.Status != Closed {
				row.OpenCases++
			}
			if c.Overdue {
				row.Overdue++
			}
			rep.Summary.Themes[cmpOr(c.Theme, "其他")]++
		}
		rep.Summary.add(row)
		rep.Rows = append(rep.Rows, row)
	}
	return rep, nil
}

// ResultLabel names a verification's result (a code of the round's checklist, such as
// "conditional") in Chinese and English: 限期整改. A code the checklist does not have is
// its own name; no result is "".
func (s *Service) ResultLabel(r store.SupRound, code string) (zh, en string) {
	if code == "" {
		return "", ""
	}
	if c := s.Pack.Checklist(r.Subject); c != nil && r.SubjectKind == KindChecklist {
		for _, ch := range c.Results {
			if ch.Code == code {
				return ch.Name, ch.NameEn
			}
		}
	}
	return code, code
}

// add counts an org's row in the city's summary.
func (sm *Summary) add(row ReportRow) {
	sm.Orgs++
	if row.Status == Submitted || row.Status == Verified {
		sm.Submitted++
	}
	if row.Status == Verified {
		sm.Verified++
	}
	sm.Met += row.Met
	sm.Returned += row.Returned
	sm.Findings += row.Findings
	sm.OpenCases += row.OpenCases
	sm.Overdue += row.Overdue
}

// reportRow counts an org's self-evaluation: its answers (a computed item's is whether
// its value met the threshold) as last submitted, or as they stand if never submitted;
// the verdicts as they stand.
func (s *Service) reportRow(ctx context.Context, r store.SupRound, e store.SupEval) (ReportRow, error) {
	row := ReportRow{Org: e.Org, Status: e.Status, Result: e.Result}
	row.Name, row.NameEn = s.orgName(e.Org)
	row.ResultName, row.ResultNameEn = s.ResultLabel(r, e.Result)
	sup := s.DB.Supervision(s.Pack.Tenant)
	items, err := sup.Items(ctx, r.ID, e.Org)
	if err != nil {
		return row, err
	}
	answers := map[string]string{}
	_, sub, err := readSubmission(ctx, sup, r.ID, e.Org, e.Submission)
	if err != nil {
		return row, err
	}
	if sub != nil {
		row.Submission = sub.N
		for _, si := range sub.Items {
			answers[si.Code] = si.Answer
			if si.Figure != nil && si.Answer == "" {
				answers[si.Code] = si.Figure.Met
			}
		}
	} else {
		var live map[string]Figure
		if s.Engine != nil {
			live = Figures(s.Engine(), r, e.Org)
		}
		for code, it := range items {
			answers[code] = it.Answer
		}
		for code, f := range live {
			if answers[code] == "" {
				answers[code] = f.Met
			}
		}
	}
	for _, d := range ItemsOf(s.Pack, r) {
		row.Items++
		switch answers[d.Code] {
		case Met:
			row.Met++
		case Partly:
			row.Partly++
		case NotMet:
			row.NotMet++
		}
		switch items[d.Code].Verdict {
		case Accepted:
			row.Accepted++
		case Returned:
			row.Returned++
		}
	}
	return row, nil
}

// WriteXLSX writes a round's report as a workbook: the summary, a row per org, and the
// cases; text a spreadsheet would run is neutralised (sheet.Text).
func (rep *Report) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const summary, orgs, cases = "汇总 summary", "单位 orgs", "问题与整改 cases"
	if err := f.SetSheetName("Sheet1", summary); err != nil {
		return err
	}
	if _, err := f.NewSheet(orgs); err != nil {
		return err
	}
	if _, err := f.NewSheet(cases); err != nil {
		return err
	}
	t := sheet.Text
	rows := [][]any{
		{"督导轮次 round", t(rep.Round.Title)},
		{"督导内容 subject", t(rep.SubjectName)},
		{"年度 year", rep.Round.Year},
		{"覆盖单位 orgs", rep.Summary.Orgs},
		{"已提交 submitted", rep.Summary.Submitted},
		{"已验证 verified", rep.Summary.Verified},
		{"达标项 items met", rep.Summary.Met},
		{"退回项 items returned", rep.Summary.Returned},
		{"问题 findings", rep.Summary.Findings},
		{"未销号 open cases", rep.Summary.OpenCases},
		{"逾期 overdue", rep.Summary.Overdue},
	}
	themes := make([]string, 0, len(rep.Summary.Themes))
	for th := range rep.Summary.Themes {
		themes = append(themes, th)
	}
	slices.Sort(themes)
	for _, th := range themes {
		rows = append(rows, []any{"问题领域 theme: " + t(th), rep.Summary.Themes[th]})
	}
	if err := setRows(f, summary, rows); err != nil {
		return err
	}
	rows = [][]any{{"代码 org", "名称 name", "自评状态 status", "结论 result", "评估项 items", "达标 met", "部分达标 partly", "未达标 not met",
		"认可 accepted", "退回 returned", "问题 findings", "未销号 open", "逾期 overdue"}}
	for _, r := range rep.Rows {
		zh, _ := StateLabel(Evaluation, r.Status)
		rows = append(rows, []any{t(r.Org), t(r.Name), zh, t(r.ResultName), r.Items, r.Met, r.Partly, r.NotMet, r.Accepted, r.Returned, r.Findings, r.OpenCases, r.Overdue})
	}
	if err := setRows(f, orgs, rows); err != nil {
		return err
	}
	rows = [][]any{{"编号 id", "类型 type", "单位 org", "评估项 item", "领域 theme", "问题 title", "状态 status", "整改期限 due", "逾期 overdue"}}
	for _, c := range rep.Cases {
		zh, _ := StateLabel(Case, c.Status)
		od, due := "", c.Due
		if c.Overdue {
			od = "逾期"
		}
		if due == "" { // a case stored before due dates were required
			due = "未设期限 no due date"
		}
		rows = append(rows, []any{c.ID, t(c.TypeName), t(c.OrgName), t(c.Item), t(c.Theme), t(c.Title), zh, due, od})
	}
	if err := setRows(f, cases, rows); err != nil {
		return err
	}
	return f.Write(w)
}

func setRows(f *excelize.File, name string, rows [][]any) error {
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(name, cell, &r); err != nil {
			return err
		}
	}
	return nil
}
