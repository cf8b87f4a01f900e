package telegram

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// clock is a hand-moved time source.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestPacerPerChat(t *testing.T) {
	c := &clock{t: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)}
	p := newPacer(c.now)
	var waits []time.Duration
	for range 5 {
		d, _ := p.reserve("42", false)
		waits = append(waits, d)
	}
	// A burst of 3, then one per second.
	want := []time.Duration{0, 0, 0, time.Second, 2 * time.Second}
	for i := range want {
		if waits[i] != want[i] {
			t.Fatalf("waits %v, want %v", waits, want)
		}
	}
	// Another chat is not held up by this one.
	if d, _ := p.reserve("43", false); d != 0 {
		t.Errorf("another chat waits %v", d)
	}
	// After a quiet spell the burst is back.
	c.advance(10 * time.Second)
	if d, _ := p.reserve("42", false); d != 0 {
		t.Errorf("after 10 s idle: wait %v", d)
	}
}

func TestPacerGroupLimit(t *testing.T) {
	c := &clock{t: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)}
	p := newPacer(c.now)
	// One message every 2 s suits a private chat but not a group (20/min).
	var private, group time.Duration
	for range 20 {
		d, _ := p.reserve("42", false)
		private = max(private, d)
		d, _ = p.reserve("-100", true)
		group = max(group, d)
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
	c := &clock{t: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)}
	p := newPacer(c.now)
	var last time.Duration
	for i := range 31 {
		last, _ = p.reserve(fmt.Sprint(i), false)
	}
	if last == 0 {
		t.Error("the 31st message in one instant went out without waiting")
	}
}

func TestPacerCancelGivesTokensBack(t *testing.T) {
	c := &clock{t: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)}
	p := newPacer(c.now)
	for range 3 {
		p.reserve("42", false)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.wait(ctx, "42", false); err == nil {
		t.Fatal("wait with an ended context returned nil")
	}
	if d, _ := p.reserve("42", false); d != time.Second {
		t.Errorf("wait after a cancelled one = %v, want 1s (the token came back)", d)
	}
}

func TestPacerForgetsIdleChats(t *testing.T) {
	c := &clock{t: time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)}
	p := newPacer(c.now)
	for i := range maxIdleBuckets {
		p.reserve(fmt.Sprint(i), false)
	}
	c.advance(time.Minute)
	p.reserve("new", false)
	if n := len(p.chats); n != 1 {
		t.Errorf("%d chat buckets kept, want only the new one", n)
	}
}

func TestDispatcherKeepsOrderPerChat(t *testing.T) {
	var d dispatcher
	var mu sync.Mutex
	got := map[string][]int{}
	for i := range 200 {
		key := fmt.Sprint(i % 4)
		d.push(key, func() {
			mu.Lock()
			got[key] = append(got[key], i)
			mu.Unlock()
		})
	}
	d.wait()
	for key, seq := range got {
		if len(seq) != 50 {
			t.Errorf("chat %s ran %d jobs, want 50", key, len(seq))
		}
		for j := 1; j < len(seq); j++ {
			if seq[j] < seq[j-1] {
				t.Fatalf("chat %s out of order: %v", key, seq)
			}
		}
	}
}
