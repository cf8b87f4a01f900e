package memory

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// LimitOptions configures Limiter.
type LimitOptions struct {
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Limiter is a token-bucket bot.Limiter in process memory.
type Limiter struct {
	now func() time.Time

	mu       sync.Mutex
	buckets  map[string]bucket
	reserves int
}

// bucket is the level of one key at one moment. The level goes below zero
// when reservations queue up.
type bucket struct {
	tokens float64
	at     time.Time
}

var _ bot.Limiter = (*Limiter)(nil)

// NewLimiter returns a Limiter whose buckets are all full.
func NewLimiter(opts LimitOptions) *Limiter {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Limiter{now: opts.Now, buckets: make(map[string]bucket)}
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
		b = bucket{tokens: float64(limit.Burst), at: now}
	}
	b.tokens = refill(b, limit, now)
	b.at = now
	b.tokens--
	l.buckets[key] = b

	l.reserves++
	if l.reserves%1024 == 0 {
		// A bucket that has refilled completely is the same as no bucket.
		// Limits are per call, so use the rate just seen: a key refilled
		// under a slower rate is only dropped later.
		for k, other := range l.buckets {
			if refill(other, limit, now) >= float64(limit.Burst) && k != key {
				delete(l.buckets, k)
			}
		}
	}
	if b.tokens >= 0 {
		return 0, nil
	}
	return time.Duration(math.Ceil(-b.tokens / limit.Rate * float64(time.Second))), nil
}

// refill returns b's level at now under limit, never above the burst.
func refill(b bucket, limit bot.Limit, now time.Time) float64 {
	elapsed := now.Sub(b.at).Seconds()
	if elapsed < 0 {
		elapsed = 0
	}
	return math.Min(float64(limit.Burst), b.tokens+elapsed*limit.Rate)
}
