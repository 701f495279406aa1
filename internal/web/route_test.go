package web

import (
	"strings"
	"testing"

	"github.com/yantai-edu/eduplan/internal/auth"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestRouteWithoutAction: a route registered without an action auth knows stops the
// server from starting (an unkeyed route without one does not compile), so no route
// can be reachable without a rule.
func TestRouteWithoutAction(t *testing.T) {
	pack, err := plan.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, action := range []auth.Action{"", "read_everything"} {
		s := New(Deps{Pack: pack})
		s.routes = append(s.routes, route{method: "GET", path: "/unruled", action: action, handler: s.handleHealth})
		func() {
			defer func() {
				if v := recover(); v == nil || !strings.Contains(v.(string), "/unruled") {
					t.Errorf("action %q: Handler started (%v), want a panic naming the route", action, v)
				}
			}()
			s.Handler()
		}()
	}
	s := New(Deps{Pack: pack})
	for _, rt := range s.routes {
		if a, ok := s.Access(rt.method + " " + rt.path); !ok || a != rt.action {
			t.Errorf("Access(%s %s) = %q %v, want %q", rt.method, rt.path, a, ok, rt.action)
		}
	}
}
