package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

func newEditionDiffCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "diff N M",
		Short: "List every figure that moved from edition N to edition M, with both values and the batches behind the change",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			n, err := editionNumber(args[0])
			if err != nil {
				return err
			}
			m, err := editionNumber(args[1])
			if err != nil {
				return err
			}
			return g.withDB(cmd.Context(), func(db *store.DB, pack *plan.Pack) error {
				a, err := edition.Open(cmd.Context(), db, pack, n)
				if err != nil {
					return domainError(err)
				}
				b, err := edition.Open(cmd.Context(), db, pack, m)
				if err != nil {
					return domainError(err)
				}
				return writeChanges(cmd.OutOrStdout(), format, edition.Diff(a.Content, b.Content))
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	return cmd
}

// changeHeader is the header of the diff's CSV.
var changeHeader = []string{"what", "code", "org", "year", "field", "old", "new", "batches"}

func writeChanges(w io.Writer, format string, cs []edition.Change) error {
	rec := func(c edition.Change) []string {
		ids := make([]string, len(c.Batches))
		for i, b := range c.Batches {
			ids[i] = strconv.FormatInt(b, 10)
		}
		year := ""
		if c.Year != 0 {
			year = strconv.Itoa(c.Year)
		}
		return []string{c.What, c.Code, c.Org, year, c.Field, c.Old, c.New, strings.Join(ids, ";")}
	}
	switch format {
	case "json":
		return writeJSON(w, cs)
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(changeHeader)
		for _, c := range cs {
			cw.Write(rec(c))
		}
		cw.Flush()
		return cw.Error()
	}
	tw := newTable(w)
	fmt.Fprintln(tw, "类别 what\t代码 code\t区域 org\t年份 year\t项 field\t原值 old\t新值 new\t批次 batches")
	for _, c := range cs {
		fmt.Fprintln(tw, strings.Join(rec(c), "\t"))
	}
	fmt.Fprintf(tw, "共 %d 处变动 / %d changes\n", len(cs), len(cs))
	return tw.Flush()
}
