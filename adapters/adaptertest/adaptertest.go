// Package adaptertest is the one contract suite every platform adapter
// runs: the real bot core (a temporary SQLite file, in-memory sessions,
// the Dedupe and Recover middleware) behind the adapter, the adapter
// against its local fake of the platform, and assertions on what that fake
// received. It checks the rule of the bot package ("Where a reply goes"):
// answers stay where the event happened, private answers are never
// readable by others, what a person on another platform (the real
// terminal adapter, registered beside it) sends reaches the person's
// private chat here, a repeated delivery has one effect, and a forged
// request has none.
//
// An adapter joins with one test file in its own package (so it can wait
// for its own work in flight and read its fake) that implements Harness
// and calls Run:
//
//	func TestContract(t *testing.T) {
//		adaptertest.Run(t, func(t *testing.T, h bot.Handler) adaptertest.Harness {
//			return newContractHarness(t, h) // the adapter on its fake, calling h
//		})
//	}
package adaptertest

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
	"github.com/hirebot/hirebot/store/sqlite"
)

// Place is where an action happens.
type Place int

const (
	// Private is the person's private chat with the bot (a DM).
	Private Place = iota
	// Shared is a chat others read too (a channel, a server, a group).
	Shared
)

// Action is one thing a person does on the platform.
type Action struct {
	// User names the person ("ann"); the harness maps it to a platform
	// user ID, the same one every time.
	User  string
	Place Place
	// Kind is bot.KindMessage, bot.KindCommand, bot.KindButton or
	// bot.KindForm.
	Kind string
	// Command is the command's name (KindCommand) or the form's ID
	// (KindForm).
	Command string
	// Text is the message, the command's arguments, or the pressed
	// button's Value.
	Text string
	// Form holds a submitted form's values by field ID.
	Form map[string]string
	// ID is the platform's delivery ID; the suite sends an action with the
	// same ID again to deliver the same payload twice. Empty: the harness
	// picks a fresh one.
	ID string
}

// Output is one thing the fake platform received because of an action.
type Output struct {
	// Text is everything readable in it: content, blocks, embeds, cards.
	Text string
	// Buttons are the buttons it offers (Label and Value).
	Buttons []bot.Button
	// Modal is set when a form was opened: a modal, or a form shown in
	// the chat on a platform whose forms live there (the web).
	Modal bool
	// Public is set when people other than the actor can read it: a
	// message in a shared chat that is not ephemeral.
	Public bool
	// Edit is set when a message already there was changed (a pressed
	// button's message marked as answered).
	Edit bool
}

// Harness drives one adapter against its local fake.
type Harness interface {
	// Adapter is the adapter under test; the suite registers it with the
	// bot.
	Adapter() bot.Adapter
	// Forms reports whether the platform has forms (modals, or forms in
	// the chat).
	Forms() bool
	// Shared reports whether the platform has chats others read too
	// (channels, servers, groups); without them the cases that happen in
	// one are skipped, and Do is never given Place Shared.
	Shared() bool
	// Do performs a through the adapter's real inbound path (a signed
	// request, a gateway dispatch, an update), waits until the adapter has
	// finished with it, and returns what the fake platform received since
	// the previous Do.
	Do(t *testing.T, a Action) []Output
	// Forged sends a with a signature or secret that is wrong and returns
	// the HTTP status the adapter answered.
	Forged(t *testing.T, a Action) int
	// Received returns what the fake platform received since the previous
	// Do or Received without an action on it: what the bot sent because
	// of an event elsewhere (an answer to an invite, a relayed message).
	Received(t *testing.T) []Output
}

// NewHarness builds a harness whose adapter hands every event to h.
type NewHarness func(t *testing.T, h bot.Handler) Harness

