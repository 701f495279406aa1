package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
)

func newReviewCmd(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "review",
		Short: "Final review at the plan's end year: each indicator and commitment met or not, by how much, and the districts that held the city back",
		Long: `review assesses every headline indicator and commitment at the city on the data up to
the plan's end year: met or not met (not yet due for targets set after it), the gap
left in the target's unit and as a share of the change the target asked for, and the
districts where it was not met, the largest gap first.

review 总结评估：规划期末各项指标与承诺事项是否完成、差距多少、哪些区市拖了后腿。`,
		Example: `  eduplan review
  eduplan review --lang en
  eduplan review --format csv > review.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return writeView(cmd, g, format, func(e *indicator.Engine, pack *plan.Pack) (*progress.Review, error) {
				return progress.FinalReview(e, pack.FullScope())
			}, progress.WriteReviewCSV, func(w io.Writer, e *indicator.Engine, pack *plan.Pack, rev *progress.Review) error {
				return writeReview(w, e, pack, rev, g.lang)
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: csv, json or table")
	return cmd
}

// writeReview writes the review as a table: each item's city row, then the districts
// that held it back, indented.
func writeReview(w io.Writer, e *indicator.Engine, pack *plan.Pack, rev *progress.Review, l lang) error {
	tw := newTable(w)
	fmt.Fprintf(tw, "%s %d\n", locale.T(string(l), "cli_review_title"), rev.Year)
	fmt.Fprintln(tw, strings.Join([]string{locale.T(string(l), "cli_code"), locale.T(string(l), "cli_name"), locale.T(string(l), "cli_latest"), locale.T(string(l), "cli_target"), locale.T(string(l), "cli_verdict"), locale.T(string(l), "cli_gap"), locale.T(string(l), "cli_gap_share")}, "\t"))
	for _, it := range rev.Items {
		ind := pack.Measure(it.Code)
		dec := 2
		if ind != nil {
			dec = ind.Decimals
		}
		f := func(n progress.Number) string { return fixed(n, dec) }
		target := func(r progress.CommitmentRow) string {
			switch r.Kind {
			case plan.GoalRange:
				return fmt.Sprintf("%s–%s (%d)", f(r.Min), f(r.Max), r.TargetYear)
			case plan.GoalRelation:
				floor := ind != nil && ind.Goal.Floor
				value := ""
				if floor {
					value = f(progress.Number{V: ind.Target.Value, OK: true})
				}
				return fmt.Sprintf("%s (%d)", relationWords(l, r.Relation, r.Of, floor, value), r.TargetYear)
			}
			return fmt.Sprintf("%s (%d)", f(r.Target), r.TargetYear)
		}
		gap := func(g progress.Gap) string {
			if g.Check != "" {
				return f(g.Gap) + " (" + g.Check + ")"
			}
			return f(g.Gap)
		}
		verdict := l.say(it.Verdict.Label(), it.Verdict.LabelEn())
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", it.Code, l.say(it.Name, it.NameEn), inYear(it.City.Latest, it.City.LatestYear, dec),
			target(it.City), verdict, gap(it.Gap), percent(it.Share))
		// A district is judged as the city is at the end of the plan: met or not met.
		for _, d := range it.HeldBack {
			zh, english, _ := e.OrgName(d.Row.Org)
			v := d.Verdict
			fmt.Fprintf(tw, "\t  %s %s\t%s\t%s\t%s\t%s\t%s\n", d.Row.Org, l.say(zh, english), inYear(d.Row.Latest, d.Row.LatestYear, dec),
				target(d.Row), l.say(v.Label(), v.LabelEn()), gap(d.Gap), percent(d.Share))
		}
	}
	fmt.Fprintf(tw, "%s: %d %s, %d %s, %d %s, %d %s\n", locale.T(string(l), "cli_total"),
		rev.Count[progress.Met], l.say(progress.Met.Label(), progress.Met.LabelEn()),
		rev.Count[progress.NotMet], l.say(progress.NotMet.Label(), progress.NotMet.LabelEn()),
		rev.Count[progress.NotDue], l.say(progress.NotDue.Label(), progress.NotDue.LabelEn()),
		rev.Count[progress.NoValue], l.say(progress.NoValue.Label(), progress.NoValue.LabelEn()))
	return tw.Flush()
}
