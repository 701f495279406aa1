package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/ledger"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
)

func newProjectsCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "projects",
		Short: "The plan's 12 key projects (重点工程) with the city's progress on each target",
		Example: `  eduplan projects
  eduplan projects --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "table" && format != "json" {
				return usageError("--format must be table or json")
			}
			e, pack, err := g.engine(cmd.Context())
			if err != nil {
				return err
			}
			projects, err := ledger.Projects(e, pack.FullScope())
			if err != nil {
				return domainError(err)
			}
			if format == "json" {
				return writeJSON(cmd.OutOrStdout(), projects)
			}
			return writeProjects(cmd.OutOrStdout(), projects)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

func writeProjects(w io.Writer, projects []ledger.Project) error {
	tw := newTable(w)
	fmt.Fprintln(tw, "no\t重点工程 project / 目标 target\tmeasure\tvalue / target\tstatus")
	for _, p := range projects {
		fmt.Fprintf(tw, "%d\t%s\t\t\t%s %s\n", p.Number, p.Name, p.StatusLabel, p.Status)
		for _, t := range p.Targets {
			fmt.Fprintf(tw, "\t  %s\t%s\t%s\t%s %s\n", t.Name, dash(t.Measure), valueOfTarget(t), t.StatusLabel, t.Status)
		}
	}
	return tw.Flush()
}

// valueOfTarget writes a target's latest value against its target: "163 / 200 (2025)",
// "6 / 5–8 (2025)", "0.50 / ≥ 1 every year (2025)"; "-" for a value not yet there.
func valueOfTarget(t ledger.Target) string {
	f := func(n progress.Number) string {
		s := fixed(n, t.Decimals)
		if n.OK && t.Unit == "%" {
			s += "%"
		}
		return s
	}
	target := f(t.Target)
	switch t.Kind {
	case plan.GoalRange:
		target = f(t.Min) + "–" + f(t.Max)
	case plan.GoalRelation:
		if t.Relation == plan.NonDecreasing {
			target = "只增不减 non-decreasing"
		} else {
			target = "≥ " + target + " 每年 every year"
		}
	}
	latest := f(t.Latest)
	if t.Latest.OK {
		latest += fmt.Sprintf(" (%d)", t.LatestYear)
	}
	return fmt.Sprintf("%s / %s by %d", latest, target, t.TargetYear)
}
