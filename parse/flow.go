package parse

import (
	"errors"
	"time"
)

// Env is what a parser may know besides the text: the current time (for
// "next Monday") and nothing else, so parsing stays pure.
type Env struct {
	Now time.Time
}

// Parser validates one free-text answer and returns its canonical form.
// The canonical form is what the summary shows and what the session stores;
// parsing a canonical form again must return it unchanged.
// A parser returns an *InputError for anything the person should rephrase.
type Parser func(in string, env Env) (string, error)

// InputError is a parser's answer to an input it cannot accept: a short
// message safe to show the person, and optionally suggestions to pick from
// (each suggestion's Value is a complete canonical answer).
type InputError struct {
	Msg     string
	Suggest []Choice
}

func (e *InputError) Error() string { return e.Msg }

// Invalid returns an *InputError with the message.
func Invalid(msg string) error { return &InputError{Msg: msg} }

// AsInputError reports whether err is an *InputError and returns it.
func AsInputError(err error) (*InputError, bool) {
	var ie *InputError
	ok := errors.As(err, &ie)
	return ie, ok
}

// Choice is an answer offered as a button. Label is what the person sees,
// Value what the engine receives when it is picked.
type Choice struct {
	Label string `json:"label"`
	Value string `json:"value"`
}
