package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// TestStatusOf is the table of errors to HTTP statuses: every code, through wrapping,
// and an import refused whole (422, or 403 when rows reach outside the scope).
func TestStatusOf(t *testing.T) {
	scope := &ingest.Report{Counts: map[string]int{"scope": 1}}
	bad := &ingest.Report{Counts: map[string]int{"enum": 2}}
	tests := []struct {
		err  error
		want int
	}{
		{plan.Errorf(plan.EINVALID, "错", "wrong"), http.StatusBadRequest},
		{plan.Errorf(plan.ENOTFOUND, "无", "none"), http.StatusNotFound},
		{plan.Errorf(plan.ECONFLICT, "冲突", "conflict"), http.StatusConflict},
		{plan.Errorf(plan.EFORBIDDEN, "禁止", "forbidden"), http.StatusForbidden},
		{plan.Errorf(plan.EUNAUTHORIZED, "未登录", "unauthorized"), http.StatusUnauthorized},
		{plan.Errorf(plan.ETHROTTLED, "太多", "too many"), http.StatusTooManyRequests},
		{plan.Errorf(plan.EINTERNAL, "内部", "internal"), http.StatusInternalServerError},
		{fmt.Errorf("edit task 3: %w", plan.Errorf(plan.ENOTFOUND, "无", "none")), http.StatusNotFound},
		{&ingest.RejectedError{Reports: []*ingest.Report{bad}}, http.StatusUnprocessableEntity},
		{fmt.Errorf("upload: %w", &ingest.RejectedError{Reports: []*ingest.Report{bad}}), http.StatusUnprocessableEntity},
		{&ingest.RejectedError{Reports: []*ingest.Report{bad, scope}}, http.StatusForbidden},
		{&plan.CheckError{}, http.StatusBadRequest},
		{errors.New("disk on fire"), http.StatusInternalServerError},
		{context.Canceled, http.StatusInternalServerError},
	}
	for _, tt := range tests {
		if got := statusOf(tt.err); got != tt.want {
			t.Errorf("statusOf(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
