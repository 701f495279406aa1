package main

import (
	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/store"
)

func newEditionCreateCmd(g *globals) *cobra.Command {
	var kind, title, format string
	var asOf int
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Freeze the review of a kind as of a year as a new edition and print its number",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			return g.withEngine(cmd.Context(), func(db *store.DB, e *indicator.Engine) error {
				year := asOf
				if year == 0 {
					year = edition.DefaultAsOf(e.Pack(), kind)
				}
				h, err := edition.Create(cmd.Context(), db, e, kind, year, title, "cli:"+currentUser())
				if err != nil {
					return err
				}
				return writeEditions(cmd.OutOrStdout(), g, format, []store.EditionHeader{h})
			})
		},
	}
	cmd.Flags().StringVar(&kind, "kind", edition.Final, "the review: final (总结评估) or midterm (中期评估)")
	cmd.Flags().IntVar(&asOf, "as-of", 0, "the last year of data the review reads (default: the plan's end year; for midterm its middle year)")
	cmd.Flags().StringVar(&title, "title", "", "the edition's title (default: the plan's name and the review)")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	return cmd
}
