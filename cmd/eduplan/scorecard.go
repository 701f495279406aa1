package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/progress"
)

func newScorecardCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "scorecard",
		Short: "District scorecards: each district's statuses, counts by status, at-risk binding indicators and rank, and its commitments",
		Example: `  eduplan scorecard
  eduplan scorecard --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "json" && format != "table" {
				return usageError("--format must be json or table")
			}
			e, pack, err := g.engine(cmd.Context())
			if err != nil {
				return err
			}
			cards, err := progress.Scorecards(e, pack.FullScope())
			if err != nil {
				return domainError(err)
			}
			if format == "json" {
				return writeJSON(cmd.OutOrStdout(), cards)
			}
			return writeScorecards(cmd.OutOrStdout(), e, cards)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: json or table")
	return cmd
}

func writeScorecards(w io.Writer, e *indicator.Engine, cards []progress.Scorecard) error {
	tw := newTable(w)
	fmt.Fprint(tw, "rank\torg\tname\tscore")
	statuses := []progress.Status{progress.Achieved, progress.Ahead, progress.OnTrack, progress.Lagging, progress.Regressing, progress.NoData}
	for _, s := range statuses {
		fmt.Fprintf(tw, "\t%s", s.Label())
	}
	fmt.Fprintln(tw, "\t约束性预警 at risk\t承诺事项 commitments")
	for rank := 1; rank <= len(cards); rank++ {
		for _, c := range cards {
			if c.Rank != rank {
				continue
			}
			name, _, _ := e.OrgName(c.Org)
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s", c.Rank, c.Org, name, percent(c.Score))
			for _, s := range statuses {
				fmt.Fprintf(tw, "\t%d", c.Counts[s])
			}
			fmt.Fprintf(tw, "\t%d\t%s\n", c.AtRisk, commitmentCounts(c, statuses))
		}
	}
	return tw.Flush()
}

// commitmentCounts writes a scorecard's commitments in one cell: their score, then
// their counts by status, e.g. "63% 已实现 4 · 滞后 3" ("-" when none is assessed there).
func commitmentCounts(c progress.Scorecard, statuses []progress.Status) string {
	if len(c.Commitments) == 0 {
		return "-"
	}
	var parts []string
	for _, s := range statuses {
		if n := c.CommitmentCounts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", s.Label(), n))
		}
	}
	return percent(c.CommitmentScore) + " " + strings.Join(parts, " · ")
}
