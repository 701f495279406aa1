package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
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
			return writeView(cmd, g, format, func(e *indicator.Engine, pack *plan.Pack) ([]indicator.Value, error) {
				return e.Values(pack.FullScope(), q)
			}, indicator.WriteCSV, func(w io.Writer, e *indicator.Engine, pack *plan.Pack, vs []indicator.Value) error {
				return writeValuesTable(w, e, pack, vs, g.lang)
			})
		},
	}
	cmd.Flags().StringVar(&q.Indicator, "indicator", "", "indicator code")
	cmd.Flags().StringVar(&q.Org, "org", "", "org code (city, district or institution)")
	cmd.Flags().IntVar(&q.Year, "year", 0, "year")
	cmd.Flags().BoolVar(&q.Commitments, "commitments", false, "the values of the plan's commitments (commitments.yaml) instead of its 13 headline indicators")
	cmd.Flags().StringVar(&format, "format", "table", "output format: csv, json or table")
	return cmd
}

func writeValuesTable(w io.Writer, e *indicator.Engine, pack *plan.Pack, vs []indicator.Value, l lang) error {
	tw := newTable(w)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", locale.T(string(l), "cli_indicator"), locale.T(string(l), "cli_name"), locale.T(string(l), "cli_org"),
		locale.T(string(l), "cli_year"), locale.T(string(l), "cli_value"), locale.T(string(l), "cli_measure_unit"), locale.T(string(l), "cli_note"))
	for _, v := range vs {
		ind := pack.Measure(v.Indicator)
		zh, en, _ := e.OrgName(v.Org)
		val, note := "", l.say(v.Reason, v.ReasonEn)
		if v.OK {
			val = fmt.Sprintf("%.*f", ind.Decimals, v.Value)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s %s\t%d\t%s\t%s\t%s\n", v.Indicator, l.say(ind.Name, ind.NameEn), v.Org, l.say(zh, en), v.Year, val, l.unit(ind.Unit), note)
	}
	return tw.Flush()
}
