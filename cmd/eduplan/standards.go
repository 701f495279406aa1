package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/standards"
)

func newStandardsCmd(g *globals) *cobra.Command {
	var q standards.Query
	var format string
	cmd := &cobra.Command{
		Use:   "standards",
		Short: "Assess districts (and their schools) against a national supervision standard",
		Long: `Assess districts against a supervision standard of the plan pack (standards.yaml):
quality_balanced (县域义务教育优质均衡, school by school and by 差异系数) or
universal_preschool (县域学前教育普及普惠). The CSV is "Standards out" of
docs/standards.md: a row per school and item, per school (item "school"), per district and
item, and per district (item "verdict"); met is true, false or empty (no data).`,
		Example: `  eduplan standards --standard quality_balanced --year 2024 --format csv > qb.csv
  eduplan standards --standard universal_preschool --year 2024
  eduplan standards --standard quality_balanced --year 2024 --org 370602 --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := wantFormat(format, "csv", "json", "table"); err != nil {
				return err
			}
			if q.Standard == "" || q.Year == 0 {
				return usageError("需要 --standard 与 --year", "--standard and --year are required")
			}
			e, pack, err := g.engine(cmd.Context())
			if err != nil {
				return err
			}
			res, err := standards.Compute(e, pack.FullScope(), q)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			switch format {
			case "csv":
				return standards.WriteCSV(w, res.Rows())
			case "json":
				return writeJSON(w, res.Rows())
			}
			return writeStandardsTable(w, res, g.lang)
		},
	}
	cmd.Flags().StringVar(&q.Standard, "standard", "", "standard code: quality_balanced or universal_preschool")
	cmd.Flags().IntVar(&q.Year, "year", 0, "year")
	cmd.Flags().StringVar(&q.Org, "org", "", "a district (default: every district)")
	cmd.Flags().StringVar(&format, "format", "table", "output format: csv, json or table")
	return cmd
}

// writeStandardsTable prints a line per district and stage: its verdict, how many
// schools comply, and each item's value (and CV) against its threshold (and limit); a
// "!" marks what misses.
func writeStandardsTable(w io.Writer, res *standards.Result, l lang) error {
	tw := newTable(w)
	std := res.Standard
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s", locale.T(string(l), "cli_district"), locale.T(string(l), "cli_name"), locale.T(string(l), "cli_stage"),
		locale.T(string(l), "cli_verdict"), locale.T(string(l), "cli_schools_complying"))
	for _, it := range std.Items {
		fmt.Fprintf(tw, "\t%s", it.Code)
	}
	fmt.Fprintln(tw)
	for _, d := range res.Districts {
		schools := ""
		if std.Level == plan.StandardSchools {
			schools = fmt.Sprintf("%d/%d", d.Complying, len(d.Schools))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s", d.Org, l.say(d.Name, d.NameEn), d.Stage, verdictWords(l, d.Verdict), schools)
		for _, f := range d.Items {
			cell := "-"
			if f.Known {
				cell = fmt.Sprintf("%.4g", f.Value)
				if f.Met == standards.NotMet {
					cell += "!"
				}
			}
			if f.CVLimit != 0 && f.CVKnown {
				cell += fmt.Sprintf(" cv %.3f", f.CV)
				if f.CVMet == standards.NotMet {
					cell += "!"
				}
			}
			fmt.Fprintf(tw, "\t%s", cell)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// verdictWords writes whether a district meets a standard.
func verdictWords(l lang, v standards.Verdict) string {
	switch v {
	case standards.Met:
		return locale.T(string(l), "cli_standard_met")
	case standards.NotMet:
		return locale.T(string(l), "cli_standard_not_met")
	case standards.NoData:
		return locale.T(string(l), "cli_standard_no_data")
	}
	return ""
}
