package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
)

// RunInbox checks the rules of bot.Inbox. open returns an empty inbox.
// A lease of 0 stands for a worker that died: it has run out at once.
func RunInbox(t *testing.T, open func(t *testing.T) bot.Inbox) {
	t.Helper()
	const live, dead = time.Hour, 0

	t.Run("an event is leased once; a repeat is seen while in hand and after done", func(t *testing.T) {
		in := open(t)
		e := inboxEntry(t, "U1")
		mustRecord(t, in, e, "a", live, bot.InboxLeased)
		mustRecord(t, in, e, "b", live, bot.InboxSeen)
		mustRecord(t, in, e, "a", live, bot.InboxSeen)
		if err := in.Done(ctx(t), e.ID, "a", nil, 0); err != nil {
			t.Fatalf("Done: %v", err)
		}
		mustRecord(t, in, e, "b", live, bot.InboxSeen)
		if _, ok := mustTake(t, in, "b"); ok {
			t.Fatal("Take handed out an event that is done")
		}
	})

	t.Run("purge forgets what was done before the window", func(t *testing.T) {
		in := open(t)
		e := inboxEntry(t, "U1")
		mustRecord(t, in, e, "a", live, bot.InboxLeased)
		if n, err := in.Purge(ctx(t), time.Now().Add(time.Hour)); err != nil || n != 0 {
			t.Fatalf("Purge of an event not done = %d, %v; want 0", n, err)
		}
		if err := in.Done(ctx(t), e.ID, "a", nil, 0); err != nil {
			t.Fatal(err)
		}
		if n, err := in.Purge(ctx(t), time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("Purge before it was done = %d, %v; want 0", n, err)
		}
		mustRecord(t, in, e, "b", live, bot.InboxSeen)
		if n, err := in.Purge(ctx(t), time.Now().Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("Purge = %d, %v; want 1", n, err)
		}
		mustRecord(t, in, e, "b", live, bot.InboxLeased)
	})

	t.Run("a dead worker's event is taken over by a re-delivery or by Take", func(t *testing.T) {
		in := open(t)
		e := inboxEntry(t, "U1")
		mustRecord(t, in, e, "a", dead, bot.InboxLeased)
		mustRecord(t, in, e, "b", live, bot.InboxLeased) // the re-delivery
		if err := in.Renew(ctx(t), e.ID, "a", live); !errors.Is(err, bot.ErrLeaseLost) {
			t.Errorf("the dead worker's Renew = %v, want ErrLeaseLost", err)
		}
		if err := in.Renew(ctx(t), e.ID, "b", dead); err != nil {
			t.Fatalf("Renew by the holder: %v", err)
		}
		got, ok := mustTake(t, in, "c")
		if !ok {
			t.Fatal("Take did not hand out an event whose lease ran out")
		}
		if got.ID != e.ID || got.Conversation != e.Conversation || got.Attempts != 3 {
			t.Errorf("Take = %s %s attempt %d, want %s %s attempt 3", got.ID, got.Conversation, got.Attempts, e.ID, e.Conversation)
		}
		if diff := cmp.Diff(e.Event, got.Event); diff != "" {
			t.Errorf("the event taken differs from the one recorded (-recorded +taken):\n%s", diff)
		}
		if _, ok := mustTake(t, in, "d"); ok {
			t.Error("Take handed out an event under a live lease")
		}
		if err := in.Done(ctx(t), e.ID, "b", nil, 0); !errors.Is(err, bot.ErrLeaseLost) {
			t.Errorf("Done by a holder that lost the lease = %v, want ErrLeaseLost", err)
		}
		mustRecord(t, in, e, "d", live, bot.InboxSeen) // done all the same
		if err := in.Done(ctx(t), e.ID, "c", nil, 0); !errors.Is(err, bot.ErrLeaseLost) {
			t.Errorf("Done of an event done = %v, want ErrLeaseLost", err)
		}
	})

	t.Run("replies not confirmed as delivered are handed out, not the event", func(t *testing.T) {
		in := open(t)
		kept, lost := inboxEntry(t, "U1"), inboxEntry(t, "U2")
		replies := []bot.Reply{{To: kept.Event.Chat, Text: "Your profile is published.", Buttons: []bot.Button{{Label: "Edit", Value: "/profile"}}}}
		for _, e := range []bot.InboxEntry{kept, lost} {
			mustRecord(t, in, e, "a", live, bot.InboxLeased)
		}
		if err := in.Done(ctx(t), kept.ID, "a", replies, live); err != nil {
			t.Fatal(err)
		}
		if err := in.Done(ctx(t), lost.ID, "a", replies, dead); err != nil { // a died before delivering
			t.Fatal(err)
		}
		mustRecord(t, in, kept, "b", live, bot.InboxSeen)
		mustRecord(t, in, lost, "b", live, bot.InboxSeen)
		if err := in.Delivered(ctx(t), "a", kept.ID, lost.ID); err != nil {
			t.Fatal(err)
		}
		if e, ok := mustTake(t, in, "b"); ok {
			t.Fatalf("Take handed out %s after its replies were delivered", e.ID)
		}

		if err := in.Done(ctx(t), kept.ID, "a", nil, 0); !errors.Is(err, bot.ErrLeaseLost) {
			t.Errorf("Done of an event done = %v, want ErrLeaseLost", err)
		}
		again := inboxEntry(t, "U3")
		mustRecord(t, in, again, "a", live, bot.InboxLeased)
		if err := in.Done(ctx(t), again.ID, "a", replies, dead); err != nil {
			t.Fatal(err)
		}
		e, ok := mustTake(t, in, "b")
		if !ok || e.ID != again.ID || e.Attempts != 2 {
			t.Fatalf("Take = %s attempt %d %v, want %s attempt 2 with its replies", e.ID, e.Attempts, ok, again.ID)
		}
		if diff := cmp.Diff(replies, e.Replies); diff != "" {
			t.Errorf("replies handed out (-kept +taken):\n%s", diff)
		}
		if err := in.Delivered(ctx(t), "a", again.ID); err != nil { // the old owner: left alone
			t.Fatal(err)
		}
		if err := in.Delivered(ctx(t), "b", again.ID); err != nil {
			t.Fatal(err)
		}
		if e, ok := mustTake(t, in, "c"); ok {
			t.Fatalf("Take handed out %s after its replies were delivered", e.ID)
		}
	})

	t.Run("a person's events are handed out in order, each after the one before", func(t *testing.T) {
		in := open(t)
		first, second, other := inboxEntry(t, "U1"), inboxEntry(t, "U1"), inboxEntry(t, "U2")
		mustRecord(t, in, first, "a", live, bot.InboxLeased)
		mustRecord(t, in, second, "b", live, bot.InboxQueued)
		mustRecord(t, in, other, "b", live, bot.InboxLeased)
		if e, ok := mustTake(t, in, "c"); ok {
			t.Fatalf("Take handed out %s while the event before it is in hand", e.ID)
		}
		if err := in.Done(ctx(t), first.ID, "a", nil, 0); err != nil {
			t.Fatal(err)
		}
		e, ok := mustTake(t, in, "c")
		if !ok || e.ID != second.ID || e.Attempts != 1 {
			t.Fatalf("Take after the first was done = %s (attempt %d) %v, want %s (attempt 1)", e.ID, e.Attempts, ok, second.ID)
		}
	})

	t.Run("an event behind a dead worker's waits for its take-over", func(t *testing.T) {
		in := open(t)
		first, second := inboxEntry(t, "U1"), inboxEntry(t, "U1")
		mustRecord(t, in, first, "a", dead, bot.InboxLeased)
		mustRecord(t, in, second, "b", live, bot.InboxQueued)
		e, ok := mustTake(t, in, "c")
		if !ok || e.ID != first.ID {
			t.Fatalf("Take = %s %v, want the first event %s", e.ID, ok, first.ID)
		}
		mustRecord(t, in, second, "b", live, bot.InboxQueued) // a re-delivery of the second still waits
	})

	t.Run("release hands the event out again; forget lets it be recorded anew", func(t *testing.T) {
		in := open(t)
		e := inboxEntry(t, "U1")
		mustRecord(t, in, e, "a", live, bot.InboxLeased)
		if err := in.Release(ctx(t), e.ID, "b", time.Time{}); !errors.Is(err, bot.ErrLeaseLost) {
			t.Errorf("Release by another = %v, want ErrLeaseLost", err)
		}
		if err := in.Release(ctx(t), e.ID, "a", time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, ok := mustTake(t, in, "b"); ok {
			t.Error("Take handed out an event released for later")
		}
		if err := in.Release(ctx(t), e.ID, "a", time.Time{}); !errors.Is(err, bot.ErrLeaseLost) {
			t.Errorf("a second Release = %v, want ErrLeaseLost", err)
		}
		mustRecord(t, in, e, "a", live, bot.InboxSeen) // released for later: not yet free
		f := inboxEntry(t, "U2")
		mustRecord(t, in, f, "a", live, bot.InboxLeased)
		if err := in.Release(ctx(t), f.ID, "a", time.Time{}); err != nil {
			t.Fatal(err)
		}
		if got, ok := mustTake(t, in, "b"); !ok || got.ID != f.ID {
			t.Fatalf("Take after Release = %s %v, want %s", got.ID, ok, f.ID)
		}
		if err := in.Forget(ctx(t), f.ID, "b"); err != nil {
			t.Fatal(err)
		}
		mustRecord(t, in, f, "c", live, bot.InboxLeased)
	})

	t.Run("replicas taking at once each get different events", func(t *testing.T) {
		in := open(t)
		const events, takers = 12, 4
		for range events {
			mustRecord(t, in, inboxEntry(t, "U"+Random(t)), "dead", dead, bot.InboxLeased)
		}
		var (
			mu    sync.Mutex
			taken = map[string]string{}
			wg    sync.WaitGroup
		)
		for w := range takers {
			wg.Go(func() {
				owner := fmt.Sprint("replica-", w)
				for {
					e, ok, err := in.Take(t.Context(), owner, live)
					if err != nil {
						if bot.ErrorCode(err) == bot.EUNAVAILABLE {
							continue // busy: a replica tries again
						}
						t.Error(err)
						return
					}
					if !ok {
						return
					}
					mu.Lock()
					if prev, dup := taken[e.ID]; dup {
						t.Errorf("%s taken by %s and %s", e.ID, prev, owner)
					}
					taken[e.ID] = owner
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(taken) != events {
			t.Errorf("%d of %d events taken", len(taken), events)
		}
	})
}

func inboxEntry(t *testing.T, user string) bot.InboxEntry {
	ev := bot.Event{
		ID: "Ev" + Random(t), Kind: bot.KindMessage, Text: "hello, I'm a go developer",
		From: bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: user}, Name: "Ada",
		Chat: bot.Recipient{Platform: bot.Slack, Workspace: "T1", ChatID: "D" + user}, Private: true,
		Form: map[string]string{"rate": "50"}, AccountCreated: time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	return bot.InboxEntry{ID: bot.InboxID(ev), Conversation: ev.From.String(), Event: ev}
}

func mustRecord(t *testing.T, in bot.Inbox, e bot.InboxEntry, owner string, ttl time.Duration, want bot.InboxState) {
	t.Helper()
	got, err := in.Record(ctx(t), e, owner, ttl)
	if err != nil {
		t.Fatalf("Record(%s) by %s: %v", e.ID, owner, err)
	}
	if got != want {
		t.Fatalf("Record(%s) by %s = %d, want %d", e.ID, owner, got, want)
	}
}

func mustTake(t *testing.T, in bot.Inbox, owner string) (bot.InboxEntry, bool) {
	t.Helper()
	e, ok, err := in.Take(ctx(t), owner, time.Hour)
	if err != nil {
		t.Fatalf("Take by %s: %v", owner, err)
	}
	return e, ok
}
