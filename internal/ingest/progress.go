package ingest

import (
	"sync/atomic"
	"time"
)

// Phases of an import, in the order they come for each file.
const (
	PhasePrepare = "prepare" // hashing each file (it is compressed to be kept while its rows are read)
	PhaseRead    = "read"    // reading and validating rows (institutions, population and facts are written as they are read)
	PhaseWrite   = "write"   // checking and storing the ids of the file's students or teachers, and the roster counts
	PhaseCheck   = "check"   // checks across files and plausibility rules
	PhaseCommit  = "commit"
)

// Progress is how far a running import is, for a progress bar. The import updates it
// with atomic operations only, so that another goroutine may read it at any time
// (Snapshot) without slowing the import down: rows are added a batch at a time, bytes
// a buffer at a time.
type Progress struct {
	step    atomic.Pointer[ProgressStep]
	rows    atomic.Int64 // data rows read by every file so far
	bytes   atomic.Int64 // bytes of the current step's file read so far
	written atomic.Int64 // rows inserted in the current write step
}

// ProgressStep is one phase of one file.
type ProgressStep struct {
	Phase string
	File  string
	// Index counts the files from 1; Files is how many the import has.
	Index, Files int
	// Size is the file's size in bytes where reading it advances with its bytes (CSV;
	// prepare of any file); 0 where it does not (an XLSX workbook's rows).
	Size int64
	// ToWrite is how many rows the write step inserts.
	ToWrite int64
	// Start is when the step began, and RowsAtStart the rows read by then.
	Start       time.Time
	RowsAtStart int64
}

// ProgressSnapshot is Progress at one moment.
type ProgressSnapshot struct {
	ProgressStep
	Rows, Bytes, Written int64
}

// Snapshot returns the progress now. Before the import starts, Phase is "".
func (p *Progress) Snapshot() ProgressSnapshot {
	s := ProgressSnapshot{Rows: p.rows.Load(), Bytes: p.bytes.Load(), Written: p.written.Load()}
	if st := p.step.Load(); st != nil {
		s.ProgressStep = *st
	}
	return s
}

// begin starts a step. A nil Progress ignores it, as it ignores every update.
func (p *Progress) begin(st ProgressStep) {
	if p == nil {
		return
	}
	st.Start, st.RowsAtStart = time.Now(), p.rows.Load()
	p.bytes.Store(0)
	p.written.Store(0)
	p.step.Store(&st)
}

// resize sets the size of the current step's file.
func (p *Progress) resize(size int64) {
	if p == nil {
		return
	}
	if st := p.step.Load(); st != nil {
		c := *st
		c.Size = size
		p.step.Store(&c)
	}
}

func (p *Progress) addRows(n int) {
	if p != nil {
		p.rows.Add(int64(n))
	}
}

// writtenCounter returns the counter of rows inserted that the store adds to, or nil.
func (p *Progress) writtenCounter() *atomic.Int64 {
	if p == nil {
		return nil
	}
	return &p.written
}
