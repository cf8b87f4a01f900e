package discord

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/hirebot/hirebot/store/memory"
)

// The rules of Shared, checked on every implementation: store/memory
// (with a clock the test moves) and store/redis (a real server, waited
// on).
func TestShared(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	mem := memory.NewValues(memory.ValuesOptions{Now: func() time.Time { return now }})
	for _, tt := range []struct {
		name   string
		shared Shared
		pass   func(time.Duration)
	}{
		{"memory", mem, func(d time.Duration) { now = now.Add(d) }},
		{"redis", openRedis(t).Values(), time.Sleep},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, s := context.Background(), tt.shared
			value := func(name string) string {
				t.Helper()
				v, err := s.Value(ctx, name)
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			if v := value("count"); v != "" {
				t.Errorf("an unset value is %q, want empty", v)
			}
			for _, set := range []struct {
				name, v string
				ttl     time.Duration
			}{{"count", "4", 0}, {"count", "2", 0}, {"session", "S1", 100 * time.Millisecond}} {
				if err := s.SetValue(ctx, set.name, set.v, set.ttl); err != nil {
					t.Fatal(err)
				}
			}
			if c, sess := value("count"), value("session"); c != "2" || sess != "S1" {
				t.Errorf("values %q and %q, want the last set: 2 and S1", c, sess)
			}

			beat := func(member string, ttl time.Duration) []string {
				t.Helper()
				alive, err := s.Beat(ctx, "replicas", member, ttl)
				if err != nil {
					t.Fatal(err)
				}
				return alive
			}
			beat("b", time.Minute)
			beat("c", 100*time.Millisecond)
			if alive := beat("a", time.Minute); !slices.Equal(alive, []string{"a", "b", "c"}) {
				t.Errorf("alive %v, want a, b, c in order", alive)
			}

			tt.pass(300 * time.Millisecond)
			if c, sess := value("count"), value("session"); c != "2" || sess != "" {
				t.Errorf("past the session's ttl: %q and %q, want 2 and empty", c, sess)
			}
			if alive := beat("a", time.Minute); !slices.Equal(alive, []string{"a", "b"}) {
				t.Errorf("alive %v once c's beat ran out, want a, b", alive)
			}
			if err := s.Leave(ctx, "replicas", "b"); err != nil {
				t.Fatal(err)
			}
			if alive := beat("a", time.Minute); !slices.Equal(alive, []string{"a"}) {
				t.Errorf("alive %v after b left, want a", alive)
			}
		})
	}
}
