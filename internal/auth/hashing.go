package auth

import (
	"context"
	"runtime"
	"sync/atomic"
)

// maxHashing bounds the password hashes computed at once: each argon2id hash holds
// 19 MiB for about 30 ms, so 60 sign-ins at once would otherwise hold over 1 GiB.
// More than the cores would not finish sooner anyway.
func maxHashing() int { return min(runtime.GOMAXPROCS(0), 4) }

// hashSlots lets at most its capacity of password hashes run at once; the others wait
// their turn or until their request is given up.
type hashSlots struct {
	ch chan struct{}
	// busy is how many hashes run now, peak the most that ever ran at once and done
	// how many ran.
	busy, peak atomic.Int32
	done       atomic.Int64
}

func newHashSlots(n int) *hashSlots { return &hashSlots{ch: make(chan struct{}, n)} }

// do runs fn when a slot is free, or returns the context's error if it ends first.
func (h *hashSlots) do(ctx context.Context, fn func()) error {
	select {
	case h.ch <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-h.ch }()
	n := h.busy.Add(1)
	defer h.busy.Add(-1)
	for p := h.peak.Load(); n > p && !h.peak.CompareAndSwap(p, n); p = h.peak.Load() {
	}
	fn()
	h.done.Add(1)
	return nil
}

// hashPassword is HashPassword within the service's cap on concurrent hashing.
func (s *Service) hashPassword(ctx context.Context, password string) (string, error) {
	var h string
	err := s.hashing.do(ctx, func() { h = HashPassword(password) })
	return h, err
}

// checkPassword is CheckPassword within the service's cap on concurrent hashing.
func (s *Service) checkPassword(ctx context.Context, hash, password string) (bool, error) {
	var ok bool
	err := s.hashing.do(ctx, func() { ok = CheckPassword(hash, password) })
	return ok, err
}
