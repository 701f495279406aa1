package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/yantai-edu/eduplan/internal/ingest"
	"github.com/yantai-edu/eduplan/internal/plan"
)

// statusOf is the HTTP status of an error: the one place where errors become
// statuses. An import refused for its rows was read and understood, unlike a request
// with a bad parameter: 422, with the reports in the answer (403 when rows reach
// outside the caller's scope, by its code).
func statusOf(err error) int {
	code := plan.ErrorCode(err)
	if rej := (*ingest.RejectedError)(nil); code == plan.EINVALID && errors.As(err, &rej) {
		return http.StatusUnprocessableEntity
	}
	switch code {
	case plan.EINVALID:
		return http.StatusBadRequest
	case plan.ENOTFOUND:
		return http.StatusNotFound
	case plan.ECONFLICT:
		return http.StatusConflict
	case plan.EFORBIDDEN:
		return http.StatusForbidden
	case plan.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case plan.ETHROTTLED:
		return http.StatusTooManyRequests
	}
	return http.StatusInternalServerError
}

// errorBody is the JSON of an API error.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	MessageEn string `json:"message_en"`
}

// errorOf returns the status and what the user may be told of err, logging internal
// errors with their details (which the user never sees).
func (s *Server) errorOf(r *http.Request, err error) (int, errorDetail) {
	code := plan.ErrorCode(err)
	if code == plan.EINTERNAL {
		s.log.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	zh, en := plan.ErrorMessages(err)
	return statusOf(err), errorDetail{Code: code, Message: zh, MessageEn: en}
}

// apiError writes err as the API's JSON error.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	status, d := s.errorOf(r, err)
	writeJSON(w, status, errorBody{d})
}

// invalidParam is the error of a query parameter that cannot be read.
func invalidParam(name, value, wantZh, wantEn string) error {
	return &plan.Error{
		Code:      plan.EINVALID,
		Message:   fmt.Sprintf("参数 %s 的值 %q 无效：应为%s", name, value, wantZh),
		MessageEn: fmt.Sprintf("parameter %s: invalid value %q, want %s", name, value, wantEn),
	}
}
