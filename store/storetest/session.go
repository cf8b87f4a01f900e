// Package storetest holds the conformance suites every hirebot store runs:
// one test per rule written in the doc comments of the interfaces, so the
// memory, SQLite and Redis implementations behave the same.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/conversation"
	"github.com/hirebot/hirebot/parse"
)

// RunSessionStore checks the rules of parse.SessionStore. open returns
// a fresh store for one subtest; keys are random, so several subtests may
// share one backing server.
func RunSessionStore(t *testing.T, open func(t *testing.T) conversation.SessionStore) {
	t.Helper()
	RunSessionStoreVersionsNotReused(t, open)

	t.Run("missing key is ErrNoSession", func(t *testing.T) {
		s := open(t)
		_, err := s.Load(ctx(t), Key(t))
		if !errors.Is(err, conversation.ErrNoSession) {
			t.Fatalf("Load of a missing key: err = %v, want ErrNoSession", err)
		}
	})

	t.Run("first save needs version 0", func(t *testing.T) {
		s := open(t)
		key := Key(t)
		sess := sample(key)
		sess.Version = 3
		if _, err := s.Save(ctx(t), sess); !errors.Is(err, conversation.ErrConflict) {
			t.Fatalf("first Save with version 3: err = %v, want ErrConflict", err)
		}
		if _, err := s.Load(ctx(t), key); !errors.Is(err, conversation.ErrNoSession) {
			t.Fatalf("Load after refused first save: err = %v, want ErrNoSession", err)
		}
		sess.Version = 0
		v, err := s.Save(ctx(t), sess)
		if err != nil {
			t.Fatalf("first Save with version 0: %v", err)
		}
		if v <= 0 {
			t.Fatalf("first Save returned version %d, want > 0", v)
		}
		got := MustLoad(t, s, key)
		if got.Version != v {
			t.Fatalf("Load version = %d, want the %d Save returned", got.Version, v)
		}
	})

	t.Run("save over an existing session with version 0 conflicts", func(t *testing.T) {
		s := open(t)
		key := Key(t)
		MustSave(t, s, sample(key))
		other := sample(key)
		other.Step = "other"
		if _, err := s.Save(ctx(t), other); !errors.Is(err, conversation.ErrConflict) {
			t.Fatalf("Save with version 0 over a stored session: err = %v, want ErrConflict", err)
		}
		if got := MustLoad(t, s, key); got.Step != sample(key).Step {
			t.Fatalf("step = %q after refused save, want %q", got.Step, sample(key).Step)
		}
	})

	t.Run("stale version conflicts and stores nothing", func(t *testing.T) {
		s := open(t)
		key := Key(t)
		MustSave(t, s, sample(key))
		first := MustLoad(t, s, key)
		second := first

		first.Step = "rate"
		first.Answers = map[string]string{"title": "first"}
		MustSave(t, s, first)

		second.Step = "skills"
		second.Answers = map[string]string{"title": "second"}
		if _, err := s.Save(ctx(t), second); !errors.Is(err, conversation.ErrConflict) {
			t.Fatalf("Save with stale version: err = %v, want ErrConflict", err)
		}
		got := MustLoad(t, s, key)
		if got.Step != "rate" || got.Answers["title"] != "first" {
			t.Fatalf("after stale save got step %q answers %v, want the first writer's", got.Step, got.Answers)
		}
	})

	t.Run("version strictly increases", func(t *testing.T) {
		s := open(t)
		key := Key(t)
		sess := sample(key)
		var last int64
		for i := range 5 {
			sess.Step = fmt.Sprintf("step-%d", i)
			v, err := s.Save(ctx(t), sess)
			if err != nil {
				t.Fatalf("save %d: %v", i, err)
			}
			if v <= last {
				t.Fatalf("save %d returned version %d, not greater than %d", i, v, last)
			}
			last = v
			sess.Version = v
		}
	})

	t.Run("save after delete needs version 0", func(t *testing.T) {
		s := open(t)
		key := Key(t)
		v1 := MustSave(t, s, sample(key))
		if err := s.Delete(ctx(t), key); err != nil {
			t.Fatalf("Delete: %v", err)
		}
		stale := sample(key)
		stale.Version = v1
		if _, err := s.Save(ctx(t), stale); !errors.Is(err, conversation.ErrConflict) {
			t.Fatalf("Save holding the version from before the delete: err = %v, want ErrConflict", err)
		}
		MustSave(t, s, sample(key))
	})

	t.Run("delete removes and is idempotent", func(t *testing.T) {
		s := open(t)
		key := Key(t)
		MustSave(t, s, sample(key))
		for i := range 2 {
			if err := s.Delete(ctx(t), key); err != nil {
				t.Fatalf("Delete %d: %v", i, err)
			}
		}
		if _, err := s.Load(ctx(t), key); !errors.Is(err, conversation.ErrNoSession) {
			t.Fatalf("Load after Delete: err = %v, want ErrNoSession", err)
		}
		if err := s.Delete(ctx(t), Key(t)); err != nil {
			t.Fatalf("Delete of a key never saved: %v", err)
		}
	})

	t.Run("fields round-trip", func(t *testing.T) {
		s := open(t)
		key := Key(t)
		want := sample(key)
		want.Answers = map[string]string{
			"title":  "Go developer — “quotes”, emoji 🚀, newline\nand tab\t",
			"rate":   "USD 45/h",
			"empty":  "",
			"skills": "go,sql",
		}
		want.History = []string{"title", "rate", "skills"}
		want.Pending = []parse.Choice{{Label: "Go", Value: "go"}, {Label: "Golang", Value: "golang"}}
		want.Editing = true
		want.Ref = "ref-" + key
		want.Started = time.Date(2026, 3, 14, 15, 9, 26, 535897000, time.UTC)
		v := MustSave(t, s, want)
		got := MustLoad(t, s, key)
		want.Version = v
		if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
			t.Fatalf("loaded session differs (-want +got):\n%s", diff)
		}
	})

	t.Run("keys are independent", func(t *testing.T) {
		s := open(t)
		a, b := Key(t), Key(t)
		sa := sample(a)
		sa.Step = "a"
		sb := sample(b)
		sb.Step = "b"
		MustSave(t, s, sa)
		MustSave(t, s, sb)
		if err := s.Delete(ctx(t), a); err != nil {
			t.Fatal(err)
		}
		if got := MustLoad(t, s, b); got.Step != "b" || got.Key != b {
			t.Fatalf("session %q after deleting another: %+v", b, got)
		}
	})

	t.Run("exactly one of racing saves wins", func(t *testing.T) {
		s := open(t)
		key := Key(t)
		MustSave(t, s, sample(key))
		base := MustLoad(t, s, key)
		const racers = 16
		var (
			wg     sync.WaitGroup
			mu     sync.Mutex
			wins   []int
			others []error
		)
		start := make(chan struct{})
		for i := range racers {
			wg.Go(func() {
				sess := base
				sess.Step = fmt.Sprintf("racer-%d", i)
				<-start
				_, err := s.Save(context.Background(), sess)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					wins = append(wins, i)
				case !errors.Is(err, conversation.ErrConflict):
					others = append(others, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if len(others) > 0 {
			t.Fatalf("racing saves failed with errors other than ErrConflict: %v", others)
		}
		if len(wins) != 1 {
			t.Fatalf("%d of %d racing saves won, want exactly 1", len(wins), racers)
		}
		if got := MustLoad(t, s, key); got.Step != fmt.Sprintf("racer-%d", wins[0]) {
			t.Fatalf("stored step %q, want the winner racer-%d", got.Step, wins[0])
		}
	})
}

// RunSessionStoreTTL checks that sessions expire. open returns a store whose
// time to live is ttl; the suite polls (bounded) until the session is gone,
// so it never depends on how fast the machine is.
func RunSessionStoreTTL(t *testing.T, open func(t *testing.T, ttl time.Duration) conversation.SessionStore) {
	t.Helper()
	const ttl = 50 * time.Millisecond

	t.Run("expired session is ErrNoSession", func(t *testing.T) {
		s := open(t, ttl)
		key := Key(t)
		v := MustSave(t, s, sample(key))
		WaitFor(t, "the session to expire", func() bool {
			_, err := s.Load(ctx(t), key)
			if err != nil && !errors.Is(err, conversation.ErrNoSession) {
				t.Fatalf("Load while waiting for expiry: %v", err)
			}
			return errors.Is(err, conversation.ErrNoSession)
		})
		// Nothing is stored any more: a save holding the old version is a
		// conflict, a fresh save starts over.
		stale := sample(key)
		stale.Version = v
		if _, err := s.Save(ctx(t), stale); !errors.Is(err, conversation.ErrConflict) {
			t.Fatalf("Save with the version from before expiry: err = %v, want ErrConflict", err)
		}
		MustSave(t, s, sample(key))
	})

	t.Run("long ttl keeps the session", func(t *testing.T) {
		s := open(t, time.Hour)
		key := Key(t)
		MustSave(t, s, sample(key))
		MustLoad(t, s, key)
	})
}

// WaitFor polls cond until it is true, failing the test after a generous
// bound. It is for things that happen "eventually" (expiry), never for
// measuring speed.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// MustSave saves s and returns the new version.
func MustSave(t testing.TB, s conversation.SessionStore, sess conversation.Session) int64 {
	t.Helper()
	v, err := s.Save(context.Background(), sess)
	if err != nil {
		t.Fatalf("Save %q at version %d: %v", sess.Key, sess.Version, err)
	}
	return v
}

// MustLoad loads the session under key.
func MustLoad(t testing.TB, s conversation.SessionStore, key string) conversation.Session {
	t.Helper()
	sess, err := s.Load(context.Background(), key)
	if err != nil {
		t.Fatalf("Load %q: %v", key, err)
	}
	return sess
}

// Key returns a random session key, so subtests sharing a server never meet.
func Key(t testing.TB) string {
	t.Helper()
	return "acct:test-" + Random(t)
}

// Random returns 16 random hex characters.
func Random(t testing.TB) string {
	t.Helper()
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("random: %v", err)
	}
	return hex.EncodeToString(b[:])
}

func ctx(t *testing.T) context.Context { return t.Context() }

func sample(key string) conversation.Session {
	return conversation.Session{
		Key:     key,
		Flow:    "profile",
		Step:    "title",
		Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
}

// RunSessionStoreVersionsNotReused checks that a version handed out once
// is never handed out again for the same key, even after Delete.
// RunSessionStore runs it. Without
// it, a replica that loaded a session before the flow completed (and the
// session was deleted) can overwrite the next flow's session with a stale
// one, because the new session's first versions repeat the old ones.
func RunSessionStoreVersionsNotReused(t *testing.T, open func(t *testing.T) conversation.SessionStore) {
	t.Helper()
	t.Run("stale save after delete and restart conflicts", func(t *testing.T) {
		s := open(t)
		key := Key(t)
		MustSave(t, s, sample(key))
		stale := MustLoad(t, s, key) // a slow replica holds this
		if err := s.Delete(ctx(t), key); err != nil {
			t.Fatal(err)
		}
		fresh := sample(key)
		fresh.Flow = "job"
		MustSave(t, s, fresh) // the person starts another flow
		stale.Step = "stale"
		if _, err := s.Save(ctx(t), stale); !errors.Is(err, conversation.ErrConflict) {
			t.Fatalf("stale save after delete and a new session: err = %v, want ErrConflict", err)
		}
		if got := MustLoad(t, s, key); got.Flow != "job" {
			t.Fatalf("the new flow's session was overwritten: %+v", got)
		}
	})
}
