package hire_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
)

// fanout is a ChangeFeed in one process: every message goes to every
// subscriber, like Redis pub/sub.
type fanout struct {
	mu   sync.Mutex
	subs []chan string
}

func (f *fanout) Publish(_ context.Context, msg string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.subs {
		s <- msg
	}
	return nil
}

func (f *fanout) Subscribe(ctx context.Context, fn func(string)) error {
	ch := make(chan string, 100)
	f.mu.Lock()
	f.subs = append(f.subs, ch)
	f.mu.Unlock()
	for {
		select {
		case <-ctx.Done():
			return nil
		case m := <-ch:
			fn(m)
		}
	}
}

func (f *fanout) subscribers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}

// TestChangesReachOtherReplicas: two replicas on one database; what one
// writes shows up in the other's match index without a restart.
func TestChangesReachOtherReplicas(t *testing.T) {
	a := newHarness(t)
	b, err := hire.New(hire.Config{Store: a.db, Sessions: memory.NewSessions(memory.SessionOptions{}), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	feed := &fanout{}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go a.bot.ShareChanges(feed, "a")(ctx)
	go b.ShareChanges(feed, "b")(ctx)
	waitFor(t, "both replicas subscribed", func() bool { return feed.subscribers() == 2 })

	a.script("ann", append(annProfile, "Publish")...)
	waitFor(t, "replica b sees the profile", func() bool { return b.Index().Len() == 1 })

	a.say("ann", "/pause")
	waitFor(t, "replica b drops the paused profile", func() bool { return b.Index().Len() == 0 })

	a.script("bob", append(invoiceJob, "Post")...)
	a.say("ann", "/resume")
	waitFor(t, "replica b matches the job", func() bool {
		p, err := a.db.Profile(ctx, 1)
		return err == nil && len(b.Index().MatchProfile(p, 5)) == 1
	})
}

// waitFor polls cond; the deadline only stops a broken test from hanging.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
