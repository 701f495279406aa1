package web

import (
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/yantai-edu/eduplan/internal/locale"
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

// TestLocaleKeys: every locale.T call in the package's Go code names a literal key the
// catalogue has, and every key of the catalogue is used by a template or the code.
func TestLocaleKeys(t *testing.T) {
	base, err := parseBase(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for k := range templateKeys(base) {
		used[k] = true
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := gotoken.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "templates.go" { // t forwards keys parseTemplates checked
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "T" {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "locale" {
				return true
			}
			lit, ok := call.Args[1].(*ast.BasicLit)
			if !ok || lit.Kind != gotoken.STRING {
				t.Errorf("%s: locale.T with a key that is not a literal: a test cannot check it", fset.Position(call.Pos()))
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			if _, ok := locale.Lookup(key); !ok {
				t.Errorf("%s: no key %q in the locale catalogue", fset.Position(call.Pos()), key)
			}
			used[key] = true
			return true
		})
	}
	for _, k := range locale.Keys() {
		if !used[k] {
			t.Errorf("key %q is used by no template and no locale.T call", k)
		}
	}
}
