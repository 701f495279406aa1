package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/store"
)

func newImportCmd(g *globals) *cobra.Command {
	var kind, lang string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import institutions, students, teachers, population or facts files (CSV or XLSX)",
		Long: `Import files in the interchange formats. All files of one command are applied in one
transaction: if any row of any file is invalid, nothing changes and every bad row is
listed. A file for a kind, year and district that is already stored replaces it;
importing the same file again changes nothing.`,
		Example: `  eduplan import institutions-2024.csv students-2024.xlsx
  eduplan import --kind facts census.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var k ingest.Kind
			if kind != "" {
				var err error
				if k, err = ingest.ParseKind(kind); err != nil {
					return usageError(err.Error())
				}
			}
			if lang != "zh" && lang != "en" && lang != "both" {
				return usageError("--lang must be zh, en or both")
			}
			pack, err := g.pack()
			if err != nil {
				return err
			}
			db, err := store.Open(cmd.Context(), g.db)
			if err != nil {
				return err
			}
			defer db.Close()
			start := time.Now()
			res, err := ingest.ImportFiles(cmd.Context(), db, pack, pack.FullScope(), args, ingest.Options{Kind: k, User: currentUser()})
			w := cmd.OutOrStdout()
			var rej *ingest.RejectedError
			if errors.As(err, &rej) {
				if asJSON {
					json.NewEncoder(w).Encode(map[string]any{"accepted": false, "reports": rej.Reports})
				} else {
					for _, r := range rej.Reports {
						r.Write(cmd.ErrOrStderr(), lang)
					}
				}
				return &exitError{code: 1, msg: "导入被拒绝，数据未作任何更改 / import rejected; nothing was changed"}
			}
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"accepted": true, "batches": res.Batches, "reports": res.Reports,
					"skipped": res.Skipped, "seconds": time.Since(start).Seconds()})
			}
			for _, b := range res.Batches {
				fmt.Fprintf(w, "已导入 imported %s: %s, %d 行 rows, 批次 batch %d, years %v, districts %v\n", b.File, b.Kind, b.Rows, b.ID, b.Years, b.Districts)
			}
			for _, p := range res.Skipped {
				fmt.Fprintf(w, "未变化 unchanged %s: 该文件已导入 already imported as it is\n", p)
			}
			for _, r := range res.Reports {
				if r.WarningCount > 0 {
					r.Write(w, lang)
				}
			}
			fmt.Fprintf(w, "用时 took %s\n", time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	cmd.Flags().StringVar(&kind, "kind", "", "kind of every file: institutions, students, teachers, population or facts (default: from the header)")
	cmd.Flags().StringVar(&lang, "lang", "both", "language of the report: zh, en or both")
	cmd.Flags().BoolVar(&asJSON, "json", false, "write a machine-readable report")
	return cmd
}
