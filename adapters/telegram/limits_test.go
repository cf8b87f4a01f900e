package telegram

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hirebot/hirebot/store/memory"
)

// clock is a hand-moved time source.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestPacer() (pacer, *clock) {
	c := &clock{t: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)}
	return pacer{lim: memory.NewLimiter(memory.LimitOptions{Now: c.now})}, c
}

func mustDelay(t *testing.T, p pacer, chat string, group bool) time.Duration {
	t.Helper()
	d, err := p.delay(context.Background(), chat, group)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestPacerPerChat(t *testing.T) {
	p, c := newTestPacer()
	var waits []time.Duration
	for range 5 {
		waits = append(waits, mustDelay(t, p, "42", false))
	}
	// A burst of 3, then one per second.
	want := []time.Duration{0, 0, 0, time.Second, 2 * time.Second}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits %v, want %v", waits, want)
		}
	}
	// Another chat is not held up by this one.
	if d := mustDelay(t, p, "43", false); d != 0 {
		t.Errorf("another chat waits %v", d)
	}
	// After a quiet spell the burst is back.
	c.advance(10 * time.Second)
	if d := mustDelay(t, p, "42", false); d != 0 {
		t.Errorf("after 10 s idle: wait %v", d)
	}
}

func TestPacerGroupLimit(t *testing.T) {
	p, c := newTestPacer()
	// One message every 2 s suits a private chat but not a group (20/min).
	var private, group time.Duration
	for range 20 {
		private = max(private, mustDelay(t, p, "42", false))
		group = max(group, mustDelay(t, p, "-100", true))
		c.advance(2 * time.Second)
	}
	if private != 0 {
		t.Errorf("private chat waited %v", private)
	}
	if group == 0 {
		t.Error("a group got 30 messages a minute without waiting")
	}
}

func TestPacerGlobalLimit(t *testing.T) {
	p, _ := newTestPacer()
	var last time.Duration
	for i := range 31 {
		last = mustDelay(t, p, fmt.Sprint(i), false)
	}
	if last == 0 {
		t.Error("the 31st message in one instant went out without waiting")
	}
}

func TestPacerWithoutLimiter(t *testing.T) {
	for range 100 {
		if d := mustDelay(t, pacer{}, "42", true); d != 0 {
			t.Fatalf("no limiter: wait %v", d)
		}
	}
}
