package redis_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
	"github.com/hirebot/hirebot/store/redis"
	"github.com/hirebot/hirebot/store/redis/redistest"
	"github.com/hirebot/hirebot/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(redistest.Run(m)) }

// testTimeout is generous: tests share two busy cores, and a timeout here
// would be a false failure. The outage test sets its own.
const testTimeout = 5 * time.Second

// open opens a Store on the test Redis under a prefix of its own.
func open(t testing.TB, opts redis.Options) *redis.Store {
	t.Helper()
	if opts.URL == "" {
		opts.URL = redistest.URL(t)
	}
	if opts.Prefix == "" {
		opts.Prefix = redistest.Prefix(t)
	}
	if opts.Timeout == 0 {
		opts.Timeout = testTimeout
	}
	s, err := redis.Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		removeKeys(t, s, opts.Prefix)
		s.Close()
	})
	return s
}

// removeKeys deletes what a test left under its own prefix on a server
// other tests share. SCAN is fine here: it is a test, not a hot path.
func removeKeys(t testing.TB, s *redis.Store, prefix string) {
	t.Helper()
	ctx := context.Background()
	iter := s.Client().Scan(ctx, 0, prefix+"*", 100).Iterator()
	for iter.Next(ctx) {
		s.Client().Del(ctx, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Logf("cleaning up keys under %q: %v", prefix, err)
	}
}

func TestSessions(t *testing.T) {
	storetest.RunSessionStore(t, func(t *testing.T) conversation.SessionStore {
		return open(t, redis.Options{}).Sessions()
	})
}

func TestSessionsTTL(t *testing.T) {
	storetest.RunSessionStoreTTL(t, func(t *testing.T, ttl time.Duration) conversation.SessionStore {
		return open(t, redis.Options{SessionTTL: ttl}).Sessions()
	})
}

func TestDeduper(t *testing.T) {
	storetest.RunDeduper(t, func(t *testing.T, window, processing time.Duration) bot.Deduper {
		return open(t, redis.Options{DedupeWindow: window, DedupeProcessing: processing}).Deduper()
	})
}

func TestLocker(t *testing.T) {
	storetest.RunLocker(t, func(t *testing.T) bot.Locker {
		return open(t, redis.Options{}).Locker()
	})
}

func TestLimiter(t *testing.T) {
	storetest.RunLimiter(t, func(t *testing.T) bot.Limiter {
		return open(t, redis.Options{}).Limiter()
	})
}

func TestOpen(t *testing.T) {
	tests := []struct {
		name     string
		url      string
		wantCode string // "" for a plain (configuration) error
	}{
		{name: "empty url", url: ""},
		{name: "not a redis url", url: "http://127.0.0.1:6379"},
		{name: "bad db", url: "redis://127.0.0.1:6379/notanumber"},
		{name: "nobody listening", url: "redis://127.0.0.1:1/0", wantCode: bot.EUNAVAILABLE},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := redis.Open(t.Context(), redis.Options{URL: tt.url, Timeout: 200 * time.Millisecond})
			if err == nil {
				s.Close()
				t.Fatalf("Open(%q) succeeded, want an error", tt.url)
			}
			if tt.wantCode != "" && bot.ErrorCode(err) != tt.wantCode {
				t.Fatalf("Open(%q): code %q (%v), want %q", tt.url, bot.ErrorCode(err), err, tt.wantCode)
			}
		})
	}
}

// TestKeysUnderPrefix checks that every kind of state lives under the
// configured prefix and nothing else was written.
func TestKeysUnderPrefix(t *testing.T) {
	prefix := redistest.Prefix(t)
	s := open(t, redis.Options{Prefix: prefix})
	ctx := t.Context()
	storetest.MustSave(t, s.Sessions(), conversation.Session{Key: "acct:1", Flow: "profile", Step: "title"})
	if _, err := s.Deduper().Claim(ctx, "Ev1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Locker().Acquire(ctx, "expire-jobs", time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Limiter().Reserve(ctx, "slack", bot.Limit{Rate: 1, Burst: 1}); err != nil {
		t.Fatal(err)
	}
	// KEYS is fine in a test against this test's own prefix.
	keys, err := s.Client().Keys(ctx, prefix+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{
		prefix + "session:{acct:1}":   true,
		prefix + "event:{Ev1}":        true,
		prefix + "lock:{expire-jobs}": true,
		prefix + "rate:{slack}":       true,
	}
	if len(keys) != len(want) {
		t.Fatalf("keys under the prefix: %v, want %d", keys, len(want))
	}
	for _, k := range keys {
		if !want[k] {
			t.Errorf("unexpected key %q", k)
		}
	}
	// Every key has a time to live: nothing is left behind forever.
	for k := range want {
		ttl, err := s.Client().PTTL(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		if ttl <= 0 {
			t.Errorf("key %q has no time to live (PTTL %v)", k, ttl)
		}
	}
}
