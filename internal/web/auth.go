package web

import (
	"context"
	"net/http"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/indicator"
)

// reqState is what the middleware learns of a request, in its context once: the
// client's address (clientAddress), who makes it (authenticate) and the engine it
// reads (snapshot). Each middleware fills in its part rather than copy the request
// into a new context, which every request would pay for three times; only the
// request's own goroutine writes it, before the handler runs.
type reqState struct {
	client string
	// principal is who makes the request; valid when signedIn (else the public).
	principal auth.Principal
	signedIn  bool
	engine    *indicator.Engine
}

type stateKey struct{}

// stateOf is the request's state, nil outside the middleware (a handler called alone).
func stateOf(ctx context.Context) *reqState {
	st, _ := ctx.Value(stateKey{}).(*reqState)
	return st
}

// withState returns the context carrying st.
func withState(ctx context.Context, st *reqState) context.Context {
	return context.WithValue(ctx, stateKey{}, st)
}

// withPrincipal returns the request, its state saying who makes it.
func withPrincipal(r *http.Request, p auth.Principal) *http.Request {
	if st := stateOf(r.Context()); st != nil {
		st.principal, st.signedIn = p, true
		return r
	}
	return r.WithContext(withState(r.Context(), &reqState{principal: p, signedIn: true}))
}

// principalOf returns who makes the request: the signed-in user, the API token's
// user, or the public.
func (s *Server) principalOf(r *http.Request) auth.Principal {
	if st := stateOf(r.Context()); st != nil && st.signedIn {
		return st.principal
	}
	return auth.Anonymous(s.pack)
}
