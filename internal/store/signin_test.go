package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/store"
)

// TestAttempts: the sign-in throttle's count, on both databases. A subject (limit 3)
// tried at 0 s, 1 s and 2 s waits at 10 s until the first attempt leaves the one-minute
// window, at 60 s, and that try is not counted; an attempt given back, or a subject
// cleared, counts no more; the attempts that left the window are deleted.
func TestAttempts(t *testing.T) { store.EachDialect(t, testAttempts) }

func testAttempts(t *testing.T, name string) {
	ctx := context.Background()
	db, err := store.Open(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const tenant = "370600"
	t0 := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	k := store.AttemptLimit{Subject: "k", Limit: 3}
	reserve := func(s int, limits ...store.AttemptLimit) (int64, time.Duration) {
		t.Helper()
		id, wait, err := db.ReserveAttempt(ctx, tenant, at(s), time.Minute, limits...)
		if err != nil {
			t.Fatal(err)
		}
		return id, wait
	}
	for s := range 3 {
		if id, w := reserve(s, k); w != 0 || id == 0 {
			t.Fatalf("attempt at %d s: id %d, wait %v; want counted", s, id, w)
		}
	}
	if id, w := reserve(10, k); w != 50*time.Second || id != 0 {
		t.Errorf("after 3 attempts: id %d, wait %v, want 50s and nothing counted", id, w)
	}
	// Another subject is not k; an attempt counted against it and k is refused as a
	// whole (k waits), and then counts against neither.
	other := store.AttemptLimit{Subject: "other", Limit: 1}
	if _, w := reserve(10, other, k); w != 50*time.Second {
		t.Errorf("other and k: wait %v, want k's 50s", w)
	}
	id, w := reserve(10, other)
	if w != 0 {
		t.Errorf("other after a refused attempt against it and k: wait %v, want 0", w)
	}
	if _, w := reserve(11, other); w != time.Minute-time.Second {
		t.Errorf("other's second attempt: wait %v, want 59s", w)
	}
	// An attempt that succeeded is given back.
	if err := db.ReleaseAttempt(ctx, tenant, id, "other"); err != nil {
		t.Fatal(err)
	}
	if _, w := reserve(12, other); w != 0 {
		t.Errorf("other after its attempt was given back: wait %v", w)
	}
	if _, w := reserve(60, k); w != 0 {
		t.Errorf("k after the window: wait %v, want 0", w)
	}
	reserve(61, k)
	if err := db.ClearAttempts(ctx, tenant, "k"); err != nil {
		t.Fatal(err)
	}
	for s := 62; s < 65; s++ {
		if _, w := reserve(s, k); w != 0 {
			t.Errorf("k cleared, attempt at %d s: wait %v", s, w)
		}
	}
	// Left the window: k's attempts at 0–2 s and 60–61 s went as k was checked. other's
	// of 12 s goes with a sweep of what is older than a minute at 80 s.
	rows := func() int {
		var n int
		if err := store.RawSQL(t, name).QueryRow(`SELECT count(*) FROM signin_attempts`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := rows(); n != 4 {
		t.Errorf("%d attempts kept, want 4 (k's at 62–64 s, other's at 12 s)", n)
	}
	if n, err := db.SweepAttempts(ctx, tenant, at(80).Add(-time.Minute)); err != nil || n != 1 {
		t.Errorf("sweep: %d deleted (%v), want 1", n, err)
	}
	if n := rows(); n != 3 {
		t.Errorf("after the sweep, %d attempts kept, want 3", n)
	}
}

// TestAttemptsAtOnce: attempts sent at once through two connections to one database
// (two servers) are counted at most the limit, on both databases.
func TestAttemptsAtOnce(t *testing.T) { store.EachDialect(t, testAttemptsAtOnce) }

func testAttemptsAtOnce(t *testing.T, name string) {
	ctx := context.Background()
	var dbs [2]*store.DB
	for i := range dbs {
		db, err := store.Open(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs[i] = db
	}
	now := time.Date(2025, 1, 1, 8, 0, 0, 0, time.UTC)
	const n, limit = 40, 5
	counted := make([]bool, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			// Every attempt against the account, each from an address of its own.
			id, wait, err := dbs[i%2].ReserveAttempt(ctx, "370600", now, time.Minute,
				store.AttemptLimit{Subject: "account:ana", Limit: limit}, store.AttemptLimit{Subject: fmt.Sprint("address:", i), Limit: limit})
			if err != nil {
				t.Error(err)
			}
			counted[i] = id != 0 && wait == 0
		})
	}
	close(start)
	wg.Wait()
	got := 0
	for _, c := range counted {
		if c {
			got++
		}
	}
	if got != limit {
		t.Errorf("%d attempts at once through two connections: %d counted, want %d", n, got, limit)
	}
}
