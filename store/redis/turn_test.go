package redis_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	goredis "github.com/redis/go-redis/v9"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/redis"
	"github.com/hirebot/hirebot/store/sqlite"
)

// trips counts round trips to Redis: one per command, one per pipeline.
// afterPipeline, when set, runs once after the next pipeline.
type trips struct {
	n             atomic.Int64
	afterPipeline func()
}

func (h *trips) DialHook(next goredis.DialHook) goredis.DialHook { return next }
func (h *trips) ProcessHook(next goredis.ProcessHook) goredis.ProcessHook {
	return func(ctx context.Context, cmd goredis.Cmder) error { h.n.Add(1); return next(ctx, cmd) }
}
func (h *trips) ProcessPipelineHook(next goredis.ProcessPipelineHook) goredis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []goredis.Cmder) error {
		h.n.Add(1)
		err := next(ctx, cmds)
		if f := h.afterPipeline; f != nil {
			h.afterPipeline = nil
			f()
		}
		return err
	}
}

// dialogHarness is the bot on SQLite with Redis sessions and dedupe, behind
// the bot's Dedupe middleware, as serve wires it.
func dialogHarness(t *testing.T) (bot.Handler, *redis.Store, *trips) {
	t.Helper()
	b, r, h := botOnRedis(t)
	return bot.Chain(b.Handle, b.Dedupe(r.Deduper(), nil)), r, h
}

// botOnRedis is the bot on SQLite with Redis sessions, as serve wires it
// behind the inbox, and the counter of its round trips to Redis.
func botOnRedis(t *testing.T) (*hire.Bot, *redis.Store, *trips) {
	t.Helper()
	r := open(t, redis.Options{})
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hirebot.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b, err := hire.New(hire.Config{Store: db, Sessions: r.Sessions()})
	if err != nil {
		t.Fatal(err)
	}
	h := &trips{}
	r.Client().AddHook(h)
	return b, r, h
}

func dm(id, text string) bot.Event {
	ann := bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: "U1"}
	return bot.Event{ID: id, Kind: bot.KindMessage, From: ann, Name: "Ann", Private: true, Text: text,
		Chat: bot.Recipient{Platform: bot.Slack, Workspace: "T1", ChatID: "D1", UserID: "U1"}}
}

func text(replies []bot.Reply) string {
	var b strings.Builder
	for _, r := range replies {
		b.WriteString(r.Text + "\n")
	}
	return b.String()
}

// TestDialogMessageTakesTwoRoundTrips: a message inside a dialog claims
// its event with the session's load and marks it done with the save; its
// re-delivery is dropped after one round trip.
func TestDialogMessageTakesTwoRoundTrips(t *testing.T) {
	handle, _, h := dialogHarness(t)
	ctx := context.Background()
	if _, err := handle(ctx, dm("Ev1", "/profile")); err != nil {
		t.Fatal(err)
	}
	h.n.Store(0)
	replies, err := handle(ctx, dm("Ev2", "Ann Smith"))
	if err != nil {
		t.Fatal(err)
	}
	if got := text(replies); !strings.Contains(got, "headline") {
		t.Fatalf("after the name: %q, want the headline question", got)
	}
	if n := h.n.Load(); n != 2 {
		t.Errorf("a dialog message took %d round trips to Redis, want 2", n)
	}
	h.n.Store(0)
	replies, err = handle(ctx, dm("Ev2", "Ann Smith"))
	if err != nil || len(replies) != 0 {
		t.Fatalf("re-delivery: %v, %v; want dropped", replies, err)
	}
	if n := h.n.Load(); n != 1 {
		t.Errorf("a re-delivery took %d round trips, want 1", n)
	}
}

// TestDialogMessageAfterAConcurrentSave: another replica saves the dialog
// between the claim and the save; the message is applied to the newer
// session, once, and the event is marked done.
func TestDialogMessageAfterAConcurrentSave(t *testing.T) {
	handle, r, h := dialogHarness(t)
	ctx := context.Background()
	if _, err := handle(ctx, dm("Ev1", "/profile")); err != nil {
		t.Fatal(err)
	}
	sessions := r.Sessions()
	key := bot.SessionKey(1)
	h.afterPipeline = func() { // right after the claim and load
		s, err := sessions.Load(ctx, key)
		if err != nil {
			t.Error(err)
			return
		}
		if s.Answers == nil {
			s.Answers = map[string]string{}
		}
		s.Answers["name"] = "Other Replica"
		s.Step, s.History = "headline", append(s.History, "name") // the other replica took the name
		if _, err := sessions.Save(ctx, s); err != nil {
			t.Error(err)
		}
	}
	replies, err := handle(ctx, dm("Ev2", "Backend developer, Go and PostgreSQL"))
	if err != nil {
		t.Fatal(err)
	}
	if got := text(replies); !strings.Contains(got, "skills") {
		t.Fatalf("reply %q, want the skills question (the headline applied to the newer session)", got)
	}
	s, err := sessions.Load(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if s.Answers["name"] != "Other Replica" || s.Answers["headline"] != "Backend developer, Go and PostgreSQL" {
		t.Errorf("answers %v: want the other replica's name and this headline", s.Answers)
	}
	if replies, _ := handle(ctx, dm("Ev2", "again")); len(replies) != 0 {
		t.Errorf("re-delivery after the retried save answered %q; want it dropped", text(replies))
	}
}

// TestDialogMessageTakesOneRoundTripBehindTheInbox: serve records events in
// the inbox, not in Redis, so a dialog message's only Redis round trip is
// the save of its step; the session comes from the replica's memory of the
// save before. When another replica stepped the dialog in between, the
// save meets the newer version and the step costs a read and a save more.
func TestDialogMessageTakesOneRoundTripBehindTheInbox(t *testing.T) {
	b, r, h := botOnRedis(t)
	ctx := context.Background()
	if _, err := b.Handle(ctx, dm("Ev1", "/profile")); err != nil {
		t.Fatal(err)
	}
	h.n.Store(0)
	replies, err := b.Handle(ctx, dm("Ev2", "Ann Smith"))
	if err != nil {
		t.Fatal(err)
	}
	mustStep(t, replies, "headline")
	if n := h.n.Load(); n != 1 {
		t.Errorf("a dialog message took %d round trips to Redis, want 1", n)
	}

	other := r.Sessions() // another replica takes the headline
	s, err := other.Load(ctx, bot.SessionKey(1))
	if err != nil {
		t.Fatal(err)
	}
	s.Answers["headline"], s.Step, s.History = "Backend developer", "skills", append(s.History, "headline")
	if _, err := other.Save(ctx, s); err != nil {
		t.Fatal(err)
	}
	h.n.Store(0)
	if replies, err = b.Handle(ctx, dm("Ev3", "Go, PostgreSQL")); err != nil {
		t.Fatal(err)
	}
	mustStep(t, replies, "years of experience")
	if n := h.n.Load(); n != 3 {
		t.Errorf("a dialog message after another replica's step took %d round trips, want 3 (save, load, save)", n)
	}
	got, err := other.Load(ctx, bot.SessionKey(1))
	if err != nil {
		t.Fatal(err)
	}
	if got.Answers["headline"] != "Backend developer" || !strings.Contains(got.Answers["skills"], "PostgreSQL") {
		t.Errorf("answers %v: want the other replica's headline and these skills", got.Answers)
	}
}

func mustStep(t *testing.T, replies []bot.Reply, want string) {
	t.Helper()
	if got := text(replies); !strings.Contains(got, want) {
		t.Fatalf("reply %q, want the %s question", got, want)
	}
}
