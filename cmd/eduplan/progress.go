package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
)

func newProgressCmd(g *globals) *cobra.Command {
	var q progress.Query
	var format string
	var methods bool
	cmd := &cobra.Command{
		Use:   "progress",
		Short: "Assess progress against the plan's targets for the city and each district",
		Example: `  eduplan progress --format csv > progress.csv
  eduplan progress --org 370602
  eduplan progress --methods --indicator kg_public_share`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "csv" && format != "json" && format != "table" {
				return usageError("--format must be csv, json or table")
			}
			e, pack, err := g.engine(cmd.Context())
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if methods {
				cs, err := progress.Compare(e, pack.FullScope(), q)
				if err != nil {
					return domainError(err)
				}
				return writeComparison(w, e, format, cs)
			}
			rows, err := progress.Assess(e, pack.FullScope(), q)
			if err != nil {
				return domainError(err)
			}
			switch format {
			case "csv":
				return progress.WriteCSV(w, rows)
			case "json":
				return writeJSON(w, rows)
			}
			return writeProgressTable(w, e, pack, rows)
		},
	}
	cmd.Flags().StringVar(&q.Indicator, "indicator", "", "indicator code")
	cmd.Flags().StringVar(&q.Org, "org", "", "city or district code")
	cmd.Flags().StringVar(&format, "format", "table", "output format: csv, json or table")
	cmd.Flags().BoolVar(&methods, "methods", false, "beside the default, assess by Open SDG, the UNSD progress chart and UN ESCAP (spec/progress.md)")
	return cmd
}

// writeComparison writes the methods side by side; its CSV is the "Progress out" CSV with
// the other methods' columns appended.
func writeComparison(w io.Writer, e *indicator.Engine, format string, cs []progress.Comparison) error {
	switch format {
	case "json":
		return writeJSON(w, cs)
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(append(slices.Clone(progress.Header), "opensdg_r", "opensdg_score", "opensdg_status", "unsd_cr", "unsd_status", "escap_ap", "escap_status"))
		for _, c := range cs {
			cw.Write(append(c.Row.Record(), c.OpenSDG.R.String(), c.OpenSDG.Score.String(), string(c.OpenSDG.Status),
				c.UNSD.CR.String(), string(c.UNSD.Status), c.ESCAP.AP.String(), string(c.ESCAP.Status)))
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "indicator\torg\tname\t默认 default\tOpen SDG (R)\tUNSD (CR)\tESCAP (AP)")
	f := func(n progress.Number) string {
		if !n.OK {
			return "-"
		}
		return fmt.Sprintf("%.2f", n.V)
	}
	for _, c := range cs {
		name, _, _ := e.OrgName(c.Row.Org)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s %s\t%s %s\t%s %s\n", c.Row.Indicator, c.Row.Org, name, c.Row.Status.Label(),
			c.OpenSDG.Status.Label(), f(c.OpenSDG.R), c.UNSD.Status.Label(), f(c.UNSD.CR), c.ESCAP.Status.Label(), f(c.ESCAP.AP))
	}
	return tw.Flush()
}

func writeProgressTable(w io.Writer, e *indicator.Engine, pack *plan.Pack, rows []progress.Row) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "indicator\torg\tname\tbaseline\tlatest\ttarget\ttime\tcompletion\tstatus\t")
	for _, r := range rows {
		ind := pack.Indicator(r.Indicator)
		name, _, _ := e.OrgName(r.Org)
		f := func(n progress.Number) string {
			if !n.OK {
				return "-"
			}
			return fmt.Sprintf("%.*f", ind.Decimals, n.V)
		}
		pct := func(n progress.Number) string {
			if !n.OK {
				return "-"
			}
			return fmt.Sprintf("%.0f%%", 100*n.V)
		}
		latest := "-"
		if r.Latest.OK {
			latest = fmt.Sprintf("%s (%d)", f(r.Latest), r.LatestYear)
		}
		risk := ""
		if r.AtRisk {
			risk = "⚠ 约束性指标预警 at risk"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s %s\t%s\n", r.Indicator, r.Org, name, f(r.Baseline), latest, f(r.Target),
			pct(r.TimeElapsed), pct(r.Completion), r.Status.Label(), r.Status, risk)
	}
	return tw.Flush()
}
