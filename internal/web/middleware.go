package web

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// statusWriter remembers the status and size of a response, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs every request with its status and duration.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		s.log.InfoContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path,
			"status", sw.status, "bytes", sw.bytes, "duration", time.Since(start))
	})
}

// recoverPanics turns a panic in a handler into a logged internal error, answered as
// the API's JSON error if nothing was written yet.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw, ok := w.(*statusWriter)
		if !ok {
			sw = &statusWriter{ResponseWriter: w}
		}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			err, ok := v.(error)
			if !ok {
				err = fmt.Errorf("%v", v)
			}
			err = fmt.Errorf("panic: %w", err)
			s.log.ErrorContext(r.Context(), "panic", "method", r.Method, "path", r.URL.Path, "err", err, "stack", string(debug.Stack()))
			if sw.status == 0 {
				// A panic is internal whatever its value: the user is told only that.
				zh, en := plan.ErrorMessages(fmt.Errorf("%v", v))
				writeJSON(sw, http.StatusInternalServerError, errorBody{errorDetail{Code: plan.EINTERNAL, Message: zh, MessageEn: en}})
			}
		}()
		next.ServeHTTP(sw, r)
	})
}

// contentSecurityPolicy allows the pages only what they are served from here.
const contentSecurityPolicy = "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders are set on every response, from arrays shared by all (see
// publicCacheControl).
var securityHeaders = []struct {
	name  string
	value []string
}{
	{"Content-Security-Policy", []string{contentSecurityPolicy}},
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"same-origin"}},
	{"X-Frame-Options", []string{"DENY"}},
}

// secure sets the security headers of every response.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		for _, kv := range securityHeaders {
			h[kv.name] = kv.value
		}
		next.ServeHTTP(w, r)
	})
}
