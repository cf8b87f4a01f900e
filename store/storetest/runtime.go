package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// RunDeduper checks the rules of bot.Deduper. open returns a fresh Deduper
// whose window is window and whose claims hold for processing before Done.
func RunDeduper(t *testing.T, open func(t *testing.T, window, processing time.Duration) bot.Deduper) {
	t.Helper()

	t.Run("first claim wins, repeats lose", func(t *testing.T) {
		d := open(t, time.Hour, time.Hour)
		id := "Ev" + Random(t)
		if !mustClaim(t, d, id) {
			t.Fatalf("first Claim(%q) = false, want true", id)
		}
		for i := range 3 {
			if mustClaim(t, d, id) {
				t.Fatalf("repeat %d of Claim(%q) = true, want false", i, id)
			}
		}
	})

	t.Run("ids are independent", func(t *testing.T) {
		d := open(t, time.Hour, time.Hour)
		a, b := "Ev"+Random(t), "Ev"+Random(t)
		if !mustClaim(t, d, a) || !mustClaim(t, d, b) {
			t.Fatalf("first claims of two different ids must both win")
		}
	})

	t.Run("release lets the id be claimed again", func(t *testing.T) {
		d := open(t, time.Hour, time.Hour)
		id := "Ev" + Random(t)
		mustClaim(t, d, id)
		if err := d.Release(ctx(t), id); err != nil {
			t.Fatalf("Release: %v", err)
		}
		if !mustClaim(t, d, id) {
			t.Fatalf("Claim after Release = false, want true")
		}
		if mustClaim(t, d, id) {
			t.Fatalf("second Claim after Release = true, want false")
		}
	})

	t.Run("release of an unclaimed id is not an error", func(t *testing.T) {
		d := open(t, time.Hour, time.Hour)
		if err := d.Release(ctx(t), "Ev"+Random(t)); err != nil {
			t.Fatalf("Release of an unclaimed id: %v", err)
		}
	})

	t.Run("done claim runs out after the window", func(t *testing.T) {
		d := open(t, 50*time.Millisecond, 50*time.Millisecond)
		id := "Ev" + Random(t)
		mustClaim(t, d, id)
		if err := d.Done(ctx(t), id); err != nil {
			t.Fatalf("Done: %v", err)
		}
		// Each poll that loses claims nothing; the first that wins ends it.
		WaitFor(t, "the claim to run out", func() bool { return mustClaim(t, d, id) })
		if mustClaim(t, d, id) {
			t.Fatalf("the claim after the window must start a new window")
		}
	})

	t.Run("unfinished claim runs out after the processing time", func(t *testing.T) {
		// A handler that crashed never calls Done: the re-delivery is let in.
		d := open(t, time.Hour, 50*time.Millisecond)
		id := "Ev" + Random(t)
		mustClaim(t, d, id)
		WaitFor(t, "the unfinished claim to run out", func() bool { return mustClaim(t, d, id) })
	})

	t.Run("done keeps the claim past the processing time", func(t *testing.T) {
		d := open(t, time.Hour, 50*time.Millisecond)
		id := "Ev" + Random(t)
		mustClaim(t, d, id)
		if err := d.Done(ctx(t), id); err != nil {
			t.Fatalf("Done: %v", err)
		}
		time.Sleep(200 * time.Millisecond) // past the processing time; Done holds for an hour
		if mustClaim(t, d, id) {
			t.Fatal("Claim after Done won, want the event remembered for the window")
		}
	})

	t.Run("exactly one of racing claims wins", func(t *testing.T) {
		d := open(t, time.Hour, time.Hour)
		id := "Ev" + Random(t)
		wins := race(t, 16, func(i int) (bool, error) { return d.Claim(t.Context(), id) })
		if wins != 1 {
			t.Fatalf("%d racing claims won, want exactly 1", wins)
		}
	})
}

