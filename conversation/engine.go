package conversation

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hirebot/hirebot/parse"
)

// Internal step names of the two screens every flow ends with.
const (
	StepConfirm = "_confirm"
	StepEdit    = "_edit"
)

// MaxInput is the longest answer the engine accepts, in characters.
const MaxInput = 2000

// Message is what the engine says: text, an optional card of fields, and
// choices to offer as buttons.
type Message struct {
	Text    string
	Fields  []Field
	Choices []parse.Choice
}

// Field is one line of a summary card.
type Field struct {
	Label string
	Value string
}

// Outcome says what a step did to the flow.
type Outcome int

const (
	// Continue: the flow goes on; save the session.
	Continue Outcome = iota
	// Completed: the person confirmed; commit Session.Answers, then delete
	// the session.
	Completed
	// Cancelled: the person gave up; delete the session.
	Cancelled
)

// Result is the new session, what to say, and what happened.
type Result struct {
	Session  Session
	Messages []Message
	Outcome  Outcome
}

// Start begins flow f for key. prefill seeds answers (for editing an
// existing record); edit, if not empty, names the one step to ask before
// going to the summary. ref is the Session.Ref (see there).
func Start(f *Flow, key, ref string, prefill map[string]string, edit string, now time.Time) (Result, error) {
	s := Session{Key: key, Flow: f.Name, Ref: ref, Started: now, Answers: map[string]string{}}
	for k, v := range prefill {
		s.Answers[k] = v
	}
	var intro []Message
	if edit != "" {
		st, ok := f.findStep(edit)
		if !ok {
			return Result{}, &parse.InputError{Msg: fmt.Sprintf("There is no field %q. Fields: %s.", edit, strings.Join(f.fieldNames(), ", "))}
		}
		delete(s.Answers, st.ID)
		s.Step, s.Editing = st.ID, true
		return Result{Session: s, Messages: []Message{f.prompt(s, st)}}, nil
	}
	if f.Intro != "" {
		intro = append(intro, Message{Text: f.Intro})
	}
	s = f.next(s)
	return Result{Session: s, Messages: append(intro, f.screen(s))}, nil
}

// Resume repeats the current question, for a person who comes back.
func Resume(f *Flow, s Session) []Message {
	return []Message{{Text: "Welcome back — we were working on " + f.Title + "."}, f.screen(s)}
}

// Advance applies one input to the session. It never fails: every input
// that cannot be used gets a message saying why, and the session stays.
func Advance(f *Flow, s Session, input string, env parse.Env) Result {
	s.Answers = copyMap(s.Answers)
	in := strings.TrimSpace(strings.ToValidUTF8(input, ""))
	if utf8.RuneCountInString(in) > MaxInput {
		return Result{Session: s, Messages: []Message{{Text: fmt.Sprintf("That is longer than I can take (at most %d characters). Please shorten it.", MaxInput)}}}
	}
	in = f.numbered(s, in)
	word := strings.ToLower(strings.TrimPrefix(in, "/"))
	switch word {
	case "cancel", "stop", "quit":
		return Result{Session: s, Outcome: Cancelled, Messages: []Message{{Text: "Cancelled — nothing was saved."}}}
	case "help", "?":
		return Result{Session: s, Messages: []Message{f.help(s)}}
	case "back":
		return f.back(s)
	}
	switch s.Step {
	case StepConfirm:
		return f.confirm(s, in, word)
	case StepEdit:
		return f.pickEdit(s, in, word)
	}
	st, ok := f.step(s.Step)
	if !ok { // the flow changed under a stored session: start the walk again
		s = f.next(s)
		return Result{Session: s, Messages: []Message{f.screen(s)}}
	}
	if word == "skip" || st.Optional && noWords[strings.Trim(word, ".! ")] && len(s.Pending) == 0 {
		if !st.Optional {
			return f.retry(s, st, "This one is needed, so it can't be skipped.")
		}
		return f.accept(s, st, "", in, env)
	}
	if in == "" {
		return f.retry(s, st, "I didn't get an answer.")
	}
	for i, c := range s.Pending {
		if strings.EqualFold(in, c.Label) || in == c.Value || in == pickValue(i) {
			return f.accept(s, st, c.Value, in, env)
		}
	}
	if len(s.Pending) > 0 {
		// "Did you mean TypeScript?" — yes takes the suggestion; no keeps
		// what was typed when that is offered, else asks again.
		switch w := strings.Trim(word, ".! "); {
		case yesWords[w]:
			return f.accept(s, st, s.Pending[0].Value, in, env)
		case noWords[w] || w == "keep":
			for _, c := range s.Pending {
				if strings.HasPrefix(c.Label, "Keep") {
					return f.accept(s, st, c.Value, in, env)
				}
			}
			s.Pending = nil
			return f.retry(s, st, "All right.")
		}
	}
	for _, c := range st.Choices {
		if strings.EqualFold(in, c.Label) {
			in = c.Value
			break
		}
	}
	v, err := st.Parse(in, env)
	if err != nil && st.Extract != nil {
		if x, ok := st.Extract(in, env); ok {
			v, err = x, nil
		}
	}
	if err != nil {
		ie, ok := parse.AsInputError(err)
		if !ok {
			ie = &parse.InputError{Msg: "I couldn't understand that."}
		}
		s.Pending = ie.Suggest
		m := Message{Text: ie.Msg, Choices: pendingChoices(s.Pending)}
		if len(ie.Suggest) == 0 {
			m = f.prompt(s, st)
			m.Text = ie.Msg + "\n" + m.Text
		}
		return Result{Session: s, Messages: []Message{m}}
	}
	return f.accept(s, st, v, in, env)
}

