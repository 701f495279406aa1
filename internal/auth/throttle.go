package auth

import (
	"sync"
	"time"
)

// throttle counts sign-in attempts per key (an account, an address) in a sliding window
// and refuses further attempts once a key has used up its limit. An attempt is counted
// (reserved) before its password is checked, in the same step as the check of the
// limit, so that however many arrive at once at most limit of them reach the password
// check in a window; a success takes its attempt back. It lives in memory: one server
// process; a restart forgets it (a sharded deployment would keep it in the database).
type throttle struct {
	mu     sync.Mutex
	window time.Duration
	limit  int
	fails  map[string][]time.Time
}

func newThrottle(limit int, window time.Duration) *throttle {
	return &throttle{limit: limit, window: window, fails: map[string][]time.Time{}}
}

// reserve counts an attempt of the key at now and returns 0, or, when the key has used
// up its limit, counts nothing and returns how long it must wait.
func (t *throttle) reserve(key string, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	fs := t.prune(key, now)
	if len(fs) >= t.limit {
		return fs[len(fs)-t.limit].Add(t.window).Sub(now)
	}
	t.fails[key] = append(fs, now)
	return 0
}

// release takes back an attempt reserved at at (one that did not fail).
func (t *throttle) release(key string, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	fs := t.fails[key]
	for i := len(fs) - 1; i >= 0; i-- {
		if fs[i].Equal(at) {
			fs = append(fs[:i], fs[i+1:]...)
			break
		}
	}
	if len(fs) == 0 {
		delete(t.fails, key)
		return
	}
	t.fails[key] = fs
}

// reset forgets the key's attempts (after it succeeded).
func (t *throttle) reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.fails, key)
}

// prune drops the key's attempts older than the window, with t.mu held.
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
