package store_test

import (
	"context"
	"testing"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/store"
)

// TestDemoMarkMovesToItsCity: a database marked as demo data before the mark was a
// city's (tenant ”) has the mark moved to the one city it holds by migration 015, and
// a second city on it is no demo data.
func TestDemoMarkMovesToItsCity(t *testing.T) {
	ctx := context.Background()
	db, pack, name := fixture.Tiny(t)
	db.Close()
	raw := fixture.Raw(t, name)
	for _, q := range []string{
		`INSERT INTO meta (tenant, key, value) VALUES ('', 'demo', 'true'), ('', 'demo_scale', '0.5')`,
		`DELETE FROM schema_migrations WHERE name = '015_demo_per_tenant.sql'`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db, err := store.Open(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if s, err := db.DemoScale(ctx, pack.Tenant); err != nil || s != 0.5 {
		t.Errorf("%s's demo scale = %v, %v; want 0.5", pack.Tenant, s, err)
	}
	if demo, err := db.Demo(ctx, "371000"); err != nil || demo {
		t.Errorf("another city's data are demo data: %v, %v", demo, err)
	}
}
