package hire_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
	"github.com/hirebot/hirebot/store/sqlite"
)

// replica is one hirebot process on a shared database: its bot, the
// intake, the handler chain and a fake Slack that records what is sent.
type replica struct {
	bot     *hire.Bot
	intake  *hire.Intake
	handle  bot.Handler
	slack   *fakeAdapter
	mu      sync.Mutex
	handled map[string]int // event ID -> calls of the core
}

func newReplica(t *testing.T, db *sqlite.DB, owner string) *replica {
	t.Helper()
	b, err := hire.New(hire.Config{Store: db, Sessions: memory.NewSessions(memory.SessionOptions{})})
	if err != nil {
		t.Fatal(err)
	}
	r := &replica{bot: b, slack: &fakeAdapter{platform: bot.Slack}, handled: map[string]int{}}
	b.Register(r.slack)
	r.intake = b.Intake(db, hire.IntakeConfig{Owner: owner, Poll: 10 * time.Millisecond})
	count := func(next bot.Handler) bot.Handler {
		return func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
			r.mu.Lock()
			r.handled[ev.ID]++
			r.mu.Unlock()
			return next(ctx, ev)
		}
	}
	r.handle = bot.Chain(b.Handle, r.intake.Middleware, count)
	return r
}

func (r *replica) calls(id string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.handled[id]
}

// run runs the replica's take-over loop until the test ends.
func (r *replica) run(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.intake.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
}

func openInboxDB(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// record puts ev in the inbox as owner did for a lease of ttl; 0 is a
// worker that died at once.
func record(t *testing.T, db *sqlite.DB, ev bot.Event, owner string, ttl time.Duration) {
	t.Helper()
	if _, err := db.Record(t.Context(), bot.InboxEntry{ID: bot.InboxID(ev), Conversation: ev.From.String(), Event: ev}, owner, ttl); err != nil {
		t.Fatal(err)
	}
}

func slackDM(id, user, text string) bot.Event {
	return bot.Event{ID: id, Kind: bot.KindMessage, Text: text,
		From: bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: user}, Name: user,
		Chat: bot.Recipient{Platform: bot.Slack, Workspace: "T1", ChatID: "D" + user}, Private: true}
}

// waitSent waits until the fake platform got something for user; the
// deadline guards a hang and measures nothing.
func waitSent(t *testing.T, a *fakeAdapter, user string) string {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		a.mu.Lock()
		n := len(a.sent)
		a.mu.Unlock()
		if n > 0 {
			if got := a.take(user); got != "" {
				return got
			}
		}
	}
	t.Fatalf("nothing was sent to %s", user)
	return ""
}

// TestInboxDedupeSurvivesRestart: an event handled before a restart is
// dropped when the platform replays it after, on the same SQLite file.
func TestInboxDedupeSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hirebot.db")
	db := openInboxDB(t, path)
	first := newReplica(t, db, "first")
	ev := slackDM("Ev1", "U1", "help")
	if replies, err := first.handle(t.Context(), ev); err != nil || len(replies) == 0 {
		t.Fatalf("first delivery: %v, %d replies", err, len(replies))
	}
	if replies, err := first.handle(t.Context(), ev); err != nil || len(replies) != 0 {
		t.Fatalf("repeat: %v, %d replies; want none", err, len(replies))
	}
	db.Close()

	after := newReplica(t, openInboxDB(t, path), "after")
	if replies, err := after.handle(t.Context(), ev); err != nil || len(replies) != 0 {
		t.Fatalf("replay after the restart: %v, %d replies; want none", err, len(replies))
	}
	if n := first.calls("Ev1") + after.calls("Ev1"); n != 1 {
		t.Errorf("the core ran %d times for one event", n)
	}
}

// TestInboxAfterACrash: a replica recorded an event and died mid-way (its
// lease runs out at once here). Either the platform delivers it again to
// another replica, which handles it in the request, or it does not (Slack
// had its 200) and another replica finds it, handles it and sends the
// answer as a new message. The core runs once, and a later delivery is
// dropped.
func TestInboxAfterACrash(t *testing.T) {
	for _, redelivered := range []bool{true, false} {
		t.Run(fmt.Sprint("re-delivered ", redelivered), func(t *testing.T) {
			db := openInboxDB(t, filepath.Join(t.TempDir(), "hirebot.db"))
			ev := slackDM("Ev2", "U2", "help")
			record(t, db, ev, "crashed", 0)
			survivor := newReplica(t, db, "survivor")
			if redelivered {
				replies, err := survivor.handle(t.Context(), ev)
				if err != nil || len(replies) == 0 {
					t.Fatalf("re-delivery: %v, %d replies; want the answer", err, len(replies))
				}
			} else {
				survivor.run(t)
				mustContain(t, waitSent(t, survivor.slack, ""), "profile")
			}
			if replies, _ := survivor.handle(t.Context(), ev); len(replies) != 0 {
				t.Errorf("a later delivery got %d replies, want none", len(replies))
			}
			if n := survivor.calls("Ev2"); n != 1 {
				t.Errorf("the core ran %d times", n)
			}
		})
	}
}

