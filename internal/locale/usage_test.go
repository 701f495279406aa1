package locale

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// root is the module's root, seen from this package's folder.
const root = "../.."

// goFiles calls f with every non-test Go file under cmd and internal, parsed.
func goFiles(t *testing.T, f func(fset *token.FileSet, path string, file *ast.File)) {
	t.Helper()
	fset := token.NewFileSet()
	for _, dir := range []string{"cmd", "internal"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			file, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			f(fset, filepath.ToSlash(path), file)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// catalogueCall returns the key argument of a locale.T or locale.F call, else nil.
func catalogueCall(n ast.Node) ast.Expr {
	call, ok := n.(*ast.CallExpr)
	if !ok || len(call.Args) < 2 {
		return nil
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || (sel.Sel.Name != "T" && sel.Sel.Name != "F") {
		return nil
	}
	if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "locale" {
		return nil
	}
	return call.Args[1]
}

// templateKey finds a t call's key in a page template: {{t "x"}}, (t "x"). web refuses
// to parse a template whose t is given anything but a literal key, so this sees all.
var templateKey = regexp.MustCompile(`(?:\{\{-?|\()\s*t\s+"([^"]+)"`)

// TestKeysUsed: every locale.T or locale.F call in the Go code of cmd and internal
// names a literal key the catalogue has (web's templates.go, whose t forwards the keys
// of templates it checked itself, aside), and every key of the catalogue is used by a
// call or by a page template.
func TestKeysUsed(t *testing.T) {
	used := map[string]bool{}
	goFiles(t, func(fset *token.FileSet, path string, file *ast.File) {
		if path == root+"/internal/web/templates.go" {
			return
		}
		ast.Inspect(file, func(n ast.Node) bool {
			arg := catalogueCall(n)
			if arg == nil {
				return true
			}
			lit, ok := arg.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: a locale call with a key that is not a literal: a test cannot check it", fset.Position(arg.Pos()))
				return true
			}
			key, _ := strconv.Unquote(lit.Value)
			if _, ok := Lookup(key); !ok {
				t.Errorf("%s: no key %q in the catalogue", fset.Position(arg.Pos()), key)
			}
			used[key] = true
			return true
		})
	})
	pages, err := filepath.Glob(filepath.Join(root, "internal/web/templates/*.html"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no page templates (%v)", err)
	}
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range templateKey.FindAllSubmatch(b, -1) {
			used[string(m[1])] = true
		}
	}
	for _, k := range Keys() {
		if !used[k] {
			t.Errorf("key %q is used by no template and no locale call", k)
		}
	}
}

// TestNoInlinePairs: the command line and the report take their words from the
// catalogue, not from a Chinese and an English literal written side by side in a call
// (say("指标", "indicator")), a second way to translate. Errors, which carry both
// languages where they are made (plan.Errorf), are not words of a table.
func TestNoInlinePairs(t *testing.T) {
	goFiles(t, func(fset *token.FileSet, path string, file *ast.File) {
		if !strings.HasPrefix(path, root+"/cmd/") && !strings.HasPrefix(path, root+"/internal/report/") {
			return
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || isError(call.Fun) {
				return true
			}
			for i := 0; i+1 < len(call.Args); i++ {
				zh, ok1 := literal(call.Args[i])
				en, ok2 := literal(call.Args[i+1])
				if ok1 && ok2 && han(zh) && !han(en) {
					t.Errorf("%s: %q, %q written inline: put them in the catalogue", fset.Position(call.Pos()), zh, en)
				}
			}
			return true
		})
	})
}

// isError reports whether a call makes an error (plan.Errorf, usageError, …) or a log
// line (slog.Info(msg, "db", path)), which are not a table's words.
func isError(fun ast.Expr) bool {
	var name string
	switch f := fun.(type) {
	case *ast.Ident:
		name = f.Name
	case *ast.SelectorExpr:
		name = f.Sel.Name
	}
	switch name {
	case "Debug", "Info", "Warn", "Log":
		return true
	}
	return strings.Contains(strings.ToLower(name), "err")
}

// literal returns the text of a string literal, or of a concatenation that begins
// with one ("约"+about).
func literal(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			return literal(e.X)
		}
	}
	return "", false
}

func han(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
