package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"time"
)

// assets are the embedded static files, each with a hash of its content so that pages
// can link a versioned URL that browsers may cache for good.
type assets struct {
	files map[string]asset
}

type asset struct {
	content []byte
	hash    string
}

func newAssets(fsys fs.FS) *assets {
	a := &assets{files: map[string]asset{}}
	names, err := fs.Glob(fsys, "static/*")
	if err != nil {
		panic(err) // the pattern is constant
	}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			panic(err) // embedded files are always readable
		}
		sum := sha256.Sum256(b)
		a.files[path.Base(name)] = asset{content: b, hash: hex.EncodeToString(sum[:6])}
	}
	return a
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
	h.Set("ETag", `"`+f.hash+`"`)
	if r.URL.Query().Get("v") == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=3600")
	}
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(f.content))
}
