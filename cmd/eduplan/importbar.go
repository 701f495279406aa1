package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/yantai-edu/eduplan/internal/ingest"
)

// isTerminal reports whether w is a terminal (a character device: a terminal, or
// /dev/null, where drawing costs nothing), as opposed to a file or a pipe.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// barInterval is how often the progress bar is redrawn.
const barInterval = 100 * time.Millisecond

// startProgressBar draws an import's progress on w, a terminal, until stop is called:
// a goroutine reads the import's atomic counters ten times a second and redraws one
// line, so the import itself does nothing for the bar but count.
func startProgressBar(w io.Writer, p *ingest.Progress) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(barInterval)
		defer t.Stop()
		for {
			select {
			case <-done:
				io.WriteString(w, "\r\x1b[K")
				return
			case now := <-t.C:
				if line := barLine(p.Snapshot(), now); line != "" {
					io.WriteString(w, "\r"+line+"\x1b[K")
				}
			}
		}
	}()
	return func() { close(done); <-finished }
}

var phaseNames = map[string]string{
	ingest.PhasePrepare: "校验 hash",
	ingest.PhaseRead:    "读取 read",
	ingest.PhaseWrite:   "写入 write",
	ingest.PhaseCheck:   "检查 check",
	ingest.PhaseCommit:  "提交 commit",
}

// barLine is the progress bar's line for a snapshot, e.g.
//
//	[1/2] students-2024.csv  读取 read  ██████░░░░░░░░░░░░░░  31%  325,120 rows  298,214 rows/s  ETA 0:02
//
// The ETA is the current step's, from the bytes read (CSV) or the rows written; a
// workbook's rows have no ETA, as its size says little about where its reading is.
func barLine(s ingest.ProgressSnapshot, now time.Time) string {
	if s.Phase == "" {
		return ""
	}
	var b strings.Builder
	if s.Files > 1 {
		fmt.Fprintf(&b, "[%d/%d] ", s.Index, s.Files)
	}
	if s.File != "" {
		name := []rune(s.File)
		if len(name) > 28 {
			name = append(name[:27], '…')
		}
		b.WriteString(string(name) + "  ")
	}
	b.WriteString(phaseNames[s.Phase])
	elapsed := now.Sub(s.Start).Seconds()
	var done, total float64
	switch s.Phase {
	case ingest.PhasePrepare:
		done, total = float64(s.Bytes), float64(s.Size)
		if total > 0 {
			fmt.Fprintf(&b, "  %s  %s/%s MB", bar(done/total), mb(s.Bytes), mb(s.Size))
		}
	case ingest.PhaseRead:
		rows := s.Rows - s.RowsAtStart
		done, total = float64(s.Bytes), float64(s.Size)
		if total > 0 {
			b.WriteString("  " + bar(done/total))
		}
		fmt.Fprintf(&b, "  %s rows", group(rows))
		if elapsed > 0.2 && rows > 0 {
			fmt.Fprintf(&b, "  %s rows/s", group(int64(float64(rows)/elapsed)))
		}
	case ingest.PhaseWrite:
		done, total = float64(s.Written), float64(s.ToWrite)
		if total > 0 {
			fmt.Fprintf(&b, "  %s  %s/%s rows", bar(done/total), group(s.Written), group(s.ToWrite))
			if elapsed > 0.2 && done > 0 { // the rows are sorted before the first goes in
				fmt.Fprintf(&b, "  %s rows/s", group(int64(done/elapsed)))
			}
		}
	default:
		b.WriteString(" …")
	}
	if total > 0 && done > 0 && done < total && elapsed > 0.5 {
		eta := time.Duration(elapsed * (total - done) / done * float64(time.Second))
		b.WriteString("  ETA " + clock(eta))
	}
	return b.String()
}

// bar draws a fraction as 20 cells and a percentage.
func bar(frac float64) string {
	frac = min(max(frac, 0), 1)
	const width = 20
	full := int(frac * width)
	return strings.Repeat("█", full) + strings.Repeat("░", width-full) + fmt.Sprintf(" %3d%%", int(frac*100))
}

func mb(n int64) string { return strconv.FormatInt(n>>20, 10) }

// group writes an integer with thousands separators: 1,055,000.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// clock writes a duration as m:ss (h:mm:ss from an hour).
func clock(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
