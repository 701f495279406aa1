// Package locale is the catalogue of eduplan's user-interface words: every string the
// pages show, under one key, in Chinese and English side by side.
//
// It stands beside the flow rather than in it: web reads it to write its pages, cmd
// for the command line's tables and report for the evaluation report, and it reads
// nothing of eduplan. Words that belong to the plan's data (an indicator's name, an
// org's name: the paired Name/NameEn fields of the pack) stay with the data; [Text.In]
// picks those in a language too, so that there is one rule for choosing.
//
// # Adding a string
//
// Add one line to the file of its family (pages.go, labels.go, auth.go, editions.go,
// commitments.go, supervision.go for the pages; cli.go for the command line's tables;
// report.go for the evaluation report; a new family gets a new file, listed in [words]):
//
//	"import_ok": {"已导入 %s：%d 行", "Imported %s: %d rows"},
//
// and use it in a template as {{t "import_ok"}}, in Go as locale.T(lang, "import_ok"),
// or with its arguments as locale.F(lang, "import_ok", name, n). Both languages are
// required. A key written twice in one file does not compile; a key in two files
// panics when the program starts (and so fails every test). This package's tests fail
// on a key that a locale.T or locale.F call in cmd or internal uses and the catalogue
// lacks, on a key given as anything but a literal, on a key nothing uses, and on a
// Chinese and an English literal written side by side in a call of cmd or report;
// web refuses to parse a template whose key the catalogue lacks.
package locale

import (
	"fmt"
	"maps"
	"slices"
)

// Languages of the catalogue: Chinese first, English beside it. Both is the command
// line's third choice, the two side by side ("指标 indicator").
const (
	Zh   = "zh"
	En   = "en"
	Both = "both"
)

// Text is one string of the interface in both languages.
type Text struct {
	Zh, En string
}

// In returns the text in lang: English for En (Chinese where it has no English), the
// two joined by a space for Both (one of them where the other is empty or the same),
// else Chinese. It is the one place a language is chosen: for the catalogue's strings
// and for the paired Name/NameEn fields of the data alike.
func (t Text) In(lang string) string {
	switch lang {
	case En:
		if t.En != "" {
			return t.En
		}
	case Both:
		switch {
		case t.En == "" || t.En == t.Zh:
			return t.Zh
		case t.Zh == "":
			return t.En
		}
		return t.Zh + " " + t.En
	}
	return t.Zh
}

// catalogue is a family of strings by key.
type catalogue map[string]Text

// words are all the strings, every family merged.
var words = merge(pages, labels, auth, editions, commitments, supervision, cli, report)

// merge joins the families into one catalogue; a key in two of them is a mistake that
// stops the program at start rather than silently keeping one of the two.
func merge(families ...catalogue) catalogue {
	all := catalogue{}
	for _, f := range families {
		for k, t := range f {
			if _, dup := all[k]; dup {
				panic(fmt.Sprintf("locale: key %q is defined twice", k))
			}
			all[k] = t
		}
	}
	return all
}

// Lookup returns the text of key, and whether the catalogue has it.
func Lookup(key string) (Text, bool) {
	t, ok := words[key]
	return t, ok
}

// T returns the string of key in lang. A key the catalogue lacks (which the tests
// catch) comes back as itself, so that it shows on the page rather than vanishing.
func T(lang, key string) string {
	t, ok := words[key]
	if !ok {
		return key
	}
	return t.In(lang)
}

// F formats the string of key in lang with args, each language on its own: in Both,
// "约%s（±%s）" and "about %s (±%s)" are each filled, then joined.
func F(lang, key string, args ...any) string {
	t, ok := words[key]
	if !ok {
		return key
	}
	return Text{fmt.Sprintf(t.Zh, args...), fmt.Sprintf(t.En, args...)}.In(lang)
}

// Keys returns every key of the catalogue, sorted.
func Keys() []string { return slices.Sorted(maps.Keys(words)) }
