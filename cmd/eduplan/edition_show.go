package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/locale"
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
	lang := locale.Zh
	if en {
		lang = locale.En
	}
	pick := func(zh, english string) string { return locale.Text{Zh: zh, En: english}.In(lang) }
	c := ed.Content
	kzh, ken := edition.KindLabel(c.Kind)
	fmt.Fprintf(w, "%s %d: %s\n", locale.T(lang, "cli_edition"), ed.Number, c.Title)
	fmt.Fprintf(w, "%s %s, %s %d; %s %s\n", pick(kzh, ken), c.Plan, locale.T(lang, "cli_as_of"), c.AsOf, locale.T(lang, "cli_pack_version"), c.PackVersion)
	fmt.Fprintf(w, "SHA-256 %s\n", ed.SHA256)
	if ed.PublishedAt != nil {
		fmt.Fprintf(w, "%s %s (%s)\n", locale.T(lang, "cli_published_on"), g.clock(*ed.PublishedAt), g.zone)
	} else {
		fmt.Fprintln(w, locale.T(lang, "cli_draft"))
	}
	fmt.Fprintf(w, "%s %d, %s %d\n\n", locale.T(lang, "cli_figures"), len(c.Figures), locale.T(lang, "cli_batches"), len(c.Batches))
	tw := newTable(w)
	fmt.Fprintln(tw, locale.T(lang, "cli_edition_head"))
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
