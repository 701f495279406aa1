package web

import (
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/report"
	"github.com/yantai-edu/eduplan/internal/store"
)

// TestReportCache: an edition's report is built once per header and language; the same
// edition published (its header changed) is built again, and past reportCacheSize the
// oldest is dropped.
func TestReportCache(t *testing.T) {
	var c reportCache
	builds := 0
	get := func(ed *edition.Edition, lang string) *report.Report {
		return c.editionReport(ed, lang, func() *report.Report {
			builds++
			return &report.Report{Lang: lang}
		})
	}
	draft := &edition.Edition{EditionHeader: store.EditionHeader{Number: 1, Kind: "final", AsOf: 2025, SHA256: "ab"}}
	first := get(draft, "zh")
	if again := get(draft, "zh"); again != first || builds != 1 {
		t.Errorf("the same edition and language again: built %d times, same report %v", builds, again == first)
	}
	if en := get(draft, "en"); en == first || builds != 2 {
		t.Errorf("in English: built %d times, the Chinese report given %v", builds, en == first)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	published := &edition.Edition{EditionHeader: draft.EditionHeader}
	published.PublishedAt = &at
	if p := get(published, "zh"); p == first || builds != 3 {
		t.Errorf("once published: built %d times, the draft's report given %v", builds, p == first)
	}
	for n := 2; n <= reportCacheSize+1; n++ {
		get(&edition.Edition{EditionHeader: store.EditionHeader{Number: n}}, "zh")
	}
	builds = 0
	get(draft, "zh") // the oldest, dropped
	get(&edition.Edition{EditionHeader: store.EditionHeader{Number: reportCacheSize + 1}}, "zh")
	if builds != 1 {
		t.Errorf("past %d reports: %d built again, want 1 (the oldest alone)", reportCacheSize, builds)
	}
}
