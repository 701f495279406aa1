package supervision

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/yantai-edu/eduplan/internal/docx"
)

// WriteDOCX writes a round's report as a Word document in Chinese (督导报告): the
// city's summary, a table of each org's self-evaluation and verification, the findings
// by theme and every case with its state, as of the time given.
func (rep *Report) WriteDOCX(w io.Writer, at time.Time) error {
	r := rep.Round
	d := docx.New("zh-CN", at)
	d.SetTitle(r.Title)
	d.SetHeader(r.Title + " · 督导报告")
	d.SetFooter("eduplan · " + at.Format("2006-01-02 15:04"))
	d.Centered("Title", r.Title)
	d.Centered("Subtitle", fmt.Sprintf("%s · %d 年度 · 督导报告", rep.SubjectName, r.Year))
	s := rep.Summary
	d.Heading(1, "一、总体情况")
	d.Paragraph("", fmt.Sprintf("本轮督导覆盖 %d 个单位，已提交自评 %d 个，经市级验证 %d 个；达标项 %d 项，验证退回 %d 项；提出问题 %d 个，尚未整改销号 %d 个，其中逾期 %d 个。",
		s.Orgs, s.Submitted, s.Verified, s.Met, s.Returned, s.Findings, s.OpenCases, s.Overdue))
	if r.SelfDue != "" || r.VerifyDue != "" || r.RectifyDue != "" {
		d.Paragraph("", fmt.Sprintf("自评截止 %s，验证截止 %s，整改期限 %s。", orDash(r.SelfDue), orDash(r.VerifyDue), orDash(r.RectifyDue)))
	}
	d.Heading(1, "二、各单位自评与验证")
	t := docx.Table{Header: []string{"单位", "状态", "结论", "达标", "部分达标", "未达标", "认可", "退回", "问题", "未销号"},
		Right: []bool{false, false, false, true, true, true, true, true, true, true}, Widths: []int{4, 2, 2, 1, 1, 1, 1, 1, 1, 1}}
	for _, row := range rep.Rows {
		st, _ := StateLabel(Evaluation, row.Status)
		t.Rows = append(t.Rows, []string{row.Name, st, row.ResultName, strconv.Itoa(row.Met), strconv.Itoa(row.Partly), strconv.Itoa(row.NotMet),
			strconv.Itoa(row.Accepted), strconv.Itoa(row.Returned), strconv.Itoa(row.Findings), strconv.Itoa(row.OpenCases)})
	}
	d.Table(t)
	d.Heading(1, "三、问题与整改")
	if len(rep.Cases) == 0 {
		d.Paragraph("", "本轮督导未提出问题。")
	} else {
		themes := make([]string, 0, len(s.Themes))
		for th := range s.Themes {
			themes = append(themes, th)
		}
		slices.Sort(themes)
		text := "问题按领域："
		for i, th := range themes {
			if i > 0 {
				text += "；"
			}
			text += fmt.Sprintf("%s %d 个", th, s.Themes[th])
		}
		d.Paragraph("", text+"。")
		ct := docx.Table{Header: []string{"编号", "单位", "评估项", "问题", "状态", "整改期限"}, Widths: []int{1, 3, 1, 6, 2, 2}}
		for _, c := range rep.Cases {
			st, _ := StateLabel(Case, c.Status)
			if c.Overdue {
				st += "（逾期）"
			}
			due := c.Due
			if due == "" { // a case stored before due dates were required
				due = "未设期限"
			}
			ct.Rows = append(ct.Rows, []string{strconv.FormatInt(c.ID, 10), c.OrgName, c.Item, c.Title, st, due})
		}
		d.Table(ct)
	}
	_, err := d.WriteTo(w)
	return err
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
