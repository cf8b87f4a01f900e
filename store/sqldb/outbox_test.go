package sqldb_test

import (
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/sqldb"
)

// backlog reads db's outbox backlog.
func backlog(t *testing.T, db *sqldb.DB) (int, time.Time) {
	t.Helper()
	n, oldest, err := db.Backlog(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n, oldest
}

// TestBacklog: on each dialect, the backlog counts the pending
// notifications and dates the oldest of them; a sent or held one leaves
// it, and an empty outbox has no oldest.
func TestBacklog(t *testing.T) {
	for _, h := range harnesses() {
		t.Run(h.name, func(t *testing.T) {
			ctx := t.Context()
			db := h.open(t, true)
			if n, oldest := backlog(t, db); n != 0 || !oldest.IsZero() {
				t.Fatalf("empty outbox: backlog %d, oldest %v", n, oldest)
			}
			a, err := db.ResolveAccount(ctx, bot.Identity{Platform: bot.Telegram, UserID: "42"}, "Ada")
			if err != nil {
				t.Fatal(err)
			}
			for _, text := range []string{"first", "second"} {
				if err := db.Enqueue(ctx, []bot.Notification{{AccountID: a.ID, Reply: bot.Reply{Text: text}}}); err != nil {
					t.Fatal(err)
				}
			}
			// A claim leaves both pending and tells when each was made.
			ns, err := db.Claim(ctx, bot.ClaimRequest{Now: time.Now(), Lease: time.Minute})
			if err != nil || len(ns) != 2 {
				t.Fatalf("Claim = %d notifications, %v; want 2", len(ns), err)
			}
			first, second := ns[0], ns[1]
			if n, oldest := backlog(t, db); n != 2 || !oldest.Equal(first.CreatedAt) {
				t.Errorf("two pending: backlog %d, oldest %v; want 2, %v", n, oldest, first.CreatedAt)
			}
			if err := db.Settle(ctx, first.ID, first.Claim, bot.Settlement{State: bot.NoteSent}); err != nil {
				t.Fatal(err)
			}
			if n, oldest := backlog(t, db); n != 1 || !oldest.Equal(second.CreatedAt) {
				t.Errorf("first sent: backlog %d, oldest %v; want 1, %v", n, oldest, second.CreatedAt)
			}
			if err := db.Settle(ctx, second.ID, second.Claim, bot.Settlement{State: bot.NoteHeld}); err != nil {
				t.Fatal(err)
			}
			if n, oldest := backlog(t, db); n != 0 || !oldest.IsZero() {
				t.Errorf("second held: backlog %d, oldest %v; want 0 and none", n, oldest)
			}
		})
	}
}
