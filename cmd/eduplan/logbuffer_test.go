package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// countingWriter counts the writes made to it.
type countingWriter struct {
	syncBuffer
	mu     sync.Mutex
	writes int
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.writes++
	c.mu.Unlock()
	return c.syncBuffer.Write(p)
}

func (c *countingWriter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writes
}

// TestServeLogBuffered: `eduplan serve` logs a line for every request, but does not
// write each to its output at once under the log's lock, where the requests waited on
// each other: the lines come out together, every one whole and in order, within a
// tenth of a second, and the last ones when the server stops.
func TestServeLogBuffered(t *testing.T) {
	db := tinyDB(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &countingWriter{}
	cmd := newRootCmd()
	cmd.SetOut(out)
	cmd.SetErr(out)
	cmd.SetArgs([]string{"serve", "--db", db, "--addr", "127.0.0.1:0"})
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx) }()
	var base string
	re := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)/`)
	for deadline := time.Now().Add(time.Minute); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("serve did not start:\n%s", out.String())
	}
	const n = 300
	before := out.count()
	for i := range n {
		res, err := http.Get(base + "/healthz?i=" + string(rune('a'+i%26)))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	time.Sleep(300 * time.Millisecond) // a few flushes
	lines := strings.Count(out.String(), "msg=request")
	if lines != n {
		t.Errorf("%d request lines out a moment after %d requests", lines, n)
	}
	if w := out.count() - before; w > n/10 {
		t.Errorf("%d requests logged in %d writes, want the lines written together", n, w)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if !strings.HasPrefix(line, "time=") && line != "" && !strings.Contains(line, "shown once") && !strings.Contains(line, "首次启动") {
			t.Errorf("line %d not whole: %q", i+1, line)
		}
	}
	if !strings.Contains(out.String(), "shutting down") {
		t.Errorf("the last line is not out after the server stopped:\n%.500s", out.String())
	}
}
