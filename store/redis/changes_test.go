package redis_test

import (
	"context"
	"testing"
	"time"

	"github.com/hirebot/hirebot/store/redis"
)

// TestChanges: what one replica publishes, another receives, in order.
func TestChanges(t *testing.T) {
	prefix := "hirebot-test-changes-" + t.Name() + ":"
	a := open(t, redis.Options{Prefix: prefix}).Changes()
	b := open(t, redis.Options{Prefix: prefix}).Changes()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan string, 10)
	done := make(chan error, 1)
	go func() { done <- b.Subscribe(ctx, func(msg string) { got <- msg }) }()

	// Pub/sub delivers only to subscribers already listening: publish until
	// the first message arrives, then the rest in order.
	guard := time.After(20 * time.Second) // against hanging, not a timing check
	for first := false; !first; {
		if err := a.Publish(ctx, "r1 profile 1"); err != nil {
			t.Fatal(err)
		}
		select {
		case msg := <-got:
			first = msg == "r1 profile 1"
		case <-time.After(50 * time.Millisecond):
		case <-guard:
			t.Fatal("no message arrived")
		}
	}
	for len(got) > 0 {
		<-got
	}
	for _, msg := range []string{"r1 job 2", "r1 profile 3"} {
		if err := a.Publish(ctx, msg); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"r1 job 2", "r1 profile 3"} {
		select {
		case msg := <-got:
			if msg != want {
				t.Errorf("got %q, want %q", msg, want)
			}
		case <-guard:
			t.Fatalf("%q never arrived", want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Subscribe returned %v after ctx ended", err)
	}
}
