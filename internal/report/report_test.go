package report_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/demo"
	"github.com/yantai-edu/eduplan/internal/edition"
	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/progress"
	"github.com/yantai-edu/eduplan/internal/report"
	"github.com/yantai-edu/eduplan/internal/store"
)

// office returns the paths of LibreOffice's soffice, pdftotext and pdftoppm. Missing,
// the test is skipped on a developer's machine and fails in CI, whose .ci/run installs
// them (as the browser tests do with chromium).
func office(t *testing.T) (soffice, pdftotext, pdftoppm string) {
	t.Helper()
	var missing []string
	look := func(names ...string) string {
		for _, n := range names {
			if p, err := exec.LookPath(n); err == nil {
				return p
			}
		}
		missing = append(missing, names[0])
		return ""
	}
	soffice, pdftotext, pdftoppm = look("soffice", "libreoffice"), look("pdftotext"), look("pdftoppm")
	if len(missing) > 0 {
		msg := strings.Join(missing, ", ") + " not installed (apt-get install libreoffice-writer-nogui poppler-utils)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + "; .ci/run installs them")
		}
		t.Skip(msg + ": skipping the office test")
	}
	return soffice, pdftotext, pdftoppm
}

// demoEngine is the demo data set at a small scale, 2020–2025, imported into a new
// database, with the pack its counts are measured against.
func demoEngine(t *testing.T) (*store.DB, *indicator.Engine) {
	t.Helper()
	ctx := context.Background()
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db, err := store.Open(ctx, filepath.Join(dir, "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	const scale = 0.01
	sum, err := demo.Generate(ctx, pack, filepath.Join(dir, "files"), demo.Options{Scale: scale, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), sum.Files, ingest.Options{}); err != nil {
		t.Fatal(err)
	}
	e, err := indicator.Load(ctx, db, pack.ScaleCounts(scale))
	if err != nil {
		t.Fatal(err)
	}
	return db, e
}

// TestReportInLibreOffice writes the final review of an edition (Chinese) and the draft
// mid-term review (English) as DOCX, has LibreOffice convert both to PDF, and checks
// that the PDFs' text holds every headline indicator's and commitment's name and the
// figures of the review's CSV (eduplan review --format csv) at the plan's precision:
// each item's baseline, latest value and target at the city, and each district that held
// a headline indicator back with its latest value and gap. The pages are rendered to PNG
// (in $EDUPLAN_REPORT_PAGES when set) to be looked at.
func TestReportInLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("renders the reports in LibreOffice (CI runs it)")
	}
	soffice, pdftotext, pdftoppm := office(t)
	ctx := context.Background()
	db, e := demoEngine(t)
	pack := e.Pack()
	h, err := edition.Create(ctx, db, e, edition.Final, 2025, "", "test")
	if err != nil {
		t.Fatal(err)
	}
	ed, err := edition.Open(ctx, db, pack, h.Number)
	if err != nil {
		t.Fatal(err)
	}
	mid, err := edition.Build(ctx, db, e, edition.Midterm, 2023, "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	docs := []struct {
		name string
		c    *edition.Content
		opt  report.Options
		year int
	}{
		{"final-zh", ed.Content, report.Options{Lang: "zh", Edition: &ed.EditionHeader, Generated: now}, 2025},
		{"midterm-en", mid, report.Options{Lang: "en", Generated: now}, 2023},
	}
	var paths []string
	for _, d := range docs {
		var buf bytes.Buffer
		if err := report.Build(pack, d.c, d.opt).WriteDOCX(&buf); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, d.name+".docx")
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out := filepath.Join(dir, "pdf")
	cmd := exec.Command(soffice, append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless",
		"--convert-to", "pdf", "--outdir", out}, paths...)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	pages := os.Getenv("EDUPLAN_REPORT_PAGES")
	if pages == "" {
		pages = filepath.Join(dir, "pages")
	}
	if err := os.MkdirAll(pages, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		pdf := filepath.Join(out, d.name+".pdf")
		b, err := exec.Command(pdftotext, pdf, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", d.name, err)
		}
		// Table cells wrap long names: compare without white space.
		text := strings.Join(strings.Fields(string(b)), "")
		en := d.opt.Lang == "en"
		// An edition is the public's: values that would give a small count away are not
		// in it (indicator/suppress.go).
		public := plan.Scope{Tenant: pack.Tenant, Org: pack.Tenant, Detail: plan.Public}
		rev, err := progress.ReviewAt(e.For(public), public, d.year)
		if err != nil {
			t.Fatal(err)
		}
		checkReview(t, d.name, text, pack, rev, en)
		if d.opt.Edition == nil && !strings.Contains(string(b), "DRAFT") {
			t.Errorf("%s: the draft is not marked DRAFT", d.name)
		}
		if d.opt.Edition != nil && !strings.Contains(text, "SHA-256"+ed.SHA256[:12]) {
			t.Errorf("%s: the edition's hash is not on its pages", d.name)
		}
		if b, err := exec.Command(pdftoppm, "-r", "50", "-png", pdf, filepath.Join(pages, d.name)).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm %s: %v\n%s", d.name, err, b)
		}
		pngs, _ := filepath.Glob(filepath.Join(pages, d.name+"-*.png"))
		if len(pngs) < 10 {
			t.Errorf("%s: %d pages; want at least 10", d.name, len(pngs))
		}
		t.Logf("%s: %d pages rendered to %s", d.name, len(pngs), pages)
	}
}

// checkReview checks the PDF's text (white space removed) against the review's CSV.
func checkReview(t *testing.T, name, text string, pack *plan.Pack, rev *progress.Review, en bool) {
	t.Helper()
	var csvBuf bytes.Buffer
	if err := progress.WriteReviewCSV(&csvBuf, rev); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&csvBuf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, ind := range append(append([]*plan.Indicator{}, pack.Indicators...), pack.Commitments...) {
		n := ind.Name
		if en {
			n = ind.NameEn
		}
		// pdftotext drops a hyphen where a line breaks after it.
		if !strings.Contains(strings.ReplaceAll(text, "-", ""), strings.ReplaceAll(strings.Join(strings.Fields(n), ""), "-", "")) {
			t.Errorf("%s: no %q", name, n)
		}
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	missing := 0
	for _, r := range recs[1:] {
		m := pack.Measure(r[col["code"]])
		fields := []string{"latest"}
		switch {
		case r[col["org"]] == pack.Tenant:
			fields = append(fields, "baseline")
			if m.Goal.Kind != plan.GoalRelation {
				fields = append(fields, "target")
			}
		case r[col["kind"]] == "indicator":
			fields = append(fields, "gap")
		default:
			continue // a district behind on a commitment: counted, not tabled
		}
		for _, f := range fields {
			s := r[col[f]]
			if s == "" {
				continue
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("%s %s: %v", r[col["code"]], f, err)
			}
			want := strconv.FormatFloat(v, 'f', m.Decimals, 64)
			if !strings.Contains(text, want) {
				missing++
				t.Errorf("%s: %s %s %s = %s not in the PDF", name, r[col["code"]], r[col["org"]], f, want)
			}
		}
	}
	if missing > 0 {
		t.Logf("%s: %d figures missing", name, missing)
	}
}
