package web

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/indicator"
)

// The response cache. Pages and API answers drawn from the indicators change only when
// an import gives the server a new engine, so an answer is the same for every reader of
// the same scope and language until then: it is rendered once, gzip-compressed once, and
// served from memory to every such reader, with an ETag (a hash of its content, so that
// an answer the import did not change still answers If-None-Match with 304).
//
// An answer is cached under the engine's generation, the reader (the public as one;
// signed-in readers by scope for the API, and by user for pages, which name the user),
// the language and the full URL. When a newer engine comes, the answers of the old one
// are dropped at once. Memory is bounded: the least recently used answers go first once
// the cache holds more than its bytes. Concurrent requests for an answer not yet cached
// wait for the one that renders it rather than render it again.

// DefaultCacheBytes is the response cache's bound when Deps.CacheBytes is 0.
const DefaultCacheBytes = 128 << 20

// cacheKind is what an answer cached for a signed-in reader depends on.
type cacheKind int

const (
	// byScope: API answers, the same for every reader of a scope.
	byScope cacheKind = iota
	// byUser: pages, which name the signed-in user and show the links their role has.
	byUser
)

// cacheable are the routes whose answers depend only on the engine, the plan, the
// reader and the URL (not on tasks, editions or other data changed outside imports).
var cacheable = map[string]cacheKind{
	"GET /{$}":                      byUser,
	"GET /indicators/{code}":        byUser,
	"GET /districts/{code}":         byUser,
	"GET /standards":                byUser,
	"GET /standards/{code}":         byUser,
	"GET /formats":                  byUser,
	"GET /api/v1/plan":              byScope,
	"GET /api/v1/orgs":              byScope,
	"GET /api/v1/indicators":        byScope,
	"GET /api/v1/indicators/{code}": byScope,
	"GET /api/v1/values":            byScope,
	"GET /api/v1/values/explain":    byScope,
	"GET /api/v1/progress":          byScope,
	"GET /api/v1/scorecards":        byScope,
	"GET /api/v1/standards":         byScope,
	"GET /api/v1/standards/{code}":  byScope,
	"GET /api/v1/quality":           byScope,
	"GET /api/v1/openapi.json":      byScope,
}

// keptHeaders are the headers of a handler's answer kept with it in the cache.
var keptHeaders = []string{"Content-Type", "Content-Disposition", demoHeader}

// responseCache keeps rendered answers of the current engine, least recently used first
// out.
type responseCache struct {
	max int64 // bytes; 0: nothing is kept

	mu      sync.Mutex
	engine  *indicator.Engine // the engine whose answers are kept
	size    int64
	lru     list.List // of *cachedAnswer, most recently used at the front
	items   map[string]*list.Element
	flights map[string]*flight
	// warmed are answers of a newer engine rendered before readers got it (Warm),
	// kept once its first request comes.
	warmEngine *indicator.Engine
	warmed     []*cachedAnswer
}

// cachedAnswer is a 200 OK answer as served: its headers and its body, gzip-compressed
// where that pays.
type cachedAnswer struct {
	key    string
	header http.Header
	body   []byte
	gz     bool   // body is gzip-compressed
	etag   string // of the uncompressed content, quoted
	// The header values serveAnswer sends, made once: the ETag of the body as
	// stored (gzipTag of etag when gz) and its length.
	storedTag, storedLength []string
	// replay renders the same request from another engine (Warm): its key and answer,
	// nil if that is not 200 OK.
	replay func(*indicator.Engine) (string, *cachedAnswer)
}

// flight is an answer being rendered; those who want it meanwhile wait for done.
type flight struct {
	done   chan struct{}
	answer *cachedAnswer // nil: not cacheable (an error); render your own
}

func newResponseCache(limit int64) *responseCache {
	if limit == 0 {
		limit = DefaultCacheBytes
	}
	return &responseCache{max: max(0, limit), items: map[string]*list.Element{}, flights: map[string]*flight{}}
}

// answerSize is what an answer costs the cache, roughly.
func answerSize(a *cachedAnswer) int64 { return int64(len(a.body) + len(a.key) + 256) }

// begin looks up an answer of engine e. It returns the answer if it is cached; else the
// flight rendering it, which the caller waits for if lead is false or renders and ends
// (end) if lead is true. A nil flight and answer mean e is not the cache's engine (an
// older one, or an unrelated one): the caller renders without the cache.
func (c *responseCache) begin(e *indicator.Engine, key string) (a *cachedAnswer, f *flight, lead bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.max == 0 {
		return nil, nil, false
	}
	if c.engine != e {
		if c.engine != nil && e.Generation() <= c.engine.Generation() {
			return nil, nil, false
		}
		// A newer engine: the old one's answers are of no more use.
		c.engine, c.size = e, 0
		c.lru.Init()
		clear(c.items)
		clear(c.flights)
		if c.warmEngine == e {
			for i := len(c.warmed) - 1; i >= 0; i-- {
				c.keep(c.warmed[i])
			}
		}
		c.warmEngine, c.warmed = nil, nil
	}
	if el, ok := c.items[key]; ok {
		c.lru.MoveToFront(el)
		return el.Value.(*cachedAnswer), nil, false
	}
	if f, ok := c.flights[key]; ok {
		return nil, f, false
	}
	f = &flight{done: make(chan struct{})}
	c.flights[key] = f
	return nil, f, true
}

