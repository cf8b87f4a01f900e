package postgres

import (
	"database/sql"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
	"github.com/hirebot/hirebot/store/postgres/pgtest"
	"github.com/hirebot/hirebot/store/storetest"
)

func freshSchema(tb testing.TB) string { return pgtest.FreshSchema(tb) }

// mustOpen opens a DB on url and closes it when the test ends.
func mustOpen(tb testing.TB, u string, opts Options) *DB {
	tb.Helper()
	db, err := Open(tb.Context(), u, opts)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// MustOpen opens a DB in a fresh schema of its own.
func MustOpen(tb testing.TB, opts Options) *DB {
	tb.Helper()
	return mustOpen(tb, freshSchema(tb), opts)
}

func TestStore(t *testing.T) {
	storetest.RunStore(t, func(t *testing.T) bot.Store { return MustOpen(t, Options{}) })
}

func TestInbox(t *testing.T) {
	storetest.RunInbox(t, func(t *testing.T) bot.Inbox { return MustOpen(t, Options{}) })
}

func TestSessionStore(t *testing.T) {
	storetest.RunSessionStore(t, func(t *testing.T) conversation.SessionStore {
		return MustOpen(t, Options{}).Sessions(time.Hour)
	})
	storetest.RunSessionStoreTTL(t, func(t *testing.T, ttl time.Duration) conversation.SessionStore {
		return MustOpen(t, Options{}).Sessions(ttl)
	})
	storetest.RunSessionStoreVersionsNotReused(t, func(t *testing.T) conversation.SessionStore {
		return MustOpen(t, Options{}).Sessions(time.Hour)
	})
}

// TestReplicasNeverClaimTheSameNotification has two DBs on one schema (two
// pools, as two replicas have) claim the same outbox at once, many times.
func TestReplicasNeverClaimTheSameNotification(t *testing.T) {
	u := freshSchema(t)
	a, b := mustOpen(t, u, Options{}), mustOpen(t, u, Options{})
	ctx := t.Context()
	acct, err := a.ResolveAccount(ctx, bot.Identity{Platform: bot.Console, UserID: "ada"}, "Ada")
	if err != nil {
		t.Fatal(err)
	}
	const rounds, perRound = 20, 30
	for round := range rounds {
		ns := make([]bot.Notification, perRound)
		for i := range ns {
			ns[i] = bot.Notification{AccountID: acct.ID, Reply: bot.Reply{Text: "hello"}}
		}
		if err := a.Enqueue(ctx, ns); err != nil {
			t.Fatal(err)
		}
		var (
			wg  sync.WaitGroup
			got [2][]int64
		)
		for i, db := range []*DB{a, b} {
			wg.Go(func() {
				// Small claims, so the two interleave over the rows.
				for {
					claimed, err := db.Claim(ctx, bot.ClaimRequest{Now: time.Now(), Lease: time.Hour, Limit: 3})
					if err != nil {
						t.Errorf("replica %d: Claim: %v", i, err)
						return
					}
					if len(claimed) == 0 {
						return
					}
					for _, n := range claimed {
						got[i] = append(got[i], n.ID)
					}
				}
			})
		}
		wg.Wait()
		all := slices.Concat(got[0], got[1])
		slices.Sort(all)
		if len(all) != perRound || len(slices.Compact(slices.Clone(all))) != perRound {
			t.Fatalf("round %d: replicas claimed %v and %v; want %d distinct notifications, each once", round, got[0], got[1], perRound)
		}
	}
}

// TestReplicasMigrateOnce opens several DBs on one empty schema at once:
// every one opens, and each migration is recorded once.
func TestReplicasMigrateOnce(t *testing.T) {
	u := freshSchema(t)
	var wg sync.WaitGroup
	dbs := make([]*DB, 4)
	errs := make([]error, len(dbs))
	for i := range dbs {
		wg.Go(func() { dbs[i], errs[i] = Open(t.Context(), u, Options{}) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: Open: %v", i, err)
		}
		t.Cleanup(func() { dbs[i].Close() })
	}
	all, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := conns(dbs[0]).QueryRowContext(t.Context(), `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != len(all) {
		t.Fatalf("schema_migrations has %d rows, want %d (one per migration)", n, len(all))
	}
}

func TestRebind(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`a = ? AND b IN (?, ?)`, `a = $1 AND b IN ($2, $3)`},
		{`x = '?' AND y = ?`, `x = '?' AND y = $1`},
		{`"we?ird" = ?`, `"we?ird" = $1`},
		{`'it''s' = ?`, `'it''s' = $1`},
	} {
		if got := (Dialect{}).Rebind(tc.in); got != tc.want {
			t.Errorf("rebind(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func conns(db *DB) *sql.DB { w, _ := db.Conns(); return w }