// yesWords and noWords answer a yes-or-no question ("Did you mean
// TypeScript?") and skip an optional one ("Any links?" — "none").
var (
	yesWords = map[string]bool{"yes": true, "y": true, "yeah": true, "yep": true, "yup": true, "ok": true,
		"okay": true, "sure": true, "right": true, "correct": true, "yes please": true, "exactly": true, "👍": true}
	noWords = map[string]bool{"no": true, "n": true, "nope": true, "nah": true, "none": true, "n/a": true,
		"na": true, "nothing": true, "no thanks": true, "not really": true, "-": true, "no links": true, "not now": true, "pass": true}
)

// accept stores v as the answer to st, takes the facts the same input
// holds for the steps st names in Also, and moves on.
func (f *Flow) accept(s Session, st *Step, v, in string, env parse.Env) Result {
	s.Answers[st.ID] = v
	s.History = append(s.History, st.ID)
	s.Pending = nil
	s.Editing = false
	var also []string
	for _, id := range st.Also {
		o, ok := f.step(id)
		if _, done := s.Answers[id]; !ok || done || o.Extract == nil {
			continue
		}
		if x, ok := o.Extract(in, env); ok && x != "" {
			s.Answers[id] = x
			also = append(also, o.Label+": "+f.echo(o, x))
		}
	}
	s, inferred := f.advanceInferring(s)
	ack := "Skipped."
	if v != "" {
		ack = "Got it: " + f.echo(st, v)
		if !strings.ContainsAny(ack[len(ack)-1:], ".!?") {
			ack += "."
		}
	}
	if len(also) > 0 {
		ack += "\nI also took " + strings.Join(also, "; ") + "."
	}
	if len(inferred) > 0 {
		ack += "\nFrom that I put " + strings.Join(inferred, "; ") + " — say edit at the end to change it."
	}
	m := f.screen(s)
	m.Text = ack + "\n\n" + m.Text
	return Result{Session: s, Messages: []Message{m}}
}

// echo is how an answer is said back.
func (f *Flow) echo(st *Step, v string) string {
	if st.Echo != nil && v != "" {
		return st.Echo(v)
	}
	return v
}

// advanceInferring moves on like next, first filling the steps whose
// answer follows from the others; it says which it filled.
func (f *Flow) advanceInferring(s Session) (Session, []string) {
	var inferred []string
	for i := range f.Steps {
		st := &f.Steps[i]
		if _, done := s.Answers[st.ID]; done || st.Infer == nil || !f.applies(st, s.Answers) {
			continue
		}
		if v, ok := st.Infer(s.Answers); ok {
			s.Answers[st.ID] = v
			inferred = append(inferred, st.Label+": "+f.echo(st, v))
		}
	}
	return f.next(s), inferred
}

// next moves to the first step that applies and has no answer yet, or to the
// summary when there is none.
func (f *Flow) next(s Session) Session {
	s.Pending = nil
	for i := range f.Steps {
		st := &f.Steps[i]
		if _, done := s.Answers[st.ID]; !done && f.applies(st, s.Answers) {
			s.Step = st.ID
			return s
		}
	}
	s.Step = StepConfirm
	return s
}

func (f *Flow) back(s Session) Result {
	s.Pending = nil
	for len(s.History) > 0 {
		id := s.History[len(s.History)-1]
		s.History = s.History[:len(s.History)-1]
		st, ok := f.step(id)
		if !ok || !f.applies(st, s.Answers) {
			continue
		}
		delete(s.Answers, id)
		s.Step, s.Editing = id, false
		return Result{Session: s, Messages: []Message{f.prompt(s, st)}}
	}
	m := f.screen(s)
	m.Text = "There is nothing to go back to. Say cancel to stop.\n\n" + m.Text
	return Result{Session: s, Messages: []Message{m}}
}

