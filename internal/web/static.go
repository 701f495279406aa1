package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// assets are the embedded static files, each with a hash of its content so that pages
// can link a versioned URL that browsers may cache for good.
type assets struct {
	files map[string]asset
}

type asset struct {
	content []byte
	// gzipped is the content compressed once at start, for text files worth it (ECharts'
	// 1 MB shrinks to about a third); nil otherwise.
	gzipped []byte
	hash    string
}

// compressible are the extensions of the static files served gzip-compressed.
var compressible = map[string]bool{".js": true, ".css": true, ".json": true, ".svg": true}

// builtinAssets are the embedded static files, read and compressed once per process
// and shared by every Server: they never change while it runs, and compressing them
// at the best level takes some 80 ms (nearly a second under the race detector, where
// every test server paid it again).
var builtinAssets = sync.OnceValue(func() *assets { return newAssets(staticFS) })

// newAssets reads every file under static/, keyed by its path below it
// ("app.css", "vendor/echarts/echarts.min.js").
func newAssets(fsys fs.FS) *assets {
	a := &assets{files: map[string]asset{}}
	err := fs.WalkDir(fsys, "static", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		f := asset{content: b, hash: hex.EncodeToString(sum[:6])}
		if compressible[path.Ext(name)] && len(b) > 1024 {
			f.gzipped = gzipped(b)
		}
		a.files[strings.TrimPrefix(name, "static/")] = f
		return nil
	})
	if err != nil {
		panic(err) // embedded files are always readable
	}
	return a
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // the level is valid
	zw.Write(b)                                              // writes to memory do not fail
	zw.Close()
	return buf.Bytes()
}

// url returns the versioned URL of a static file.
func (a *assets) url(name string) string {
	f, ok := a.files[name]
	if !ok {
		panic("web: no static file " + name) // templates name only files that exist
	}
	return "/static/" + name + "?v=" + f.hash
}

func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	f, ok := s.static.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	if queryValue(r, "v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=3600")
	}
	// Each coding of the file is a representation of its own, with an ETag of its own
	// (RFC 9110 8.8.3): a client holding the plain file is not told that it holds the
	// compressed one.
	content, etag := f.content, `"`+f.hash+`"`
	if f.gzipped != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			h.Set("Content-Encoding", "gzip")
			content, etag = f.gzipped, gzipTag(etag)
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(content))
}
