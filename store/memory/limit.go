package memory

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/hirebot/hirebot/bot"
)

// LimitOptions configures Limiter.
type LimitOptions struct {
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Limiter is bot.Limiter in process memory: one golang.org/x/time/rate
// token bucket per key. Reservations queue the way rate.Limiter.ReserveN
// does, which is the rule bot.Limiter states.
type Limiter struct {
	now func() time.Time

	mu       sync.Mutex
	buckets  map[string]*rate.Limiter
	reserves int
}

var _ bot.Limiter = (*Limiter)(nil)

// NewLimiter returns a Limiter whose buckets are all full.
func NewLimiter(opts LimitOptions) *Limiter {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Limiter{now: opts.Now, buckets: make(map[string]*rate.Limiter)}
}

// Reserve takes a token from the bucket under key and says how long to wait.
func (l *Limiter) Reserve(ctx context.Context, key string, limit bot.Limit) (time.Duration, error) {
	if !limit.Valid() {
		return 0, bot.Errorf(bot.EINVALID, "rate limit for %q: rate %v and burst %d must be positive", key, limit.Rate, limit.Burst)
	}
	if err := ctx.Err(); err != nil {
		return 0, bot.Unavailable(err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		b = rate.NewLimiter(rate.Limit(limit.Rate), limit.Burst)
		l.buckets[key] = b
	}
	// Limits are per call: a caller that changes them changes the bucket.
	if b.Limit() != rate.Limit(limit.Rate) {
		b.SetLimitAt(now, rate.Limit(limit.Rate))
	}
	if b.Burst() != limit.Burst {
		b.SetBurstAt(now, limit.Burst)
	}
	delay := b.ReserveN(now, 1).DelayFrom(now)

	l.reserves++
	if l.reserves%1024 == 0 {
		// A bucket that has refilled completely is the same as no bucket.
		for k, other := range l.buckets {
			if k != key && other.TokensAt(now) >= float64(other.Burst()) {
				delete(l.buckets, k)
			}
		}
	}
	return delay, nil
}