// end keeps the answer a flight rendered (nil: none to keep) if e is still the cache's
// engine, and lets the waiters go on.
func (c *responseCache) end(e *indicator.Engine, key string, f *flight, a *cachedAnswer) {
	f.answer = a
	close(f.done)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.engine != e || c.flights[key] != f {
		return
	}
	delete(c.flights, key)
	if a != nil {
		c.keep(a)
	}
}

// keep adds an answer of the cache's engine, dropping the least recently used beyond
// the cache's bytes.
func (c *responseCache) keep(a *cachedAnswer) {
	if answerSize(a) > c.max/4 {
		return
	}
	if el, ok := c.items[a.key]; ok {
		c.lru.Remove(el)
		c.size -= answerSize(el.Value.(*cachedAnswer))
	}
	c.items[a.key] = c.lru.PushFront(a)
	c.size += answerSize(a)
	for c.size > c.max {
		el := c.lru.Back()
		old := el.Value.(*cachedAnswer)
		c.lru.Remove(el)
		delete(c.items, old.key)
		c.size -= answerSize(old)
	}
}

// hot returns the n answers of the cache's engine read most recently, and the engine.
func (c *responseCache) hot(n int) (*indicator.Engine, []*cachedAnswer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*cachedAnswer
	for el := c.lru.Front(); el != nil && len(out) < n; el = el.Next() {
		out = append(out, el.Value.(*cachedAnswer))
	}
	return c.engine, out
}

// preload keeps answers of engine e, newer than the cache's, for when its first
// request comes.
func (c *responseCache) preload(e *indicator.Engine, answers []*cachedAnswer) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.engine != nil && e.Generation() <= c.engine.Generation() {
		return
	}
	c.warmEngine, c.warmed = e, answers
}

// warmCount is how many of the most read answers Warm renders from a new engine.
const warmCount = 32

// Warm renders the answers most read from the current engine from e, a newer one not
// yet given to readers (indicator.Live.Prepare), so that the first readers after an
// import find them ready instead of waiting for them, all at once.
func (s *Server) Warm(e *indicator.Engine) {
	cur, hot := s.responses.hot(warmCount)
	if cur == nil || cur.Generation() >= e.Generation() {
		return
	}
	var answers []*cachedAnswer
	for _, a := range hot {
		if a.replay == nil {
			continue
		}
		if _, b := a.replay(e); b != nil {
			answers = append(answers, b)
		}
	}
	s.responses.preload(e, answers)
}

// cacheKey is the key of the request's answer: the engine's generation, the reader, the
// language and the full URL. The public is one reader whatever cookies it sends.
func (s *Server) cacheKey(r *http.Request, kind cacheKind) string {
	p := s.principalOf(r)
	var who [4]string
	switch {
	case p.Role == auth.Public:
		who[0] = "public"
	case kind == byUser:
		who = [4]string{"user", string(p.Role), p.Org, p.User}
	default:
		sc := p.Scope(s.pack)
		who = [4]string{"scope", sc.Tenant, sc.Org, strconv.Itoa(int(sc.Detail))}
	}
	// Written into one string, as the key is made for every request. The URL is the
	// target as the request gave it (a request made here, without one, its URL's).
	uri := r.RequestURI
	if uri == "" {
		uri = r.URL.RequestURI()
	}
	lang := langOf(r)
	var b strings.Builder
	b.Grow(20 + len(who[0]) + len(who[1]) + len(who[2]) + len(who[3]) + len(lang) + len(uri) + 6)
	var gen [20]byte
	b.Write(strconv.AppendUint(gen[:0], s.engine(r).Generation(), 10))
	for _, part := range [...]string{who[0], who[1], who[2], who[3], lang, uri} {
		b.WriteByte(0)
		b.WriteString(part)
	}
	return b.String()
}

// cached serves a route's answers from the response cache, rendering each once per
// engine, reader, language and URL.
func (s *Server) cached(path string, kind cacheKind, h http.HandlerFunc) http.HandlerFunc {
	var wildcards []string
	for _, m := range wildcard.FindAllStringSubmatch(path, -1) {
		wildcards = append(wildcards, m[1])
	}
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			h(w, r)
			return
		}
		e := s.engine(r)
		key := s.cacheKey(r, kind)
		a, f, lead := s.responses.begin(e, key)
		switch {
		case a != nil:
		case f == nil:
			// Not the cache's engine: rendered for this request alone.
			if a = s.render(w, r, h, key); a == nil {
				return
			}
		case lead:
			func() {
				defer func() { s.responses.end(e, key, f, a) }() // even if h panics
				if a = s.render(w, r, h, key); a != nil {
					a.replay = s.replayer(r, kind, wildcards, h)
				}
			}()
			if a == nil {
				return
			}
		default:
			select {
			case <-f.done:
			case <-r.Context().Done():
				return
			}
			if a = f.answer; a == nil {
				// The leader's answer was an error: find this request's own.
				if a = s.render(w, r, h, key); a == nil {
					return
				}
			}
		}
		s.serveAnswer(w, r, a)
	}
}

