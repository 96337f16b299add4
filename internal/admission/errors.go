package admission

import (
	"errors"
	"fmt"
)

// Code classifies an error so that the web layer can choose a status and a message.
type Code string

// Error codes returned by the admission package and the stores that serve it.
const (
	Invalid     Code = "invalid"     // the input breaks a rule; nothing was written
	NotFound    Code = "not_found"   // missing, or outside the actor's scope (never tell which)
	Forbidden   Code = "forbidden"   // the actor's role may not do this
	Conflict    Code = "conflict"    // already recorded, or changed by someone else meanwhile
	Unavailable Code = "unavailable" // the database cannot be reached right now
	Internal    Code = "internal"    // a bug or an unexpected failure
)

// Error is a refusal with a code, a Vietnamese message and, when a rule of the
// regulation refused, the rule's name and citation.
type Error struct {
	Code     Code
	Rule     string            // machine name of the rule, e.g. "age_min"
	Field    string            // the form field the refusal concerns, if any
	Message  string            // Vietnamese, shown to the user
	Citation string            // the document that states the rule
	Fields   map[string]string // per-field messages for form validation
	Err      error             // the underlying error, for Internal and Unavailable
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Citation != "" {
		msg += " (" + e.Citation + ")"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if len(e.Fields) > 0 {
		msg += fmt.Sprint(" ", e.Fields)
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted Vietnamese message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// refuse returns an Invalid error for a broken rule.
func refuse(rule, field, citation, format string, args ...any) *Error {
	return &Error{Code: Invalid, Rule: rule, Field: field, Citation: citation, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, Internal for errors that carry none.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// ErrorRule returns the rule name of err, if it is a rule refusal.
func ErrorRule(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Rule
	}
	return ""
}

// ErrNotFound is the one answer for records that are missing or out of scope.
var ErrNotFound = &Error{Code: NotFound, Message: "Không tìm thấy hồ sơ."}

// Errors the stores return, with the messages users see: the stores code
// what happened, the domain says it in Vietnamese.

// ErrUnavailable is the database that cannot be reached.
func ErrUnavailable(err error) *Error {
	return &Error{Code: Unavailable, Message: "Cơ sở dữ liệu tạm thời không truy cập được.", Err: err}
}

// ErrDuplicate is a write a unique key or a concurrent writer refused.
func ErrDuplicate(err error) *Error {
	return &Error{Code: Conflict, Rule: "duplicate", Message: "Dữ liệu này vừa được ghi (có thể do bấm gửi hai lần); tải lại trang để xem.", Err: err}
}

// ErrConstraint is a write a database constraint refused.
func ErrConstraint(name string, err error) *Error {
	return &Error{Code: Invalid, Rule: "constraint", Message: "Dữ liệu không hợp lệ: " + name, Err: err}
}

// ErrInternal is an unexpected failure.
func ErrInternal(err error) *Error {
	return &Error{Code: Internal, Message: "Lỗi hệ thống.", Err: err}
}

// ErrStale is a record changed by someone else since it was read.
var ErrStale = &Error{Code: Conflict, Rule: "stale", Message: "Hồ sơ vừa được người khác cập nhật; hãy tải lại trang."}

// MessageOf is what a user reads of an error: an engine refusal's message
// with its citation, or the error's text.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if e.Citation != "" {
			return e.Message + " (" + e.Citation + ")"
		}
		return e.Message
	}
	return err.Error()
}
