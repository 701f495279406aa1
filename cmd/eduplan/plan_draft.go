package main

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
)

func newPlanDraftCmd(g *globals) *cobra.Command {
	var from, out string
	var opt plan.DraftOptions
	cmd := &cobra.Command{
		Use:   "draft",
		Short: "Write a draft pack for the next plan period, baselines filled from the actual values",
		Long: `Write a draft pack for the plan period after the one of --from (a pack directory, or
"builtin"): the same org units, elements, rules and formulas; baselines are the city's
actual values in --base-year from the database; every target is a placeholder equal to
its baseline, marked TODO, for planners to set. Baselines are rounded to each
indicator's decimals; when the database holds demo data (演示数据) they are marked as
such and TODO. The new plan is named by --title, or from the old name: "十四五" becomes
"十五五" for 2026–2030. 'eduplan plan check' accepts the draft and lists what is still
TODO ('--strict' refuses it until none is left), and '--plan DIR' runs it beside the
plan before.`,
		Example: `  eduplan plan draft --from builtin --base-year 2025 --out yantai-2026-2030
  eduplan progress --plan yantai-2026-2030`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			src, p, err := draftSource(from)
			if err != nil {
				return err
			}
			if opt.BaseYear == 0 {
				opt.BaseYear = p.TargetYear
			}
			baseYear := opt.BaseYear
			db, err := g.openDB(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			if opt.Demo, err = db.Demo(cmd.Context(), p.Tenant); err != nil {
				return err
			}
			e, err := indicator.Load(cmd.Context(), db, p)
			if err != nil {
				return err
			}
			files, err := plan.Draft(p, src, opt, func(code string) (float64, bool) {
				v, ok := e.Get(code, p.Tenant, baseYear)
				return v.Value, ok && v.OK
			})
			if err != nil {
				return err
			}
			if err := writeDraft(out, files); err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "草案已写入 draft written to %s (%d files); set the targets marked TODO, then: eduplan plan check --strict %s\n", out, len(files), out)
			if opt.Demo {
				fmt.Fprintln(w, "注意：基线取自演示数据，不是统计数据 note: the baselines are demo data, not statistics (marked TODO)")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&from, "from", "builtin", "the pack the draft follows: a directory, or builtin")
	cmd.Flags().IntVar(&opt.BaseYear, "base-year", 0, "the new baseline year (default: the pack's target year)")
	cmd.Flags().StringVar(&opt.Name, "title", "", "the new plan's name (default: the old one's, \"十四五\" moved on to \"十五五\" when the periods are five-year plans)")
	cmd.Flags().StringVar(&opt.NameEn, "title-en", "", "the new plan's English name (default: derived like --title)")
	cmd.Flags().StringVar(&out, "out", "", "directory to write the draft into")
	cmd.MarkFlagRequired("out")
	return cmd
}

// draftSource is the pack a draft follows and the files it is read from: a directory,
// or the built-in pack for "builtin" (or "").
func draftSource(from string) (fs.FS, *plan.Pack, error) {
	if from == "builtin" || from == "" {
		p, err := plan.Builtin()
		return plan.BuiltinFS(), p, err
	}
	p, err := plan.LoadDir(from)
	return os.DirFS(from), p, err
}

// writeDraft writes a draft's files into the directory out, made if missing.
func writeDraft(out string, files map[string][]byte) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if err := os.WriteFile(filepath.Join(out, name), files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}
