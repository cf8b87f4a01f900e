package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/memory"
	"github.com/hirebot/hirebot/store/storetest"
)

func TestDeduper(t *testing.T) {
	storetest.RunDeduper(t, func(t *testing.T, window, processing time.Duration) bot.Deduper {
		return memory.NewDeduper(memory.DedupeOptions{Window: window, Processing: processing})
	})
}

func TestLocker(t *testing.T) {
	storetest.RunLocker(t, func(t *testing.T) bot.Locker {
		return memory.NewLocker(memory.LockOptions{})
	})
}

func TestLimiter(t *testing.T) {
	storetest.RunLimiter(t, func(t *testing.T) bot.Limiter {
		return memory.NewLimiter(memory.LimitOptions{})
	})
}

// clock is a hand-moved clock for the memory twins.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time          { return c.now }
func (c *clock) Advance(d time.Duration) { c.now = c.now.Add(d) }

func TestLimiterWithClock(t *testing.T) {
	c := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	lim := memory.NewLimiter(memory.LimitOptions{Now: c.Now})
	limit := bot.Limit{Rate: 2, Burst: 2} // one token per 500ms
	steps := []struct {
		name    string
		advance time.Duration
		want    time.Duration
	}{
		{name: "full bucket 1", want: 0},
		{name: "full bucket 2", want: 0},
		{name: "empty bucket queues one", want: 500 * time.Millisecond},
		{name: "queue grows", want: time.Second},
		{name: "time pays the queue off", advance: 1500 * time.Millisecond, want: 0},
		{name: "refill is capped at burst", advance: time.Hour, want: 0},
		{name: "second token after a long idle", want: 0},
		{name: "then empty again", want: 500 * time.Millisecond},
	}
	for _, s := range steps {
		c.Advance(s.advance)
		got, err := lim.Reserve(context.Background(), "telegram", limit)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got != s.want {
			t.Fatalf("%s: delay %v, want %v", s.name, got, s.want)
		}
	}
}

func TestDeduperWithClock(t *testing.T) {
	c := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	d := memory.NewDeduper(memory.DedupeOptions{Window: time.Hour, Now: c.Now})
	claim := func(want bool) {
		t.Helper()
		got, err := d.Claim(context.Background(), "Ev1")
		if err != nil || got != want {
			t.Fatalf("Claim at %v = (%v, %v), want %v", c.now, got, err, want)
		}
	}
	claim(true)
	c.Advance(memory.DefaultDedupeProcessing - time.Nanosecond)
	claim(false)
	c.Advance(time.Nanosecond)
	claim(true) // never marked done: the processing time ran out
	if err := d.Done(context.Background(), "Ev1"); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Hour - time.Nanosecond)
	claim(false)
	c.Advance(time.Nanosecond)
	claim(true)
}

func TestSessionsExpireWithClock(t *testing.T) {
	c := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s := memory.NewSessions(memory.SessionOptions{Now: c.Now})
	v := storetest.MustSave(t, s, sessionFor("acct:1"))
	c.Advance(memory.DefaultSessionTTL - time.Second)
	sess := storetest.MustLoad(t, s, "acct:1")
	if sess.Version != v {
		t.Fatalf("version %d, want %d", sess.Version, v)
	}
	// Saving renews the time to live.
	storetest.MustSave(t, s, sess)
	c.Advance(memory.DefaultSessionTTL - time.Second)
	storetest.MustLoad(t, s, "acct:1")
	c.Advance(time.Second)
	if _, err := s.Load(context.Background(), "acct:1"); err == nil {
		t.Fatalf("Load after the ttl succeeded, want ErrNoSession")
	}
}
