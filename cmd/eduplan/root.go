package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/locale"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/sheet"
	"github.com/yantai-edu/eduplan/internal/store"
)

// globals are the flags every command shares.
type globals struct {
	db      string
	planDir string
	// tenant is the city the command acts as, by its code (plan.Choose).
	tenant string
	lang   lang
	tz     string
	// zone is tz loaded: the zone every time a command prints is shown in, and named.
	zone *time.Location
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "eduplan",
		Short: "Run an education development plan: data in, indicators and progress out",
		Long: `eduplan takes in institution, student, teacher, population and fact files,
computes the plan's indicators for the city, every district and every institution,
and assesses progress against the plan's targets.

eduplan 汇集学校、学生、教师、人口和统计数据，计算规划指标并评估规划进展。`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVar(&g.db, "db", cmp.Or(os.Getenv("EDUPLAN_DB"), "eduplan.db"), "database: a SQLite file, or a postgres:// URL (env EDUPLAN_DB)")
	root.PersistentFlags().StringVar(&g.planDir, "plan", "", "load the plan pack from this directory instead of the built-in one; or a directory of packs, one per city, --tenant picking one")
	root.PersistentFlags().StringVar(&g.tenant, "tenant", os.Getenv("EDUPLAN_TENANT"), "the city (tenant) to act as, by its code: the pack under --plan whose tenant it is, or the built-in pack's (370600); every command sees and changes that city's data only (env EDUPLAN_TENANT)")
	root.PersistentFlags().StringVar((*string)(&g.lang), "lang", "both", "language of tables' headings, names and statuses: zh, en or both (CSV and JSON keep codes)")
	root.PersistentFlags().StringVar(&g.tz, "tz", cmp.Or(os.Getenv("EDUPLAN_TZ"), "Asia/Shanghai"), "time zone of the times printed and served, an IANA name (env EDUPLAN_TZ)")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		switch g.lang {
		case "zh", "en", "both":
		default:
			return usageError("--lang 只能是 zh、en 或 both", "--lang must be zh, en or both")
		}
		z, err := time.LoadLocation(g.tz)
		if err != nil || g.tz == "" || g.tz == "Local" {
			return usageError(fmt.Sprintf("--tz %q 不是时区名（如 Asia/Shanghai、UTC）", g.tz), fmt.Sprintf("--tz %q is not a time zone name (such as Asia/Shanghai or UTC)", g.tz))
		}
		g.zone = z
		return nil
	}
	root.AddCommand(
		newPlanCmd(g),
		newDemoCmd(g),
		newImportCmd(g),
		newValuesCmd(g),
		newStandardsCmd(g),
		newProgressCmd(g),
		newQualityCmd(g),
		newScorecardCmd(g),
		newReviewCmd(g),
		newEditionCmd(g),
		newReportCmd(g),
		newServeCmd(g),
		newTasksCmd(g),
		newProjectsCmd(g),
		newUserCmd(g),
		newTokenCmd(g),
		newAuditCmd(g),
		newRoundCmd(g),
		newCaseCmd(g),
		newBackupCmd(g),
		newCopyCmd(g),
	)
	markRuns(root)
	return root
}

// pack returns the active plan pack: the one of --plan and --tenant (plan.Choose).
func (g *globals) pack() (*plan.Pack, error) {
	return plan.Choose(g.planDir, g.tenant)
}

// withDB loads the active pack and opens the existing database for fn, closing it
// after.
func (g *globals) withDB(ctx context.Context, fn func(*store.DB, *plan.Pack) error) error {
	return g.withDBCreating(ctx, false, fn)
}

// withDBCreating is withDB for a command that may create the database (create true):
// only commands that put something in it (serve, import, user add, tasks set).
func (g *globals) withDBCreating(ctx context.Context, create bool, fn func(*store.DB, *plan.Pack) error) error {
	pack, err := g.pack()
	if err != nil {
		return err
	}
	open := g.openDB
	if create {
		open = g.createDB
	}
	db, err := open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db, pack)
}

// openDB opens the database of --db, which must exist: a command that only reads
// would otherwise create an empty file at a mistyped path and report that it has no
// data.
func (g *globals) openDB(ctx context.Context) (*store.DB, error) {
	if _, err := os.Stat(g.db); errors.Is(err, fs.ErrNotExist) && !store.IsPostgres(g.db) {
		return nil, plan.Errorf(plan.ENOTFOUND, "数据库文件 %s 不存在（请检查 --db 或 EDUPLAN_DB；eduplan import 或 eduplan serve 会创建它）",
			"database file %s does not exist (check --db or EDUPLAN_DB; eduplan import or eduplan serve creates it)", g.db)
	}
	return g.zoned(store.Open(ctx, g.db))
}

