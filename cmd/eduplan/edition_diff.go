package main

import (
	"fmt"
	"io"
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
					return err
				}
				b, err := edition.Open(cmd.Context(), db, pack, m)
				if err != nil {
					return err
				}
				return writeChanges(cmd.OutOrStdout(), format, edition.Diff(a.Content, b.Content))
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	return cmd
}

func writeChanges(w io.Writer, format string, cs []edition.Change) error {
	switch format {
	case "json":
		return writeJSON(w, cs)
	case "csv":
		return edition.WriteChangesCSV(w, cs)
	}
	tw := newTable(w)
	fmt.Fprintln(tw, "类别 what\t代码 code\t区域 org\t年份 year\t项 field\t原值 old\t新值 new\t批次 batches")
	for _, c := range cs {
		fmt.Fprintln(tw, strings.Join(edition.ChangeRecord(c), "\t"))
	}
	fmt.Fprintf(tw, "共 %d 处变动 / %d changes\n", len(cs), len(cs))
	return tw.Flush()
}
