package conversation

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hirebot/hirebot/parse"
)

// testFlow: name, pets (a number), pet name only when pets > 0, an optional
// note.
var testNow = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func number(in string, _ parse.Env) (string, error) {
	n, err := strconv.Atoi(strings.TrimSpace(in))
	if err != nil || n < 0 {
		return "", parse.Invalid("Please give a number, like 5.")
	}
	return strconv.Itoa(n), nil
}

func word(in string, _ parse.Env) (string, error) {
	if in == "golng" {
		return "", &parse.InputError{Msg: "Did you mean Go?", Suggest: []parse.Choice{{Label: "Go", Value: "Go"}, {Label: "Keep golng", Value: "golng"}}}
	}
	return in, nil
}

func testFlow() *Flow {
	return &Flow{
		Name: "test", Title: "your test", ConfirmLabel: "Publish",
		Steps: []Step{
			{ID: "name", Label: "Name", Prompt: "Name?", Parse: word},
			{ID: "pets", Label: "Pets", Prompt: "How many pets?", Parse: number},
			{ID: "petname", Label: "Pet name", Prompt: "Pet name?", Parse: word,
				When: func(a map[string]string) bool { return a["pets"] != "" && a["pets"] != "0" }},
			{ID: "note", Label: "Note", Prompt: "A note?", Optional: true, Parse: word},
		},
	}
}

// drive starts f and feeds it inputs, failing on an unexpected outcome.
func drive(t *testing.T, f *Flow, inputs ...string) Result {
	t.Helper()
	res, err := Start(f, "k", "ref", nil, "", testNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range inputs {
		if res.Outcome != Continue {
			t.Fatalf("flow ended before input %q", in)
		}
		res = Advance(f, res.Session, in, parse.Env{Now: testNow})
	}
	return res
}

func TestEngineWalk(t *testing.T) {
	f := testFlow()
	tests := []struct {
		name    string
		inputs  []string
		step    string
		answers map[string]string
		outcome Outcome
	}{
		{"first question", nil, "name", map[string]string{}, Continue},
		{"condition skips a step", []string{"Ann", "0"}, "note", map[string]string{"name": "Ann", "pets": "0"}, Continue},
		{"condition asks a step", []string{"Ann", "2"}, "petname", map[string]string{"name": "Ann", "pets": "2"}, Continue},
		{"bad answer stays", []string{"Ann", "many"}, "pets", map[string]string{"name": "Ann"}, Continue},
		{"skip optional", []string{"Ann", "0", "skip"}, StepConfirm, map[string]string{"name": "Ann", "pets": "0", "note": ""}, Continue},
		{"skip required refused", []string{"skip"}, "name", map[string]string{}, Continue},
		{"back reopens previous", []string{"Ann", "back"}, "name", map[string]string{}, Continue},
		{"back at start stays", []string{"back"}, "name", map[string]string{}, Continue},
		{"help keeps position", []string{"Ann", "/help"}, "pets", map[string]string{"name": "Ann"}, Continue},
		{"confirm completes", []string{"Ann", "0", "hi", "Publish"}, StepConfirm, map[string]string{"name": "Ann", "pets": "0", "note": "hi"}, Completed},
		{"cancel anywhere", []string{"Ann", "cancel"}, "pets", map[string]string{"name": "Ann"}, Cancelled},
		{"suggestion picked by button", []string{"golng", "pick:0"}, "pets", map[string]string{"name": "Go"}, Continue},
		{"suggestion picked by label", []string{"golng", "keep golng"}, "pets", map[string]string{"name": "golng"}, Continue},
		{"edit from summary returns to summary", []string{"Ann", "0", "skip", "edit", "Name", "Bea"}, StepConfirm, map[string]string{"name": "Bea", "pets": "0", "note": ""}, Continue},
		{"edit a condition asks the new step", []string{"Ann", "0", "skip", "edit:pets", "1"}, "petname", map[string]string{"name": "Ann", "pets": "1", "note": ""}, Continue},
		{"unknown word at summary re-asks", []string{"Ann", "0", "skip", "maybe"}, StepConfirm, map[string]string{"name": "Ann", "pets": "0", "note": ""}, Continue},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := drive(t, f, tt.inputs...)
			if res.Outcome != tt.outcome {
				t.Fatalf("outcome = %v, want %v", res.Outcome, tt.outcome)
			}
			if res.Session.Step != tt.step {
				t.Errorf("step = %q, want %q", res.Session.Step, tt.step)
			}
			if diff := cmp.Diff(tt.answers, res.Session.Answers); diff != "" {
				t.Errorf("answers (-want +got):\n%s", diff)
			}
			if res.Outcome == Continue && len(res.Messages) == 0 {
				t.Error("a step that continues said nothing")
			}
		})
	}
}