// Run runs the contract against the adapter newHarness builds, with a
// fresh core per subtest.
func Run(t *testing.T, newHarness NewHarness) {
	t.Run("greeting", func(t *testing.T) {
		h := start(t, newHarness)
		out := h.Do(t, Action{User: "ann", Kind: bot.KindMessage, Text: "hello"})
		mustSay(t, out, "I'm hirebot")
	})
	t.Run("whitespace-only message gets a short answer", func(t *testing.T) {
		h := start(t, newHarness)
		out := h.Do(t, Action{User: "ann", Kind: bot.KindMessage, Text: "   "})
		if len(texts(out)) == 0 {
			t.Error("no answer")
		}
	})
	t.Run("profile dialog with buttons", func(t *testing.T) {
		h := start(t, newHarness)
		var out []Output
		for k, line := range profileScript {
			a := Action{User: "ann", Kind: bot.KindMessage, Text: line}
			if k == 0 {
				a = Action{User: "ann", Kind: bot.KindCommand, Command: "profile"}
			}
			out = h.Do(t, a)
			if len(texts(out)) == 0 {
				t.Fatalf("no answer to %q", line)
			}
		}
		publish, ok := button(out, "Publish")
		if !ok {
			t.Fatalf("no Publish button in %+v", out)
		}
		mustSay(t, h.Do(t, Action{User: "ann", Kind: bot.KindButton, Text: publish.Value}), "Your profile is published")
	})
	t.Run("private answer in a shared chat stays private", func(t *testing.T) {
		h := start(t, newHarness)
		needShared(t, h)
		out := h.Do(t, Action{User: "ann", Place: Shared, Kind: bot.KindCommand, Command: "help"})
		mustSay(t, out, "Here is what I can do")
		mustBePrivate(t, out)
	})
	t.Run("one-time code is never visible to others", func(t *testing.T) {
		h := start(t, newHarness)
		for _, place := range places(h) {
			out := h.Do(t, Action{User: "ann", Place: place, Kind: bot.KindCommand, Command: "link"})
			mustSay(t, out, "Your link code is")
			mustBePrivate(t, out)
		}
	})
	t.Run("dialog from a shared chat moves to the private chat", func(t *testing.T) {
		h := start(t, newHarness)
		needShared(t, h)
		out := h.Do(t, Action{User: "ann", Place: Shared, Kind: bot.KindCommand, Command: "profile"})
		mustSay(t, out, "What name should employers see?")
		mustBePrivate(t, out)
	})
	t.Run("form", func(t *testing.T) {
		h := start(t, newHarness)
		if !h.Forms() {
			t.Skip("the platform has no forms")
		}
		// In a shared chat where there is one: the form and what is said
		// about it stay private.
		place := places(h)[0]
		out := h.Do(t, Action{User: "bob", Place: place, Kind: bot.KindCommand, Command: "post"})
		if !modal(out) {
			t.Fatalf("/post opened no form: %+v", out)
		}
		mustBePrivate(t, out)
		out = h.Do(t, Action{User: "bob", Place: place, Kind: bot.KindForm, Command: hire.FlowJob, Form: jobForm})
		mustSay(t, out, "is posted")
		// The job's card may go up on the community's gig board, for
		// everyone; what is said to the poster stays private.
		for _, o := range out {
			if o.Public && (strings.Contains(o.Text, "is posted") || strings.Contains(o.Text, "match")) {
				t.Errorf("readable by others in the shared chat: %q", o.Text)
			}
		}
	})
	t.Run("duplicate delivery has one effect", func(t *testing.T) {
		h := start(t, newHarness)
		a := Action{User: "ann", Kind: bot.KindMessage, Text: "hello", ID: "dup-1"}
		mustSay(t, h.Do(t, a), "I'm hirebot")
		again := h.Do(t, a)
		for _, o := range again {
			if strings.Contains(o.Text, "I'm hirebot") || o.Edit {
				t.Errorf("the repeated delivery was answered again: %+v", o)
			}
		}
	})
	t.Run("duplicate button press edits once", func(t *testing.T) {
		h := start(t, newHarness)
		h.Do(t, Action{User: "ann", Kind: bot.KindCommand, Command: "profile"})
		press := Action{User: "ann", Kind: bot.KindButton, Text: "cancel", ID: "press-1"}
		edits := 0
		for range 3 {
			for _, o := range h.Do(t, press) {
				if o.Edit {
					edits++
				}
			}
		}
		if edits > 1 {
			t.Errorf("the pressed message was edited %d times", edits)
		}
	})
	t.Run("cross-platform invite, answer and relay", func(t *testing.T) { crossPlatform(t, newHarness) })
	t.Run("bad signature", func(t *testing.T) {
		h := start(t, newHarness)
		if status := h.Forged(t, Action{User: "ann", Kind: bot.KindMessage, Text: "hello"}); status != 401 && status != 403 {
			t.Errorf("forged request answered %d, want 401", status)
		}
		out := h.Do(t, Action{User: "ann", Kind: bot.KindCommand, Command: "help"})
		mustSay(t, out, "Here is what I can do")
		for _, o := range out {
			if strings.Contains(o.Text, "I'm hirebot") {
				t.Errorf("the forged message was answered: %q", o.Text)
			}
		}
	})
}

