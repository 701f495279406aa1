package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
)

func newValuesCmd(g *globals) *cobra.Command {
	var q indicator.Query
	var format string
	cmd := &cobra.Command{
		Use:   "values",
		Short: "Print indicator (or commitment) values for the city, districts and institutions",
		Example: `  eduplan values --format csv > values.csv
  eduplan values --indicator kg_public_share --org 370600 --year 2020
  eduplan values --commitments --indicator teachers_new`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "csv" && format != "json" && format != "table" {
				return usageError("--format must be csv, json or table")
			}
			e, pack, err := g.engine(cmd.Context())
			if err != nil {
				return err
			}
			vs, err := e.Values(pack.FullScope(), q)
			if err != nil {
				return domainError(err)
			}
			w := cmd.OutOrStdout()
			switch format {
			case "csv":
				return indicator.WriteCSV(w, vs)
			case "json":
				return writeJSON(w, vs)
			}
			return writeValuesTable(w, e, pack, vs)
		},
	}
	cmd.Flags().StringVar(&q.Indicator, "indicator", "", "indicator code")
	cmd.Flags().StringVar(&q.Org, "org", "", "org code (city, district or institution)")
	cmd.Flags().IntVar(&q.Year, "year", 0, "year")
	cmd.Flags().BoolVar(&q.Commitments, "commitments", false, "the values of the plan's commitments (commitments.yaml) instead of its 13 headline indicators")
	cmd.Flags().StringVar(&format, "format", "table", "output format: csv, json or table")
	return cmd
}

func writeValuesTable(w io.Writer, e *indicator.Engine, pack *plan.Pack, vs []indicator.Value) error {
	tw := newTable(w)
	fmt.Fprintln(tw, "indicator\torg\tname\tyear\tvalue\tunit\tnote")
	for _, v := range vs {
		ind := pack.Measure(v.Indicator)
		name, _, _ := e.OrgName(v.Org)
		val, note := "", v.ReasonEn
		if v.OK {
			val = fmt.Sprintf("%.*f", ind.Decimals, v.Value)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\t%s\n", v.Indicator, v.Org, name, v.Year, val, ind.Unit, note)
	}
	return tw.Flush()
}