func (f *Flow) confirm(s Session, in, word string) Result {
	switch {
	case word == "confirm" || word == "yes" || strings.EqualFold(in, f.ConfirmLabel):
		return Result{Session: s, Outcome: Completed}
	case word == "edit":
		s.Step = StepEdit
		return Result{Session: s, Messages: []Message{f.editMenu(s)}}
	case strings.HasPrefix(word, "edit"):
		return f.pickEdit(s, strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(word, "edit"), ":")), "")
	}
	m := f.screen(s)
	m.Text = fmt.Sprintf("Please choose %s, Edit or Cancel.\n\n%s", f.ConfirmLabel, m.Text)
	return Result{Session: s, Messages: []Message{m}}
}

func (f *Flow) pickEdit(s Session, in, word string) Result {
	name := strings.TrimPrefix(strings.ToLower(in), "edit:")
	if st, ok := f.findStep(name); ok && f.applies(st, s.Answers) {
		s.Step, s.Editing = st.ID, true
		return Result{Session: s, Messages: []Message{f.prompt(s, st)}}
	}
	m := f.editMenu(s)
	m.Text = "Pick one of the fields.\n" + m.Text
	s.Step = StepEdit
	return Result{Session: s, Messages: []Message{m}}
}

func (f *Flow) retry(s Session, st *Step, why string) Result {
	m := f.prompt(s, st)
	m.Text = why + "\n" + m.Text
	return Result{Session: s, Messages: []Message{m}}
}

// screen is what the person sees at the session's current position.
func (f *Flow) screen(s Session) Message {
	switch s.Step {
	case StepConfirm:
		text := f.ConfirmText
		if text == "" {
			text = "Here is " + f.Title + ":"
		}
		return Message{
			Text:    text,
			Fields:  f.Summary(s.Answers),
			Choices: []parse.Choice{{Label: f.ConfirmLabel, Value: "confirm"}, {Label: "Edit", Value: "edit"}, {Label: "Cancel", Value: "cancel"}},
		}
	case StepEdit:
		return f.editMenu(s)
	}
	if st, ok := f.step(s.Step); ok {
		return f.prompt(s, st)
	}
	return Message{Text: "Say anything to continue."}
}

func (f *Flow) prompt(s Session, st *Step) Message {
	text := st.Prompt
	if st.Help != "" {
		text += "\n" + st.Help
	}
	if st.Optional {
		text += "\n(Optional — say skip or none to leave it out.)"
	}
	choices := append([]parse.Choice(nil), st.Choices...)
	if st.Optional {
		choices = append(choices, parse.Choice{Label: "Skip", Value: "skip"})
	}
	if len(s.Pending) > 0 {
		choices = append(pendingChoices(s.Pending), choices...)
	}
	return Message{Text: text, Choices: choices}
}

func (f *Flow) editMenu(s Session) Message {
	var cs []parse.Choice
	for i := range f.Steps {
		st := &f.Steps[i]
		if f.applies(st, s.Answers) {
			cs = append(cs, parse.Choice{Label: st.Label, Value: "edit:" + st.ID})
		}
	}
	return Message{Text: "Which field do you want to change?", Choices: cs}
}

func (f *Flow) help(s Session) Message {
	text := "You are working on " + f.Title + ". Words that work at any question: back, skip (optional questions), cancel, help."
	if st, ok := f.step(s.Step); ok {
		text = st.Prompt + "\n" + st.Help + "\n\n" + text
	}
	m := f.screen(s)
	m.Text = text
	return m
}

// findStep finds a step by ID or label, case-insensitively.
func (f *Flow) findStep(name string) (*Step, bool) {
	name = strings.TrimSpace(strings.ToLower(name))
	for i := range f.Steps {
		if strings.ToLower(f.Steps[i].ID) == name || strings.ToLower(f.Steps[i].Label) == name {
			return &f.Steps[i], true
		}
	}
	return nil, false
}

func (f *Flow) fieldNames() []string {
	names := make([]string, len(f.Steps))
	for i, st := range f.Steps {
		names[i] = st.ID
	}
	return names
}

// pendingChoices offers suggestions as buttons whose values are short
// ("pick:0"): a suggested answer can be longer than a platform allows for a
// button's value.
func pendingChoices(p []parse.Choice) []parse.Choice {
	out := make([]parse.Choice, len(p))
	for i, c := range p {
		out[i] = parse.Choice{Label: c.Label, Value: pickValue(i)}
	}
	return out
}

// numbered reads a bare number on the summary or the edit menu as the
// button with that number, the way the terminal numbers buttons, so a
// dialog resumed in a new session (or a script) can answer "1" to
// "[1] Post [2] Edit [3] Cancel". On a question, a number stays an answer
// (10 hours a week), and suggestions take their numbers in Advance.
func (f *Flow) numbered(s Session, in string) string {
	if s.Step != StepConfirm && s.Step != StepEdit {
		return in
	}
	n, err := strconv.Atoi(in)
	if choices := f.screen(s).Choices; err == nil && n >= 1 && n <= len(choices) {
		return choices[n-1].Value
	}
	return in
}

func pickValue(i int) string { return fmt.Sprintf("pick:%d", i) }

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