// crossPlatform is Bob, on the platform under test, inviting Ann, at a
// terminal (the real console adapter, registered with the same core):
// what the terminal sends him goes through the platform's adapter to his
// private chat, though he did nothing on it just then.
func crossPlatform(t *testing.T, newHarness NewHarness) {
	h, b, handle := startCore(t, newHarness)
	ann := newTerminal(t, b, handle, "ann")
	mustPrint(t, ann.say(t, append(profileScript, "Publish")...), "Your profile is published")

	out := postJob(t, h)
	invite, ok := button(out, "Invite Ann Smith")
	if !ok {
		t.Fatalf("Ann is not among the matches of the job: %q", texts(out))
	}
	out = h.Do(t, Action{User: "bob", Kind: bot.KindButton, Text: invite.Value})
	mustSay(t, out, "Invite 1 sent to Ann Smith")
	deliver(t, b)
	mustPrint(t, ann.said(), "invites you to job #1", "Accept")

	mustPrint(t, ann.say(t, "Accept"), "Accepted: you and")
	deliver(t, b)
	out = h.Received(t)
	mustSay(t, out, "Ann Smith accepted your invite to #1 "+jobForm["title"])
	mustBePrivate(t, out)

	mustPrint(t, ann.say(t, "Hi! I can start tomorrow."), "passed on to")
	deliver(t, b)
	out = h.Received(t)
	mustSay(t, out, hire.RelayMark+"Ann Smith")
	mustSay(t, out, "Hi! I can start tomorrow.")
	mustBePrivate(t, out)

	mustSay(t, h.Do(t, Action{User: "bob", Kind: bot.KindMessage, Text: "Great, see you then."}), "passed on to Ann Smith")
	deliver(t, b)
	mustPrint(t, ann.said(), hire.RelayMark, "Great, see you then.")
}

