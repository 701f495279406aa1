package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

func newCopyCmd(g *globals) *cobra.Command {
	var from, to string
	cmd := &cobra.Command{
		Use:   "copy --from FILE --to postgres://…",
		Short: "Move a city's database from its SQLite file to a PostgreSQL database, verified (复制)",
		Long: `copy writes every row of a SQLite database (--from) into a PostgreSQL database
(--to) that holds nothing of the cities the file holds: a new database, or one that
already serves other cities (a province's platform). It copies in one transaction, then
checks that the PostgreSQL database holds as many rows of each table for those cities
and gives the same value of every indicator of the city --tenant picks (the file's own
city by default), byte for byte. Stop the servers on the SQLite file first: what they
write meanwhile is not copied. The servers on the PostgreSQL database may keep running.

copy 把 SQLite 数据库整体复制到 PostgreSQL 数据库（新库，或已有其他城市数据、但没有本市
数据的库），并逐表、逐值核对。`,
		Example: `  eduplan copy --from yantai.db --to postgres://eduplan@db.example/eduplan`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if from == "" || to == "" {
				return usageError("请用 --from 和 --to 指定两个数据库", "--from and --to are required")
			}
			if _, err := os.Stat(from); errors.Is(err, fs.ErrNotExist) || store.IsPostgres(from) {
				return plan.Errorf(plan.ENOTFOUND, "SQLite 数据库文件 %s 不存在", "SQLite database file %s does not exist", from)
			}
			return copyDB(cmd, g, from, to)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "the SQLite database file to copy")
	cmd.Flags().StringVar(&to, "to", "", "the PostgreSQL database (a postgres:// URL), holding nothing of the file's cities")
	return cmd
}

func copyDB(cmd *cobra.Command, g *globals, from, to string) error {
	ctx := cmd.Context()
	src, err := store.Open(ctx, from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := store.Open(ctx, to)
	if err != nil {
		return err
	}
	defer dst.Close()
	tenants, err := src.Tenants(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	counts, err := store.Copy(ctx, src, dst)
	if err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	tw := newTable(w)
	fmt.Fprintf(tw, "%s\t%s\n", locale.T(string(g.lang), "cli_table"), locale.T(string(g.lang), "cli_rows"))
	for _, c := range counts {
		fmt.Fprintf(tw, "%s\t%d\n", c.Table, c.Rows)
	}
	tw.Flush()
	for _, t := range tenants {
		p, err := plan.Choose(g.planDir, t)
		if err != nil || p.Tenant != t {
			fmt.Fprintf(w, "城市 %s：逐表核对了行数；没有它的规划包（--plan），未比较指标值\n"+
				"city %s: rows counted table by table; no plan pack of it (--plan), so its values were not compared\n", t, t)
			continue
		}
		a, err := valuesCSV(ctx, src, p)
		if err != nil {
			return err
		}
		b, err := valuesCSV(ctx, dst, p)
		if err != nil {
			return err
		}
		if !bytes.Equal(a, b) {
			return fmt.Errorf("copy: city %s's values on the PostgreSQL database differ from the SQLite file's (%d bytes of CSV against %d)", t, len(b), len(a))
		}
		fmt.Fprintf(w, "城市 %s：指标值逐字节相同 / city %s: every indicator value the same (%d bytes of values CSV)\n", t, t, len(a))
	}
	fmt.Fprintf(w, "复制完成 copied in %s\n", time.Since(start).Round(time.Millisecond))
	return nil
}

// valuesCSV is the values CSV of every indicator, as eduplan values prints it.
func valuesCSV(ctx context.Context, db *store.DB, pack *plan.Pack) ([]byte, error) {
	p, err := planFor(ctx, db, pack)
	if err != nil {
		return nil, err
	}
	e, err := indicator.Load(ctx, db, p)
	if err != nil {
		return nil, err
	}
	vs, err := e.Values(p.FullScope(), indicator.Query{})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = indicator.WriteCSV(&buf, vs)
	return buf.Bytes(), err
}
