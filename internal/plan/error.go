package plan

import (
	"errors"
	"fmt"
)

// Error codes of the domain. Each maps to an HTTP status and a CLI exit code in one
// place (web and cmd).
const (
	EINVALID   = "invalid"   // the input is wrong; the user can fix it
	ENOTFOUND  = "not_found" // no such indicator, org, batch...
	ECONFLICT  = "conflict"  // the change contradicts stored data
	EFORBIDDEN = "forbidden" // outside the caller's scope
	// EUNAUTHORIZED: the caller has not said who they are, or said it wrongly.
	EUNAUTHORIZED = "unauthorized"
	// ETHROTTLED: too many attempts; the caller must wait.
	ETHROTTLED = "throttled"
	EINTERNAL  = "internal" // a bug or an outage; users see only "Internal error"
)

// Coded is a domain error: a stable code and what a user may be told, in Chinese and
// English. *Error is the usual one; a failure that carries more for its caller to
// show (ingest's RejectedError lists every bad row) is a type of its own that
// implements Coded, so that it maps to a status and an exit code like any other.
type Coded interface {
	error
	ErrorCode() string
	ErrorMessages() (zh, en string)
}

// Error is a domain error with a stable code and a message in Chinese and English.
type Error struct {
	Code      string
	Message   string // Chinese
	MessageEn string
}

func (e *Error) Error() string { return e.MessageEn }

// ErrorCode returns e's code.
func (e *Error) ErrorCode() string { return e.Code }

// ErrorMessages returns e's messages in Chinese and English.
func (e *Error) ErrorMessages() (zh, en string) { return e.Message, e.MessageEn }

// Errorf returns an *Error with the code and both messages formatted with the same args.
func Errorf(code, zh, en string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(zh, args...), MessageEn: fmt.Sprintf(en, args...)}
}

// ErrorCode returns the code of the first Coded error in err's chain, EINTERNAL
// otherwise.
func ErrorCode(err error) string {
	var e Coded
	if errors.As(err, &e) {
		return e.ErrorCode()
	}
	return EINTERNAL
}

// ErrorMessages returns what a user may be told about err, in Chinese and English.
// Errors that are not Coded are internal: their details stay in the log.
func ErrorMessages(err error) (zh, en string) {
	var e Coded
	if errors.As(err, &e) {
		return e.ErrorMessages()
	}
	return "内部错误", "Internal error"
}
