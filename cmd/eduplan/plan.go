package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
)

func newPlanCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "plan", Short: "Show or check a plan pack"}
	var format string
	show := &cobra.Command{
		Use:   "show",
		Short: "Print the active plan pack (--plan DIR, or the built-in Yantai 2021–2025 pack)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := g.pack()
			if err != nil {
				return err
			}
			switch format {
			case "json":
				return writePackJSON(cmd.OutOrStdout(), p)
			case "table":
				return writePackTable(cmd.OutOrStdout(), p, g.lang)
			}
			return wantFormat(format, "json", "table")
		},
	}
	show.Flags().StringVar(&format, "format", "table", "output format: table or json")
	var strict bool
	check := &cobra.Command{
		Use:   "check DIR",
		Short: "Validate a plan pack on disk; every problem names its file, line and field",
		Long: `check validates a plan pack on disk: every problem names its file, line and field.
It also lists every line still marked TODO (the placeholders 'eduplan plan draft' leaves:
targets to set, baselines from demo data), as warnings; with --strict they make it fail.

check 校验规划包；草案中仍标 TODO 的目标与基线列为警告，--strict 时视为错误。`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := plan.LoadDir(args[0])
			var ce *plan.CheckError
			var issues []plan.Issue
			switch {
			case errors.As(err, &ce):
				issues = ce.Issues
			case err != nil:
				return err
			default:
				issues = indicator.CheckPack(p)
			}
			if len(issues) == 0 {
				todos, err := packTODOs(args[0])
				if err != nil {
					return err
				}
				for _, td := range todos {
					fmt.Fprintf(cmd.ErrOrStderr(), "警告 warning: %s\n", td)
				}
				if len(todos) > 0 {
					msg := fmt.Sprintf("%d 处仍标 TODO（待定目标或演示数据基线）/ %d places still marked TODO (targets to set, baselines from demo data)", len(todos), len(todos))
					if strict {
						return &exitError{code: 1, msg: "eduplan: " + msg}
					}
					fmt.Fprintln(cmd.ErrOrStderr(), msg)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s %s: ok (%d org units, %d elements, %d indicators, %d commitments, %d key projects, %d main tasks)\n",
					p.Code, p.Version, len(p.Orgs), len(p.Elements), len(p.Indicators), len(p.Commitments), len(p.Projects), len(p.Tasks))
				return nil
			}
			var b strings.Builder
			for _, is := range issues {
				fmt.Fprintf(&b, "%s/%s\n", strings.TrimSuffix(args[0], "/"), is)
			}
			fmt.Fprintf(&b, "%d problems", len(issues))
			return &exitError{code: 1, msg: b.String()}
		},
	}
	check.Flags().BoolVar(&strict, "strict", false, "fail while any line is still marked TODO")
	cmd.AddCommand(show, check, newPlanDraftCmd(g))
	return cmd
}

// packTODOs returns "file:line: text" for every line of the pack's files in dir that
// is marked TODO, in file name order.
func packTODOs(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, "TODO") {
				out = append(out, fmt.Sprintf("%s:%d: %s", filepath.Join(dir, e.Name()), i+1, strings.TrimSpace(line)))
			}
		}
	}
	return out, nil
}

func writePackJSON(w io.Writer, p *plan.Pack) error {
	return writeJSON(w, p.JSON())
}

