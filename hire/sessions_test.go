package hire_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
	"github.com/hirebot/hirebot/store/sqlite"
)

// countedSessions counts the reads of a session store.
type countedSessions struct {
	conversation.SessionStore
	loads atomic.Int64
}

func (s *countedSessions) Load(ctx context.Context, key string) (conversation.Session, error) {
	s.loads.Add(1)
	return s.SessionStore.Load(ctx, key)
}

// replicas returns two bots sharing one SQLite file and one session store,
// as two replicas of serve share the database and Redis, and the shared
// session store.
func replicas(t *testing.T) (a, b *hire.Bot, shared *countedSessions) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hirebot.db"), sqlite.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	shared = &countedSessions{SessionStore: memory.NewSessions(memory.SessionOptions{})}
	var bots [2]*hire.Bot
	for i := range bots {
		if bots[i], err = hire.New(hire.Config{Store: db, Sessions: shared, Now: func() time.Time { return now }}); err != nil {
			t.Fatal(err)
		}
	}
	return bots[0], bots[1], shared
}

// says sends line from the console person ann to b and returns the replies'
// text.
func says(t *testing.T, b *hire.Bot, line string) string {
	t.Helper()
	ev := bot.Event{Kind: bot.KindMessage, From: bot.Identity{Platform: bot.Console, UserID: "ann"}, Name: "ann",
		Chat: bot.Recipient{Platform: bot.Console, ChatID: "ann"}, Private: true, Text: line}
	replies, err := b.Handle(context.Background(), ev)
	if err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	return flatten(replies)
}

// A dialog's next message on the replica that saved it last does not read
// the session store; a step on another replica in between is not lost: the
// first replica's save meets the newer version, and it steps that one.
func TestDialogRememberedAndSteppedElsewhere(t *testing.T) {
	a, b, shared := replicas(t)
	mustContain(t, says(t, a, "/profile"), "name")
	shared.loads.Store(0)
	mustContain(t, says(t, a, "Ann Smith"), "headline")
	if n := shared.loads.Load(); n != 0 {
		t.Errorf("the next step on the same replica read the session %d times, want 0", n)
	}
	mustContain(t, says(t, b, "Backend developer, Go and PostgreSQL"), "skills")
	// a remembers the dialog at the headline; the store has it at the skills.
	shared.loads.Store(0)
	says(t, a, "Go, PostgreSQL, Docker")
	if n := shared.loads.Load(); n != 1 {
		t.Errorf("a step over a stale memory read the session %d times, want 1", n)
	}
	s, err := shared.Load(context.Background(), bot.SessionKey(1))
	if err != nil {
		t.Fatal(err)
	}
	if s.Answers["headline"] != "Backend developer, Go and PostgreSQL" || !strings.Contains(s.Answers["skills"], "Docker") {
		t.Errorf("answers %v: want b's headline and a's skills", s.Answers)
	}
}

// A dialog that ended on another replica is not stepped from memory: the
// message is answered as one outside a dialog.
func TestDialogRememberedButEndedElsewhere(t *testing.T) {
	a, b, shared := replicas(t)
	mustContain(t, says(t, a, "/profile"), "name")
	says(t, b, "cancel")
	if _, err := shared.Load(context.Background(), bot.SessionKey(1)); !errors.Is(err, conversation.ErrNoSession) {
		t.Fatalf("after cancel on b: %v, want no session", err)
	}
	got := says(t, a, "hello")
	mustContain(t, got, "Hi! I'm hirebot")
	if strings.Contains(got, "headline") {
		t.Errorf("a stepped the ended dialog: %q", got)
	}
	if _, err := shared.Load(context.Background(), bot.SessionKey(1)); !errors.Is(err, conversation.ErrNoSession) {
		t.Errorf("a saved a dialog that had ended: %v", err)
	}
}

// "cancel" on a remembered dialog that ended on another replica is
// answered as it would be without the memory: there is nothing to cancel.
func TestCancelRememberedDialogEndedElsewhere(t *testing.T) {
	a, b, _ := replicas(t)
	mustContain(t, says(t, a, "/profile"), "name")
	mustContain(t, says(t, b, "cancel"), "Cancelled")
	if got := says(t, a, "cancel"); strings.Contains(got, "Cancelled") {
		t.Errorf("a cancelled a dialog that had ended: %q", got)
	}
}
