package store

import (
	"context"
	"strings"
	"testing"
)

func TestAuditAppendOnly(t *testing.T) { EachDialect(t, testAuditAppendOnly) }

func testAuditAppendOnly(t *testing.T, path string) {
	ctx := context.Background()
	db, err := Open(ctx, path)
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

// TestAuditOrgs: the log is read by the org units its entries are about, for an admin
// of one district; entries about no known org are read only without that filter.
func TestAuditOrgs(t *testing.T) { EachDialect(t, testAuditOrgs) }

func testAuditOrgs(t *testing.T, path string) {
	ctx := context.Background()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, org := range []string{"370602", "370612", "370600", "", "370602"} {
		if err := db.Audit(ctx, "370600", &AuditEntry{Actor: "admin", Action: AuditLogin, Org: org}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		orgs []string
		want int
	}{{nil, 5}, {[]string{"370602"}, 2}, {[]string{"370602", "370612"}, 3}, {[]string{}, 0}} {
		log, err := db.AuditLog(ctx, "370600", AuditQuery{Orgs: c.orgs})
		if err != nil || len(log) != c.want {
			t.Errorf("orgs %v: %d entries (%v), want %d", c.orgs, len(log), err, c.want)
		}
		for _, e := range log {
			if c.orgs != nil && e.Org != "370602" && e.Org != "370612" {
				t.Errorf("orgs %v: an entry about %q", c.orgs, e.Org)
			}
		}
	}
}

// TestAuditDetailIn: an entry's detail in each language, and an entry written before
// the log was bilingual (English in Detail, no DetailEn) shown as it is in both.
func TestAuditDetailIn(t *testing.T) {
	tests := []struct {
		e      AuditEntry
		zh, en string
	}{
		{AuditEntry{Detail: "退出登录", DetailEn: "logout"}, "退出登录", "logout"},
		{AuditEntry{Detail: "logout"}, "logout", "logout"},
		{AuditEntry{}, "", ""},
	}
	for _, tt := range tests {
		if zh, en := tt.e.DetailIn("zh"), tt.e.DetailIn("en"); zh != tt.zh || en != tt.en {
			t.Errorf("%+v: %q, %q; want %q, %q", tt.e, zh, en, tt.zh, tt.en)
		}
	}
}
