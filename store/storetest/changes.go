package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// RunChangeFeed checks the rules of bot.ChangeFeed. open returns two
// feeds on one fresh medium, as two replicas would hold them.
func RunChangeFeed(t *testing.T, open func(t *testing.T) (a, b bot.ChangeFeed)) {
	t.Helper()

	t.Run("every subscriber gets every message in order, the publisher's own included", func(t *testing.T) {
		a, b := open(t)
		subs := subscribe(t, a, a, b)
		subA, subB := subs[0], subs[1]
		want := []string{"r1 job 2", "r1 profile 3", "r1 account 4", "a message with spaces in it"}
		for _, msg := range want {
			if err := a.Publish(t.Context(), msg); err != nil {
				t.Fatalf("Publish(%q): %v", msg, err)
			}
		}
		for name, s := range map[string]*subscriber{"the publisher": subA, "the other replica": subB} {
			if got := s.next(t, len(want)); !slices.Equal(got, want) {
				t.Errorf("%s received %q, want %q", name, got, want)
			}
		}
	})

	t.Run("messages of two publishers at once all arrive, each publisher's in order", func(t *testing.T) {
		a, b := open(t)
		sub := subscribe(t, a, b)[0]
		const each = 40
		var wg sync.WaitGroup
		for _, p := range []struct {
			name string
			feed bot.ChangeFeed
		}{{"a", a}, {"b", b}} {
			wg.Go(func() {
				for i := range each {
					if err := p.feed.Publish(t.Context(), fmt.Sprintf("%s %d", p.name, i)); err != nil {
						t.Errorf("Publish: %v", err)
						return
					}
				}
			})
		}
		wg.Wait()
		next := map[string]int{}
		for _, msg := range sub.next(t, 2*each) {
			var name string
			var i int
			if _, err := fmt.Sscanf(msg, "%s %d", &name, &i); err != nil {
				t.Fatalf("unexpected message %q", msg)
			}
			if i != next[name] {
				t.Errorf("from %s got message %d, want %d", name, i, next[name])
			}
			next[name] = i + 1
		}
		if next["a"] != each || next["b"] != each {
			t.Errorf("received %v messages per publisher, want %d each", next, each)
		}
	})

	t.Run("Subscribe returns nil when ctx ends", func(t *testing.T) {
		a, _ := open(t)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan error, 1)
		go func() { done <- a.Subscribe(ctx, func(string) {}) }()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Subscribe returned %v after ctx ended", err)
			}
		case <-time.After(20 * time.Second): // against hanging, not a timing check
			t.Fatal("Subscribe did not return after ctx ended")
		}
	})
}

// subscriber collects what one Subscribe call receives.
type subscriber struct{ got chan string }

// subscribe subscribes to each feed until the test ends and returns once
// all listen: a feed delivers what is published after its subscriber
// started, so pub publishes "ready" until each has received one, then a
// mark; what came before the mark is dropped.
func subscribe(t *testing.T, pub bot.ChangeFeed, feeds ...bot.ChangeFeed) []*subscriber {
	t.Helper()
	var subs []*subscriber
	for _, feed := range feeds {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		s := &subscriber{got: make(chan string, 1000)}
		go func() { done <- feed.Subscribe(ctx, func(msg string) { s.got <- msg }) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Subscribe: %v", err)
			}
		})
		subs = append(subs, s)
	}
	guard := time.After(20 * time.Second) // against hanging, not a timing check
	ready := make([]bool, len(subs))
	for !allTrue(ready) {
		if err := pub.Publish(t.Context(), "ready"); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		for i, s := range subs {
			select {
			case <-s.got:
				ready[i] = true
			case <-time.After(100 * time.Millisecond):
			case <-guard:
				t.Fatal("no message arrived")
			}
		}
	}
	mark := "mark " + Random(t)
	if err := pub.Publish(t.Context(), mark); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	for _, s := range subs {
		for msg := ""; msg != mark; {
			select {
			case msg = <-s.got:
			case <-guard:
				t.Fatal("the mark never arrived")
			}
		}
	}
	return subs
}

func allTrue(bs []bool) bool { return !slices.Contains(bs, false) }

// next returns the next n messages.
func (s *subscriber) next(t *testing.T, n int) []string {
	t.Helper()
	guard := time.After(20 * time.Second) // against hanging, not a timing check
	var got []string
	for len(got) < n {
		select {
		case msg := <-s.got:
			got = append(got, msg)
		case <-guard:
			t.Fatalf("received %d of %d messages: %q", len(got), n, got)
		}
	}
	return got
}
