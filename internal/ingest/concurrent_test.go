package ingest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// TestConcurrentSameImport: two imports of the same files into one database at once
// (two servers, each with its own connection): one is applied, the other is refused as
// a conflict saying so in both languages — not applied twice, not taken for a
// re-import of files already there, and no driver's error. The test holds the write
// lock until both imports have begun, so that neither can commit before the other has
// started.
func TestConcurrentSameImport(t *testing.T) {
	ctx := context.Background()
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	db, name := fixture.NewDB(t)
	other, err := store.Open(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	held, release := make(chan struct{}), make(chan struct{})
	holder := make(chan error, 1)
	go func() {
		holder <- db.Write(ctx, pack.Tenant, func(*store.Tx) error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	var (
		wg       sync.WaitGroup
		progress [2]ingest.Progress
		results  [2]*ingest.Result
		errs     [2]error
	)
	for i, d := range []*store.DB{db, other} {
		wg.Go(func() {
			results[i], errs[i] = ingest.ImportFiles(ctx, d, pack, pack.FullScope(), fixture.TinyFiles(), ingest.Options{User: "u", Progress: &progress[i]})
		})
	}
	for progress[0].Snapshot().Phase == "" || progress[1].Snapshot().Phase == "" {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if err := <-holder; err != nil {
		t.Fatal(err)
	}

	won := 0
	for i, err := range errs {
		switch {
		case err == nil && len(results[i].Batches) == len(fixture.TinyKinds):
			won++
		case plan.ErrorCode(err) == plan.ECONFLICT:
			if zh, en := plan.ErrorMessages(err); zh == "" || en == "" {
				t.Errorf("import %d: conflict without both messages: %q, %q", i, zh, en)
			}
		case err == nil:
			t.Errorf("import %d: no error, %d batches, %d files skipped; want all applied or a conflict", i, len(results[i].Batches), len(results[i].Skipped))
		default:
			t.Errorf("import %d: %v (code %s), want a conflict", i, err, plan.ErrorCode(err))
		}
	}
	if won != 1 {
		t.Errorf("%d of 2 imports applied, want 1 (errors %v)", won, errs)
	}
	batches, err := db.Batches(ctx, pack.FullScope())
	if err != nil || len(batches) != len(fixture.TinyKinds) {
		t.Errorf("%d batches after two imports of %d files (%v), want %d", len(batches), len(fixture.TinyKinds), err, len(fixture.TinyKinds))
	}
	// Importing the same files again afterwards is no conflict: nothing to do.
	res, err := ingest.ImportFiles(ctx, other, pack, pack.FullScope(), fixture.TinyFiles(), ingest.Options{User: "u"})
	if err != nil || len(res.Skipped) != len(fixture.TinyKinds) {
		t.Errorf("the same files once more: %v, %+v; want every file skipped", err, res)
	}
	// Nor is a file named twice in one import: it is applied once.
	fresh, _ := fixture.NewDB(t)
	inst := fixture.TinyFiles()[0]
	res, err = ingest.ImportFiles(ctx, fresh, pack, pack.FullScope(), []string{inst, inst}, ingest.Options{User: "u"})
	if err != nil || len(res.Batches) != 1 || len(res.Skipped) != 1 {
		t.Errorf("a file named twice in one import: %v, %+v; want one batch and the file skipped once", err, res)
	}
}