func TestEngineMessages(t *testing.T) {
	f := testFlow()
	t.Run("bad answer says why and asks again", func(t *testing.T) {
		res := drive(t, f, "Ann", "many")
		got := res.Messages[0].Text
		if !strings.HasPrefix(got, "Please give a number, like 5.\nHow many pets?") {
			t.Errorf("text = %q", got)
		}
	})
	t.Run("accepted answer is echoed", func(t *testing.T) {
		res := drive(t, f, "Ann")
		if got := res.Messages[0].Text; !strings.HasPrefix(got, "Got it: Ann.") {
			t.Errorf("text = %q", got)
		}
	})
	t.Run("summary card and buttons", func(t *testing.T) {
		res := drive(t, f, "Ann", "1", "Rex", "skip")
		m := res.Messages[0]
		wantFields := []Field{{"Name", "Ann"}, {"Pets", "1"}, {"Pet name", "Rex"}, {"Note", "—"}}
		if diff := cmp.Diff(wantFields, m.Fields); diff != "" {
			t.Errorf("fields (-want +got):\n%s", diff)
		}
		wantChoices := []parse.Choice{{Label: "Publish", Value: "confirm"}, {Label: "Edit", Value: "edit"}, {Label: "Cancel", Value: "cancel"}}
		if diff := cmp.Diff(wantChoices, m.Choices); diff != "" {
			t.Errorf("choices (-want +got):\n%s", diff)
		}
	})
	t.Run("optional step offers skip", func(t *testing.T) {
		res := drive(t, f, "Ann", "0")
		if diff := cmp.Diff([]parse.Choice{{Label: "Skip", Value: "skip"}}, res.Messages[0].Choices); diff != "" {
			t.Errorf("choices (-want +got):\n%s", diff)
		}
	})
	t.Run("suggestions become short buttons", func(t *testing.T) {
		res := drive(t, f, "golng")
		want := []parse.Choice{{Label: "Go", Value: "pick:0"}, {Label: "Keep golng", Value: "pick:1"}}
		if diff := cmp.Diff(want, res.Messages[0].Choices); diff != "" {
			t.Errorf("choices (-want +got):\n%s", diff)
		}
	})
	t.Run("too long input is refused", func(t *testing.T) {
		res := drive(t, f, strings.Repeat("x", MaxInput+1))
		if res.Session.Step != "name" || !strings.Contains(res.Messages[0].Text, "longer than I can take") {
			t.Errorf("step %q, text %q", res.Session.Step, res.Messages[0].Text)
		}
	})
}

func TestEngineApplicableDropsStaleAnswers(t *testing.T) {
	f := testFlow()
	res := drive(t, f, "Ann", "1", "Rex", "skip", "edit:pets", "0", "confirm")
	if res.Outcome != Completed {
		t.Fatalf("outcome %v", res.Outcome)
	}
	got := f.Applicable(res.Session.Answers)
	want := map[string]string{"name": "Ann", "pets": "0", "note": ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers (-want +got):\n%s", diff)
	}
}

func TestStartEdit(t *testing.T) {
	f := testFlow()
	prefill := map[string]string{"name": "Ann", "pets": "0", "note": ""}
	res, err := Start(f, "k", "", prefill, "Pets", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if res.Session.Step != "pets" || !res.Session.Editing {
		t.Fatalf("step %q editing %v", res.Session.Step, res.Session.Editing)
	}
	res = Advance(f, res.Session, "3", parse.Env{Now: testNow})
	if res.Session.Step != "petname" {
		t.Errorf("after editing pets to 3, step = %q, want petname", res.Session.Step)
	}
	if _, err := Start(f, "k", "", prefill, "nosuch", testNow); err == nil {
		t.Error("editing an unknown field started a flow")
	} else if _, ok := parse.AsInputError(err); !ok {
		t.Errorf("unknown field error is not an InputError: %v", err)
	}
}

func TestStartDoesNotShareThePrefill(t *testing.T) {
	f := testFlow()
	prefill := map[string]string{"name": "Ann"}
	res, _ := Start(f, "k", "", prefill, "", testNow)
	Advance(f, res.Session, "2", parse.Env{Now: testNow})
	if len(prefill) != 1 {
		t.Errorf("prefill changed: %v", prefill)
	}
	before := copyMap(res.Session.Answers)
	Advance(f, res.Session, "2", parse.Env{Now: testNow})
	if diff := cmp.Diff(before, res.Session.Answers); diff != "" {
		t.Errorf("Advance changed the session it was given (-before +after):\n%s", diff)
	}
}

// FuzzEngine feeds random inputs to a flow: the engine never panics, always
// says something while the flow continues, and never leaves the session on
// a step that does not exist or does not apply.
func FuzzEngine(f *testing.F) {
	for _, s := range []string{"Ann", "3", "back", "skip", "cancel", "/help", "edit", "edit:pets", "pick:0", "pick:9", "confirm", "golng", "\x00\xff", strings.Repeat("é", 3000)} {
		f.Add(s, "0", "skip")
	}
	flow := testFlow()
	f.Fuzz(func(t *testing.T, a, b, c string) {
		res, err := Start(flow, "k", "", nil, "", testNow)
		if err != nil {
			t.Fatal(err)
		}
		for _, in := range []string{a, b, c, a, "back", b} {
			if res.Outcome != Continue {
				return
			}
			res = Advance(flow, res.Session, in, parse.Env{Now: testNow})
			if res.Outcome == Continue && len(res.Messages) == 0 {
				t.Fatalf("input %q: no message", in)
			}
			s := res.Session
			if s.Step != StepConfirm && s.Step != StepEdit {
				st, ok := flow.step(s.Step)
				if !ok || !flow.applies(st, s.Answers) {
					t.Fatalf("input %q: session on step %q", in, s.Step)
				}
			}
		}
	})
}
