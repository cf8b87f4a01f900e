package telegram

import (
	"context"
	"sync"
	"time"
)

// Telegram's flood limits for bots, as its FAQ states them: about one
// message per second in a chat, 20 per minute in a group, 30 per second in
// all. A 429 past these still waits and retries (see request).
//
// The buckets live in this process. With several replicas sending for the
// same bot, pacing moves to the bot's shared Redis limiter.
const (
	chatRate    = 1.0 // messages per second in one chat
	chatBurst   = 3
	groupRate   = 20.0 / 60 // messages per second in one group
	groupBurst  = 3
	globalRate  = 30.0
	globalBurst = 30
	// maxIdleBuckets is how many per-chat buckets are kept before full
	// (idle) ones are forgotten.
	maxIdleBuckets = 4096
)

// bucket is a token bucket. reserve takes a token now, going into debt if
// there is none, and says how long to wait for it.
type bucket struct {
	rate, burst float64
	tokens      float64
	last        time.Time
}

func newBucket(rate, burst float64) *bucket {
	return &bucket{rate: rate, burst: burst, tokens: burst}
}

func (b *bucket) refill(now time.Time) {
	if !b.last.IsZero() {
		if d := now.Sub(b.last); d > 0 {
			b.tokens = min(b.burst, b.tokens+d.Seconds()*b.rate)
		}
	}
	if now.After(b.last) {
		b.last = now
	}
}

func (b *bucket) reserve(now time.Time) time.Duration {
	b.refill(now)
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(-b.tokens / b.rate * float64(time.Second))
}

// cancel gives back a reserved token that was not used.
func (b *bucket) cancel() { b.tokens = min(b.burst, b.tokens+1) }

func (b *bucket) full(now time.Time) bool {
	b.refill(now)
	return b.tokens >= b.burst
}

// pacer holds the global bucket and one per chat and per group.
type pacer struct {
	mu     sync.Mutex
	now    func() time.Time
	global *bucket
	chats  map[string]*bucket
	groups map[string]*bucket
}

func newPacer(now func() time.Time) *pacer {
	return &pacer{
		now:    now,
		global: newBucket(globalRate, globalBurst),
		chats:  map[string]*bucket{},
		groups: map[string]*bucket{},
	}
}

// reserve takes a token from every bucket that applies and returns the
// longest wait, with a function that gives the tokens back.
func (p *pacer) reserve(chat string, group bool) (time.Duration, func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.now()
	buckets := []*bucket{p.global, p.bucket(p.chats, chat, chatRate, chatBurst, now)}
	if group {
		buckets = append(buckets, p.bucket(p.groups, chat, groupRate, groupBurst, now))
	}
	var wait time.Duration
	for _, b := range buckets {
		wait = max(wait, b.reserve(now))
	}
	return wait, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, b := range buckets {
			b.cancel()
		}
	}
}

func (p *pacer) bucket(m map[string]*bucket, key string, rate, burst float64, now time.Time) *bucket {
	if b, ok := m[key]; ok {
		return b
	}
	if len(m) >= maxIdleBuckets {
		for k, b := range m {
			if b.full(now) {
				delete(m, k)
			}
		}
	}
	b := newBucket(rate, burst)
	m[key] = b
	return b
}

// wait blocks until a message to chat may go out, or ctx ends.
func (p *pacer) wait(ctx context.Context, chat string, group bool) error {
	d, cancel := p.reserve(chat, group)
	if d == 0 {
		return nil
	}
	if err := sleep(ctx, d); err != nil {
		cancel()
		return err
	}
	return nil
}
