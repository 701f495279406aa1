package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/store"
)

// TestImportRefusals: a district officer uploading another district's file that is
// current is refused for scope (403), not told "unchanged" (issue 10, point 8); a role
// that may not import is refused too; each refusal is in the audit log.
func TestImportRefusals(t *testing.T) {
	ctx := context.Background()
	s, svc, db := tinyServer(t)
	token := func(user string) string {
		tok, _, err := svc.CreateToken(ctx, auth.Actor{Name: "test"}, user, "")
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	current, err := os.ReadFile(filepath.Join("..", "..", "testdata", "tiny", "population.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		user, file, content string
		status              int
		reason              string
	}{
		{"zhifu", "population.csv", strings.ReplaceAll(string(current), "370602", "370612"), 403, "scope"},
		{"zhifu", "population.csv", string(current), 403, "scope"},
		{"insp", "population.csv", string(current), 403, "may not import"},
	} {
		body, ct := upload(tt.file, tt.content)
		res, out := do(t, browser(t), "POST", s.URL+"/api/v1/imports", body, "Content-Type", ct, "Authorization", "Bearer "+token(tt.user))
		if res.StatusCode != tt.status {
			t.Errorf("%s uploading %s: %d, want %d: %.300s", tt.user, tt.file, res.StatusCode, tt.status, out)
		}
		log, err := db.AuditLog(ctx, "370600", store.AuditQuery{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if e := log[0]; e.Action != store.AuditImportRefused || e.Actor != tt.user || !strings.Contains(e.DetailEn, tt.reason) {
			t.Errorf("%s uploading %s: audit %+v, want a refusal saying %q", tt.user, tt.file, e, tt.reason)
		}
	}
}

// uploadFields is a multipart upload of a file with form fields (name, value pairs).
func uploadFields(name, content string, fields ...string) (*bytes.Buffer, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for i := 0; i+1 < len(fields); i += 2 {
		mw.WriteField(fields[i], fields[i+1])
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(content))
	mw.Close()
	return &buf, mw.FormDataContentType()
}

// TestImportPreviewAndShrink: dry_run=1 says what an upload would replace and changes
// nothing; an upload dropping most of a snapshot is refused (422) unless
// allow_shrink=1.
func TestImportPreviewAndShrink(t *testing.T) {
	ctx := context.Background()
	s, svc, db := tinyServer(t)
	tok, _, err := svc.CreateToken(ctx, auth.Actor{Name: "test"}, "zhifu", "")
	if err != nil {
		t.Fatal(err)
	}
	population := func(n int) string {
		var b strings.Builder
		b.WriteString("year,district,age,count\n")
		for age := range n {
			fmt.Fprintf(&b, "2020,370602,%d,10\n", age)
		}
		return b.String()
	}
	send := func(content string, fields ...string) (int, string) {
		body, ct := uploadFields("population.csv", content, fields...)
		res, out := do(t, browser(t), "POST", s.URL+"/api/v1/imports", body, "Content-Type", ct, "Authorization", "Bearer "+tok)
		return res.StatusCode, out
	}
	if status, out := send(population(100)); status != 201 {
		t.Fatalf("100 rows: %d %.300s", status, out)
	}
	batches := func() int {
		n, err := db.LastBatch(ctx, "370600")
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	n := batches()
	status, out := send(population(8), "dry_run", "1")
	if status != 200 || !strings.Contains(out, `"dry_run":true`) || !strings.Contains(out, "100 rows of Zhifu District (370602) 2020 population → 8") {
		t.Errorf("preview: %d %.600s", status, out)
	}
	if batches() != n {
		t.Error("a preview made a batch")
	}
	if status, out = send(population(8)); status != 422 || !strings.Contains(out, `"class":"shrink"`) {
		t.Errorf("shrink: %d %.600s", status, out)
	}
	if status, out = send(population(8), "allow_shrink", "1"); status != 201 || !strings.Contains(out, `"before":100`) {
		t.Errorf("allowed shrink: %d %.600s", status, out)
	}
	// The upload page previews as well, in the page's language.
	c := browser(t)
	login(t, c, s.URL, "zhifu", "officer of 370602")
	body, ct := uploadFields("population.csv", population(5), "dry_run", "1")
	res, page := do(t, c, "POST", s.URL+"/imports?lang=en", body, "Content-Type", ct, "Sec-Fetch-Site", "same-origin")
	if res.StatusCode != 200 || !strings.Contains(page, "Preview:") || !strings.Contains(page, "8 rows of Zhifu District (370602) 2020 population → 5") {
		t.Errorf("preview page: %d %.3000s", res.StatusCode, page)
	}
	if !strings.Contains(page, `href="/formats?lang=en"`) {
		t.Error("the upload page does not link to the file formats")
	}
	body, ct = uploadFields("population.csv", "year,district,age,count\n2020,370602,x,1\n")
	if res, out := do(t, c, "POST", s.URL+"/api/v1/imports", body, "Content-Type", ct, "Sec-Fetch-Site", "same-origin"); res.StatusCode != 422 || !strings.Contains(out, `"formats":"/formats"`) {
		t.Errorf("a refused upload does not point to the formats: %d %.300s", res.StatusCode, out)
	}
}
