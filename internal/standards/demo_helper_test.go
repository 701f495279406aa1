package standards_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/yantai-edu/eduplan/internal/demo"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// demoEngine generates a demo data set into a temporary folder, imports it into a
// SQLite file there and loads the engine: the folder (the demo's CSV files), what was
// generated, and the engine over it.
func demoEngine(tb testing.TB, pack *plan.Pack, opt demo.Options) (string, *demo.Summary, *indicator.Engine) {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	sum, err := demo.Generate(ctx, pack, dir, opt)
	if err != nil {
		tb.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(dir, "eduplan.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), sum.Files, ingest.Options{}); err != nil {
		tb.Fatal(err)
	}
	e, err := indicator.Load(ctx, db, pack)
	if err != nil {
		tb.Fatal(err)
	}
	return dir, sum, e
}
