package supervision

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yantai-edu/eduplan/internal/docx"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/report"
)

// Document lays out a round's report (督导报告) in lang (zh or en) as of the time given,
// for the evaluation report's writers: report.Report's WriteDOCX (an editable Word
// document) and WriteHTML (a print-ready page). It holds the city's summary, a table of
// each org's self-evaluation and verification, the findings by theme and every case
// with its state. The words of the pack and the loop (org, subject, state, result) are
// written in lang where the pack has them; what people wrote (titles, findings, themes)
// stays as written.
func (rep *Report) Document(lang string, at time.Time) *report.Report {
	if lang != locale.En {
		lang = locale.Zh
	}
	r, s := rep.Round, rep.Summary
	in := func(zh, en string) string { return locale.Text{Zh: zh, En: en}.In(lang) }
	subject := in(rep.SubjectName, rep.SubjectNameEn)
	doc := &report.Report{Lang: lang, Title: r.Title, Mark: locale.F(lang, "sup_doc_mark", r.Title), Generated: at}
	add := func(b report.Block) { doc.Blocks = append(doc.Blocks, b) }
	heading := func(text string) { add(report.Block{Kind: report.Heading, Level: 1, Text: text}) }
	para := func(text string) { add(report.Block{Kind: report.Paragraph, Text: text}) }

	add(report.Block{Kind: report.Paragraph, Style: "Title", Text: r.Title})
	add(report.Block{Kind: report.Paragraph, Style: "Subtitle", Text: locale.F(lang, "sup_doc_subtitle", subject, r.Year)})
	heading(locale.T(lang, "sup_doc_overview"))
	para(locale.F(lang, "sup_doc_summary", s.Orgs, s.Submitted, s.Verified, s.Met, s.Returned, s.Findings, s.OpenCases, s.Overdue))
	if r.SelfDue != "" || r.VerifyDue != "" || r.RectifyDue != "" {
		para(locale.F(lang, "sup_doc_dues", orDash(r.SelfDue), orDash(r.VerifyDue), orDash(r.RectifyDue)))
	}

	heading(locale.T(lang, "sup_doc_orgs"))
	t := docx.Table{Right: []bool{false, false, false, true, true, true, true, true, true, true}, Widths: []int{4, 2, 2, 1, 1, 1, 1, 1, 1, 1},
		Header: []string{locale.T(lang, "sup_org"), locale.T(lang, "sup_state"), locale.T(lang, "sup_result"), locale.T(lang, "sup_met"),
			locale.T(lang, "sup_partly"), locale.T(lang, "sup_not_met"), locale.T(lang, "sup_accepted"), locale.T(lang, "sup_returned"),
			locale.T(lang, "sup_findings"), locale.T(lang, "sup_open_cases")}}
	for _, row := range rep.Rows {
		t.Rows = append(t.Rows, []string{in(row.Name, row.NameEn), in(StateLabel(Evaluation, row.Status)), in(row.ResultName, row.ResultNameEn),
			strconv.Itoa(row.Met), strconv.Itoa(row.Partly), strconv.Itoa(row.NotMet),
			strconv.Itoa(row.Accepted), strconv.Itoa(row.Returned), strconv.Itoa(row.Findings), strconv.Itoa(row.OpenCases)})
	}
	add(report.Block{Kind: report.TableBlock, Table: t})

	heading(locale.T(lang, "sup_doc_cases"))
	if len(rep.Cases) == 0 {
		para(locale.T(lang, "sup_doc_no_cases"))
		return doc
	}
	themes := make([]string, 0, len(s.Themes))
	for th := range s.Themes {
		themes = append(themes, locale.F(lang, "sup_doc_theme_count", th, s.Themes[th]))
	}
	slices.Sort(themes)
	para(locale.F(lang, "sup_doc_themes", strings.Join(themes, locale.T(lang, "sup_doc_list_sep"))))
	ct := docx.Table{Widths: []int{1, 3, 1, 6, 2, 2}, Header: []string{locale.T(lang, "sup_no"), locale.T(lang, "sup_org"), locale.T(lang, "sup_item"),
		locale.T(lang, "sup_finding_text"), locale.T(lang, "sup_state"), locale.T(lang, "sup_rectify_due")}}
	for _, c := range rep.Cases {
		st := in(StateLabel(Case, c.Status))
		if c.Overdue {
			st += locale.T(lang, "sup_doc_overdue")
		}
		due := c.Due
		if due == "" { // a case stored before due dates were required
			due = locale.T(lang, "sup_no_due")
		}
		ct.Rows = append(ct.Rows, []string{strconv.FormatInt(c.ID, 10), in(c.OrgName, c.OrgNameEn), c.Item, c.Title, st, due})
	}
	add(report.Block{Kind: report.TableBlock, Table: ct})
	return doc
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
