package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// importFlags are the import command's flags.
type importFlags struct {
	kind, lang, progress, as    string
	asJSON, dryRun, allowShrink bool
}

func newImportCmd(g *globals) *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import institutions, students, teachers, population, facts or conditions files (CSV or XLSX)",
		Long: `Import files in the interchange formats. All files of one command are applied in one
transaction: if any row of any file is invalid, nothing changes and every bad row is
listed. A file for a kind, year and district that is already stored replaces it;
importing the same file again changes nothing. The plan pack's plausibility rules
(validation.yaml) add warnings, which never block an import.

On a terminal a progress bar on stderr shows the rows, rows/s and the time left of each
step; --json writes a machine-readable report (rows, batches, warnings, errors by class,
timings by phase) to stdout.

--dry-run reads, checks and applies the files as an import would, says what each
would replace (rows before → after, per kind, year and district), and changes nothing.
A file that drops more than 30% of the rows of a district's snapshot (of 50 rows or
more) is refused, in case it was cut short, unless --allow-shrink says it is meant.
School tables that replace a district's roster of a year (or a roster that replaces
its tables) say so, and are held to the same rule: the roster's people against all the
tables' people of that district and year once the import is in.

The file formats, with the allowed codes: docs/formats.md, or /formats on a running
server, which also offers a template of each kind.`,
		Example: `  eduplan import institutions-2024.csv students-2024.xlsx
  eduplan import --kind facts census.csv
  eduplan import --json students-2024.csv > report.json
  eduplan import --dry-run students-2024.csv
  eduplan import --allow-shrink students-2024.csv`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runImport(cmd, g, f, args) },
	}
	cmd.Flags().StringVar(&f.as, "as", "", "import as this user: within their scope, recorded as theirs (as through the web)")
	cmd.Flags().StringVar(&f.kind, "kind", "", "kind of every file: institutions, students, teachers, population, facts, conditions or a record kind the pack declares (default: from the header)")
	cmd.Flags().StringVar(&f.lang, "lang", "both", "language of the report: zh, en or both")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "write a machine-readable report to stdout")
	cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "check the files and say what they would replace; change nothing")
	cmd.Flags().BoolVar(&f.allowShrink, "allow-shrink", false, "accept a file that drops more than 30% of a snapshot's rows")
	cmd.Flags().StringVar(&f.progress, "progress", "auto", "progress bar on stderr: auto (on a terminal), always or never")
	return cmd
}

// runImport imports the files in one transaction and reports what it did, or why it
// refused them.
func runImport(cmd *cobra.Command, g *globals, f importFlags, files []string) error {
	k, showBar, err := f.check(cmd, g)
	if err != nil {
		return err
	}
	pack, err := g.pack()
	if err != nil {
		return err
	}
	db, err := g.createDB(cmd.Context())
	if err != nil {
		return err
	}
	defer db.Close()
	opt := ingest.Options{Kind: k, User: cliActor().Name, Remote: "cli", DryRun: f.dryRun, AllowShrink: f.allowShrink}
	scope := pack.FullScope()
	if f.as != "" {
		// Acting as a user: their scope and their name, exactly as through the API.
		p, err := auth.NewService(db, pack).Principal(cmd.Context(), f.as)
		if err != nil {
			return err
		}
		if !p.Can(auth.Import) {
			return plan.Errorf(plan.EFORBIDDEN, "用户 %s（%s）无权导入", "user %s (%s) may not import", f.as, p.Role)
		}
		scope, opt.User = p.Scope(pack), f.as
	}
	stopBar := func() {}
	if showBar {
		opt.Progress = &ingest.Progress{}
		stopBar = startProgressBar(cmd.ErrOrStderr(), opt.Progress)
	}
	start := time.Now()
	res, err := ingest.ImportFiles(cmd.Context(), db, pack, scope, files, opt)
	stopBar()
	w := cmd.OutOrStdout()
	var rej *ingest.RejectedError
	if errors.As(err, &rej) {
		if f.asJSON {
			out := importSummary(rej.Reports)
			out["accepted"], out["reports"], out["timings"] = false, rej.Reports, rej.Timings
			writeJSON(w, out)
		} else {
			for _, r := range rej.Reports {
				r.Write(cmd.ErrOrStderr(), f.lang)
			}
		}
	}
	if err != nil {
		return err // a refusal, its reports written, exits as exitStatus says
	}
	if f.asJSON {
		out := importSummary(res.Reports)
		out["accepted"], out["batches"], out["reports"], out["skipped"] = !res.DryRun, res.Batches, res.Reports, res.Skipped
		out["dry_run"], out["changes"] = res.DryRun, res.Changes
		out["timings"], out["seconds"] = res.Timings, time.Since(start).Seconds()
		return writeJSON(w, out)
	}
	writeImportResult(w, pack, res, f.lang, start)
	return nil
}

