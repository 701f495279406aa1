package auth

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/yantai-edu/eduplan/internal/fixture"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/store"
)

// TestThrottleShared: two servers on one database (two services, each over its own
// connection to it, as two `eduplan serve` behind a load balancer) count sign-ins
// against one limit: an account's failures spread over both lock it on both, and wrong
// passwords sent at once to both reach the password check at most the limit of times
// in all.
func TestThrottleShared(t *testing.T) {
	ctx := context.Background()
	a, now, name := newServiceDB(t)
	b := serviceOn(t, name, now)
	for _, u := range []string{"ana", "bea"} {
		if _, err := a.AddUser(ctx, cli, NewUser{Name: u, Role: Analyst, Org: "370600", Password: u + "-pass-1234"}); err != nil {
			t.Fatal(err)
		}
	}
	servers := []*Service{a, b}
	for i := range accountFails {
		if _, _, err := servers[i%2].Login(ctx, "ana", "guess", fmt.Sprintf("10.0.1.%d", i)); plan.ErrorCode(err) != plan.EUNAUTHORIZED {
			t.Fatalf("guess %d on server %d: %v", i, i%2, err)
		}
	}
	for i, s := range servers {
		if _, _, err := s.Login(ctx, "ana", "ana-pass-1234", "10.0.2.1"); plan.ErrorCode(err) != plan.ETHROTTLED {
			t.Errorf("server %d, after %d failures spread over two servers: %v, want throttled", i, accountFails, err)
		}
	}

	// At once: 40 wrong passwords for bea, half to each server, from 40 addresses.
	const n = 40
	codes := make([]string, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			_, _, err := servers[i%2].Login(ctx, "bea", "guess", fmt.Sprintf("10.0.3.%d", i))
			codes[i] = plan.ErrorCode(err)
		})
	}
	close(start)
	wg.Wait()
	count := map[string]int{}
	for _, c := range codes {
		count[c]++
	}
	if count[plan.EUNAUTHORIZED] > accountFails || count[plan.EUNAUTHORIZED]+count[plan.ETHROTTLED] != n {
		t.Errorf("%d wrong passwords at once on two servers: %v (code → count), want at most %d checked and the rest throttled", n, count, accountFails)
	}
	failed, err := a.db.AuditLog(ctx, "370600", store.AuditQuery{Action: store.AuditLoginFailed, Limit: 1000})
	if err != nil || len(failed) > 2*accountFails {
		t.Errorf("%d failed sign-ins were checked (%v), want at most %d", len(failed), err, 2*accountFails)
	}
	// The window passes for both; the attempts that left it are swept away.
	*now = now.Add(throttleSpell)
	if _, _, err := b.Login(ctx, "bea", "bea-pass-1234", "10.0.2.1"); err != nil {
		t.Errorf("after the spell: %v", err)
	}
	var kept int
	if err := fixture.Raw(t, name).QueryRow(`SELECT count(*) FROM signin_attempts`).Scan(&kept); err != nil || kept != 0 {
		t.Errorf("after the spell and a sign-in, %d attempts are kept (%v), want 0", kept, err)
	}
}

// serviceOn returns a service over a connection of its own to the database name, as
// another server's, on the clock now.
func serviceOn(t *testing.T, name string, now *time.Time) *Service {
	t.Helper()
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return *now }
	s := NewService(db, pack)
	s.Now = func() time.Time { return *now }
	return s
}
