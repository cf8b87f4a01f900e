package console

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hirebot/hirebot/bot"
)

func TestTranslate(t *testing.T) {
	buttons := []bot.Button{{Label: "Publish", Value: "confirm"}, {Label: "View Ann", Value: "/view 1"}}
	tests := []struct {
		line    string
		kind    string
		command string
		text    string
	}{
		{"hello", bot.KindMessage, "", "hello"},
		{"  45 USD per hour ", bot.KindMessage, "", "45 USD per hour"},
		{"1", bot.KindButton, "", "confirm"},
		{"2", bot.KindButton, "", "/view 1"},
		{"3", bot.KindMessage, "", "3"},
		{"0", bot.KindMessage, "", "0"},
		{"publish", bot.KindButton, "", "confirm"},
		{"/search go rate<60", bot.KindCommand, "search", "go rate<60"},
		{"/HELP", bot.KindCommand, "help", ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			ev := Translate(tt.line, buttons, "ann", "Ann")
			if ev.Kind != tt.kind || ev.Command != tt.command || ev.Text != tt.text {
				t.Errorf("got kind %q command %q text %q", ev.Kind, ev.Command, ev.Text)
			}
			want := bot.Identity{Platform: bot.Console, UserID: "ann"}
			if ev.From != want || !ev.Private || ev.Chat.ChatID != "ann" || ev.ID != "" {
				t.Errorf("event = %+v", ev)
			}
		})
	}
}

func TestRender(t *testing.T) {
	r := bot.Reply{
		Text:    "Here is your profile:",
		Cards:   []bot.Card{{Title: "Ann", Fields: []bot.Field{{Label: "Rate", Value: "45 USD/hour"}}}},
		Buttons: []bot.Button{{Label: "Publish", Value: "confirm"}, {Label: "Edit", Value: "edit"}},
	}
	want := "Here is your profile:\n── Ann ──\n  Rate: 45 USD/hour\n[3] Publish  [4] Edit\n\n"
	if diff := cmp.Diff(want, Render(r, false, 2)); diff != "" {
		t.Errorf("plain render (-want +got):\n%s", diff)
	}
	if got := Render(r, true, 0); !strings.Contains(got, "\033[1m") {
		t.Errorf("colour render has no bold: %q", got)
	}
}

func TestRunNumbersButtonsAcrossReplies(t *testing.T) {
	var seen []bot.Event
	h := func(_ context.Context, ev bot.Event) ([]bot.Reply, error) {
		seen = append(seen, ev)
		return []bot.Reply{
			{Text: "a", Buttons: []bot.Button{{Label: "One", Value: "v1"}}},
			{Text: "b", Buttons: []bot.Button{{Label: "Two", Value: "v2"}}},
		}, nil
	}
	var out bytes.Buffer
	a := New(Config{In: strings.NewReader("hi\n2\n\n" + strings.Repeat("x", MaxLine+10)), Out: &out, User: "ann"}, h, nil)
	if err := a.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 4 {
		t.Fatalf("handler saw %d events, want 4 (a blank line is answered too)", len(seen))
	}
	if seen[1].Kind != bot.KindButton || seen[1].Text != "v2" {
		t.Errorf("second line = %+v, want the button v2", seen[1])
	}
	if seen[2].Kind != bot.KindMessage || seen[2].Text != "" {
		t.Errorf("blank line = %+v, want an empty message", seen[2])
	}
	if n := len(seen[3].Text); n != MaxLine {
		t.Errorf("long line kept %d bytes, want %d", n, MaxLine)
	}
	if !strings.Contains(out.String(), "[1] One") || !strings.Contains(out.String(), "[2] Two") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestRunShowsErrors(t *testing.T) {
	h := func(context.Context, bot.Event) ([]bot.Reply, error) {
		return nil, &bot.Error{Code: bot.EUNAVAILABLE, Message: bot.UnavailableMessage}
	}
	var out bytes.Buffer
	if err := New(Config{In: strings.NewReader("hi"), Out: &out, User: "ann"}, h, nil).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), bot.UnavailableMessage) {
		t.Errorf("output = %q", out.String())
	}
}

// screen is what a chat printed, read while it runs.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor waits until the screen after from holds want and returns where
// it starts.
func (s *screen) waitFor(t *testing.T, from int, want string) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second) // against hanging, not a timing check
	for {
		if i := strings.Index(s.String()[from:], want); i >= 0 {
			return from + i
		}
		if time.Now().After(deadline) {
			t.Fatalf("the screen never showed %q:\n%q", want, s.String()[from:])
		}
		time.Sleep(time.Millisecond)
	}
}

// pusher is an Arrived that hands out what was pushed, once.
type pusher struct {
	mu      sync.Mutex
	waiting []bot.Reply
	asked   []bot.Identity
}

func (p *pusher) push(r ...bot.Reply) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.waiting = append(p.waiting, r...)
}

func (p *pusher) arrived(_ context.Context, id bot.Identity, _ string) ([]bot.Reply, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked = append(p.asked, id)
	out := p.waiting
	p.waiting = nil
	return out, nil
}

// lineKeeper is a handler that keeps the lines it was given.
type lineKeeper struct {
	mu    sync.Mutex
	lines []string
	reply []bot.Reply
}

