package web

import (
	"context"
	"net/http"

	"github.com/yantai-edu/eduplan/internal/auth"
)

type principalKey struct{}

// withPrincipal returns the request's context carrying who makes it.
func withPrincipal(ctx context.Context, p auth.Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// principalOf returns who makes the request: the signed-in user, the API token's
// user, or the public.
func (s *Server) principalOf(r *http.Request) auth.Principal {
	if p, ok := r.Context().Value(principalKey{}).(auth.Principal); ok {
		return p
	}
	return auth.Anonymous(s.pack)
}
