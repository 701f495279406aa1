package web

import (
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"slices"
	"text/template/parse"

	"github.com/yantai-edu/eduplan/internal/locale"
)

// templates are the pages' templates, one set per language: in each, {{t "key"}}
// writes the locale catalogue's string of the key in that language.
type templates map[string]*template.Template

// parseTemplates parses the templates of fsys and makes a set per language. A
// template that uses a key the catalogue lacks, or gives t anything but a literal key,
// is refused, so that the server does not start with a word missing.
func parseTemplates(fsys fs.FS, pattern string) (templates, error) {
	base, err := parseBase(fsys, pattern)
	if err != nil {
		return nil, err
	}
	used := templateKeys(base)
	for _, key := range slices.Sorted(maps.Keys(used)) {
		if _, ok := locale.Lookup(key); !ok {
			return nil, fmt.Errorf("%s: no key %q in the locale catalogue", used[key], key)
		}
	}
	ts := templates{}
	for _, lang := range []string{langZh, langEn} {
		c, err := base.Clone()
		if err != nil {
			return nil, err
		}
		ts[lang] = c.Funcs(template.FuncMap{"t": func(key string) string { return locale.T(lang, key) }})
	}
	return ts, nil
}

// parseBase parses the templates with a t that each language's set replaces.
func parseBase(fsys fs.FS, pattern string) (*template.Template, error) {
	return template.New("").Funcs(template.FuncMap{"t": func(string) string { return "" }}).ParseFS(fsys, pattern)
}

// templateKeys returns the key of every t call in the templates, each with where it is
// first used ("template overview: {{t "x"}}").
func templateKeys(base *template.Template) map[string]string {
	keys := map[string]string{}
	for _, tm := range base.Templates() {
		if tm.Tree == nil {
			continue
		}
		walkKeys(tm.Tree.Root, func(key string, n parse.Node) {
			if _, seen := keys[key]; !seen {
				keys[key] = fmt.Sprintf("template %s: %s", tm.Name(), n)
			}
		})
	}
	return keys
}

// walkKeys calls f with the key of every t call under n; a call whose argument is not
// one literal string is reported with the key "" (never in the catalogue).
func walkKeys(n parse.Node, f func(key string, n parse.Node)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walkKeys(c, f)
		}
	case *parse.ActionNode:
		walkKeys(n.Pipe, f)
	case *parse.IfNode:
		walkBranch(&n.BranchNode, f)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, f)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, f)
	case *parse.TemplateNode:
		walkKeys(n.Pipe, f)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			walkKeys(c, f)
		}
	case *parse.ChainNode:
		walkKeys(n.Node, f)
	case *parse.CommandNode:
		if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "t" {
			key := ""
			if len(n.Args) == 2 {
				if s, ok := n.Args[1].(*parse.StringNode); ok {
					key = s.Text
				}
			}
			f(key, n)
		}
		for _, a := range n.Args {
			walkKeys(a, f)
		}
	}
}

func walkBranch(b *parse.BranchNode, f func(string, parse.Node)) {
	walkKeys(b.Pipe, f)
	walkKeys(b.List, f)
	walkKeys(b.ElseList, f)
}
