package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/quality"
)

func newQualityCmd(g *globals) *cobra.Command {
	var format, org string
	var year int
	cmd := &cobra.Command{
		Use:   "quality",
		Short: "Show what data each district holds per year and kind, and which indicators lack data",
		Long: `quality lists, for the city and each district, each year of the plan (and any other year
with data) and each kind of data (institutions, students, teachers, population, and the
reported elements the formulas read): present, partial (the city: some districts only)
or missing; the rows held; the import batch, file and time; the warnings of that batch;
and the indicators that cannot be computed for want of it.

数据质量：各区县、各年度、各类数据是否齐全，来自哪次导入，警告数，以及因缺数而无法计算的指标。`,
		Example: `  eduplan quality
  eduplan quality --org 370612 --year 2021
  eduplan quality --format csv > quality.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := wantFormat(format, "table", "json", "csv"); err != nil {
				return err
			}
			pack, err := g.pack()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			db, err := g.openDB(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			if pack, err = planFor(ctx, db, pack); err != nil {
				return err
			}
			e, err := indicator.Load(ctx, db, pack)
			if err != nil {
				return err
			}
			scope := pack.FullScope()
			if org != "" {
				scope.Org = org
			}
			rep, err := quality.Assess(ctx, db, e, scope)
			if err != nil {
				return err
			}
			if year != 0 {
				rep.Cells = slices.DeleteFunc(rep.Cells, func(c quality.Cell) bool { return c.Year != year })
				rep.Blocked = slices.DeleteFunc(rep.Blocked, func(b quality.Blocked) bool { return b.Year != year })
				rep.Years = slices.DeleteFunc(rep.Years, func(y int) bool { return y != year })
			}
			w := cmd.OutOrStdout()
			switch format {
			case "csv":
				return quality.WriteCSV(w, rep)
			case "json":
				return writeJSON(w, rep)
			}
			return writeQualityTable(w, rep, g)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, json or csv")
	cmd.Flags().StringVar(&org, "org", "", "one district (default: the city and every district)")
	cmd.Flags().IntVar(&year, "year", 0, "one year (default: every year)")
	return cmd
}

// qualityStatus writes a cell's status: whether its data is there.
func qualityStatus(l lang, status string) string {
	switch status {
	case quality.StatusPresent:
		return locale.T(string(l), "cli_data_present")
	case quality.StatusPartial:
		return locale.T(string(l), "cli_data_partial")
	case quality.StatusMissing:
		return locale.T(string(l), "cli_data_missing")
	}
	return ""
}

func writeQualityTable(w io.Writer, rep *quality.Report, g *globals) error {
	l := g.lang
	tw := newTable(w)
	fmt.Fprintln(tw, strings.Join([]string{locale.T(string(l), "cli_org"), locale.T(string(l), "cli_year"), locale.T(string(l), "cli_kind"), locale.T(string(l), "cli_status"),
		locale.T(string(l), "cli_rows"), locale.T(string(l), "cli_from"), locale.T(string(l), "cli_batch"), locale.T(string(l), "cli_file"), locale.T(string(l), "cli_imported") + " (" + g.zone.String() + ")", locale.T(string(l), "cli_warnings"),
		locale.T(string(l), "cli_cannot_compute")}, "\t"))
	for _, c := range rep.Cells {
		kind := c.Kind
		if c.Kind != c.Element {
			kind += "/" + c.Element
		}
		var ids []string
		file, at := "", ""
		for _, b := range c.Batches {
			ids = append(ids, strconv.FormatInt(b.ID, 10))
		}
		if len(c.Batches) > 0 {
			file, at = c.Batches[0].File, g.clock(c.Batches[0].ImportedAt)
			if n := len(c.Batches) - 1; n > 0 {
				file += fmt.Sprintf(" +%d", n)
			}
		}
		// Where students' and teachers' figures come from: rosters, school tables or
		// reported totals (the CSV's origins).
		var from []string
		for _, o := range c.Origins {
			w, _ := locale.Lookup("origin_" + o)
			from = append(from, l.say(cmp.Or(w.Zh, o), cmp.Or(w.En, o)))
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%d\t%s\n", c.Org, c.Year, kind, qualityStatus(l, c.Status), c.Rows,
			strings.Join(from, ", "), strings.Join(ids, ","), file, at, c.Warnings, strings.ReplaceAll(c.BlocksText(), ";", " "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rep.Blocked) == 0 {
		fmt.Fprintln(w, "\n"+locale.T(string(l), "cli_quality_complete"))
		return nil
	}
	// One line per org and year; the inputs each lacks are in the cells above and, call
	// by call, in --format json.
	fmt.Fprintln(w, "\n"+locale.T(string(l), "cli_quality_blocked")+":")
	for i := 0; i < len(rep.Blocked); {
		b := rep.Blocked[i]
		var inds []string
		for ; i < len(rep.Blocked) && rep.Blocked[i].Org == b.Org && rep.Blocked[i].Year == b.Year; i++ {
			inds = append(inds, rep.Blocked[i].Indicator)
		}
		fmt.Fprintf(w, "  %s %d (%d): %s\n", b.Org, b.Year, len(inds), strings.Join(inds, " "))
	}
	return nil
}
