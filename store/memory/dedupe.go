package memory

import (
	"context"
	"sync"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// DefaultDedupeWindow is how long a handled event ID is remembered.
const DefaultDedupeWindow = time.Hour

// DefaultDedupeProcessing is how long a claim holds before Done.
const DefaultDedupeProcessing = 2 * time.Minute

// DedupeOptions configures Deduper.
type DedupeOptions struct {
	// Window is how long a handled ID is remembered (default 1 hour).
	Window time.Duration
	// Processing is how long a claim holds before Done (default 2
	// minutes, at most Window).
	Processing time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Deduper is a bot.Deduper in process memory.
type Deduper struct {
	window     time.Duration
	processing time.Duration
	now        func() time.Time

	mu     sync.Mutex
	seen   map[string]time.Time // id -> when the claim runs out
	claims int
}

var _ bot.Deduper = (*Deduper)(nil)

// NewDeduper returns a Deduper that remembers nothing yet.
func NewDeduper(opts DedupeOptions) *Deduper {
	if opts.Window <= 0 {
		opts.Window = DefaultDedupeWindow
	}
	if opts.Processing <= 0 {
		opts.Processing = DefaultDedupeProcessing
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Deduper{window: opts.Window, processing: min(opts.Processing, opts.Window), now: opts.Now, seen: make(map[string]time.Time)}
}

// Claim reports whether id is claimed for the first time within the window.
func (d *Deduper) Claim(ctx context.Context, id string) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, bot.Unavailable(err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	if until, ok := d.seen[id]; ok && now.Before(until) {
		return false, nil
	}
	d.seen[id] = now.Add(d.processing)
	d.claims++
	if d.claims%1024 == 0 {
		for k, until := range d.seen {
			if !now.Before(until) {
				delete(d.seen, k)
			}
		}
	}
	return true, nil
}

// Done keeps id for the whole window.
func (d *Deduper) Done(ctx context.Context, id string) error {
	d.mu.Lock()
	d.seen[id] = d.now().Add(d.window)
	d.mu.Unlock()
	return nil
}

// Release forgets id.
func (d *Deduper) Release(ctx context.Context, id string) error {
	d.mu.Lock()
	delete(d.seen, id)
	d.mu.Unlock()
	return nil
}
