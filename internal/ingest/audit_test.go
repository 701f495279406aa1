package ingest_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// TestImportAudit: every accepted batch, and every batch whose last snapshot it
// replaced, is in the audit log with who and from where; a refused import adds its
// refusal only.
func TestImportAudit(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := tinyDB(t)
	before, err := db.AuditLog(ctx, pack.Tenant, store.AuditQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	// The tiny population file, every count doubled: the same snapshots, new values.
	b, err := os.ReadFile(filepath.Join(filepath.Dir(tinyFiles()[0]), "population.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	for i := 1; i < len(lines); i++ {
		lines[i] += "0"
	}
	path := filepath.Join(t.TempDir(), "population-2020.csv")
	os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("year,district,age,count\n2020,370602,3,-1\n"), 0o644)

	if _, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{bad}, ingest.Options{User: "ana", Remote: "10.1.2.3"}); err == nil {
		t.Fatal("a negative count was accepted")
	}
	res, err := ingest.ImportFiles(ctx, db, pack, pack.FullScope(), []string{path}, ingest.Options{User: "ana", Remote: "10.1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	log, err := db.AuditLog(ctx, pack.Tenant, store.AuditQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	added := log[:len(log)-len(before)]
	if len(added) != 3 || added[2].Action != store.AuditImportRefused {
		t.Fatalf("%d entries added, want a refusal, an import and a replace: %+v", len(added), added)
	}
	imp, rep := added[1], added[0]
	id := res.Batches[0].ID
	if imp.Action != store.AuditImport || imp.Actor != "ana" || imp.Remote != "10.1.2.3" || imp.Object != "batch "+itoa(id) ||
		!strings.Contains(imp.DetailEn, "population-2020.csv: population, 9 rows, years 2020") {
		t.Errorf("import entry: %+v", imp)
	}
	if rep.Action != store.AuditReplace || rep.Actor != "ana" || !strings.HasPrefix(rep.DetailEn, "replaced by batch "+itoa(id)) {
		t.Errorf("replace entry: %+v", rep)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestRefusedImportAudited: an import refused for bad rows, for scope or for the
// caller's role is recorded with who, from where, the file, its hash and the reason,
// though the import's own transaction rolled back.
func TestRefusedImportAudited(t *testing.T) {
	ctx := context.Background()
	db, pack, _ := tinyDB(t)
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("year,district,age,count\n2020,370602,3,-1\n"), 0o644)
	other := filepath.Join(t.TempDir(), "other.csv")
	os.WriteFile(other, []byte("year,district,age,count\n2020,370612,3,1\n"), 0o644)
	officer := plan.Scope{Tenant: pack.Tenant, Org: "370602", Detail: plan.Records}
	reader := plan.Scope{Tenant: pack.Tenant, Org: pack.Tenant, Detail: plan.Aggregates}
	sha := func(p string) string {
		b, _ := os.ReadFile(p)
		h := sha256.Sum256(b)
		return hex.EncodeToString(h[:])
	}
	for _, tt := range []struct {
		name  string
		scope plan.Scope
		path  string
		want  string
	}{
		{"bad row", pack.FullScope(), bad, "invalid"},
		{"scope", officer, other, "scope"},
		{"role", reader, bad, "may not import"},
	} {
		if _, err := ingest.ImportFiles(ctx, db, pack, tt.scope, []string{tt.path}, ingest.Options{User: "ana", Remote: "10.1.2.3"}); err == nil {
			t.Fatalf("%s: accepted", tt.name)
		}
		log, err := db.AuditLog(ctx, pack.Tenant, store.AuditQuery{Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		e := log[0]
		if e.Action != store.AuditImportRefused || e.Actor != "ana" || e.Remote != "10.1.2.3" || e.Object != filepath.Base(tt.path) || e.Org != tt.scope.Org ||
			!strings.Contains(e.DetailEn, sha(tt.path)) || !strings.Contains(e.DetailEn, tt.want) {
			t.Errorf("%s: audit entry %+v, want a refusal of %s with its hash and %q", tt.name, e, filepath.Base(tt.path), tt.want)
		}
	}
}
