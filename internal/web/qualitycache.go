package web

import (
	"context"
	"sync"

	"github.com/yantai-edu/eduplan/internal/indicator"
	"github.com/yantai-edu/eduplan/internal/plan"
	"github.com/yantai-edu/eduplan/internal/quality"
)

// qualityCache keeps the data-quality report of each scope for the current engine: the
// report changes only with an import, and an import through the server replaces the
// engine. At full size a report takes some 50 ms to assess, a page should take 20.
type qualityCache struct {
	mu      sync.Mutex
	engine  *indicator.Engine
	reports map[plan.Scope]*quality.Report
}

// quality returns the data-quality report of the scope on the engine, assessed once per
// engine and scope. Reports are shared: callers must not change them.
func (s *Server) quality(ctx context.Context, e *indicator.Engine, scope plan.Scope) (*quality.Report, error) {
	c := &s.qualities
	c.mu.Lock()
	if c.engine != e {
		c.engine, c.reports = e, map[plan.Scope]*quality.Report{}
	}
	rep, ok := c.reports[scope]
	c.mu.Unlock()
	if ok {
		return rep, nil
	}
	rep, err := quality.Assess(ctx, s.db, e, scope)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.engine == e {
		c.reports[scope] = rep
	}
	c.mu.Unlock()
	return rep, nil
}