// TestInboxSendsRepliesOfADeadWorker: a replica handled an event and died
// before its replies went out; another sends them, without running the
// core again. A replica that delivered confirms it, and nothing is sent
// twice.
func TestInboxSendsRepliesOfADeadWorker(t *testing.T) {
	db := openInboxDB(t, filepath.Join(t.TempDir(), "hirebot.db"))
	ev := slackDM("Ev8", "U8", "help")
	record(t, db, ev, "crashed", time.Hour)
	if err := db.Done(t.Context(), bot.InboxID(ev), "crashed", []bot.Reply{{To: ev.Chat, Text: "the answer"}}, 0); err != nil {
		t.Fatal(err)
	}
	r := newReplica(t, db, "survivor")

	// The survivor's own event, delivered and confirmed by its adapter.
	mine := slackDM("Ev9", "U9", "help")
	ctx, _ := bot.WithAccept(t.Context())
	if replies, err := r.handle(ctx, mine); err != nil || len(replies) == 0 {
		t.Fatalf("own event: %v, %d replies", err, len(replies))
	}
	bot.Delivered(ctx)

	r.run(t)
	mustContain(t, waitSent(t, r.slack, ""), "the answer")
	if n := r.calls("Ev8"); n != 0 {
		t.Errorf("the core ran %d times for an event already handled", n)
	}
	// Run confirmed the survivor's delivery: nothing is left to take.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		// Taken in the survivor's name, so that its confirmation still
		// counts; a lease of 0 leaves it free.
		if _, ok, err := db.Take(t.Context(), "survivor", 0); err != nil {
			t.Fatal(err)
		} else if !ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("replies confirmed as delivered are still handed out")
		}
	}
}

// TestInboxKeepsAPersonsOrder: a person's second message arrives while
// their first is in hand on another replica; it waits, and is handled
// when the first is done.
func TestInboxKeepsAPersonsOrder(t *testing.T) {
	db := openInboxDB(t, filepath.Join(t.TempDir(), "hirebot.db"))
	first, second := slackDM("Ev4", "U4", "help"), slackDM("Ev5", "U4", "help")
	record(t, db, first, "busy", time.Hour)
	r := newReplica(t, db, "r")
	if replies, err := r.handle(t.Context(), second); err != nil || len(replies) != 0 {
		t.Fatalf("the second message: %v, %d replies; want it to wait", err, len(replies))
	}
	if n := r.calls("Ev5"); n != 0 {
		t.Fatalf("the second message was handled before the first")
	}
	r.run(t)
	if err := db.Done(t.Context(), bot.InboxID(first), "busy", nil, 0); err != nil {
		t.Fatal(err)
	}
	mustContain(t, waitSent(t, r.slack, ""), "profile")
	if n := r.calls("Ev5"); n != 1 {
		t.Errorf("the core ran %d times for the second message", n)
	}
}

// TestInboxAcceptsBeforeHandling: the adapter's acknowledgement signal
// fires once the event is recorded, while the handler still works.
func TestInboxAcceptsBeforeHandling(t *testing.T) {
	db := openInboxDB(t, filepath.Join(t.TempDir(), "hirebot.db"))
	b, err := hire.New(hire.Config{Store: db, Sessions: memory.NewSessions(memory.SessionOptions{})})
	if err != nil {
		t.Fatal(err)
	}
	in := b.Intake(db, hire.IntakeConfig{Owner: "r"})
	release := make(chan struct{})
	h := in.Middleware(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		<-release
		return nil, nil
	})
	ctx, accepted := bot.WithAccept(t.Context())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = h(ctx, slackDM("Ev6", "U6", "help"))
	}()
	<-accepted
	e := bot.InboxEntry{ID: bot.InboxID(slackDM("Ev6", "U6", "")), Conversation: "x"}
	if state, err := db.Record(t.Context(), e, "other", time.Hour); err != nil || state != bot.InboxSeen {
		t.Errorf("after the signal the event is %v, %v; want recorded (seen)", state, err)
	}
	close(release)
	<-done
}

// countingInbox counts lease renewals.
type countingInbox struct {
	bot.Inbox
	renewed chan struct{}
}

func (c countingInbox) Renew(ctx context.Context, id, owner string, ttl time.Duration) error {
	err := c.Inbox.Renew(ctx, id, owner, ttl)
	select {
	case c.renewed <- struct{}{}:
	default:
	}
	return err
}