// deliver sends what the turns so far left in the outbox, as the core's
// delivery worker (bot.RunDelivery) does after each turn under serve; the
// suite runs it before it reads the other side, so it reads nothing before
// it was sent.
func deliver(t *testing.T, b *hire.Bot) {
	t.Helper()
	if _, err := b.DeliverOutbox(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
}

// postJob posts jobForm as Bob, in his private chat: with the form where
// the platform has forms, by the dialog otherwise. It returns what the
// job's confirmation said (its matches).
func postJob(t *testing.T, h Harness) []Output {
	t.Helper()
	out := h.Do(t, Action{User: "bob", Kind: bot.KindCommand, Command: "post"})
	if h.Forms() {
		if !modal(out) {
			t.Fatalf("/post opened no form: %q", texts(out))
		}
		out = h.Do(t, Action{User: "bob", Kind: bot.KindForm, Command: hire.FlowJob, Form: jobForm})
	} else {
		for _, line := range []string{jobForm["title"], jobForm["description"], jobForm["skills"], jobForm["budget"],
			jobForm["deadline"], "skip", "a merged pull request", "remote", "Berlin"} {
			if out = h.Do(t, Action{User: "bob", Kind: bot.KindMessage, Text: line}); len(texts(out)) == 0 {
				t.Fatalf("no answer to %q", line)
			}
		}
		post, ok := button(out, "Post")
		if !ok {
			t.Fatalf("no Post button in %q", texts(out))
		}
		out = h.Do(t, Action{User: "bob", Kind: bot.KindButton, Text: post.Value})
	}
	mustSay(t, out, "is posted")
	return out
}

// profileScript answers the profile dialog (the first line stands for
// the /profile command).
var profileScript = []string{"/profile", "Ann Smith", "Backend developer, Go and PostgreSQL",
	"golang, k8s, postgres", "7 years", "$45/h", "20 hours a week", "immediately", "Berlin",
	"gig, part-time", "remote", "github.com/ann", "skip"}

var jobForm = map[string]string{
	"title": "Build a Go API for invoices", "description": "A small REST API in Go with PostgreSQL storage.",
	"skills": "golang, postgres", "budget": "$30-60/h", "deadline": "in 3 weeks",
}

// start builds the core and the harness around it.
func start(t *testing.T, newHarness NewHarness) Harness {
	t.Helper()
	h, _, _ := startCore(t, newHarness)
	return h
}

// startCore builds the core and the harness around it, and returns the
// bot and its handler too.
func startCore(t *testing.T, newHarness NewHarness) (Harness, *hire.Bot, bot.Handler) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hirebot.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	b, err := hire.New(hire.Config{Store: db, Sessions: memory.NewSessions(memory.SessionOptions{}), Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	dedupe := memory.NewDeduper(memory.DedupeOptions{Window: time.Hour})
	handle := bot.Chain(b.Handle, hire.Dedupe(dedupe, log), bot.Recover(log))
	h := newHarness(t, handle)
	b.Register(h.Adapter())
	return h, b, handle
}

// needShared skips a case that happens in a shared chat on a platform
// without one.
func needShared(t *testing.T, h Harness) {
	t.Helper()
	if !h.Shared() {
		t.Skip("the platform has no shared chats: every chat is between one person and the bot")
	}
}

// places are the places the platform has, a shared chat first.
func places(h Harness) []Place {
	if h.Shared() {
		return []Place{Shared, Private}
	}
	return []Place{Private}
}

func texts(out []Output) []string {
	var s []string
	for _, o := range out {
		if strings.TrimSpace(o.Text) != "" {
			s = append(s, o.Text)
		}
	}
	return s
}

func mustSay(t *testing.T, out []Output, want string) {
	t.Helper()
	for _, o := range out {
		if strings.Contains(o.Text, want) {
			return
		}
	}
	t.Errorf("no output says %q; got %q", want, texts(out))
}

func mustBePrivate(t *testing.T, out []Output) {
	t.Helper()
	for _, o := range out {
		if o.Public {
			t.Errorf("readable by others in the shared chat: %q", o.Text)
		}
	}
}

func modal(out []Output) bool {
	for _, o := range out {
		if o.Modal {
			return true
		}
	}
	return false
}

func button(out []Output, label string) (bot.Button, bool) {
	for _, o := range out {
		for _, b := range o.Buttons {
			if b.Label == label {
				return b, true
			}
		}
	}
	return bot.Button{}, false
}

// CrashLocker hands out leases of the Locker it wraps that are never
// released, as when the process holding one is killed: the next holder
// waits for the lease to expire.
type CrashLocker struct{ bot.Locker }

// Acquire takes the lease from the wrapped Locker.
func (c CrashLocker) Acquire(ctx context.Context, name string, ttl time.Duration) (bot.Lease, bool, error) {
	l, ok, err := c.Locker.Acquire(ctx, name, ttl)
	if l != nil {
		l = crashLease{l}
	}
	return l, ok, err
}

type crashLease struct{ bot.Lease }

func (crashLease) Release(context.Context) error { return nil }

// Start runs run (an adapter's Run) until the returned stop is called or
// the test ends; stop cancels its context and returns its error.
func Start(t testing.TB, run func(context.Context) error) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx) }()
	stopped := false
	var runErr error
	stop = func() error {
		t.Helper()
		if stopped {
			return runErr
		}
		stopped = true
		cancel()
		select {
		case runErr = <-done:
		case <-time.After(20 * time.Second): // a hang guard
			t.Fatal("Run did not return after its context ended")
		}
		return runErr
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}
