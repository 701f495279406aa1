package ingest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/ingest"
)

// TestProgress imports the tiny data set while another goroutine reads the progress,
// as a progress bar does (the race detector checks that they share only atomics), and
// checks where the progress ends.
func TestProgress(t *testing.T) {
	ctx := context.Background()
	db, pack := newDB(t)
	p := &ingest.Progress{}
	if s := p.Snapshot(); s.Phase != "" {
		t.Errorf("before the import: %+v", s)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var phases []string
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			s := p.Snapshot()
			if s.Phase != "" && (len(phases) == 0 || phases[len(phases)-1] != s.Phase) {
				phases = append(phases, s.Phase)
			}
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), fixture.TinyFiles(), ingest.Options{Progress: p})
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	s := p.Snapshot()
	// tiny: 13 institutions, 9 population, 29 students, 16 teachers, 8 facts.
	if s.Phase != ingest.PhaseCommit || s.Rows != 75 || s.Files != 5 || res.Rows != 75 {
		t.Errorf("after the import: %+v (result %d rows)", s, res.Rows)
	}
	// The sampler reads the counters while the import writes them (the race detector
	// watches); which phases it catches depends on timing, so they are only logged.
	t.Logf("phases sampled: %v", phases)
	tm := res.Timings
	if tm.Total <= 0 || tm.Prepare <= 0 || tm.Read <= 0 || tm.Total < tm.Prepare+tm.Read+tm.Write+tm.Check+tm.Commit {
		t.Errorf("timings %+v", tm)
	}
}
