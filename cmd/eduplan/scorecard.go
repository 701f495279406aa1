package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
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
			return writeView(cmd, g, format, func(e *indicator.Engine, pack *plan.Pack) ([]progress.Scorecard, error) {
				return progress.Scorecards(e, pack.FullScope())
			}, writeScorecardsCSV, func(w io.Writer, e *indicator.Engine, _ *plan.Pack, cards []progress.Scorecard) error {
				return writeScorecards(w, e, cards, g.lang)
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: csv, json or table")
	return cmd
}

// scorecardStatuses are the statuses a scorecard counts, in the order it lists them.
var scorecardStatuses = []progress.Status{progress.Achieved, progress.Ahead, progress.OnTrack, progress.Lagging, progress.Regressing, progress.NoData}

// writeScorecardsCSV writes one row per district: its rank, score, counts by status, at-risk
// binding indicators, and its commitments' score and counts.
func writeScorecardsCSV(w io.Writer, cards []progress.Scorecard) error {
	header := []string{"org", "rank", "score"}
	for _, s := range scorecardStatuses {
		header = append(header, string(s))
	}
	header = append(header, "at_risk", "commitment_score")
	for _, s := range scorecardStatuses {
		header = append(header, "commitments_"+string(s))
	}
	rows := [][]string{header}
	for _, c := range cards {
		rec := []string{c.Org, strconv.Itoa(c.Rank), c.Score.String()}
		for _, s := range scorecardStatuses {
			rec = append(rec, strconv.Itoa(c.Counts[s]))
		}
		rec = append(rec, strconv.Itoa(c.AtRisk), c.CommitmentScore.String())
		for _, s := range scorecardStatuses {
			rec = append(rec, strconv.Itoa(c.CommitmentCounts[s]))
		}
		rows = append(rows, rec)
	}
	return writeCSV(w, rows)
}

func writeScorecards(w io.Writer, e *indicator.Engine, cards []progress.Scorecard, l lang) error {
	tw := newTable(w)
	fmt.Fprintf(tw, "%s\t%s\t%s", locale.T(string(l), "cli_rank"), locale.T(string(l), "cli_district_rank"), locale.T(string(l), "cli_score"))
	statuses := scorecardStatuses
	for _, s := range statuses {
		fmt.Fprintf(tw, "\t%s", l.say(s.Label(), s.LabelEn()))
	}
	fmt.Fprintf(tw, "\t%s\t%s\n", locale.T(string(l), "cli_binding_at_risk"), locale.T(string(l), "cli_commitments"))
	for rank := 1; rank <= len(cards); rank++ {
		for _, c := range cards {
			if c.Rank != rank {
				continue
			}
			zh, en, _ := e.OrgName(c.Org)
			fmt.Fprintf(tw, "%d\t%s %s\t%s", c.Rank, c.Org, l.say(zh, en), percent(c.Score))
			for _, s := range statuses {
				fmt.Fprintf(tw, "\t%d", c.Counts[s])
			}
			fmt.Fprintf(tw, "\t%d\t%s\n", c.AtRisk, commitmentCounts(c, statuses, l))
		}
	}
	return tw.Flush()
}

// commitmentCounts writes a scorecard's commitments in one cell: their score, then
// their counts by status, e.g. "63% 已实现 4 · 滞后 3" ("-" when none is assessed there).
func commitmentCounts(c progress.Scorecard, statuses []progress.Status, l lang) string {
	if len(c.Commitments) == 0 {
		return "-"
	}
	var parts []string
	for _, s := range statuses {
		if n := c.CommitmentCounts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", l.say(s.Label(), s.LabelEn()), n))
		}
	}
	return percent(c.CommitmentScore) + " " + strings.Join(parts, " · ")
}
