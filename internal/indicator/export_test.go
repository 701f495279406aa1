package indicator

import "github.com/yantai-edu/eduplan/internal/plan"

// SuppressionReady reports whether what complementary suppression hides from the scope
// is already worked out for every count with a small cell, so that no reader of that
// scope pays for it.
func (e *Engine) SuppressionReady(scope plan.Scope) bool {
	if e.small.m == nil {
		return false
	}
	e.small.mu.Lock()
	defer e.small.mu.Unlock()
	for _, c := range e.small.m {
		if _, ok := e.small.seen[scopedKey{c, scope}]; !ok {
			return false
		}
	}
	return true
}
