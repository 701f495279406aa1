package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/yantai-edu/eduplan/internal/auth"
)

// Conditional answers. Every 200 OK answer to a GET carries an ETag, is answered 304 Not
// Modified when If-None-Match names it, is gzip-compressed for clients that take it,
// and says who may keep it. The response cache (cache.go) does this for the answers it
// keeps; tagged does it for the routes outside the cache, whose answers depend on more
// than the engine (tasks, editions, the audit log, imports, supervision): they are
// rendered for every request and their ETag is the hash of what was rendered, so that a
// 304 is given only when the bytes are the very same, never for data that changed.

// publicMaxAge is how long, in seconds, a proxy or browser may reuse a public answer
// without asking again: after an import or an edit, readers behind a cache see the new
// figures at most this late.
const publicMaxAge = 10

// gzipMin is the size below which an answer is not worth compressing.
const gzipMin = 1024

// vary are the request headers an answer depends on: the coding, the language, and who
// the reader is.
const vary = "Accept-Encoding, Accept-Language, Cookie, Authorization"

// cacheControl sets who may keep an answer. Answers to the public are the same for
// everyone: a proxy may keep them for a short while. A signed-in reader's are theirs
// alone, kept by their browser and checked with the server each time (a 304 when
// unchanged). An answer that ends a stale session (Set-Cookie) is never shared, and
// one its handler says no one may keep (no-store: evidence, the health check) stays so.
func (s *Server) cacheControl(h http.Header, r *http.Request) {
	switch {
	case strings.Contains(h.Get("Cache-Control"), "no-store"):
	case s.principalOf(r).Role == auth.Public && len(h.Values("Set-Cookie")) == 0:
		h["Cache-Control"] = publicCacheControl
	default:
		h["Cache-Control"] = privateCacheControl
	}
	h["Vary"] = varyValues
}

// The values of the headers every answer carries, made once: a header set from them
// shares their array, which no one writes (http.Header's Add appends to a copy, as
// their capacity is their length).
var (
	publicCacheControl  = []string{"public, max-age=" + strconv.Itoa(publicMaxAge) + ", must-revalidate"}
	privateCacheControl = []string{"private, no-cache"}
	varyValues          = []string{vary}
	gzipValues          = []string{"gzip"}
)

// tagged serves a route's 200 OK answers to GET and HEAD as conditional answers: the
// handler's answer is held in memory, its ETag is the hash of its bytes (or the one the
// handler set), and it is sent
// gzip-compressed to clients that take it. Other answers (errors, redirects) and other
// methods pass through as the handler writes them.
func (s *Server) tagged(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h(w, r)
			return
		}
		rec := &recorder{header: w.Header()}
		h(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		if rec.status != http.StatusOK || rec.header.Get("Content-Encoding") != "" {
			if rec.status != http.StatusOK {
				// An error page is not the representation an ETag set before it named.
				rec.header.Del("ETag")
			}
			w.WriteHeader(rec.status)
			w.Write(rec.body.Bytes())
			return
		}
		body := rec.body.Bytes()
		hdr := w.Header()
		s.cacheControl(hdr, r)
		gz := worthGzip(hdr, body) && acceptsGzip(r)
		// A handler whose answer names the moment it was written (a Word file) sets the
		// ETag of what it says apart from that moment; else it is the hash of the bytes.
		etag := hdr.Get("ETag")
		if etag == "" {
			etag = contentTag(body)
		}
		if gz {
			etag = gzipTag(etag)
		}
		hdr.Set("ETag", etag)
		if noneMatch(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		if gz {
			var buf bytes.Buffer
			buf.Grow(len(body) / 4)
			// The fastest level, as nginx compresses each answer: this one is compressed
			// for one request, not kept.
			zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed) // the level is valid
			zw.Write(body)                                     // writes to memory do not fail
			zw.Close()
			body = buf.Bytes()
			hdr.Set("Content-Encoding", "gzip")
		}
		hdr.Set("Content-Length", strconv.Itoa(len(body)))
		writeWhole(w, r, body)
	}
}

// contentTag is the strong ETag of an answer's content: a hash of its bytes, quoted.
func contentTag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// gzipTag is the ETag of the gzip-compressed form of the content whose ETag is etag:
// another representation, so another strong ETag (RFC 9110 8.8.3), as Apache gives it.
func gzipTag(etag string) string { return strings.TrimSuffix(etag, `"`) + `-gzip"` }

// noneMatch reports whether an If-None-Match header names etag, the ETag of the
// representation about to be sent, or is "*". The comparison is weak (RFC 9110
// 13.1.2): W/ aside, the tags are the same. A tag of the content's other coding does
// not match: the client holds another representation.
func noneMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for part := range strings.SplitSeq(header, ",") {
		t := strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// worthGzip reports whether an answer is worth compressing: text over a kilobyte, not
// already encoded.
func worthGzip(h http.Header, body []byte) bool {
	return len(body) > gzipMin && h.Get("Content-Encoding") == "" && compressibleType(h.Get("Content-Type"))
}

// compressibleType reports whether a content type is text worth compressing: text/*,
// JSON (also JSON-LD's application/ld+json) and XML (SVG).
func compressibleType(ct string) bool {
	ct, _, _ = strings.Cut(ct, ";")
	ct = strings.TrimSpace(ct)
	return strings.HasPrefix(ct, "text/") || ct == "application/json" || strings.HasSuffix(ct, "+json") || strings.HasSuffix(ct, "+xml")
}

// acceptsGzip reports whether the client takes a gzip-encoded body (every browser does).
func acceptsGzip(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
