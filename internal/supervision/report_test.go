package supervision_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/report"
	sv "github.com/yantai-edu/eduplan/internal/supervision"
)

// metOf counts the items of a self-evaluation whose figure met its threshold: as
// frozen in the submission, or as computed now.
func metOf(t *testing.T, l *loop, round int64, org string) (frozen, live int) {
	t.Helper()
	v, err := l.Evaluation(context.Background(), inspector, round, org)
	must(t, err)
	for _, it := range v.Items {
		if it.Frozen != nil && it.Frozen.Met == sv.Met {
			frozen++
		}
		if it.Live != nil && it.Live.Met == sv.Met {
			live++
		}
	}
	return frozen, live
}

// TestReportCountsAsSubmitted: a round's report counts a submitted self-evaluation as
// submitted, its computed items at their frozen values, however the data changes
// after; a draft is counted from the values as they stand.
func TestReportCountsAsSubmitted(t *testing.T) {
	ctx := context.Background()
	l := newLoop(t)
	r, err := l.OpenRound(ctx, inspector, sv.NewRound{Title: "2020 指标自评", Kind: sv.KindIndicators, Year: 2020, Orgs: []string{"370602", "370612"}})
	must(t, err)
	_, err = l.Submit(ctx, officer, r.ID, "370602")
	must(t, err)
	_, draftMet := metOf(t, l, r.ID, "370612")
	submittedMet, _ := metOf(t, l, r.ID, "370602")
	if submittedMet == 0 || draftMet == 0 {
		t.Fatalf("met: %d submitted, %d in the draft: the test proves nothing", submittedMet, draftMet)
	}

	// The data behind the values is gone: nothing is met now.
	empty, _ := fixture.NewDB(t)
	e, err := indicator.Load(ctx, empty, l.pack)
	must(t, err)
	l.engine = e
	if _, live := metOf(t, l, r.ID, "370602"); live != 0 {
		t.Fatalf("%d items met over no data", live)
	}
	rep, err := l.RoundReport(ctx, inspector, r.ID)
	must(t, err)
	rows := map[string]sv.ReportRow{}
	for _, row := range rep.Rows {
		rows[row.Org] = row
	}
	if row := rows["370602"]; row.Met != submittedMet || row.Submission != 1 {
		t.Errorf("the submitted self-evaluation: %d met as of submission %d, want %d as of 1", row.Met, row.Submission, submittedMet)
	}
	if row := rows["370612"]; row.Met != 0 || row.Submission != 0 {
		t.Errorf("the draft: %d met as of submission %d, want 0 as the values stand", row.Met, row.Submission)
	}
	if rep.Summary.Met != submittedMet {
		t.Errorf("the city's summary: %d met, want %d", rep.Summary.Met, submittedMet)
	}
}

// zipText is the text of every part of an Office document, one after another.
func zipText(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	must(t, err)
	var all strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		must(t, err)
		part, err := io.ReadAll(rc)
		rc.Close()
		must(t, err)
		all.Write(part)
	}
	return all.String()
}

// TestReportResultInWords: a kindergarten inspection's result is written in the pack's
// words (限期整改), not as its code, in the report and its Word and Excel downloads.
func TestReportResultInWords(t *testing.T) {
	ctx := context.Background()
	l := newLoop(t)
	r, err := l.OpenRound(ctx, inspector, sv.NewRound{Title: "2020 年幼儿园年检", Kind: sv.KindChecklist, Subject: "kg_annual", Year: 2020, Orgs: []string{"K1"}})
	must(t, err)
	var answers []sv.Answer
	for _, it := range l.pack.Checklist("kg_annual").Items {
		answers = append(answers, sv.Answer{Item: it.Code, Answer: sv.Partly})
	}
	must(t, l.Save(ctx, clerk, r.ID, "K1", answers))
	_, err = l.Submit(ctx, clerk, r.ID, "K1")
	must(t, err)
	for _, a := range answers {
		must(t, l.Review(ctx, inspector, r.ID, "K1", a.Item, sv.ActAccept, ""))
	}
	must(t, l.Verify(ctx, inspector, r.ID, "K1", "conditional"))

	rep, err := l.RoundReport(ctx, inspector, r.ID)
	must(t, err)
	// supervision.yaml: {code: conditional, name: 限期整改, name_en: Conditional (rectify by a date)}
	if row := rep.Rows[0]; row.Result != "conditional" || row.ResultName != "限期整改" || row.ResultNameEn != "Conditional (rectify by a date)" {
		t.Errorf("row's result %q: %q / %q", row.Result, row.ResultName, row.ResultNameEn)
	}
	v, err := l.Evaluation(ctx, clerk, r.ID, "K1")
	must(t, err)
	if v.ResultName != "限期整改" || v.ResultNameEn != "Conditional (rectify by a date)" {
		t.Errorf("the self-evaluation's result: %q / %q", v.ResultName, v.ResultNameEn)
	}
	var doc, book bytes.Buffer
	must(t, rep.Document("zh", time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)).WriteDOCX(&doc))
	must(t, rep.WriteXLSX(&book))
	for name, b := range map[string][]byte{"Word": doc.Bytes(), "Excel": book.Bytes()} {
		text := zipText(t, b)
		if !strings.Contains(text, "限期整改") || strings.Contains(text, "conditional") {
			t.Errorf("the %s report: 限期整改 %v, the code %v", name, strings.Contains(text, "限期整改"), strings.Contains(text, "conditional"))
		}
	}
}

