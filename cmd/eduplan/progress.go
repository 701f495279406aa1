package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/sheet"
)

func newProgressCmd(g *globals) *cobra.Command {
	var q progress.Query
	var format string
	var methods, commitments bool
	cmd := &cobra.Command{
		Use:   "progress",
		Short: "Assess progress against the plan's targets for the city and each district",
		Example: `  eduplan progress --format csv > progress.csv
  eduplan progress --org 370602
  eduplan progress --methods --indicator kg_public_share
  eduplan progress --commitments --org 370600`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := wantFormat(format, "csv", "json", "table"); err != nil {
				return err
			}
			e, pack, err := g.engine(cmd.Context())
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if commitments {
				if methods {
					return usageError("--methods 只用于主要指标，不能与 --commitments 同用", "--methods applies to the headline indicators, not --commitments")
				}
				rows, err := progress.AssessCommitments(e, pack.FullScope(), q)
				if err != nil {
					return err
				}
				return writeCommitments(w, e, pack, format, rows, g.lang)
			}
			if methods {
				cs, err := progress.Compare(e, pack.FullScope(), q)
				if err != nil {
					return err
				}
				return writeComparison(w, e, format, cs, g.lang)
			}
			rows, err := progress.Assess(e, pack.FullScope(), q)
			if err != nil {
				return err
			}
			switch format {
			case "csv":
				return progress.WriteCSV(w, rows)
			case "json":
				return writeJSON(w, rows)
			}
			return writeProgressTable(w, e, pack, rows, g.lang)
		},
	}
	cmd.Flags().StringVar(&q.Indicator, "indicator", "", "indicator code")
	cmd.Flags().StringVar(&q.Org, "org", "", "city or district code")
	cmd.Flags().StringVar(&format, "format", "table", "output format: csv, json or table")
	cmd.Flags().BoolVar(&commitments, "commitments", false, "assess the plan's commitments (commitments.yaml) instead of its 13 headline indicators; --indicator takes a commitment code")
	cmd.Flags().BoolVar(&methods, "methods", false, "beside the default, assess by Open SDG, the UNSD progress chart and UN ESCAP (docs/progress.md)")
	return cmd
}

// writeComparison writes the methods side by side; its CSV is the "Progress out" CSV with
// the other methods' columns appended.
func writeComparison(w io.Writer, e *indicator.Engine, format string, cs []progress.Comparison, l lang) error {
	switch format {
	case "json":
		return writeJSON(w, cs)
	case "csv":
		cw := sheet.NewWriter(w)
		cw.Write(append(slices.Clone(progress.Header), "opensdg_r", "opensdg_score", "opensdg_status", "unsd_cr", "unsd_status", "escap_ap", "escap_status"))
		for _, c := range cs {
			cw.Write(append(c.Row.Record(), c.OpenSDG.R.String(), c.OpenSDG.Score.String(), string(c.OpenSDG.Status),
				c.UNSD.CR.String(), string(c.UNSD.Status), c.ESCAP.AP.String(), string(c.ESCAP.Status)))
		}
		cw.Flush()
		return cw.Error()
	}
	tw := newTable(w)
	fmt.Fprintf(tw, "%s\t%s\t%s\tOpen SDG (R)\tUNSD (CR)\tESCAP (AP)\n", locale.T(string(l), "cli_indicator"), locale.T(string(l), "cli_org"), locale.T(string(l), "cli_default"))
	f := func(n progress.Number) string { return fixed(n, 2) }
	for _, c := range cs {
		zh, en, _ := e.OrgName(c.Row.Org)
		fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s %s\t%s %s\t%s %s\n", c.Row.Indicator, c.Row.Org, l.say(zh, en), l.say(c.Row.Label(), c.Row.LabelEn()),
			l.say(c.OpenSDG.Status.Label(), c.OpenSDG.Status.LabelEn()), f(c.OpenSDG.R), l.say(c.UNSD.Status.Label(), c.UNSD.Status.LabelEn()), f(c.UNSD.CR),
			l.say(c.ESCAP.Status.Label(), c.ESCAP.Status.LabelEn()), f(c.ESCAP.AP))
	}
	return tw.Flush()
}

