package hire_test

import (
	"context"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
)

// accountOf returns the ID of the account the store gives ann's console
// identity, or 0 when it has none.
func accountOf(t *testing.T, s bot.Store, user string) int64 {
	t.Helper()
	var id int64
	err := s.Accounts(context.Background(), func(a bot.Account) error {
		for _, i := range a.Identities {
			if i == (bot.Identity{Platform: bot.Console, UserID: user}) {
				id = a.ID
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestDeletedAccountStartsFresh: the bot remembers accounts between
// events, but not past /delete: the next profile belongs to a new account.
func TestDeletedAccountStartsFresh(t *testing.T) {
	h := newHarness(t)
	h.script("ann", append(annProfile, "Publish")...)
	first := accountOf(t, h.db, "ann")
	mustContain(t, h.script("ann", "/delete", "yes"), "Done. I erased")
	if id := accountOf(t, h.db, "ann"); id != 0 {
		t.Fatalf("after /delete ann still has account %d", id)
	}
	mustContain(t, h.script("ann", append(annProfile, "Publish")...), "Your profile is published")
	second := accountOf(t, h.db, "ann")
	if second == 0 || second == first {
		t.Fatalf("after /delete and a new profile: account %d, first was %d; want a new one", second, first)
	}
	if _, err := h.db.Profile(context.Background(), second); err != nil {
		t.Errorf("the new profile is not on the new account %d: %v", second, err)
	}
}

// TestDeletionReachesOtherReplicas: a replica that knows ann's account
// forgets it when another replica deletes it, through the change feed.
func TestDeletionReachesOtherReplicas(t *testing.T) {
	a := newHarness(t)
	b, err := hire.New(hire.Config{Store: a.db, Sessions: memory.NewSessions(memory.SessionOptions{}), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	feed := &fanout{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go a.bot.ShareChanges(feed, "a")(ctx)
	go b.ShareChanges(feed, "b")(ctx)
	waitFor(t, "both replicas subscribed", func() bool { return feed.subscribers() == 2 })

	onB := func(line string) string {
		t.Helper()
		replies, err := b.Handle(ctx, bot.Event{Kind: bot.KindMessage, From: bot.Identity{Platform: bot.Console, UserID: "ann"}, Name: "ann",
			Chat: bot.Recipient{Platform: bot.Console, ChatID: "ann"}, Private: true, Text: line})
		if err != nil {
			t.Fatalf("replica b: %q: %v", line, err)
		}
		return flatten(replies)
	}
	onB("/help") // b knows ann's account now
	first := accountOf(t, a.db, "ann")
	a.script("ann", "/delete", "yes")
	waitFor(t, "replica b resolves ann to a new account", func() bool {
		onB("/help")
		id := accountOf(t, a.db, "ann")
		return id != 0 && id != first
	})
}
