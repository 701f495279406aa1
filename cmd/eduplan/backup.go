package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

func newBackupCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "backup --out FILE",
		Short: "Write a consistent copy of the SQLite database while it is in use (备份)",
		Long: `backup writes the SQLite database of --db, as one committed state, to a new file,
while servers and imports go on using it. The copy is itself an eduplan database:
eduplan serve --db FILE runs on it. A PostgreSQL database is backed up with pg_dump.

backup 在数据库使用中写出一致的 SQLite 副本；PostgreSQL 请用 pg_dump。`,
		Example: `  eduplan backup --db yantai.db --out yantai-2026-12-04.db`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageError("请用 --out 指定备份文件", "--out is required")
			}
			return g.withDB(cmd.Context(), func(db *store.DB, _ *plan.Pack) error {
				start := time.Now()
				if err := db.Backup(cmd.Context(), out); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "备份 backup: %s (%s)\n", out, time.Since(start).Round(time.Millisecond))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "the new file to write (must not exist)")
	return cmd
}
