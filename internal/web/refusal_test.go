package web_test

import (
	"context"
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
		if e := log[0]; e.Action != store.AuditImportRefused || e.Actor != tt.user || !strings.Contains(e.Detail, tt.reason) {
			t.Errorf("%s uploading %s: audit %+v, want a refusal saying %q", tt.user, tt.file, e, tt.reason)
		}
	}
}