// writeCommitments writes commitments' progress; its CSV is the "Progress out" CSV with
// the target's kind, range, relation, range position and breached years appended.
func writeCommitments(w io.Writer, e *indicator.Engine, pack *plan.Pack, format string, rows []progress.CommitmentRow, l lang) error {
	switch format {
	case "json":
		return writeJSON(w, rows)
	case "csv":
		cw := sheet.NewWriter(w)
		cw.Write(append(slices.Clone(progress.Header), "target_kind", "target_min", "target_max", "relation", "of", "range_position", "breaches"))
		for _, r := range rows {
			cw.Write(append(r.Record(), string(r.Kind), r.Min.String(), r.Max.String(), string(r.Relation), r.Of, r.Position, breaches(r.Breaches)))
		}
		cw.Flush()
		return cw.Error()
	}
	tw := newTable(w)
	fmt.Fprintln(tw, strings.Join([]string{locale.T(string(l), "cli_commitment"), locale.T(string(l), "cli_section"), locale.T(string(l), "cli_org"), locale.T(string(l), "cli_baseline"),
		locale.T(string(l), "cli_latest"), locale.T(string(l), "cli_target"), locale.T(string(l), "cli_completion"), locale.T(string(l), "cli_status"), locale.T(string(l), "cli_note")}, "\t"))
	for _, r := range rows {
		c := pack.Commitment(r.Indicator)
		zh, en, _ := e.OrgName(r.Org)
		f := func(n progress.Number) string { return fixed(n, c.Decimals) }
		latest := inYear(r.Latest, r.LatestYear, c.Decimals)
		target, note := f(r.Target), ""
		switch r.Kind {
		case plan.GoalRange:
			target = fmt.Sprintf("%s–%s", f(r.Min), f(r.Max))
			if c.Goal.Band > 0 {
				about, band := f(progress.Number{V: c.Goal.About, OK: true}), indicator.FormatNumber(c.Goal.Band)
				target = locale.F(string(l), "cli_about_band", about, band)
			}
			note = r.Position
		case plan.GoalRelation:
			target = relationWords(l, r.Relation, r.Of, c.Goal.Floor, f(progress.Number{V: c.Target.Value, OK: true}))
			if len(r.Breaches) > 0 {
				note = locale.T(string(l), "cli_breached") + breaches(r.Breaches)
			}
		}
		if r.EveryYear {
			if r.Kind == plan.GoalValue && c.Direction == plan.Up {
				target = "≥ " + target
			} else if r.Kind == plan.GoalValue && c.Direction == plan.Down {
				target = "≤ " + target
			}
			target += " " + locale.T(string(l), "cli_every_year")
			if len(r.Breaches) > 0 {
				note = locale.T(string(l), "cli_breached") + breaches(r.Breaches)
			}
		}
		if r.AtRisk {
			// The plan gives commitments no 约束性; 确保 and 只增不减 make one a must.
			note += " ⚠ " + locale.T(string(l), "cli_must_at_risk")
		}
		completion := percent(r.Completion)
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t%s\t%s\t%s (%d)\t%s\t%s\t%s\n", r.Indicator, l.section(c.Section), r.Org, l.say(zh, en), f(r.Baseline), latest,
			target, r.TargetYear, completion, l.say(r.Label(), r.LabelEn()), strings.TrimSpace(note))
	}
	return tw.Flush()
}

// relationWords writes a relation target in words: "不低于 10 at least 10",
// "只增不减 non-decreasing", "不低于 公务员平均工资 at least civil_servant_avg_pay".
func relationWords(l lang, rel plan.Relation, of string, floor bool, value string) string {
	zh, en := rel.Label(), rel.LabelEn()
	switch {
	case of != "":
		return l.say(zh+" "+of, en+" "+of)
	case floor:
		return l.say(zh+" "+value, en+" "+value)
	}
	return l.say(zh, en)
}

// breaches writes years as "2021;2023".
func breaches(years []int) string {
	s := make([]string, len(years))
	for i, y := range years {
		s[i] = strconv.Itoa(y)
	}
	return strings.Join(s, ";")
}

func writeProgressTable(w io.Writer, e *indicator.Engine, pack *plan.Pack, rows []progress.Row, l lang) error {
	tw := newTable(w)
	fmt.Fprintln(tw, strings.Join([]string{locale.T(string(l), "cli_indicator"), locale.T(string(l), "cli_org"), locale.T(string(l), "cli_baseline"), locale.T(string(l), "cli_latest"),
		locale.T(string(l), "cli_target"), locale.T(string(l), "cli_time_elapsed"), locale.T(string(l), "cli_completion"), locale.T(string(l), "cli_status"), ""}, "\t"))
	for _, r := range rows {
		ind := pack.Indicator(r.Indicator)
		zh, en, _ := e.OrgName(r.Org)
		f := func(n progress.Number) string { return fixed(n, ind.Decimals) }
		latest := inYear(r.Latest, r.LatestYear, ind.Decimals)
		risk := ""
		if r.AtRisk {
			risk = "⚠ " + locale.T(string(l), "cli_binding_indicator_at_risk")
		}
		fmt.Fprintf(tw, "%s\t%s %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Indicator, r.Org, l.say(zh, en), f(r.Baseline), latest, f(r.Target),
			percent(r.TimeElapsed), percent(r.Completion), l.say(r.Label(), r.LabelEn()), risk)
	}
	return tw.Flush()
}

// fixed writes a number of a table with the indicator's decimals, "-" when undefined.
func fixed(n progress.Number, decimals int) string {
	if !n.OK {
		return "-"
	}
	return fmt.Sprintf("%.*f", decimals, n.V)
}

// percent writes a share (0.42) of a table as a percentage (42%), "-" when undefined.
func percent(n progress.Number) string {
	if !n.OK {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*n.V)
}

// inYear writes a value of a table with its year: "47.46 (2021)", "-" when undefined.
func inYear(n progress.Number, year, decimals int) string {
	if !n.OK {
		return "-"
	}
	return fmt.Sprintf("%s (%d)", fixed(n, decimals), year)
}
