package conversation

import (
	"github.com/hirebot/hirebot/parse"
)

// Step is one question of a flow.
type Step struct {
	ID     string // stable name, also the field name used by /edit
	Label  string // shown in the summary card ("Rate")
	Prompt string
	// Help gives examples; shown after the prompt and on /help.
	Help     string
	Optional bool
	// Choices are common answers shown as buttons; the person may still type.
	Choices []parse.Choice
	Parse   parse.Parser
	// When, if set, decides from the answers so far whether the step applies.
	When func(answers map[string]string) bool
	// Extract, if set, finds this step's answer inside a longer answer
	// ("20 hrs a week, starting next monday" holds a start date). It is
	// tried on this step's own answer when Parse refuses it, and on the
	// answers of the steps that name this one in Also.
	Extract func(in string, env parse.Env) (string, bool)
	// Also names the steps whose facts people give together with this
	// one: their Extract runs on this step's answers, so they are not
	// asked again.
	Also []string
	// Infer, if set, gives the answer that follows from the others (a time
	// zone from the city, work types from the hours); it is taken without
	// asking and shown, so it can be corrected.
	Infer func(answers map[string]string) (string, bool)
	// Echo, if set, is how an answer is said back ("Monday 7 December
	// 2026" for 2026-12-07).
	Echo func(v string) string
}

// Flow is a dialog described as data: its steps in order, then a summary to
// confirm.
type Flow struct {
	Name  string
	Title string // "your profile", used in messages
	Intro string
	Steps []Step
	// ConfirmLabel is the button that completes the flow ("Publish").
	ConfirmLabel string
	// ConfirmText is said above the summary; default "Here is <Title>:".
	ConfirmText string
}

func (f *Flow) step(id string) (*Step, bool) {
	for i := range f.Steps {
		if f.Steps[i].ID == id {
			return &f.Steps[i], true
		}
	}
	return nil, false
}

func (f *Flow) applies(st *Step, answers map[string]string) bool {
	return st.When == nil || st.When(answers)
}

// Applicable returns the answers of the steps that apply, dropping answers
// to steps whose condition no longer holds (say, a city given before the
// person switched to remote).
func (f *Flow) Applicable(answers map[string]string) map[string]string {
	out := make(map[string]string, len(answers))
	for i := range f.Steps {
		st := &f.Steps[i]
		if v, ok := answers[st.ID]; ok && f.applies(st, answers) {
			out[st.ID] = v
		}
	}
	return out
}

// Summary returns the card fields of the answers, in step order.
func (f *Flow) Summary(answers map[string]string) []Field {
	var fields []Field
	for i := range f.Steps {
		st := &f.Steps[i]
		if !f.applies(st, answers) {
			continue
		}
		v := answers[st.ID]
		if v == "" {
			v = "—"
		} else if st.Echo != nil {
			v = st.Echo(v)
		}
		fields = append(fields, Field{Label: st.Label, Value: v})
	}
	return fields
}
