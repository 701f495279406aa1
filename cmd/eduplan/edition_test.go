package main

import (
	"archive/zip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEditionCommands: create two editions of the tiny data set, publish the first,
// list them as JSON (the same review of the same data: the same hash), and diff them
// (nothing moved).
func TestEditionCommands(t *testing.T) {
	db := tinyDB(t)
	for _, args := range [][]string{
		{"edition", "create", "--db", db, "--kind", "final", "--as-of", "2025", "--title", "总结评估"},
		{"edition", "create", "--db", db, "--kind", "final", "--title", "总结评估"},
		{"edition", "publish", "--db", db, "1"},
	} {
		if _, stderr, err := run(t, args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
	}
	out, _, err := run(t, "edition", "list", "--db", db, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var hs []struct {
		Number      int     `json:"number"`
		Title       string  `json:"title"`
		SHA256      string  `json:"sha256"`
		PublishedAt *string `json:"published_at"`
	}
	if err := json.Unmarshal([]byte(out), &hs); err != nil {
		t.Fatal(err)
	}
	if len(hs) != 2 || hs[0].Number != 2 || hs[1].Title != "总结评估" || hs[1].PublishedAt == nil || hs[0].PublishedAt != nil ||
		hs[0].SHA256 != hs[1].SHA256 {
		t.Errorf("list: %s", out)
	}
	out, _, err = run(t, "edition", "diff", "--db", db, "1", "2", "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(out) != "what,code,org,year,field,old,new,batches" {
		t.Errorf("diff of two editions of the same data:\n%s", out)
	}
	if _, _, err := run(t, "edition", "publish", "--db", db, "1"); err == nil {
		t.Error("publishing edition 1 twice: no error")
	}
	if _, _, err := run(t, "edition", "create", "--db", db, "--kind", "annual"); err == nil {
		t.Error("create --kind annual: no error")
	}
}

// TestReportCommand: the live final review as HTML is a draft; edition 1's DOCX carries
// the edition's number; a format other than docx or html is a usage error.
func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	db := tinyDB(t)
	if _, stderr, err := run(t, "edition", "create", "--db", db, "--kind", "final"); err != nil {
		t.Fatalf("edition: %v\n%s", err, stderr)
	}
	html, docx := filepath.Join(dir, "r.html"), filepath.Join(dir, "r.docx")
	for _, args := range [][]string{
		{"report", "--db", db, "--kind", "final", "--format", "html", "--out", html},
		{"report", "--db", db, "--edition", "1", "--format", "docx", "--out", docx, "--lang", "en"},
	} {
		if _, stderr, err := run(t, args...); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
	}
	b, err := os.ReadFile(html)
	if err != nil || !strings.Contains(string(b), "草稿") || !strings.Contains(string(b), "主要指标完成情况") {
		t.Errorf("HTML report: %v %.300s", err, b)
	}
	zr, err := zip.OpenReader(docx)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open("word/header1.xml")
	if err != nil {
		t.Fatal(err)
	}
	h, _ := io.ReadAll(f)
	if !strings.Contains(string(h), "Edition 1") {
		t.Errorf("DOCX header: %s", h)
	}
	if _, _, err := run(t, "report", "--db", db, "--format", "pdf", "--out", filepath.Join(dir, "x")); err == nil {
		t.Error("--format pdf: no error")
	}
}
