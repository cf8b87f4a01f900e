package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/hirebot/hirebot/bot"
)

// What the page sends, one JSON object per WebSocket text message:
//
//	{"type":"message","id":"<random>","text":"/profile"}
//	{"type":"button","id":"<random>","value":"/apply 7"}
//	{"type":"form","id":"<random>","form":"job","values":{"title":"..."}}
//
// id is optional; when given, a frame sent twice (a retry after a dropped
// connection) has its effect once.
type inFrame struct {
	Type   string            `json:"type"`
	ID     string            `json:"id,omitempty"`
	Text   string            `json:"text,omitempty"`
	Value  string            `json:"value,omitempty"`
	Form   string            `json:"form,omitempty"`
	Values map[string]string `json:"values,omitempty"`
}

// Limits of one frame's content.
const (
	maxText       = 4000 // characters of a message or a form value
	maxButton     = 64   // bytes of a button value (bot.Button's rule)
	maxFormFields = 32
)

var (
	frameIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,40}$`)
	fieldIDPattern = regexp.MustCompile(`^[A-Za-z0-9_:.-]{1,64}$`)
)

// errFrame is a frame hirebot does not understand: it is answered with an
// error frame and has no other effect.
type errFrame struct{ msg string }

func (e errFrame) Error() string { return e.msg }

func badFrame(format string, args ...any) error { return errFrame{fmt.Sprintf(format, args...)} }

// visitorRef is who sends frames on one connection.
type visitorRef struct {
	Workspace string
	UserID    string
	Name      string
}

func (v visitorRef) identity() bot.Identity {
	return bot.Identity{Platform: bot.Web, Workspace: v.Workspace, UserID: v.UserID}
}

// Translate turns one frame from the page into an event from v. A frame
// that is not valid JSON of the shapes above, or breaks a limit, is an
// error (errFrame) and no event.
func Translate(data []byte, v visitorRef) (bot.Event, error) {
	var f inFrame
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return bot.Event{}, badFrame("A frame must be one JSON object with a type: message, button or form.")
	}
	if dec.More() {
		return bot.Event{}, badFrame("A frame must hold exactly one JSON object.")
	}
	if f.ID != "" && !frameIDPattern.MatchString(f.ID) {
		return bot.Event{}, badFrame("The id of a frame is 1 to 40 letters, digits, - or _.")
	}
	id := v.identity()
	ev := bot.Event{
		From: id, Name: v.Name,
		Chat:    bot.Recipient{Platform: bot.Web, Workspace: v.Workspace, ChatID: v.UserID, UserID: v.UserID},
		Private: true,
		Forms:   true,
	}
	if f.ID != "" {
		ev.ID = "web:" + id.String() + ":" + f.ID
	}
	switch f.Type {
	case "message":
		if f.Value != "" || f.Form != "" || f.Values != nil {
			return bot.Event{}, badFrame("A message frame has only a text.")
		}
		text := strings.TrimSpace(f.Text)
		if err := checkText("The message", text); err != nil {
			return bot.Event{}, err
		}
		if text == "" {
			return bot.Event{}, badFrame("The message is empty.")
		}
		ev.Kind, ev.Text = bot.KindMessage, text
		if strings.HasPrefix(text, "/") {
			ev.Kind = bot.KindCommand
			ev.Command, ev.Text = bot.SplitCommand(text)
		}
	case "button":
		if f.Text != "" || f.Form != "" || f.Values != nil {
			return bot.Event{}, badFrame("A button frame has only a value.")
		}
		if f.Value == "" || len(f.Value) > maxButton || !utf8.ValidString(f.Value) {
			return bot.Event{}, badFrame("A button value is 1 to %d bytes of text.", maxButton)
		}
		ev.Kind, ev.Text = bot.KindButton, f.Value
	case "form":
		if f.Text != "" || f.Value != "" {
			return bot.Event{}, badFrame("A form frame has only a form and its values.")
		}
		if !fieldIDPattern.MatchString(f.Form) {
			return bot.Event{}, badFrame("A form frame names its form.")
		}
		if len(f.Values) > maxFormFields {
			return bot.Event{}, badFrame("A form has at most %d fields.", maxFormFields)
		}
		values := make(map[string]string, len(f.Values))
		for k, val := range f.Values {
			if !fieldIDPattern.MatchString(k) {
				return bot.Event{}, badFrame("A form field is named by 1 to 64 letters, digits or . _ : -.")
			}
			if err := checkText("A form value", val); err != nil {
				return bot.Event{}, err
			}
			values[k] = strings.TrimSpace(val)
		}
		ev.Kind, ev.Command, ev.Form = bot.KindForm, f.Form, values
	case "":
		return bot.Event{}, badFrame("A frame needs a type: message, button or form.")
	default:
		return bot.Event{}, badFrame("Unknown frame type %q: use message, button or form.", truncate(f.Type, 20))
	}
	return ev, nil
}

func checkText(what, s string) error {
	switch {
	case !utf8.ValidString(s):
		return badFrame("%s is not valid UTF-8.", what)
	case utf8.RuneCountInString(s) > maxText:
		return badFrame("%s is longer than %d characters.", what, maxText)
	case strings.ContainsRune(s, 0):
		return badFrame("%s holds a NUL character.", what)
	}
	return nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// What hirebot sends to the page.
type outFrame struct {
	// Type is "reply" (HTML is one rendered bot.Reply) or "error" (Code
	// and Message say what was wrong with the last frame; it had no
	// effect).
	Type    string `json:"type"`
	HTML    string `json:"html,omitempty"`
	Code    string `json:"code,omitempty"`
	Message string `json:"message,omitempty"`
}

// Error frame codes.
const (
	codeBadFrame = "bad_frame"
	codeTooBig   = "too_big"
	codeTooFast  = "too_fast"
	codeFailed   = "failed"
)

func errorFrame(err error) outFrame {
	var ef errFrame
	if errors.As(err, &ef) {
		return outFrame{Type: "error", Code: codeBadFrame, Message: ef.msg}
	}
	return outFrame{Type: "error", Code: codeFailed, Message: bot.ErrorMessage(err)}
}