// createDB opens the database of --db, creating it if need be.
func (g *globals) createDB(ctx context.Context) (*store.DB, error) {
	return g.zoned(store.Open(ctx, g.db))
}

// zoned sets the zone of the database opened to --tz.
func (g *globals) zoned(db *store.DB, err error) (*store.DB, error) {
	if db != nil {
		db.Zone = g.zone
	}
	return db, err
}

// engine opens the database and computes the indicators of the active pack.
func (g *globals) engine(ctx context.Context) (*indicator.Engine, *plan.Pack, error) {
	p, err := g.pack()
	if err != nil {
		return nil, nil, err
	}
	db, err := g.openDB(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer db.Close()
	if p, err = planFor(ctx, db, p); err != nil {
		return nil, nil, err
	}
	e, err := indicator.Load(ctx, db, p)
	if err != nil {
		return nil, nil, err
	}
	return e, p, nil
}

// clock writes a time as a command prints it, in the zone: "2026-12-03 21:05".
func (g *globals) clock(t time.Time) string { return t.In(g.zone).Format("2006-01-02 15:04") }

// lang is the language of a table: zh, en or both.
type lang string

// say picks one of the data's paired texts (an org's Name and NameEn, a status's Label
// and LabelEn) in the language: zh, en, or both as "zh en" (the one of them when the
// other is empty or the same). A table's own words are in the locale catalogue.
func (l lang) say(zh, en string) string { return locale.Text{Zh: zh, En: en}.In(string(l)) }

// unit writes a unit in the language (plan.UnitWords): "万元", "10k yuan"; in English a
// count has none.
func (l lang) unit(u string) string {
	zh, en := plan.UnitWords(u)
	switch l {
	case "zh":
		return zh
	case "en":
		return en
	}
	return l.say(zh, en)
}

// section writes where the plan makes a commitment: its numbering ("二、(二)8") as it
// is, "重点工程3" as "key project 3" in English.
func (l lang) section(s string) string {
	if n, ok := strings.CutPrefix(s, "重点工程"); ok {
		return locale.F(string(l), "cli_key_project", n)
	}
	return s
}

// writeView runs a command that computes v from the indicators and writes it as its
// --format says: JSON as it is, CSV and a table by the writers given. Most reading
// commands (values, review, scorecard, projects) are this and their flags.
func writeView[T any](cmd *cobra.Command, g *globals, format string, compute func(*indicator.Engine, *plan.Pack) (T, error),
	csv func(io.Writer, T) error, table func(io.Writer, *indicator.Engine, *plan.Pack, T) error) error {
	if err := wantFormat(format, "csv", "json", "table"); err != nil {
		return err
	}
	e, pack, err := g.engine(cmd.Context())
	if err != nil {
		return err
	}
	v, err := compute(e, pack)
	if err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	switch format {
	case "csv":
		return csv(w, v)
	case "json":
		return writeJSON(w, v)
	}
	return table(w, e, pack, v)
}

// wantFormat refuses a --format the command does not write, in both languages.
func wantFormat(format string, allowed ...string) error {
	if slices.Contains(allowed, format) {
		return nil
	}
	list := strings.Join(allowed, ", ")
	return usageError("--format 只能是 "+list, "--format must be one of "+list)
}

// planFor returns the pack the database's data is measured against: for a demo data set
// generated at a scale below 1, the counts' baselines and targets scale with it.
func planFor(ctx context.Context, db *store.DB, p *plan.Pack) (*plan.Pack, error) {
	s, err := db.DemoScale(ctx, p.Tenant)
	if err != nil {
		return nil, err
	}
	return p.ScaleCounts(s), nil
}

// writeCSV writes rows (the header first) as CSV, as the commands that build their CSV
// in cmd do, text a spreadsheet would run neutralised (sheet.Text).
func writeCSV(w io.Writer, rows [][]string) error {
	cw := sheet.NewWriter(w)
	for _, r := range rows {
		cw.Write(r)
	}
	cw.Flush()
	return cw.Error()
}

// writeJSON writes v as indented JSON, as every command's --format json does.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
