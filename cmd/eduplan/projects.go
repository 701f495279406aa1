package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ledger"
	"github.com/yantai-edu/eduplan/internal/locale"
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
			return writeView(cmd, g, format, func(e *indicator.Engine, pack *plan.Pack) ([]ledger.Project, error) {
				return ledger.Projects(e, pack.FullScope())
			}, writeProjectsCSV, func(w io.Writer, _ *indicator.Engine, _ *plan.Pack, projects []ledger.Project) error {
				return writeProjects(w, projects, g.lang)
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: csv, json or table")
	return cmd
}

// writeProjectsCSV writes one row per target of each project, at the city.
func writeProjectsCSV(w io.Writer, projects []ledger.Project) error {
	rows := [][]string{{"project", "project_name", "target_name", "measure", "unit", "latest_year", "latest", "target_year",
		"target_kind", "target", "target_min", "target_max", "relation", "status", "breaches"}}
	for _, p := range projects {
		for _, t := range p.Targets {
			latestYear := ""
			if t.Latest.OK {
				latestYear = strconv.Itoa(t.LatestYear)
			}
			rows = append(rows, []string{strconv.Itoa(p.Number), p.Name, t.Name, t.Measure, t.Unit, latestYear, t.Latest.String(),
				strconv.Itoa(t.TargetYear), string(t.Kind), t.Target.String(), t.Min.String(), t.Max.String(), string(t.Relation),
				string(t.Status), breaches(t.Breaches)})
		}
	}
	return writeCSV(w, rows)
}

func writeProjects(w io.Writer, projects []ledger.Project, l lang) error {
	tw := newTable(w)
	fmt.Fprintf(tw, "%s\t%s / %s\t%s\t%s\t%s\n", locale.T(string(l), "cli_no"), locale.T(string(l), "cli_project"), locale.T(string(l), "cli_target"),
		locale.T(string(l), "cli_measure"), locale.T(string(l), "cli_value_of_target"), locale.T(string(l), "cli_project_status"))
	for _, p := range projects {
		fmt.Fprintf(tw, "%d\t%s\t\t\t%s\n", p.Number, l.say(p.Name, p.NameEn), l.say(p.StatusLabel, p.StatusLabelEn))
		for _, t := range p.Targets {
			fmt.Fprintf(tw, "\t  %s\t%s\t%s\t%s\n", l.say(t.Name, t.NameEn), dash(t.Measure), valueOfTarget(t, l), l.say(t.StatusLabel, t.StatusLabelEn))
		}
	}
	return tw.Flush()
}

// valueOfTarget writes a target's latest value against its target: "163 / 200 (2025)",
// "6 / 5–8 (2025)", "0.50 / ≥ 1 every year (2025)"; "-" for a value not yet there.
func valueOfTarget(t ledger.Target, l lang) string {
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
		target = relationWords(l, t.Relation, "", t.Relation == plan.AtLeast, target)
	}
	latest := f(t.Latest)
	if t.Latest.OK {
		latest += fmt.Sprintf(" (%d)", t.LatestYear)
	}
	return fmt.Sprintf("%s / %s (%d)", latest, target, t.TargetYear)
}