// TestInboxRenewsWhileWorking: a handler that works longer than the lease
// keeps it, so no other replica takes its event.
func TestInboxRenewsWhileWorking(t *testing.T) {
	db := openInboxDB(t, filepath.Join(t.TempDir(), "hirebot.db"))
	b, err := hire.New(hire.Config{Store: db, Sessions: memory.NewSessions(memory.SessionOptions{})})
	if err != nil {
		t.Fatal(err)
	}
	ci := countingInbox{Inbox: db, renewed: make(chan struct{})}
	in := b.Intake(ci, hire.IntakeConfig{Owner: "slow", Lease: 600 * time.Millisecond})
	var stolen atomic.Bool
	h := in.Middleware(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		for range 4 { // four renewals: past the lease twice over
			<-ci.renewed
			if _, ok, err := db.Take(ctx, "thief", time.Hour); err != nil || ok {
				stolen.Store(ok)
				return nil, errors.Join(err, ctx.Err())
			}
		}
		return []bot.Reply{{Text: "done"}}, nil
	})
	replies, err := h(t.Context(), slackDM("Ev7", "U7", "help"))
	if err != nil || stolen.Load() || len(replies) != 1 {
		t.Fatalf("slow handler: %v, stolen %v, %d replies", err, stolen.Load(), len(replies))
	}
}

// TestInboxStopsWorkWhoseLeaseIsLost: when another replica has taken the
// event over (here: the lease was given up and taken), the next renewal
// finds the lease lost and the work's context ends with ErrLeaseLost.
func TestInboxStopsWorkWhoseLeaseIsLost(t *testing.T) {
	db := openInboxDB(t, filepath.Join(t.TempDir(), "hirebot.db"))
	b, err := hire.New(hire.Config{Store: db, Sessions: memory.NewSessions(memory.SessionOptions{})})
	if err != nil {
		t.Fatal(err)
	}
	ci := countingInbox{Inbox: db, renewed: make(chan struct{})}
	in := b.Intake(ci, hire.IntakeConfig{Owner: "slow", Lease: 300 * time.Millisecond})
	ev := slackDM("Ev8", "U8", "help")
	var cause error
	h := in.Middleware(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		<-ci.renewed
		if err := db.Release(ctx, bot.InboxID(ev), "slow", time.Time{}); err != nil {
			return nil, err
		}
		if _, ok, err := db.Take(ctx, "thief", time.Hour); err != nil || !ok {
			return nil, fmt.Errorf("the thief took nothing: %v", err)
		}
		<-ctx.Done()
		cause = context.Cause(ctx)
		return nil, cause
	})
	if _, err := h(t.Context(), ev); !errors.Is(err, bot.ErrLeaseLost) || !errors.Is(cause, bot.ErrLeaseLost) {
		t.Fatalf("work under a lost lease ended with %v (cause %v), want ErrLeaseLost", err, cause)
	}
}

// TestInboxBoundsWorkers: with Workers set, events past the bound are
// recorded (and acknowledged) at once and wait for a worker; no more than
// the bound run at a time, and every one is handled.
func TestInboxBoundsWorkers(t *testing.T) {
	db := openInboxDB(t, filepath.Join(t.TempDir(), "hirebot.db"))
	b, err := hire.New(hire.Config{Store: db, Sessions: memory.NewSessions(memory.SessionOptions{})})
	if err != nil {
		t.Fatal(err)
	}
	in := b.Intake(db, hire.IntakeConfig{Owner: "one", Workers: 2, Lease: 600 * time.Millisecond})
	release := make(chan struct{})
	var running, most atomic.Int32
	h := in.Middleware(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		<-release
		return []bot.Reply{{Text: "done"}}, nil
	})
	const events = 6
	var wg sync.WaitGroup
	var handled atomic.Int32
	for i := range events {
		ctx, accepted := bot.WithAccept(t.Context())
		wg.Go(func() {
			if replies, err := h(ctx, slackDM(fmt.Sprintf("Ev%d", i), fmt.Sprintf("U%d", i), "help")); err == nil && len(replies) == 1 {
				handled.Add(1)
			}
		})
		<-accepted // recorded, though no worker is free
	}
	for deadline := time.Now().Add(10 * time.Second); running.Load() < 2 && time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
	}
	if n := running.Load(); n != 2 {
		t.Errorf("%d handlers running with %d events in hand, want 2", n, events)
	}
	close(release)
	wg.Wait()
	if most.Load() != 2 || handled.Load() != events {
		t.Errorf("at most %d handlers at once, %d of %d handled; want 2 and all", most.Load(), handled.Load(), events)
	}
}
