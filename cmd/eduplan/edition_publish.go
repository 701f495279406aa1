package main

import (
	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

func newEditionPublishCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "publish N",
		Short: "Publish edition N: from then on the public sees its review as this edition",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			n, err := editionNumber(args[0])
			if err != nil {
				return err
			}
			return g.withDB(cmd.Context(), func(db *store.DB, pack *plan.Pack) error {
				h, err := edition.Publish(cmd.Context(), db, pack, n, "cli:"+currentUser())
				if err != nil {
					return err
				}
				return writeEditions(cmd.OutOrStdout(), g, format, []store.EditionHeader{h})
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")
	return cmd
}
