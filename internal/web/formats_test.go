package web_test

import (
	"context"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/sheet"
)

// TestFormatsPage: the format reference lists every column the readers accept (with
// every accepted header) and every allowed code, in Chinese and English, and each
// kind's CSV and XLSX templates are files the import reads without an error.
func TestFormatsPage(t *testing.T) {
	s, _, _ := tinyServer(t)
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	kinds := ingest.KindsIn(pack) // the built-in kinds and those the pack declares
	for _, lang := range []string{"zh", "en"} {
		res, page := do(t, browser(t), "GET", s.URL+"/formats?lang="+lang, nil)
		if res.StatusCode != 200 {
			t.Fatalf("/formats?lang=%s: %d", lang, res.StatusCode)
		}
		page = html.UnescapeString(page)
		for _, k := range kinds {
			for _, c := range ingest.FormatIn(pack, k).Columns {
				if !strings.Contains(page, "<code>"+c.Name+"</code>") {
					t.Errorf("%s: column %s of %s is not on the page", lang, c.Name, k)
				}
				for _, a := range c.Aliases {
					if !strings.Contains(page, a) {
						t.Errorf("%s: header %s (%s of %s) is not on the page", lang, a, c.Name, k)
					}
				}
			}
			for _, c := range ingest.FormatIn(pack, k).Columns {
				for _, code := range c.Codes {
					meaning := code.Zh
					if lang == "en" {
						meaning = code.En
					}
					if !strings.Contains(page, "<code>"+code.Code+"</code> "+meaning) {
						t.Errorf("%s: code %s of %s.%s is not on the page with its meaning %q", lang, code.Code, k, c.Name, meaning)
					}
				}
			}
		}
	}
	// The imports page and a refused upload's answer link to it.
	if _, page := do(t, browser(t), "GET", s.URL+"/formats/students.csv", nil); !strings.HasPrefix(page, "\uFEFFyear,student_id,institution,stage,grade,sex,birth_date,hukou\r\n") &&
		!strings.HasPrefix(page, "\uFEFFyear,student_id,institution,stage,grade,sex,birth_date,hukou\n") {
		t.Errorf("students.csv template: %q", page)
	}
	for _, k := range kinds {
		for _, ext := range []string{".csv", ".xlsx"} {
			res, body := do(t, browser(t), "GET", s.URL+"/formats/"+string(k)+ext, nil)
			if res.StatusCode != 200 {
				t.Fatalf("template %s%s: %d", k, ext, res.StatusCode)
			}
			path := filepath.Join(t.TempDir(), string(k)+ext)
			if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			src, err := sheet.Open(path)
			if err != nil {
				t.Fatalf("template %s%s: %v", k, ext, err)
			}
			rep := &ingest.Report{File: path}
			rows := 0
			err = ingest.Read(context.Background(), src, path, k, pack, rep, func(any) error { rows++; return nil })
			src.Close()
			if err != nil || !rep.OK() || rows != 1 {
				t.Errorf("template %s%s: %v, %d rows, errors %+v", k, ext, err, rows, rep.Errors)
			}
		}
		if res, body := do(t, browser(t), "GET", s.URL+"/formats/"+string(k)+"-codes.csv", nil); res.StatusCode != 200 || !strings.Contains(body, "column,code,中文,English") {
			t.Errorf("codes of %s: %d %.200s", k, res.StatusCode, body)
		}
	}
	if res, _ := do(t, browser(t), "GET", s.URL+"/formats/pupils.csv", nil); res.StatusCode != 404 {
		t.Errorf("an unknown template: %d", res.StatusCode)
	}
}
