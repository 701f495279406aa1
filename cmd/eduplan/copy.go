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
		Short: "Move a city's database from its SQLite file to a new PostgreSQL database, verified (复制)",
		Long: `copy writes every row of a SQLite database (--from) into a new, empty PostgreSQL
database (--to), in one transaction, then checks that the PostgreSQL database holds as
many rows of each table and gives the same value of every indicator, byte for byte.
Stop the servers on the SQLite file first: what they write meanwhile is not copied.

copy 把 SQLite 数据库整体复制到新的空 PostgreSQL 数据库，并逐表、逐值核对。`,
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
	cmd.Flags().StringVar(&to, "to", "", "the new, empty PostgreSQL database (a postgres:// URL)")
	return cmd
}

func copyDB(cmd *cobra.Command, g *globals, from, to string) error {
	ctx := cmd.Context()
	pack, err := g.pack()
	if err != nil {
		return err
	}
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
	a, err := valuesCSV(ctx, src, pack)
	if err != nil {
		return err
	}
	b, err := valuesCSV(ctx, dst, pack)
	if err != nil {
		return err
	}
	if !bytes.Equal(a, b) {
		return fmt.Errorf("copy: the PostgreSQL database's values differ from the SQLite file's (%d bytes of CSV against %d)", len(b), len(a))
	}
	fmt.Fprintf(w, "复制完成 copied in %s; 指标值逐字节相同 every indicator value the same (%d bytes of values CSV)\n",
		time.Since(start).Round(time.Millisecond), len(a))
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
