package store_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// tenantFree are the statements that may read or write a table of cities' rows without
// naming the tenant, by the function they are in and the table: each says why.
var tenantFree = map[string]string{
	// Whether the database holds any city's data: serve fills only an empty database
	// with demo data.
	"Empty batches": "any city's batch",
	// A token's hash is unique across the database (tokens_hash); tokens() is given a
	// WHERE by TokenByHash and Tokens that names the tenant.
	"tokens tokens": "where is the caller's, naming tenant",
}

// statementTables are the tables a statement reads or writes.
var statementTables = regexp.MustCompile(`(?i)\b(?:FROM|JOIN|INTO|UPDATE)\s+([a-z_]+)\b`)

// isStatement: text that begins an SQL statement.
var isStatement = regexp.MustCompile(`(?is)^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\s`)

var tenantWord = regexp.MustCompile(`\btenant\b`)

// TestNoQueryWithoutTenant ("no query without it", issue 16): every SQL statement in the
// store's Go source that reads or writes a table holding cities' rows (a table with a
// tenant column in schema.sql) names tenant at least once for each such table it names
// — in its WHERE, its join or the columns it inserts — except the few of tenantFree.
// A statement is a string constant, or the constant parts of a + expression (the rest
// standing for what is filled in); every row inserted by insertID has tenant first.
// The SQL is one for both dialects; the isolation of whole cities on SQLite and on
// PostgreSQL is shown by cmd's TestTenantsShareADatabase and TestTenantsSharePostgres.
func TestNoQueryWithoutTenant(t *testing.T) {
	tables := tenantTables(t)
	if len(tables) < 20 || !tables["batches"] || !tables["sessions"] || tables["schema_migrations"] {
		t.Fatalf("tables with a tenant column in schema.sql: %v", tables)
	}
	fset, funcs := storeFuncs(t)
	wheres := whereFuncs(funcs)
	seen, used := 0, map[string]bool{}
	for _, fn := range funcs {
		vars := localValues(fn, wheres)
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				checkInsertID(t, fset, call)
			}
			e, ok := n.(ast.Expr)
			if !ok {
				return true
			}
			text, ok := statementText(e, vars)
			if !ok {
				return true
			}
			if !isStatement.MatchString(text) {
				return false
			}
			seen++
			refs := 0
			var named []string
			for _, m := range statementTables.FindAllStringSubmatch(text, -1) {
				if tables[m[1]] {
					refs++
					named = append(named, m[1])
				}
			}
			if refs == 0 || len(tenantWord.FindAllString(text, -1)) >= refs {
				return false
			}
			for _, table := range named {
				key := fn.Name.Name + " " + table
				if _, ok := tenantFree[key]; ok {
					used[key] = true
					continue
				}
				t.Errorf("%s: %s: a statement on %s does not name tenant for each table:\n%s", fset.Position(e.Pos()), fn.Name.Name, table, text)
			}
			return false
		})
	}
	if seen < 100 {
		t.Errorf("found %d statements: is the store's SQL somewhere this test does not look?", seen)
	}
	for key := range tenantFree {
		if !used[key] {
			t.Errorf("tenantFree lists %q, which no statement needs now: remove it", key)
		}
	}
}

// storeFuncs parses the store's Go source (not its tests) and returns its functions.
func storeFuncs(t *testing.T) (*token.FileSet, []*ast.FuncDecl) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	var funcs []*ast.FuncDecl
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Body != nil {
				funcs = append(funcs, fn)
			}
		}
	}
	return fset, funcs
}

// whereFuncs are the functions every return of which gives, first, text naming tenant
// (View.where): a WHERE they build names it.
func whereFuncs(funcs []*ast.FuncDecl) map[string]bool {
	out := map[string]bool{}
	for _, fn := range funcs {
		returns, named := 0, 0
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			if _, ok := n.(*ast.FuncLit); ok {
				return false
			}
			if r, ok := n.(*ast.ReturnStmt); ok && len(r.Results) > 0 {
				returns++
				if text, ok := statementText(r.Results[0], nil); ok && tenantWord.MatchString(text) {
					named++
				}
			}
			return true
		})
		if returns > 0 && named == returns {
			out[fn.Name.Name] = true
		}
	}
	return out
}

// localValues returns, for each local variable of fn that every assignment gives text
// naming tenant (a constant, or the first result of a function of wheres), "tenant".
func localValues(fn *ast.FuncDecl, wheres map[string]bool) map[string]string {
	names := map[string]bool{} // false once an assignment does not name tenant
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		a, ok := n.(*ast.AssignStmt)
		if !ok {
			return true
		}
		for i, lhs := range a.Lhs {
			id, ok := lhs.(*ast.Ident)
			if !ok {
				continue
			}
			named := false
			switch {
			case len(a.Rhs) == len(a.Lhs):
				text, ok := statementText(a.Rhs[i], nil)
				named = ok && tenantWord.MatchString(text)
			case len(a.Rhs) == 1 && i == 0:
				if call, ok := a.Rhs[0].(*ast.CallExpr); ok {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
						named = wheres[sel.Sel.Name]
					}
				}
			}
			if prev, ok := names[id.Name]; !ok || prev {
				names[id.Name] = named
			}
		}
		return true
	})
	out := map[string]string{}
	for name, named := range names {
		if named {
			out[name] = "tenant"
		}
	}
	return out
}

// statementText returns the text of a string constant, or of a + expression with at
// least one, its variables of vars written as their value and its other parts "…";
// false for anything else.
func statementText(e ast.Expr, vars map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		x, okx := statementText(e.X, vars)
		y, oky := statementText(e.Y, vars)
		if !okx && !oky {
			return "", false
		}
		if !okx {
			x = part(e.X, vars)
		}
		if !oky {
			y = part(e.Y, vars)
		}
		return x + y, true
	case *ast.ParenExpr:
		return statementText(e.X, vars)
	}
	return "", false
}

// part is what a non-constant part of a statement stands for: a variable's value
// when vars has it, else "…".
func part(e ast.Expr, vars map[string]string) string {
	if id, ok := e.(*ast.Ident); ok && vars[id.Name] != "" {
		return vars[id.Name]
	}
	return "…"
}

// checkInsertID: a row inserted by insertID (table, cols, values, ...) has tenant as
// its first column, as the dialect's insertID requires.
func checkInsertID(t *testing.T, fset *token.FileSet, call *ast.CallExpr) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "insertID" || len(call.Args) < 4 {
		return
	}
	cols, ok := statementText(call.Args[2], nil)
	if !ok || !strings.HasPrefix(strings.TrimSpace(cols), "tenant,") {
		t.Errorf("%s: insertID's columns do not begin with tenant: %q", fset.Position(call.Pos()), cols)
	}
}

// tenantTables returns the tables of schema.sql that have a tenant column.
func tenantTables(t *testing.T) map[string]bool {
	b, err := os.ReadFile("schema.sql")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for block := range strings.SplitSeq(string(b), "\n\n") { // one statement each
		name, ok := strings.CutPrefix(block, "CREATE TABLE ")
		if !ok {
			continue
		}
		name, cols, _ := strings.Cut(name, " (")
		if slices.ContainsFunc(strings.Split(cols, "\n"), func(l string) bool { return strings.HasPrefix(strings.TrimSpace(l), "tenant ") }) {
			out[name] = true
		}
	}
	return out
}
