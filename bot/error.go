package bot

import (
	"errors"
	"fmt"
)

// Error codes. Every error the domain returns carries one; anything without
// a code is internal: logged in full, shown to the person as a short apology.
const (
	EINVALID      = "invalid"      // the input is wrong; Message says how
	ENOTFOUND     = "not_found"    // no such record
	ECONFLICT     = "conflict"     // the record changed or already exists
	EUNAUTHORIZED = "unauthorized" // not yours to do
	EUNAVAILABLE  = "unavailable"  // a dependency is down or busy; try again later
	EREFUSED      = "refused"      // a platform will not deliver to that person or chat
	EINTERNAL     = "internal"
)

// Error is a domain error: a code and a message safe to show a user.
type Error struct {
	Code    string
	Message string
	Err     error // the cause, for logs only
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: "" for nil, EINTERNAL when it has none.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of err that a user may see.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Message
	}
	return "Sorry, something went wrong on my side. Please try again."
}
