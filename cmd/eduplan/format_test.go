package main

import (
	"encoding/csv"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// TestReportFormats runs every command that prints a report in every format on the tiny
// data set: each succeeds; CSV parses with one field count and a header and JSON parses;
// the table in --lang en has no Chinese word and in --lang zh its headings are
// Chinese. scorecard, projects and tasks wrote no CSV before, and every table mixed
// English headings with Chinese names whatever was asked.
func TestReportFormats(t *testing.T) {
	db := tinyDB(t)
	commands := [][]string{
		{"values"},
		{"values", "--commitments"},
		{"progress"},
		{"progress", "--commitments"},
		{"progress", "--methods"},
		{"scorecard"},
		{"quality"},
		{"review"},
		{"projects"},
		{"tasks"},
		{"audit"},
	}
	for _, c := range commands {
		for _, format := range []string{"csv", "json", "table"} {
			name := strings.Join(c, " ") + " --format " + format
			args := append(append([]string{}, c...), "--db", db, "--format", format)
			out, stderr, err := run(t, args...)
			if err != nil {
				t.Errorf("%s: %v\n%s", name, err, stderr)
				continue
			}
			switch format {
			case "csv":
				rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
				if err != nil || len(rows) < 2 {
					t.Errorf("%s: %d rows, %v\n%.300s", name, len(rows), err, out)
				}
			case "json":
				if !json.Valid([]byte(out)) || len(out) < 3 {
					t.Errorf("%s: not JSON:\n%.300s", name, out)
				}
			case "table":
				en, _, err := run(t, append(args, "--lang", "en")...)
				if err != nil {
					t.Errorf("%s --lang en: %v", name, err)
				}
				// The pack's English names quote a Chinese term now and then ("双师型"),
				// sections are numbered as the plan numbers them (二、(二)8), and an
				// institution (K1, H1) has only its Chinese name: the rest is English.
				plain := regexp.MustCompile(`\([^)]*\)|"[^"]*"|[一二三四五六七八九十]+、\S*|\b[A-Z]+\d* \S+`).ReplaceAllString(en, "")
				if i := strings.IndexFunc(plain, func(r rune) bool { return unicode.Is(unicode.Han, r) }); i >= 0 {
					t.Errorf("%s --lang en has Chinese at %q:\n%s", name, lineAt(plain, i), en)
				}
				zh, _, err := run(t, append(args, "--lang", "zh")...)
				if err != nil {
					t.Errorf("%s --lang zh: %v", name, err)
				}
				first, _, _ := strings.Cut(zh, "\n")
				first = regexp.MustCompile(`\([A-Za-z/_]+\)`).ReplaceAllString(first, "") // the zone, "(Asia/Shanghai)"
				if strings.ContainsAny(first, "abcdefghijklmnopqrstuvwxyz") && !strings.Contains(first, "SDG") {
					t.Errorf("%s --lang zh: heading not in Chinese: %q", name, first)
				}
			}
		}
	}
	// A wrong format or language is refused in both languages.
	for _, args := range [][]string{{"scorecard", "--format", "xml"}, {"values", "--lang", "fr"}} {
		_, _, err := run(t, append(args, "--db", db)...)
		if msg := exitMessage(err); !strings.Contains(msg, "只能是") || !strings.Contains(msg, "must be") {
			t.Errorf("%v: %q is not in both languages", args, msg)
		}
	}
}

// lineAt returns the line of s holding byte i.
func lineAt(s string, i int) string {
	start := strings.LastIndex(s[:i], "\n") + 1
	end := strings.Index(s[i:], "\n")
	if end < 0 {
		return s[start:]
	}
	return s[start : i+end]
}
