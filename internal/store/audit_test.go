package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestAuditAppendOnly(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "audit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, a := range []string{AuditUserAdd, AuditImport, AuditTaskEdit} {
		if err := db.Audit(ctx, "370600", &AuditEntry{Actor: "admin", Action: a, Remote: "10.0.0.1"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{`UPDATE audit SET actor = 'someone else'`, `DELETE FROM audit WHERE id = 1`} {
		err := db.Write(ctx, "370600", func(tx *Tx) error { _, err := tx.exec(ctx, q); return err })
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refused as append-only", q, err)
		}
	}
	log, err := db.AuditLog(ctx, "370600", AuditQuery{})
	if err != nil || len(log) != 3 || log[0].ID != 3 || log[0].Action != AuditTaskEdit || log[2].Actor != "admin" {
		t.Fatalf("log = %+v, %v", log, err)
	}
	page, err := db.AuditLog(ctx, "370600", AuditQuery{Before: 3, Limit: 1})
	if err != nil || len(page) != 1 || page[0].ID != 2 {
		t.Errorf("page before 3 = %+v, %v", page, err)
	}
	if other, _ := db.AuditLog(ctx, "370000", AuditQuery{}); len(other) != 0 {
		t.Errorf("another tenant sees %d entries", len(other))
	}
}