// RunLocker checks the rules of bot.Locker and bot.Lease. open returns a
// fresh Locker; names are random, so lockers may share a server.
func RunLocker(t *testing.T, open func(t *testing.T) bot.Locker) {
	t.Helper()

	t.Run("held lease is not handed out twice", func(t *testing.T) {
		l := open(t)
		name := "job:" + Random(t)
		mustAcquire(t, l, name, time.Hour)
		lease, ok, err := l.Acquire(ctx(t), name, time.Hour)
		if err != nil || ok || lease != nil {
			t.Fatalf("second Acquire = (%v, %v, %v), want (nil, false, nil)", lease, ok, err)
		}
	})

	t.Run("names are independent", func(t *testing.T) {
		l := open(t)
		mustAcquire(t, l, "job:"+Random(t), time.Hour)
		mustAcquire(t, l, "job:"+Random(t), time.Hour)
	})

	t.Run("release frees the name", func(t *testing.T) {
		l := open(t)
		name := "job:" + Random(t)
		lease := mustAcquire(t, l, name, time.Hour)
		if err := lease.Release(ctx(t)); err != nil {
			t.Fatalf("Release: %v", err)
		}
		mustAcquire(t, l, name, time.Hour)
		if err := lease.Release(ctx(t)); !errors.Is(err, bot.ErrLeaseLost) {
			t.Fatalf("Release of an old holding: err = %v, want ErrLeaseLost", err)
		}
		if _, ok, _ := l.Acquire(ctx(t), name, time.Hour); ok {
			t.Fatalf("an old holding's Release freed the new holder's lease")
		}
	})

	t.Run("renew keeps the lease past its first ttl", func(t *testing.T) {
		l := open(t)
		const first = 300 * time.Millisecond
		var (
			name     string
			lease    bot.Lease
			acquired time.Time
		)
		// On a very slow machine the renew may come after the first ttl;
		// that attempt proves nothing, so take a fresh name and try again.
		for attempt := 0; ; attempt++ {
			name = "job:" + Random(t)
			acquired = time.Now()
			lease = mustAcquire(t, l, name, first)
			err := lease.Renew(ctx(t), time.Hour)
			if err == nil {
				break
			}
			if !errors.Is(err, bot.ErrLeaseLost) || time.Since(acquired) < first || attempt == 5 {
				t.Fatalf("Renew by the holder: %v", err)
			}
		}
		// Wait until the first ttl is surely over; the renewed one is not.
		time.Sleep(time.Until(acquired.Add(first + 100*time.Millisecond)))
		if _, ok, err := l.Acquire(ctx(t), name, time.Hour); err != nil || ok {
			t.Fatalf("Acquire after renew = (ok %v, err %v), want the lease still held", ok, err)
		}
		if err := lease.Renew(ctx(t), time.Hour); err != nil {
			t.Fatalf("second Renew by the holder: %v", err)
		}
	})

	t.Run("expired lease goes to the next holder and the old one loses it", func(t *testing.T) {
		l := open(t)
		name := "job:" + Random(t)
		old := mustAcquire(t, l, name, 50*time.Millisecond)
		var next bot.Lease
		WaitFor(t, "the lease to expire", func() bool {
			lease, ok, err := l.Acquire(ctx(t), name, time.Hour)
			if err != nil {
				t.Fatalf("Acquire while waiting: %v", err)
			}
			next = lease
			return ok
		})
		if err := old.Renew(ctx(t), time.Hour); !errors.Is(err, bot.ErrLeaseLost) {
			t.Fatalf("Renew by the expired holder: err = %v, want ErrLeaseLost", err)
		}
		if err := old.Release(ctx(t)); !errors.Is(err, bot.ErrLeaseLost) {
			t.Fatalf("Release by the expired holder: err = %v, want ErrLeaseLost", err)
		}
		if _, ok, _ := l.Acquire(ctx(t), name, time.Hour); ok {
			t.Fatalf("the expired holder's Renew or Release touched the new holder's lease")
		}
		if err := next.Renew(ctx(t), time.Hour); err != nil {
			t.Fatalf("Renew by the new holder: %v", err)
		}
	})

	t.Run("expired lease cannot be renewed", func(t *testing.T) {
		l := open(t)
		name := "job:" + Random(t)
		lease := mustAcquire(t, l, name, 50*time.Millisecond)
		WaitFor(t, "the lease to expire", func() bool {
			// A renew that still finds the lease shortens it to 1ms, so
			// the next poll finds it expired.
			err := lease.Renew(ctx(t), time.Millisecond)
			if err != nil && !errors.Is(err, bot.ErrLeaseLost) {
				t.Fatalf("Renew while waiting: %v", err)
			}
			return errors.Is(err, bot.ErrLeaseLost)
		})
		mustAcquire(t, l, name, time.Hour)
	})

	t.Run("released lease cannot be renewed or released again", func(t *testing.T) {
		l := open(t)
		lease := mustAcquire(t, l, "job:"+Random(t), time.Hour)
		if err := lease.Release(ctx(t)); err != nil {
			t.Fatal(err)
		}
		if err := lease.Renew(ctx(t), time.Hour); !errors.Is(err, bot.ErrLeaseLost) {
			t.Fatalf("Renew after Release: err = %v, want ErrLeaseLost", err)
		}
		if err := lease.Release(ctx(t)); !errors.Is(err, bot.ErrLeaseLost) {
			t.Fatalf("second Release: err = %v, want ErrLeaseLost", err)
		}
	})

	t.Run("exactly one of racing acquires wins", func(t *testing.T) {
		l := open(t)
		name := "job:" + Random(t)
		wins := race(t, 16, func(int) (bool, error) {
			_, ok, err := l.Acquire(t.Context(), name, time.Hour)
			return ok, err
		})
		if wins != 1 {
			t.Fatalf("%d racing acquires won, want exactly 1", wins)
		}
	})
}