func (k *lineKeeper) handle(_ context.Context, ev bot.Event) ([]bot.Reply, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.lines = append(k.lines, ev.Text)
	return k.reply, nil
}

func (k *lineKeeper) got() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Clone(k.lines)
}

// startChat runs a chat whose keys are typed into the returned pipe.
func startChat(t *testing.T, cfg Config, h bot.Handler) (*io.PipeWriter, *screen, <-chan error) {
	t.Helper()
	keys, typed := io.Pipe()
	out := &screen{}
	cfg.In, cfg.Out, cfg.User, cfg.Sweep = keys, out, "ann", time.Millisecond
	done := make(chan error, 1)
	go func() { done <- New(cfg, h, nil).Run(t.Context()) }()
	t.Cleanup(func() { typed.Close() })
	return typed, out, done
}

func wait(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second): // against hanging, not a timing check
		t.Fatal("the chat did not end")
		return nil
	}
}

func TestTerminalRedrawsTheLineBeingTypedBelowAPush(t *testing.T) {
	p := &pusher{}
	k := &lineKeeper{reply: []bot.Reply{{Text: "You said it."}}}
	keys, out, done := startChat(t, Config{Terminal: true, Arrived: p.arrived}, k.handle)

	io.WriteString(keys, "see you Mon")
	typed := out.waitFor(t, 0, "> see you Mon")
	p.push(bot.Reply{Text: "bob invites you to job #1", Buttons: []bot.Button{{Label: "Accept", Value: "/accept 1"}}})
	msg := out.waitFor(t, typed, "bob invites you to job #1\r\n[1] Accept\r\n\r\n")
	if cleared := out.String()[typed:msg]; !strings.Contains(cleared, "\x1b[K") {
		t.Errorf("the half-typed line was not cleared before the message: %q", cleared)
	}
	out.waitFor(t, msg, "> see you Mon") // the prompt and the line, drawn again below

	io.WriteString(keys, "day\r")
	out.waitFor(t, msg, "You said it.\r\n\r\n> ")
	io.WriteString(keys, "\x04") // Ctrl-D on an empty line
	if err := wait(t, done); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"see you Monday"}, k.got()); diff != "" {
		t.Errorf("lines handled (-want +got):\n%s", diff)
	}
	if !strings.HasSuffix(out.String(), "\r\n") {
		t.Errorf("the chat did not leave the cursor on a fresh line: %q", out.String())
	}
	if len(p.asked) == 0 || p.asked[0] != (bot.Identity{Platform: bot.Console, UserID: "ann"}) {
		t.Errorf("Arrived was asked for %v", p.asked)
	}
}

func TestTerminalCtrlCEndsTheChat(t *testing.T) {
	k := &lineKeeper{}
	keys, out, done := startChat(t, Config{Terminal: true}, k.handle)
	io.WriteString(keys, "half a line")
	out.waitFor(t, 0, "> half a line")
	io.WriteString(keys, "\x03")
	if err := wait(t, done); err != nil {
		t.Fatal(err)
	}
	if got := k.got(); len(got) != 0 {
		t.Errorf("Ctrl-C handed on %q", got)
	}
}

func TestPipedChatIsPushedPlainLines(t *testing.T) {
	p := &pusher{}
	p.push(bot.Reply{Text: "bob invites you to job #1", Buttons: []bot.Button{{Label: "Accept", Value: "/accept 1"}}})
	k := &lineKeeper{reply: []bot.Reply{{Text: "Post it?", Buttons: []bot.Button{{Label: "Post", Value: "confirm"}, {Label: "Edit", Value: "edit"}}}}}
	keys, out, done := startChat(t, Config{Arrived: p.arrived}, k.handle)
	out.waitFor(t, 0, "While you were away:\n\nbob invites you to job #1\n[1] Accept\n\n")

	io.WriteString(keys, "post\n")
	at := out.waitFor(t, 0, "[1] Post  [2] Edit")
	p.push(bot.Reply{Text: "bob says hello", Buttons: []bot.Button{{Label: "Reply", Value: "/reply"}}})
	out.waitFor(t, at, "bob says hello\n[3] Reply\n\n") // numbered after the buttons on screen
	io.WriteString(keys, "3\n1\n")
	keys.Close()
	if err := wait(t, done); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"post", "/reply", "confirm"}, k.got()); diff != "" {
		t.Errorf("lines handled (-want +got):\n%s", diff)
	}
	if strings.ContainsAny(out.String(), "\x1b\r") {
		t.Errorf("a piped chat printed control codes: %q", out.String())
	}
}

func TestLookupNamesPeopleByTheirUserID(t *testing.T) {
	var a Adapter
	if id, ok := a.Lookup("ann"); !ok || id != (bot.Identity{Platform: bot.Console, UserID: "ann"}) {
		t.Errorf(`Lookup("ann") = %+v, %v; want console:ann`, id, ok)
	}
	for _, h := range []string{"", "ann smith", strings.Repeat("a", 65)} {
		if id, ok := a.Lookup(h); ok {
			t.Errorf("Lookup(%q) = %+v; want no one", h, id)
		}
	}
}
