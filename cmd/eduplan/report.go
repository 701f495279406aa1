package main

import (
	"bytes"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/report"
	"github.com/yantai-edu/eduplan/internal/store"
)

func newReportCmd(g *globals) *cobra.Command {
	var kind, format, out, lang string
	var asOf, number int
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write the evaluation report of a review as a Word document (DOCX) or a print-ready HTML page",
		Long: `report writes the evaluation report (评估报告) of the final or mid-term review: title page,
contents, 总体情况, the headline indicators with their trend charts, the commitments by
chapter, the key projects, the main tasks, the districts ranked with those that held the
city back, the data sources and the methods. With --edition N it is that edition's
frozen figures; without, the live figures, marked 草稿 / DRAFT on every page.

report 生成评估报告（Word 文档或可打印网页）；不指定 --edition 时为实时数据草稿。`,
		Example: `  eduplan report --kind final --as-of 2025 --edition 1 --format docx --out 总结评估.docx
  eduplan report --kind midterm --format html --out midterm.html --lang en`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := wantFormat(format, "docx", "html"); err != nil {
				return err
			}
			if lang != "zh" && lang != "en" {
				return usageError("--lang 只能是 zh 或 en", "--lang must be zh or en")
			}
			if out == "" {
				return usageError("须用 --out 指定输出文件", "--out FILE is required")
			}
			return g.withEngine(cmd.Context(), func(db *store.DB, e *indicator.Engine) error {
				pack := e.Pack()
				opt := report.Options{Lang: lang, Generated: time.Now()}
				var c *edition.Content
				if number > 0 {
					ed, err := edition.Open(cmd.Context(), db, pack, number)
					if err != nil {
						return err
					}
					c, opt.Edition = ed.Content, &ed.EditionHeader
					opt.Generated = ed.Dated()
				} else {
					year := asOf
					if year == 0 {
						year = edition.DefaultAsOf(pack, kind)
					}
					var err error
					if c, err = edition.Build(cmd.Context(), db, e, kind, year, ""); err != nil {
						return err
					}
				}
				r := report.Build(pack, c, opt)
				var buf bytes.Buffer
				var err error
				if format == "docx" {
					err = r.WriteDOCX(&buf)
				} else {
					err = r.WriteHTML(&buf, report.HTMLOptions{DocxURL: "#", BackURL: "#"})
				}
				if err != nil {
					return err
				}
				return os.WriteFile(out, buf.Bytes(), 0o644)
			})
		},
	}
	cmd.Flags().StringVar(&kind, "kind", edition.Final, "the review: final (总结评估) or midterm (中期评估); ignored with --edition")
	cmd.Flags().IntVar(&asOf, "as-of", 0, "the last year of data (default: the plan's end year; for midterm its middle year); ignored with --edition")
	cmd.Flags().IntVar(&number, "edition", 0, "write edition N's frozen figures instead of the live ones")
	cmd.Flags().StringVar(&format, "format", "docx", "docx or html")
	cmd.Flags().StringVar(&out, "out", "", "the file to write")
	cmd.Flags().StringVar(&lang, "lang", "zh", "language of the report: zh or en")
	return cmd
}