// check reads the flags that need reading: the kind (the pack may declare it) and
// whether to show a progress bar; it refuses a --lang or --progress it does not know.
func (f importFlags) check(cmd *cobra.Command, g *globals) (k ingest.Kind, showBar bool, err error) {
	if f.kind != "" {
		pack, err := g.pack() // for the record kinds it declares
		if err != nil {
			return "", false, err
		}
		if k, err = ingest.ParseKindIn(f.kind, pack); err != nil {
			return "", false, usageError(err.Error(), err.Error())
		}
	}
	if f.lang != "zh" && f.lang != "en" && f.lang != "both" {
		return "", false, usageError("--lang 只能是 zh、en 或 both", "--lang must be zh, en or both")
	}
	switch f.progress {
	case "auto":
		showBar = isTerminal(cmd.ErrOrStderr())
	case "always":
		showBar = true
	case "never":
	default:
		return "", false, usageError("--progress 只能是 auto、always 或 never", "--progress must be auto, always or never")
	}
	return k, showBar, nil
}

// writeImportResult says what an accepted import (or a dry run) replaced, imported and
// skipped, its warnings, and how long each phase took. A dry run says the same as the
// import would, in the conditional: each file's rows, and each snapshot's rows before
// and after, a snapshot that held none being added to rather than replaced.
func writeImportResult(w io.Writer, pack *plan.Pack, res *ingest.Result, lang string, start time.Time) {
	if res.DryRun {
		fmt.Fprintln(w, "试运行，数据未作任何更改 / dry run: nothing was changed")
	}
	verb := func(done, would string) string {
		if res.DryRun {
			return would
		}
		return done
	}
	for _, c := range res.Changes {
		zh, en := c.Describe(pack)
		v := verb(locale.T(locale.Both, "cli_import_replaced"), locale.T(locale.Both, "cli_import_would_replace"))
		if c.Before == 0 {
			v = verb(locale.T(locale.Both, "cli_import_added"), locale.T(locale.Both, "cli_import_would_add"))
		}
		note := ""
		if c.Shrink {
			note = "（减少超过 30%，需 --allow-shrink / drops more than 30%: needs --allow-shrink）"
			if !res.DryRun {
				note = "（已允许大幅减少 / large drop allowed）"
			}
		}
		if c.Switch != "" {
			fmt.Fprintf(w, "%s / %s%s\n", zh, en, note) // a sentence with its verb
			continue
		}
		fmt.Fprintf(w, "%s %s / %s%s\n", v, zh, en, note)
	}
	for _, b := range res.Batches {
		batch := fmt.Sprintf(", 批次 batch %d", b.ID)
		if res.DryRun {
			batch = "" // the batch was not made
		}
		fmt.Fprintf(w, "%s %s: %s, %d 行 rows%s, years %v, districts %v, %d 条警告 warnings\n",
			verb(locale.T(locale.Both, "cli_import_imported"), locale.T(locale.Both, "cli_import_would_import")),
			b.File, b.Kind, b.Rows, batch, b.Years, b.Districts, b.Warnings)
	}
	for _, p := range res.Skipped {
		fmt.Fprintf(w, "未变化 unchanged %s: 该文件已导入 already imported as it is\n", p)
	}
	for _, r := range res.Reports {
		if r.WarningCount > 0 {
			r.Write(w, lang)
		}
	}
	t := res.Timings
	fmt.Fprintf(w, "用时 took %s (prepare %s, read+validate %s, write %s, check %s, commit %s)\n",
		time.Since(start).Round(time.Millisecond), t.Prepare.Round(time.Millisecond), t.Read.Round(time.Millisecond),
		t.Write.Round(time.Millisecond), t.Check.Round(time.Millisecond), t.Commit.Round(time.Millisecond))
}

// importSummary totals the reports of an import for --json: rows, errors and warnings,
// with their counts by class (warnings of plausibility rules by rule).
func importSummary(reports []*ingest.Report) map[string]any {
	rows, nerr, nwarn := 0, 0, 0
	errCounts, warnCounts := map[string]int{}, map[string]int{}
	for _, r := range reports {
		rows += r.Rows
		nerr += r.ErrorCount
		nwarn += r.WarningCount
		for c, n := range r.Counts {
			errCounts[c] += n
		}
		for c, n := range r.WarningCounts {
			warnCounts[c] += n
		}
	}
	return map[string]any{"rows": rows, "errors": nerr, "error_counts": errCounts,
		"warnings": nwarn, "warning_counts": warnCounts}
}
