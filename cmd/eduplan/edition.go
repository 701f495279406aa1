package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/sheet"
	"github.com/yantai-edu/eduplan/internal/store"
)

func newEditionCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "edition",
		Short: "Official editions (版本) of a review: frozen, hashed, published, compared",
		Long: `An edition freezes a review — every figure of the headline indicators and commitments at
the city and each district, the inputs and import batches behind each, the progress
rows, verdicts, district ranking, key projects and main tasks, the pack's version — with
the SHA-256 of its canonical encoding. Later imports never change it; a correction is a
new edition, and diff lists the figures that moved. A published edition is what the
public sees of its review by default.

edition 版本：冻结评估结果（数值、进度、结论、依据的导入批次与规划包版本）并计算哈希；
此后导入的数据不会改变已生成的版本。更正须生成新版本，diff 列出变动的数字。`,
		Example: `  eduplan edition create --kind final --as-of 2025 --title "烟台市教育事业发展“十四五”规划总结评估"
  eduplan edition list
  eduplan edition show 1 --format json
  eduplan edition publish 1
  eduplan edition diff 1 2`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newEditionCreateCmd(g), newEditionListCmd(g), newEditionShowCmd(g), newEditionPublishCmd(g), newEditionDiffCmd(g))
	return cmd
}

// withEngine opens the database and computes the indicators for fn, closing it after.
func (g *globals) withEngine(ctx context.Context, fn func(*store.DB, *indicator.Engine) error) error {
	return g.withDB(ctx, func(db *store.DB, p *plan.Pack) error {
		p, err := planFor(ctx, db, p)
		if err != nil {
			return err
		}
		e, err := indicator.Load(ctx, db, p)
		if err != nil {
			return err
		}
		return fn(db, e)
	})
}

func checkFormat(format string) error { return wantFormat(format, "table", "csv", "json") }

func editionNumber(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, usageError(fmt.Sprintf("%q 不是版本号", s), fmt.Sprintf("%q is not an edition number", s))
	}
	return n, nil
}

// editionHeader is the header of the editions' CSV.
var editionHeader = []string{"number", "plan", "pack_version", "kind", "as_of", "title", "sha256", "created_at", "published_at"}

func editionRecord(h store.EditionHeader) []string {
	pub := ""
	if h.PublishedAt != nil {
		pub = h.PublishedAt.UTC().Format(time.RFC3339)
	}
	return []string{strconv.Itoa(h.Number), h.Plan, h.PackVersion, h.Kind, strconv.Itoa(h.AsOf), h.Title, h.SHA256,
		h.CreatedAt.UTC().Format(time.RFC3339), pub}
}

// writeEditions writes edition headers as the format asks.
func writeEditions(w io.Writer, g *globals, format string, hs []store.EditionHeader) error {
	switch format {
	case "json":
		return writeJSON(w, hs)
	case "csv":
		cw := sheet.NewWriter(w)
		cw.Write(editionHeader)
		for _, h := range hs {
			cw.Write(editionRecord(h))
		}
		cw.Flush()
		return cw.Error()
	}
	tw := newTable(w)
	zone := " (" + g.zone.String() + ")"
	fmt.Fprintln(tw, "版本 no.\t类型 kind\t截至 as of\t标题 title\t哈希 sha256\t生成 created"+zone+"\t发布 published"+zone)
	for _, h := range hs {
		zh, _ := edition.KindLabel(h.Kind)
		pub := "草稿 draft"
		if h.PublishedAt != nil {
			pub = g.clock(*h.PublishedAt)
		}
		fmt.Fprintf(tw, "%d\t%s %s\t%d\t%s\t%s\t%s\t%s\n", h.Number, zh, h.Kind, h.AsOf, h.Title, h.SHA256[:12],
			g.clock(h.CreatedAt), pub)
	}
	return tw.Flush()
}
