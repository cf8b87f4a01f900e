package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
	"github.com/hirebot/hirebot/store/storetest"
)

// defaultURL is the server the tests use when HIREBOT_POSTGRES_URL is unset.
const defaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// serverURL returns the URL of the test server, skipping the test when it
// cannot be reached (failing instead when HIREBOT_REQUIRE_POSTGRES=1).
func serverURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("HIREBOT_POSTGRES_URL")
	if u == "" {
		u = defaultURL
	}
	ctx, cancel := context.WithTimeout(tb.Context(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err == nil {
		err = conn.Ping(ctx)
		conn.Close(context.Background())
	}
	if err != nil {
		msg := "PostgreSQL at " + redact(u) + " is not reachable (" + err.Error() + "); " +
			"set HIREBOT_POSTGRES_URL to a database the tests may create schemas in, " +
			"and HIREBOT_REQUIRE_POSTGRES=1 to fail instead of skipping"
		if os.Getenv("HIREBOT_REQUIRE_POSTGRES") == "1" {
			tb.Fatal(msg)
		}
		tb.Skip(msg)
	}
	return u
}

// redact hides a password in u.
func redact(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable url)"
	}
	return p.Redacted()
}

// freshSchema creates an empty schema for one test, drops it when the test
// ends, and returns the server URL with search_path set to it.
func freshSchema(tb testing.TB) string {
	tb.Helper()
	base := serverURL(tb)
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "hirebot_test_" + hex.EncodeToString(b[:])
	conn, err := pgx.Connect(tb.Context(), base)
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(tb.Context(), `CREATE SCHEMA `+schema); err != nil {
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("parse %s: %v", redact(base), err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// mustOpen opens a DB on url and closes it when the test ends.
func mustOpen(tb testing.TB, u string, opts Options) *DB {
	tb.Helper()
	db, err := Open(tb.Context(), u, opts)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(db.Close)
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
		t.Cleanup(dbs[i].Close)
	}
	all, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := dbs[0].pool.QueryRow(t.Context(), `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
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
		if got := rebind(tc.in); got != tc.want {
			t.Errorf("rebind(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
