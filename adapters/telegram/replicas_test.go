package telegram

import (
	"context"
	"fmt"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/hirebot/hirebot/adapters/adaptertest"
	"github.com/hirebot/hirebot/store/redis"
	"github.com/hirebot/hirebot/store/redis/redistest"
)

func TestMain(m *testing.M) { os.Exit(redistest.Run(m)) }

// Three replicas poll one bot through one Redis: one polls at a time (the
// fake answers a second concurrent getUpdates with 409, and none is
// refused), and when it dies without a word another takes over, starting
// at the saved offset, so every update is handled exactly once.
func TestThreeReplicasPollOneAtATime(t *testing.T) {
	r, err := redis.Open(context.Background(), redis.Options{URL: redistest.URL(t), Prefix: redistest.Prefix(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	oldLease, oldRetry := pollLease, pollRetry
	pollLease, pollRetry = 900*time.Millisecond, 100*time.Millisecond
	t.Cleanup(func() { pollLease, pollRetry = oldLease, oldRetry })

	f := newFakeAPI(t)
	cfg := Config{Locker: adaptertest.CrashLocker{Locker: r.Locker()}, Offsets: r.Cursors(), PollTimeout: time.Second}
	var hs []*fakeHandler
	var stops []func() error
	for range 3 {
		h := newFakeHandler()
		hs = append(hs, h)
		stops = append(stops, adaptertest.Start(t, mustAdapter(t, f, cfg, h).Run))
	}

	seen := map[string]int{}
	// next waits for one event on any replica and says which one got it.
	next := func() int {
		t.Helper()
		guard := time.After(20 * time.Second)
		for {
			for i, h := range hs {
				select {
				case ev := <-h.seen:
					seen[ev.ID]++
					return i
				default:
				}
			}
			select {
			case <-guard:
				t.Fatal("no event reached any replica")
			case <-time.After(10 * time.Millisecond):
			}
		}
	}
	queue := func(from, to int) {
		for id := from; id <= to; id++ {
			f.queue(fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1700000000,
				"from":{"id":%d,"is_bot":false,"first_name":"Ana"},
				"chat":{"id":%d,"type":"private","first_name":"Ana"},"text":"hello %d"}}`, id, id, 40+id%4, 40+id%4, id))
		}
	}

	queue(1, 5)
	poller := next()
	for range 4 {
		if got := next(); got != poller {
			t.Fatalf("replica %d handled an update while replica %d holds the poller lease", got, poller)
		}
	}
	f.waitHeld() // the poller asked again, past the five: their offset is saved
	if err := stops[poller](); err != nil {
		t.Fatalf("Run: %v", err)
	}

	queue(6, 10)
	successor := next()
	if successor == poller {
		t.Fatalf("the stopped replica %d handled an update", poller)
	}
	for range 4 {
		if got := next(); got != successor {
			t.Fatalf("replica %d handled an update while replica %d polls", got, successor)
		}
	}
	f.waitHeld()
	for i, stop := range stops {
		if err := stop(); err != nil {
			t.Errorf("replica %d Run: %v", i, err)
		}
	}
	for _, h := range hs {
		select {
		case ev := <-h.seen:
			seen[ev.ID]++
		default:
		}
	}

	var ids []string
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s handled %d times", id, n)
		}
		ids = append(ids, id)
	}
	sort.Strings(ids)
	if len(ids) != 10 {
		t.Errorf("handled %d distinct updates, want 10: %v", len(ids), ids)
	}
	f.mu.Lock()
	conflicts := f.conflicts
	f.mu.Unlock()
	if conflicts != 0 {
		t.Errorf("%d getUpdates calls were refused with 409: two replicas polled at once", conflicts)
	}
}

// The fake refuses a second concurrent poller with 409 as Telegram does,
// so the test above can fail; two replicas without a Locker do collide.
func TestTwoPollersWithoutLeaseConflict(t *testing.T) {
	f := newFakeAPI(t)
	for range 2 {
		adaptertest.Start(t, mustAdapter(t, f, Config{PollTimeout: time.Second}, newFakeHandler()).Run)
	}
	guard := time.After(20 * time.Second)
	for {
		f.mu.Lock()
		n := f.conflicts
		f.mu.Unlock()
		if n > 0 {
			return
		}
		select {
		case <-guard:
			t.Fatal("two pollers never met a 409")
		case <-time.After(20 * time.Millisecond):
		}
	}
}
