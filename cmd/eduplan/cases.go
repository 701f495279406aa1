package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/locale"
	sv "github.com/yantai-edu/eduplan/internal/supervision"
)

func newCaseCmd(g *globals) *cobra.Command {
	var format string
	list := func(cmd *cobra.Command, args []string) error { return listCases(cmd, g, format) }
	cmd := &cobra.Command{
		Use:   "case",
		Short: "Cases of supervision (整改、校园安全隐患): list, show, take a step",
		Long: `Cases follow a finding's rectification (整改) or a reported school-safety hazard from open
to closed: open → in_progress → submitted (for re-check) → closed, or reopened on a failed
re-check; interview (约谈) and notice (通报) are recorded on the way. Every case is due by a
date: a finding's own or its round's rectification date, a reported hazard's given when it
is reported; one still open after it is overdue. (A case stored before due dates were
required may have none, and says so.) The command line acts as the city's administrator.`,
		Example: `  eduplan case list
  eduplan case show 3
  eduplan case step 3 interview --note "约谈分管副区长"
  eduplan case step 3 close --note "复查通过"`,
		Args: cobra.NoArgs,
		RunE: list,
	}
	cmd.PersistentFlags().StringVar(&format, "format", "table", "output format: table or json")
	cmd.AddCommand(&cobra.Command{Use: "list", Short: "List the cases, newest first", Args: cobra.NoArgs, RunE: list})
	cmd.AddCommand(newCaseShowCmd(g, &format), newCaseStepCmd(g))
	return cmd
}

// listCases writes the cases, newest first.
func listCases(cmd *cobra.Command, g *globals, format string) error {
	if err := wantFormat(format, "table", "json"); err != nil {
		return err
	}
	return g.withSupervision(cmd.Context(), func(s *sv.Service, a sv.Actor) error {
		cs, err := s.Cases(cmd.Context(), a, 0)
		if err != nil {
			return err
		}
		if format == "json" {
			return writeJSON(cmd.OutOrStdout(), cs)
		}
		tw := newTable(cmd.OutOrStdout())
		fmt.Fprintln(tw, "编号 no.\t类型 type\t单位 org\t问题 title\t状态 state\t期限 due\t逾期 overdue")
		for _, c := range cs {
			zh, en := sv.StateLabel(sv.Case, c.Status)
			od := ""
			if c.Overdue {
				od = locale.T(string(g.lang), "cli_overdue")
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, g.lang.say(c.TypeName, c.TypeNameEn), g.lang.say(c.OrgName, c.OrgNameEn), c.Title,
				g.lang.say(zh, en), dueText(g.lang, c.Due), od)
		}
		return tw.Flush()
	})
}

func newCaseShowCmd(g *globals, format *string) *cobra.Command {
	return &cobra.Command{
		Use:   "show N",
		Short: "Show case N with its steps",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := caseNumber(args[0])
			if err != nil {
				return err
			}
			return g.withSupervision(cmd.Context(), func(s *sv.Service, a sv.Actor) error {
				c, err := s.CaseDetail(cmd.Context(), a, id)
				if err != nil {
					return err
				}
				if *format == "json" {
					return writeJSON(cmd.OutOrStdout(), c)
				}
				w := cmd.OutOrStdout()
				zh, en := sv.StateLabel(sv.Case, c.Status)
				fmt.Fprintf(w, "%d. %s — %s, %s, %s, %s %s\n", c.ID, c.Title, g.lang.say(c.TypeName, c.TypeNameEn), g.lang.say(c.OrgName, c.OrgNameEn), g.lang.say(zh, en),
					locale.T(string(g.lang), "cli_due"), dueText(g.lang, c.Due))
				tw := newTable(w)
				fmt.Fprintln(tw, "时间 at\t人 actor\t步骤 step\t从 from\t到 to\t说明 note")
				for _, st := range c.Steps {
					azh, aen := sv.ActionLabel(sv.Case, st.Action)
					fzh, fen := sv.StateLabel(sv.Case, st.From)
					tzh, ten := sv.StateLabel(sv.Case, st.To)
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", g.clock(st.At), st.Actor, g.lang.say(azh, aen), g.lang.say(fzh, fen), g.lang.say(tzh, ten), st.Note)
				}
				return tw.Flush()
			})
		},
	}
}

func newCaseStepCmd(g *globals) *cobra.Command {
	var note string
	step := &cobra.Command{
		Use:   "step N ACTION",
		Short: "Take a step on case N: start, submit, close, reopen, interview or notice",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := caseNumber(args[0])
			if err != nil {
				return err
			}
			return g.withSupervision(cmd.Context(), func(s *sv.Service, a sv.Actor) error {
				if err := s.CaseStep(cmd.Context(), a, id, args[1], note, nil); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "案件 %d：%s / case %d: %s\n", id, args[1], id, args[1])
				return nil
			})
		},
	}
	step.Flags().StringVar(&note, "note", "", "what was done, or why")
	return step
}

// dueText is a case's due date, or says it has none (a case stored before due dates
// were required).
func dueText(l lang, due string) string {
	if due == "" {
		return locale.T(string(l), "cli_no_due")
	}
	return due
}

func caseNumber(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0, usageError(fmt.Sprintf("%q 不是案件编号", s), fmt.Sprintf("%q is not a case number", s))
	}
	return n, nil
}
