package report_test

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/ledger"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/report"
)

// TestEnglishWords: the English report writes no Chinese of its own. The content is
// built by hand, its names in English, so any Chinese is the report's words: the task
// ledger's "done 1, in progress 1, …" once came out as "done 1 项".
func TestEnglishWords(t *testing.T) {
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	c := &edition.Content{
		Kind: edition.Midterm, AsOf: 2023, PlanName: "规划", PlanNameEn: "The plan",
		Review: &progress.Review{Year: 2023},
		Tasks: []ledger.Task{
			{Number: 1, Title: "任务一", TitleEn: "Task one", Status: plan.TaskDone, StatusLabel: "已完成", StatusLabelEn: "done"},
			{Number: 2, Title: "任务二", TitleEn: "Task two", Status: plan.TaskInProgress, StatusLabel: "进行中", StatusLabelEn: "in progress"},
		},
	}
	r := report.Build(pack, c, report.Options{Lang: "en", Generated: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)})
	for _, b := range r.Blocks {
		texts := []string{b.Text}
		texts = append(texts, b.Table.Header...)
		for _, row := range b.Table.Rows {
			texts = append(texts, row...)
		}
		for _, s := range texts {
			if strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
				t.Errorf("Chinese in the English report: %q", s)
			}
		}
	}
}
