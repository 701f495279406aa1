package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

func newEditionShowCmd(g *globals) *cobra.Command {
	var format, lang string
	cmd := &cobra.Command{
		Use:   "show N",
		Short: "Show edition N: its header and review as a table, every figure with its batches as CSV, all of it as JSON",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			if lang != "zh" && lang != "en" {
				return usageError("--lang 只能是 zh 或 en", "--lang must be zh or en")
			}
			n, err := editionNumber(args[0])
			if err != nil {
				return err
			}
			return g.withDB(cmd.Context(), func(db *store.DB, pack *plan.Pack) error {
				ed, err := edition.Open(cmd.Context(), db, pack, n)
				if err != nil {
					return err
				}
				w := cmd.OutOrStdout()
				switch format {
				case "json":
					return writeJSON(w, ed)
				case "csv":
					return edition.WriteFiguresCSV(w, ed.Content)
				}
				return writeEdition(w, g, pack, ed, lang == "en")
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table, csv (every figure) or json")
	cmd.Flags().StringVar(&lang, "lang", "zh", "language of the table's names: zh or en")
	return cmd
}

// writeEdition writes an edition's header and its review's items at the city.
func writeEdition(w io.Writer, g *globals, pack *plan.Pack, ed *edition.Edition, en bool) error {
	pick := func(zh, english string) string {
		if en && english != "" {
			return english
		}
		return zh
	}
	c := ed.Content
	kzh, ken := edition.KindLabel(c.Kind)
	fmt.Fprintf(w, "%s %d: %s\n", pick("版本", "Edition"), ed.Number, c.Title)
	fmt.Fprintf(w, "%s %s, %s %d; %s %s\n", pick(kzh, ken), c.Plan, pick("截至", "as of"), c.AsOf, pick("规划包版本", "pack version"), c.PackVersion)
	fmt.Fprintf(w, "SHA-256 %s\n", ed.SHA256)
	if ed.PublishedAt != nil {
		fmt.Fprintf(w, "%s %s (%s)\n", pick("发布于", "published on"), g.clock(*ed.PublishedAt), g.zone)
	} else {
		fmt.Fprintln(w, pick("草稿（未发布）", "draft (not published)"))
	}
	fmt.Fprintf(w, "%s %d, %s %d\n\n", pick("数值", "figures"), len(c.Figures), pick("导入批次", "batches"), len(c.Batches))
	tw := newTable(w)
	fmt.Fprintln(tw, pick("代码\t名称\t基期值\t实际值\t目标\t状态\t结论", "code\tname\tbaseline\tlatest\ttarget\tstatus\tverdict"))
	for _, it := range c.Review.Items {
		dec := 2
		if ind := pack.Measure(it.Code); ind != nil {
			dec = ind.Decimals
		}
		r := it.City
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s (%d)\t%s\t%s\n", it.Code, pick(it.Name, it.NameEn), fixed(r.Baseline, dec),
			inYear(r.Latest, r.LatestYear, dec), fixed(r.Target, dec), r.TargetYear, pick(r.Label(), r.LabelEn()),
			pick(it.Verdict.Label(), it.Verdict.LabelEn()))
	}
	return tw.Flush()
}
