package slack

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// TestEventsCarryTheSlackDisplayName: a DM event carries only a user ID;
// the adapter asks users.info (the real slack-go client against the local
// fake), keeps the answer for an hour, and falls back to the event's own
// name when Slack does not know the user.
func TestEventsCarryTheSlackDisplayName(t *testing.T) {
	f := newFakeSlack(t)
	f.users = map[string]string{"U2147483697": "Ann Smith"}
	b := newFakeBot(nil)
	var mu sync.Mutex
	clock := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	_, srv := newTestAdapterWith(t, f, b, Config{}, options{now: now})

	dm := func(id string) bot.Event {
		t.Helper()
		if status, _ := postEvent(t, srv, eventCallback("T061EG9R6", id, messageIMJSON)); status != http.StatusOK {
			t.Fatalf("status %d", status)
		}
		return b.next(t)
	}
	if ev := dm("EvN1"); ev.Name != "Ann Smith" {
		t.Errorf("event name %q, want the display name Ann Smith", ev.Name)
	}
	if ev := dm("EvN2"); ev.Name != "Ann Smith" || f.lookupCount() != 1 {
		t.Errorf("second event: name %q after %d lookups, want Ann Smith from the cache (1 lookup)", ev.Name, f.lookupCount())
	}
	f.mu.Lock()
	f.users["U2147483697"] = "Ann S."
	f.mu.Unlock()
	mu.Lock()
	clock = clock.Add(nameTTL)
	mu.Unlock()
	if ev := dm("EvN3"); ev.Name != "Ann S." || f.lookupCount() != 2 {
		t.Errorf("after an hour: name %q after %d lookups, want the new name from a second lookup", ev.Name, f.lookupCount())
	}
	if c := f.lookups[0]; c.str("user") != "U2147483697" || c.Token != testToken {
		t.Errorf("lookup %+v", c)
	}

	// Someone users.info does not find keeps the name the event carries
	// (a slash command's user_name).
	f.mu.Lock()
	delete(f.users, "U2147483697")
	f.mu.Unlock()
	if status, _ := postCommand(t, srv, slashCommand("help", f.responseURL("n1"))); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if ev := b.next(t); ev.Name != "Steve" {
		t.Errorf("slash command name %q, want the user_name Steve", ev.Name)
	}
}
