package web

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"syscall"
	"testing"
)

// corked reads TCP_CORK of a connection.
func corked(t *testing.T, c *net.TCPConn) int {
	t.Helper()
	rc, err := c.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var v int
	var gerr error
	if err := rc.Control(func(fd uintptr) {
		v, gerr = syscall.GetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK)
	}); err != nil {
		t.Fatal(err)
	}
	if gerr != nil {
		t.Fatal(gerr)
	}
	return v
}

// TestCork serves answers of several sizes over one kept-alive connection with
// writeWhole: each comes whole, the connection is corked while the answer is written
// when the body is over corkMin and at most corkMax, and it is never left corked
// (which would hold the next answer back for up to 200 ms).
func TestCork(t *testing.T) {
	sizes := []int{0, 100, corkMin, corkMin + 1, 9_850, corkMax, corkMax + 1, 300_000}
	var mu sync.Mutex // the handler's goroutine writes, the test's reads
	var conns []*net.TCPConn
	var during []int
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		body := bytes.Repeat([]byte("栖"), n/3+1)[:n]
		w.Header().Set("Content-Length", strconv.Itoa(n))
		tc, _ := r.Context().Value(connKey{}).(*net.TCPConn)
		if tc == nil {
			t.Error("no connection in the request's context")
			return
		}
		mu.Lock()
		conns = append(conns, tc)
		mu.Unlock()
		writeWhole(corkProbe{w, func() {
			v := corked(t, tc)
			mu.Lock()
			during = append(during, v)
			mu.Unlock()
		}}, r, body)
	})
	ts := httptest.NewUnstartedServer(h)
	ts.Config.ConnContext = ConnContext
	ts.Start()
	defer ts.Close()
	client := ts.Client()
	for _, n := range sizes {
		res, err := client.Get(ts.URL + "/?n=" + strconv.Itoa(n))
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(body) != n || !bytes.Equal(body, bytes.Repeat([]byte("栖"), n/3+1)[:n]) {
			t.Errorf("size %d: got %d bytes, not the body", n, len(body))
		}
		mu.Lock()
		c, first, got := conns[len(conns)-1], conns[0], during[len(during)-1]
		mu.Unlock()
		if c != first {
			t.Errorf("size %d: a new connection; the answers should keep one alive", n)
		}
		if v := corked(t, c); v != 0 {
			t.Errorf("size %d: TCP_CORK is %d after the answer, want 0", n, v)
		}
		want := 0
		if n > corkMin && n <= corkMax {
			want = 1
		}
		if got != want {
			t.Errorf("size %d: TCP_CORK %d while written, want %d", n, got, want)
		}
	}
}

// corkProbe calls probe when the body is written.
type corkProbe struct {
	http.ResponseWriter
	probe func()
}

func (p corkProbe) Write(b []byte) (int, error) {
	p.probe()
	return p.ResponseWriter.Write(b)
}

func (p corkProbe) Unwrap() http.ResponseWriter { return p.ResponseWriter }
