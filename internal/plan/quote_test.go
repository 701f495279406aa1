package plan_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestPackQuotesPlan checks the built-in pack's words against the plan text
// (testdata/, as published): every task title, every milestone and every phrase a
// commitment quotes in “…” and every project's description must stand in the plan as
// written — nothing
// added (每年) or dropped (争取). A milestone may quote several clauses (split at , ;
// 。) and leave out what lies between them; a table row is quoted cell by cell,
// separated by spaces.
func TestPackQuotesPlan(t *testing.T) {
	b, err := os.ReadFile("testdata/yantai-education-14th-five-year-plan.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(string(b), "\n", "")
	p, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	clauses := regexp.MustCompile(`[,;。]`)
	quoted := func(where, s string) {
		for _, c := range clauses.Split(s, -1) {
			for _, cell := range strings.Fields(c) {
				if !strings.Contains(text, cell) {
					t.Errorf("%s: %q is not in the plan text (in %q)", where, cell, s)
				}
			}
		}
	}
	for _, tk := range p.Tasks {
		quoted("task "+tk.Section+" title", tk.Title)
		for _, m := range tk.Milestones {
			quoted("task "+tk.Section+" milestone", m.Text)
		}
	}
	// What a commitment's measure or a project's target quotes in “…”: the inner
	// quotation marks of 保持…大体相当 stand for the words left out.
	quote := regexp.MustCompile(`“([^”]+)”`)
	for _, c := range p.Commitments {
		for _, m := range quote.FindAllStringSubmatch(c.Measure, -1) {
			for _, part := range strings.Split(m[1], "…") {
				if !strings.Contains(text, part) {
					t.Errorf("commitment %s: %q is not in the plan text", c.Code, part)
				}
			}
		}
	}
	for _, pr := range p.Projects {
		quoted("project "+pr.Code+" description", pr.Description)
	}
}
