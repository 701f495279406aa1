package web

import (
	"encoding/json"
	"sync"

	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/report"
)

// The reports of editions. An edition's content never changes once frozen, so the report
// built from it (report.Build: its text, tables and charts) is the same for every reader
// until its header changes (when it is published); it is built once per language and
// kept, and each request only writes it out as a page or a Word file. Drawing the charts
// was half the time of a published report's page (about 30 ms on the Yantai-size demo).
// The live report is built afresh for every request: it reads the task ledger too,
// which changes outside imports.

// reportCacheSize bounds the reports kept: a plan has a handful of editions, each read
// in two languages.
const reportCacheSize = 16

// reportCache keeps reports of editions by header and language, the oldest out first.
type reportCache struct {
	mu    sync.Mutex
	m     map[string]*report.Report
	order []string
}

// editionReport returns the report of edition ed in a language, built by build the first
// time it is asked for. A report is only read once built (its writers take it as it is).
func (c *reportCache) editionReport(ed *edition.Edition, lang string, build func() *report.Report) *report.Report {
	head, err := json.Marshal(ed.EditionHeader) // every field of it: number, hash, publication
	if err != nil {
		return build() // not reached: the header is plain data
	}
	key := lang + "\x00" + string(head)
	c.mu.Lock()
	rep, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return rep
	}
	rep = build() // outside the lock: two first readers may both build it, and one is kept
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*report.Report{}
	}
	if _, ok := c.m[key]; !ok {
		c.m[key] = rep
		c.order = append(c.order, key)
		if len(c.order) > reportCacheSize {
			delete(c.m, c.order[0])
			c.order = c.order[1:]
		}
	}
	return rep
}