// wildcard finds the names of a route pattern's wildcards: "code" in "/indicators/{code}".
var wildcard = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)(?:\.\.\.)?\}`)

// replayer returns a function rendering the request again, from another engine: the
// same reader, language, URL and path values.
func (s *Server) replayer(r *http.Request, kind cacheKind, wildcards []string, h http.HandlerFunc) func(*indicator.Engine) (string, *cachedAnswer) {
	who, lang, u, target := s.principalOf(r), langOf(r), *r.URL, r.RequestURI
	if target == "" {
		target = u.RequestURI()
	}
	values := make([]string, len(wildcards))
	for i, name := range wildcards {
		values[i] = r.PathValue(name)
	}
	return func(e *indicator.Engine) (string, *cachedAnswer) {
		ctx := withState(context.Background(), &reqState{principal: who, signedIn: true, engine: e})
		u := u // each request its own
		req := (&http.Request{Method: http.MethodGet, URL: &u, RequestURI: target, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Accept-Language": {lang}}, Host: "localhost"}).WithContext(ctx)
		for i, name := range wildcards {
			req.SetPathValue(name, values[i])
		}
		key := s.cacheKey(req, kind)
		rec := &recorder{header: http.Header{}}
		h(rec, req)
		if rec.status != http.StatusOK {
			return key, nil
		}
		a := newAnswer(key, rec.header, rec.body.Bytes())
		a.replay = s.replayer(req, kind, wildcards, h)
		return key, a
	}
}

// render runs the handler into memory. A 200 OK answer is returned to be cached and
// served; any other is written to w at once and nil returned.
func (s *Server) render(w http.ResponseWriter, r *http.Request, h http.HandlerFunc, key string) *cachedAnswer {
	rec := &recorder{header: http.Header{}}
	h(rec, r)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	if rec.status != http.StatusOK {
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.status)
		w.Write(rec.body.Bytes())
		return nil
	}
	return newAnswer(key, rec.header, rec.body.Bytes())
}

// newAnswer makes the cached form of an answer: the kept headers, the ETag of its
// content, and its body gzip-compressed where that pays (text, over a kilobyte).
func newAnswer(key string, header http.Header, body []byte) *cachedAnswer {
	a := &cachedAnswer{key: key, header: http.Header{}}
	for _, k := range keptHeaders {
		if v := header.Values(k); len(v) > 0 {
			a.header[k] = v
		}
	}
	a.etag = contentTag(body)
	if worthGzip(header, body) {
		var buf bytes.Buffer
		buf.Grow(len(body) / 4)
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression) // the level is valid
		zw.Write(body)                                              // writes to memory do not fail
		zw.Close()
		a.body, a.gz = buf.Bytes(), true
		a.storedTag = []string{gzipTag(a.etag)}
	} else {
		a.body = bytes.Clone(body)
		a.storedTag = []string{a.etag}
	}
	a.storedLength = []string{strconv.Itoa(len(a.body))}
	return a
}

// serveAnswer writes a cached answer: 304 Not Modified when the client holds it already
// (If-None-Match), else its body, gzip-compressed for clients that take it.
func (s *Server) serveAnswer(w http.ResponseWriter, r *http.Request, a *cachedAnswer) {
	h := w.Header()
	for k, v := range a.header {
		h[k] = v
	}
	s.cacheControl(h, r)
	if a.gz && !acceptsGzip(r) {
		// A client that takes no gzip (rare: every browser does) gets it decompressed.
		h.Set("ETag", a.etag)
		if noneMatch(r.Header.Get("If-None-Match"), a.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		zr, err := gzip.NewReader(bytes.NewReader(a.body))
		var body []byte
		if err == nil {
			body, err = io.ReadAll(zr)
		}
		if err != nil {
			s.pageError(w, r, err) // not reached: the cache compressed it
			return
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		writeWhole(w, r, body)
		return
	}
	// The body as stored: compressed where that paid, for a client that takes gzip.
	h["ETag"] = a.storedTag
	if noneMatch(r.Header.Get("If-None-Match"), a.storedTag[0]) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if a.gz {
		h["Content-Encoding"] = gzipValues
	}
	h["Content-Length"] = a.storedLength
	writeWhole(w, r, a.body)
}

// writeWhole writes a 200 OK answer whose headers are set, Content-Length among them.
// On Linux a body over a couple of kilobytes goes out with its headers in one TCP
// segment where it fits (cork): net/http writes the headers and such a body in two
// system calls, which would send two segments and wake the reader twice.
func writeWhole(w http.ResponseWriter, r *http.Request, body []byte) {
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	if len(body) > corkMin && len(body) <= corkMax {
		if uncork := cork(r); uncork != nil {
			defer uncork()
			w.WriteHeader(http.StatusOK)
			w.Write(body)
			http.NewResponseController(w).Flush() // before uncork: the whole answer
			return
		}
	}
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// recorder keeps a handler's answer in memory.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
