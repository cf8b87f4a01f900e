package bot

import (
	"context"
	"errors"
	"time"
)

// Deduper remembers which events were handled, so an event the platform
// delivers twice (Slack retries, Telegram re-delivery after a restart, a
// double-clicked Discord button) has its effect once.
type Deduper interface {
	// Claim marks id as being handled and reports whether this is the first
	// claim of id. The claim first lasts the implementation's processing
	// time only: if the handler never finishes (the process crashed), the
	// claim runs out and the platform's re-delivery is handled. A second
	// Claim while a claim holds returns false; after it runs out, or after
	// Release, a Claim returns true again. An error means nothing was
	// claimed (the store is unreachable); implementations wrap it with
	// Unavailable.
	Claim(ctx context.Context, id string) (first bool, err error)
	// Done records that id was handled: it stays claimed for the whole
	// window the implementation is configured with, whether or not its
	// first claim still held.
	Done(ctx context.Context, id string) error
	// Release forgets id, so the next delivery of the event is handled.
	// Releasing an id that is not claimed is not an error.
	Release(ctx context.Context, id string) error
}

// ErrLeaseLost is returned by Lease.Renew and Lease.Release when the lease
// expired, and perhaps another replica holds it now. The holder must stop
// the work it guarded.
var ErrLeaseLost = errors.New("bot: lease lost")

// Locker hands out named leases, so periodic work (expiring jobs, sending
// reminders and digests) runs on one replica at a time.
type Locker interface {
	// Acquire takes the lease called name for ttl. It returns ok false and
	// a nil Lease, without error, while someone else holds an unexpired
	// lease of that name. An error means the store is unreachable.
	Acquire(ctx context.Context, name string, ttl time.Duration) (l Lease, ok bool, err error)
}

// Lease is one holding of a named lease. Only its holder can renew or
// release it: each Acquire gets its own token, and a lease that expired and
// was taken by another holder is not touched by the old one.
type Lease interface {
	// Renew extends the lease to ttl from now. It returns ErrLeaseLost
	// when this holding expired or another holder has the name.
	Renew(ctx context.Context, ttl time.Duration) error
	// Release gives the lease up so another replica can take it at once.
	// It returns ErrLeaseLost when this holding had already expired;
	// another holder's lease is left alone.
	Release(ctx context.Context) error
}

// Hold renews l every ttl/3 until stop is called, then releases it. When a
// renewal fails, lost is called once with the error (if it is non-nil) and
// renewing stops; the holder must stop the work the lease guarded.
func Hold(l Lease, ttl time.Duration, lost func(error)) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(ttl / 3)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := l.Renew(ctx, ttl); err != nil && ctx.Err() == nil {
					if lost != nil {
						lost(err)
					}
					return
				}
			}
		}
	}()
	return func() {
		cancel()
		<-done
		_ = l.Release(context.Background())
	}
}

// Sleep waits d, or until ctx ends and then returns its error.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Limit is a token bucket: Rate tokens per second flow into a bucket that
// holds at most Burst tokens. A bucket nobody used is full.
type Limit struct {
	// Rate is how many tokens per second refill the bucket; must be > 0.
	Rate float64
	// Burst is the size of the bucket; must be >= 1.
	Burst int
}

// Valid reports whether l can be used: Rate > 0 and Burst >= 1.
func (l Limit) Valid() bool { return l.Rate > 0 && l.Burst >= 1 }

// Limiter paces outbound work per key (a platform, a chat) without
// blocking.
type Limiter interface {
	// Reserve takes one token from the bucket under key, refilled by limit,
	// and returns how long the caller must wait before acting: 0 when a
	// token was there. The token is taken either way, so the caller waits
	// delay and then acts; it does not call Reserve again for the same
	// action. Reservations queue: the n-th reservation past an empty bucket
	// waits about n/Rate. An invalid limit is an *Error with EINVALID; an
	// unreachable store is wrapped with Unavailable.
	Reserve(ctx context.Context, key string, limit Limit) (delay time.Duration, err error)
}

// Bucket is one rate limit a message counts against, under a key every
// replica of the bot shares.
type Bucket struct {
	Key   string
	Limit Limit
}

// Reserve takes a turn in every bucket on lim and returns the longest wait
// among them (0: act now). With a nil lim it is always 0.
func Reserve(ctx context.Context, lim Limiter, buckets ...Bucket) (time.Duration, error) {
	if lim == nil {
		return 0, nil
	}
	var wait time.Duration
	for _, b := range buckets {
		d, err := lim.Reserve(ctx, b.Key, b.Limit)
		if err != nil {
			return 0, err
		}
		wait = max(wait, d)
	}
	return wait, nil
}

// Pacer is an optional ability of an Adapter that keeps what it sends under
// its platform's rate limits, which only the adapter knows. Pace reserves
// the turn of one message to to and returns how long to wait for it (0:
// send now). The outbox asks it before each send; when the turn is later it
// requeues the notification for then instead of holding a worker, and
// sends it under a ctx of Paced. A platform without it is not paced.
type Pacer interface {
	Pace(ctx context.Context, to Recipient) (time.Duration, error)
}

type pacedKey struct{}

// Paced returns ctx marked as carrying a message whose turn is reserved
// already (Pacer.Pace): Send does not reserve another for its first
// message.
func Paced(ctx context.Context) context.Context { return context.WithValue(ctx, pacedKey{}, true) }

// IsPaced reports whether ctx is a ctx of Paced.
func IsPaced(ctx context.Context) bool { v, _ := ctx.Value(pacedKey{}).(bool); return v }

// UnavailableMessage is what a person reads when hirebot cannot reach the
// state it keeps between messages.
const UnavailableMessage = "I can't reach my memory right now, please try again in a minute."

// Unavailable wraps a dependency failure (Redis down or slow) into an
// *Error with code EUNAVAILABLE and UnavailableMessage, keeping err as the
// cause for logs and errors.Is. It returns nil for nil, and an error that
// already has code EUNAVAILABLE unchanged.
func Unavailable(err error) error {
	if err == nil {
		return nil
	}
	if ErrorCode(err) == EUNAVAILABLE {
		return err
	}
	return &Error{Code: EUNAVAILABLE, Message: UnavailableMessage, Err: err}
}