func writePackTable(w io.Writer, p *plan.Pack, l lang) error {
	fmt.Fprintf(w, "%s  %s (%s)  version %s  baseline %d → target %d\n\n", p.Name, p.NameEn, p.Code, p.Version, p.BaselineYear, p.TargetYear)
	tw := newTable(w)
	fmt.Fprintln(tw, strings.Join([]string{locale.T(string(l), "cli_code"), locale.T(string(l), "cli_indicator"), locale.T(string(l), "cli_unit"), locale.T(string(l), "cli_baseline"),
		locale.T(string(l), "cli_target"), locale.T(string(l), "cli_attribute"), locale.T(string(l), "cli_direction")}, "\t"))
	for _, i := range p.Indicators {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s (%d)\t%s (%d)\t%s\t%s\n", i.Code, l.say(i.Name, i.NameEn), l.unit(i.Unit),
			indicator.FormatNumber(i.Baseline.Value), i.Baseline.Year, indicator.FormatNumber(i.Target.Value), i.Target.Year,
			l.say(i.Attribute.Label(), i.Attribute.LabelEn()), directionWords(l, i.Direction))
	}
	tw.Flush()
	if len(p.Commitments) > 0 {
		fmt.Fprintln(w, "\n承诺事项 commitments:")
		tw = newTable(w)
		// The plan gives no commitment 约束性/预期性; 确保 and 只增不减 make it a must.
		fmt.Fprintln(tw, strings.Join([]string{locale.T(string(l), "cli_code"), locale.T(string(l), "cli_section"), locale.T(string(l), "cli_commitment"), locale.T(string(l), "cli_unit"),
			locale.T(string(l), "cli_target"), locale.T(string(l), "cli_must"), locale.T(string(l), "cli_direction")}, "\t"))
		for _, c := range p.Commitments {
			must := "—"
			if c.Must {
				must = locale.T(string(l), "cli_must")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Code, l.section(c.Section), l.say(c.Name, c.NameEn), l.unit(c.Unit), goalText(c, l), must, directionWords(l, c.Direction))
		}
		tw.Flush()
	}
	if unmeasured := p.Unmeasured(); len(unmeasured) > 0 {
		fmt.Fprintf(w, "\n%s:\n", locale.T(string(l), "cli_not_measured"))
		tw = newTable(w)
		fmt.Fprintln(tw, strings.Join([]string{locale.T(string(l), "cli_section"), locale.T(string(l), "cli_commitment"), locale.T(string(l), "cli_reason")}, "\t"))
		for _, n := range unmeasured {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", l.section(n.Section), l.say(n.Text, n.TextEn), l.say(n.Reason, n.ReasonEn))
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\norg units: %d", len(p.Orgs))
	for _, o := range p.Orgs {
		fmt.Fprintf(w, "\n  %s %s %s", o.Code, o.Name, o.NameEn)
	}
	fmt.Fprintln(w)
	return nil
}

// goalText is a commitment's target in a few words: "93 (2025)", "5–8 (2025)",
// "non_decreasing (2025)", "at_least civil_servant_avg_pay (2025)".
func goalText(c *plan.Indicator, l lang) string {
	var s string
	switch c.Goal.Kind {
	case plan.GoalRange:
		s = indicator.FormatNumber(c.Goal.Min) + "–" + indicator.FormatNumber(c.Goal.Max)
		if c.Goal.Band > 0 {
			s = locale.T(string(l), "cli_about") + indicator.FormatNumber(c.Goal.About) + " ±" + indicator.FormatNumber(c.Goal.Band)
		}
	case plan.GoalRelation:
		s = relationWords(l, c.Goal.Relation, c.Goal.Of, c.Goal.Floor, indicator.FormatNumber(c.Target.Value))
	default:
		s = indicator.FormatNumber(c.Target.Value)
	}
	if c.Goal.EveryYear {
		s += " " + locale.T(string(l), "cli_every_year")
	}
	return fmt.Sprintf("%s (%d)", s, c.Target.Year)
}

// directionWords says which way an indicator should move.
func directionWords(l lang, d plan.Direction) string {
	switch d {
	case plan.Up:
		return locale.T(string(l), "cli_direction_up")
	case plan.Down:
		return locale.T(string(l), "cli_direction_down")
	case plan.Hold:
		return locale.T(string(l), "cli_direction_hold")
	case plan.Toward:
		return locale.T(string(l), "cli_direction_toward")
	}
	return string(d)
}

// usageError is a mistake in the command line, said in both languages (exit status 2).
func usageError(zh, en string) error {
	return &plan.Error{Code: plan.EINVALID, Message: zh, MessageEn: en}
}
