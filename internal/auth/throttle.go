package auth

import (
	"sync"
	"time"
)

// throttle counts failed sign-ins per key (an account, an address) in a sliding window
// and refuses further attempts once a key has failed too often. It lives in memory:
// one server process; a restart forgets it (a sharded deployment would keep it in the
// database).
type throttle struct {
	mu     sync.Mutex
	window time.Duration
	limit  int
	fails  map[string][]time.Time
}

func newThrottle(limit int, window time.Duration) *throttle {
	return &throttle{limit: limit, window: window, fails: map[string][]time.Time{}}
}

// wait returns how long the key must wait before its next attempt; 0 if it may try now.
func (t *throttle) wait(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	fs := t.prune(key, now)
	if len(fs) < t.limit {
		return 0
	}
	return fs[len(fs)-t.limit].Add(t.window).Sub(now)
}

// fail records a failed attempt of the key.
func (t *throttle) fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.fails[key] = append(t.prune(key, now), now)
}

// reset forgets the key's failures (after it succeeded).
func (t *throttle) reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.fails, key)
}

// prune drops the key's failures older than the window, with t.mu held.
func (t *throttle) prune(key string, now time.Time) []time.Time {
	fs := t.fails[key]
	i := 0
	for i < len(fs) && now.Sub(fs[i]) >= t.window {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(t.fails, key)
		return nil
	}
	t.fails[key] = fs
	return fs
}
