// Package locale is the catalogue of eduplan's user-interface words: every string the
// pages show, under one key, in Chinese and English side by side.
//
// It stands beside the flow rather than in it: web reads it to write its pages, and
// it reads nothing of eduplan. Words that belong to the plan's data (an indicator's
// name, an org's name: the paired Name/NameEn fields of the pack) stay with the data.
//
// # Adding a string
//
// Add one line to the file of its page family (pages.go, labels.go, auth.go, editions.go,
// commitments.go, supervision.go; a new family gets a new file, listed in [words]):
//
//	"import_ok": {"已导入 %s：%d 行", "Imported %s: %d rows"},
//
// and use it in a template as {{t "import_ok"}} or in Go as
// locale.T(lang, "import_ok"). Both languages are required. A key written twice in one
// file does not compile; a key in two files panics when the program starts (and so
// fails every test). web's tests fail on a key that a template or a locale.T call uses
// and the catalogue lacks, on a key given as anything but a literal, and on a key
// nothing uses.
package locale

import (
	"fmt"
	"maps"
	"slices"
)

// Languages of the catalogue: Chinese first, English beside it.
const (
	Zh = "zh"
	En = "en"
)

// Text is one string of the interface in both languages.
type Text struct {
	Zh, En string
}

// In returns the text in lang: English for En, else Chinese.
func (t Text) In(lang string) string {
	if lang == En {
		return t.En
	}
	return t.Zh
}

// catalogue is a family of strings by key.
type catalogue map[string]Text

// words are all the strings, every family merged.
var words = merge(pages, labels, auth, editions, commitments, supervision)

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

// T returns the string of key in lang. A key the catalogue lacks (which web's tests
// catch) comes back as itself, so that it shows on the page rather than vanishing.
func T(lang, key string) string {
	t, ok := words[key]
	if !ok {
		return key
	}
	return t.In(lang)
}

// Keys returns every key of the catalogue, sorted.
func Keys() []string { return slices.Sorted(maps.Keys(words)) }
