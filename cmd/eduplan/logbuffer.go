package main

import (
	"io"
	"sync"
	"time"
)

// logBuffer is the server log's output. A busy server logs a line for every request,
// and slog writes each under a lock that every request shares: written one system call
// at a time, the log made the requests wait on each other (a reader's answer waited for
// the lines of all those before it). The lines are gathered in memory instead and
// written out together every logFlushEvery, or at once when logBufferMax is reached,
// in the order they came; Close writes what is left.
type logBuffer struct {
	w io.Writer

	out  sync.Mutex // held while writing to w: one flush at a time, in order
	mu   sync.Mutex // guards buf and free
	buf  []byte
	free []byte // the buffer last written, reused

	stop chan struct{}
	done chan struct{}
}

const (
	logFlushEvery = 100 * time.Millisecond
	logBufferMax  = 256 << 10
)

// newLogBuffer returns a buffer over w, writing to it every `every` until Close.
func newLogBuffer(w io.Writer, every time.Duration) *logBuffer {
	b := &logBuffer{w: w, stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				b.Flush()
			case <-b.stop:
				return
			}
		}
	}()
	return b
}

// Write keeps p to be written with the next flush; a full buffer is flushed at once,
// so that memory stays bounded when the output is slower than the lines come.
func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	b.buf = append(b.buf, p...)
	full := len(b.buf) >= logBufferMax
	b.mu.Unlock()
	if full {
		b.Flush()
	}
	return len(p), nil
}

// Flush writes the lines kept so far. Lines logged meanwhile go to the other buffer.
func (b *logBuffer) Flush() error {
	b.out.Lock()
	defer b.out.Unlock()
	b.mu.Lock()
	lines := b.buf
	b.buf, b.free = b.free[:0], nil
	b.mu.Unlock()
	if len(lines) == 0 {
		return nil
	}
	_, err := b.w.Write(lines)
	b.mu.Lock()
	b.free = lines[:0]
	b.mu.Unlock()
	return err
}

// Close stops the flushing and writes what is left.
func (b *logBuffer) Close() error {
	close(b.stop)
	<-b.done
	return b.Flush()
}