// RunLimiter checks the rules of bot.Limiter. open returns a fresh Limiter;
// keys are random, so limiters may share a server.
func RunLimiter(t *testing.T, open func(t *testing.T) bot.Limiter) {
	t.Helper()
	// One token per 1000 seconds: nothing refills while a test runs, so the
	// delays below are known to within the test's own running time.
	slow := bot.Limit{Rate: 0.001, Burst: 3}
	const per = 1000 * time.Second

	t.Run("a full bucket gives burst tokens at once, then queues", func(t *testing.T) {
		lim := open(t)
		key := "chat:" + Random(t)
		for i := range slow.Burst {
			if d := mustReserve(t, lim, key, slow); d != 0 {
				t.Fatalf("reservation %d of a full bucket: delay %v, want 0", i, d)
			}
		}
		for n := 1; n <= 3; n++ {
			d := mustReserve(t, lim, key, slow)
			lo, hi := time.Duration(n)*per-time.Minute, time.Duration(n)*per
			if d <= lo || d > hi {
				t.Fatalf("reservation %d past the burst: delay %v, want in (%v, %v]", n, d, lo, hi)
			}
		}
	})

	t.Run("keys are independent", func(t *testing.T) {
		lim := open(t)
		one := bot.Limit{Rate: 0.001, Burst: 1}
		a, b := "chat:"+Random(t), "chat:"+Random(t)
		mustReserve(t, lim, a, one)
		if d := mustReserve(t, lim, b, one); d != 0 {
			t.Fatalf("first reservation on another key: delay %v, want 0", d)
		}
	})

	t.Run("bucket refills", func(t *testing.T) {
		lim := open(t)
		fast := bot.Limit{Rate: 100, Burst: 1}
		key := "chat:" + Random(t)
		mustReserve(t, lim, key, fast)
		if d := mustReserve(t, lim, key, fast); d <= 0 || d > 20*time.Millisecond {
			t.Fatalf("reservation on an empty bucket at 100/s: delay %v, want in (0, 20ms]", d)
		}
		// The queue is 20ms long; once it has drained a token is free.
		WaitFor(t, "the bucket to refill", func() bool { return mustReserve(t, lim, key, fast) == 0 })
	})

	t.Run("invalid limit is EINVALID", func(t *testing.T) {
		lim := open(t)
		for _, l := range []bot.Limit{{Rate: 0, Burst: 1}, {Rate: -1, Burst: 1}, {Rate: 1, Burst: 0}} {
			t.Run(fmt.Sprintf("rate %v burst %d", l.Rate, l.Burst), func(t *testing.T) {
				_, err := lim.Reserve(ctx(t), "chat:"+Random(t), l)
				if bot.ErrorCode(err) != bot.EINVALID {
					t.Fatalf("Reserve with %+v: err = %v, want EINVALID", l, err)
				}
			})
		}
	})

	t.Run("racing reservations share the burst exactly", func(t *testing.T) {
		lim := open(t)
		key := "chat:" + Random(t)
		limit := bot.Limit{Rate: 0.001, Burst: 5}
		free := race(t, 20, func(int) (bool, error) {
			d, err := lim.Reserve(t.Context(), key, limit)
			return d == 0, err
		})
		if free != limit.Burst {
			t.Fatalf("%d of 20 racing reservations were free, want the burst %d", free, limit.Burst)
		}
	})
}

// race runs n calls of f at once and returns how many returned true.
func race(t *testing.T, n int, f func(i int) (bool, error)) int {
	t.Helper()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins int
		errs []error
	)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			ok, err := f(i)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			}
			if ok {
				wins++
			}
		})
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("racing calls failed: %v", errs)
	}
	return wins
}

func mustClaim(t testing.TB, d bot.Deduper, id string) bool {
	t.Helper()
	first, err := d.Claim(t.Context(), id)
	if err != nil {
		t.Fatalf("Claim(%q): %v", id, err)
	}
	return first
}

func mustAcquire(t testing.TB, l bot.Locker, name string, ttl time.Duration) bot.Lease {
	t.Helper()
	lease, ok, err := l.Acquire(t.Context(), name, ttl)
	if err != nil {
		t.Fatalf("Acquire(%q): %v", name, err)
	}
	if !ok || lease == nil {
		t.Fatalf("Acquire(%q) = (%v, %v), want a lease", name, lease, ok)
	}
	return lease
}

func mustReserve(t testing.TB, lim bot.Limiter, key string, l bot.Limit) time.Duration {
	t.Helper()
	d, err := lim.Reserve(t.Context(), key, l)
	if err != nil {
		t.Fatalf("Reserve(%q, %+v): %v", key, l, err)
	}
	return d
}
