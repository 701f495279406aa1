package main

import (
	"cmp"
	"context"
	"encoding/json"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// globals are the flags every command shares.
type globals struct {
	db      string
	planDir string
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
	root.PersistentFlags().StringVar(&g.db, "db", cmp.Or(os.Getenv("EDUPLAN_DB"), "eduplan.db"), "database file (env EDUPLAN_DB)")
	root.PersistentFlags().StringVar(&g.planDir, "plan", "", "load the plan pack from this directory instead of the built-in one")
	root.AddCommand(
		newPlanCmd(g),
		newDemoCmd(g),
		newImportCmd(g),
		newValuesCmd(g),
		newProgressCmd(g),
		newQualityCmd(g),
		newScorecardCmd(g),
		newReviewCmd(g),
		newEditionCmd(g),
		newServeCmd(g),
		newTasksCmd(g),
		newProjectsCmd(g),
		newUserCmd(g),
		newTokenCmd(g),
		newAuditCmd(g),
	)
	return root
}

// pack returns the active plan pack.
func (g *globals) pack() (*plan.Pack, error) {
	if g.planDir != "" {
		return plan.LoadDir(g.planDir)
	}
	return plan.Builtin()
}

// withDB loads the active pack and opens the database for fn, closing it after.
func (g *globals) withDB(ctx context.Context, fn func(*store.DB, *plan.Pack) error) error {
	pack, err := g.pack()
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, g.db)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(db, pack)
}

// engine opens the database and computes the indicators of the active pack.
func (g *globals) engine(ctx context.Context) (*indicator.Engine, *plan.Pack, error) {
	p, err := g.pack()
	if err != nil {
		return nil, nil, err
	}
	db, err := store.Open(ctx, g.db)
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

// domainError prints a domain error's messages in both languages and exits with the
// code's exit status: the one place where error codes become exit codes.
func domainError(err error) error {
	zh, en := plan.ErrorMessages(err)
	code := 1
	switch plan.ErrorCode(err) {
	case plan.EINVALID:
		code = 2
	case plan.ENOTFOUND:
		code = 3
	case plan.EFORBIDDEN:
		code = 4
	case plan.ECONFLICT:
		code = 5
	case plan.EUNAUTHORIZED:
		code = 6
	case plan.ETHROTTLED:
		code = 7
	case plan.EINTERNAL:
		return err
	}
	return &exitError{code: code, msg: "eduplan: " + zh + " / " + en}
}

// planFor returns the pack the database's data is measured against: for a demo data set
// generated at a scale below 1, the counts' baselines and targets scale with it.
func planFor(ctx context.Context, db *store.DB, p *plan.Pack) (*plan.Pack, error) {
	s, err := db.DemoScale(ctx)
	if err != nil {
		return nil, err
	}
	return p.ScaleCounts(s), nil
}

// writeJSON writes v as indented JSON, as every command's --format json does.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
