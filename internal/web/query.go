package web

import (
	"net/http"
	"net/url"
	"strings"
)

// queryValue is r.URL.Query().Get(name) without parsing the whole query into a map:
// the first value of name, unescaped; "" if there is none. Every request from the
// cache reads its language so (langOf), and url.Values costs a map and a slice per
// parameter. Pairs are read as url.ParseQuery reads them: split at '&', a pair with
// a ';' or a bad escape skipped.
func queryValue(r *http.Request, name string) string {
	for rest := r.URL.RawQuery; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err := url.QueryUnescape(k)
		if err != nil || k != name {
			continue
		}
		if v, err = url.QueryUnescape(v); err != nil {
			continue
		}
		return v
	}
	return ""
}
