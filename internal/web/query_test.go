package web

import (
	"net/http"
	"net/url"
	"testing"
)

// FuzzQueryValue holds queryValue to url.Values' reading of the same query.
func FuzzQueryValue(f *testing.F) {
	for _, q := range []string{"", "lang=en", "a=1&lang=zh&lang=en", "lang", "lang=", "l%61ng=e%6E",
		"lang=en;x=1&lang=zh", "lang=%zz&lang=en", "%zz=1&lang=en", "x=1&&lang=a+b", "LANG=en", "lang=en&"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r := &http.Request{URL: &url.URL{RawQuery: raw}}
		for _, name := range []string{"lang", "v", ""} {
			if got, want := queryValue(r, name), r.URL.Query().Get(name); got != want {
				t.Errorf("query %q, %q: got %q, url.Values has %q", raw, name, got, want)
			}
		}
	})
}
