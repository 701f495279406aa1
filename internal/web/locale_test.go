package web

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestTemplateKeysChecked: a template that uses a key the catalogue lacks, or gives t
// no literal key, is refused when the templates are parsed, not rendered as "".
func TestTemplateKeysChecked(t *testing.T) {
	for _, tc := range []struct {
		name, text, wantErr string
	}{
		{"known", `{{define "p"}}<p>{{t "login"}}</p>{{end}}`, ""},
		{"in printf", `{{define "p"}}{{printf (t "import_ok") "a.csv" 1 2}}{{end}}`, ""},
		{"in range", `{{define "p"}}{{range .}}{{if .}}{{t "login"}}{{else}}{{t "no_such_key"}}{{end}}{{end}}{{end}}`, `no key "no_such_key"`},
		{"unknown", `{{define "p"}}<p>{{t "no_such_key"}}</p>{{end}}`, `no key "no_such_key"`},
		{"not literal", `{{define "p"}}<p>{{t .Key}}</p>{{end}}`, `no key ""`},
		{"piped", `{{define "p"}}<p>{{"login" | t}}</p>{{end}}`, `no key ""`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseTemplates(fstest.MapFS{"p.html": {Data: []byte(tc.text)}}, "*.html")
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("error %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("error %v, want one with %q", err, tc.wantErr)
			}
		})
	}
}

// TestTemplateLanguages: each language's set writes the catalogue's string in it.
func TestTemplateLanguages(t *testing.T) {
	ts, err := parseTemplates(fstest.MapFS{"p.html": {Data: []byte(`{{define "p"}}{{t "login"}}{{end}}`)}}, "*.html")
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{langZh: "登录", langEn: "Sign in"} {
		var b strings.Builder
		if err := ts[lang].ExecuteTemplate(&b, "p", nil); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Errorf("%s: %q, want %q", lang, b.String(), want)
		}
	}
}