// TestReportDocument: a round's report is written as the evaluation report is, in
// either language: the English Word document has English headings and labels, and no
// Chinese where the words have English (what people wrote — the title, the finding —
// stays as written); the print-ready HTML has a row for each district.
func TestReportDocument(t *testing.T) {
	ctx := context.Background()
	l := newLoop(t)
	r, err := l.OpenRound(ctx, inspector, sv.NewRound{Title: "2020 年区市履职督导", Kind: sv.KindChecklist, Subject: "district_duty", Year: 2020,
		Orgs: []string{"370602", "370612"}, RectifyDue: "2026-12-01"})
	must(t, err)
	var answers []sv.Answer
	for _, it := range l.pack.Checklist("district_duty").Items {
		answers = append(answers, sv.Answer{Item: it.Code, Answer: sv.Met})
	}
	must(t, l.Save(ctx, officer, r.ID, "370602", answers))
	_, err = l.Submit(ctx, officer, r.ID, "370602")
	must(t, err)
	for _, a := range answers {
		must(t, l.Review(ctx, inspector, r.ID, "370602", a.Item, sv.ActAccept, ""))
	}
	// Due 2026-12-01, the loop's today 2026-12-04: overdue.
	_, err = l.RaiseFinding(ctx, inspector, sv.Finding{Round: r.ID, Org: "370602", Item: "D4", Text: "校园安全风险台账不完整"})
	must(t, err)
	must(t, l.Verify(ctx, inspector, r.ID, "370602", ""))
	rep, err := l.RoundReport(ctx, inspector, r.ID)
	must(t, err)
	at := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)

	var doc bytes.Buffer
	must(t, rep.Document("en", at).WriteDOCX(&doc))
	text := zipText(t, doc.Bytes())
	for _, want := range []string{"1. Overview", "2. Self-evaluation and verification by org", "3. Findings and rectification",
		"The round covers 2 orgs: 1 have submitted", "Zhifu District", "Muping District", "verified", "draft", "Partly", "(overdue)", "supervision report",
		"校园安全风险台账不完整", "2020 年区市履职督导"} {
		if !strings.Contains(text, want) {
			t.Errorf("the English Word report lacks %q", want)
		}
	}
	for _, zh := range []string{"总体情况", "各单位自评与验证", "问题与整改", "督导报告", "芝罘区", "牟平区", "已验证", "填报中", "部分达标", "逾期", "待整改", "单位"} {
		if strings.Contains(text, zh) {
			t.Errorf("the English Word report has %q", zh)
		}
	}

	for lang, want := range map[string][]string{
		"zh": {"<td>芝罘区</td><td>已验证</td>", "<td>牟平区</td><td>填报中</td>", "一、总体情况", "本轮督导覆盖 2 个单位"},
		"en": {"<td>Zhifu District</td><td>verified</td>", "<td>Muping District</td><td>draft</td>", "1. Overview"},
	} {
		var page bytes.Buffer
		must(t, rep.Document(lang, at).WriteHTML(&page, report.HTMLOptions{DocxURL: "report.docx", BackURL: "/supervision/rounds/1"}))
		for _, w := range want {
			if !strings.Contains(page.String(), w) {
				t.Errorf("the %s HTML report lacks %q", lang, w)
			}
		}
	}
}
