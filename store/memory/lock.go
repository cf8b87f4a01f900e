package memory

import (
	"context"
	"sync"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// LockOptions configures Locker.
type LockOptions struct {
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Locker is a bot.Locker in process memory.
type Locker struct {
	now func() time.Time

	mu     sync.Mutex
	held   map[string]holding
	tokens uint64
}

type holding struct {
	token   uint64
	expires time.Time
}

var _ bot.Locker = (*Locker)(nil)

// NewLocker returns a Locker with no lease held.
func NewLocker(opts LockOptions) *Locker {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Locker{now: opts.Now, held: make(map[string]holding)}
}

// Acquire takes the lease called name for ttl, unless someone holds it.
func (l *Locker) Acquire(ctx context.Context, name string, ttl time.Duration) (bot.Lease, bool, error) {
	if err := ctx.Err(); err != nil {
		return nil, false, bot.Unavailable(err)
	}
	if ttl <= 0 {
		return nil, false, bot.Errorf(bot.EINVALID, "lease %q: ttl must be positive", name)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if h, ok := l.held[name]; ok && now.Before(h.expires) {
		return nil, false, nil
	}
	l.tokens++
	l.held[name] = holding{token: l.tokens, expires: now.Add(ttl)}
	return &lease{locker: l, name: name, token: l.tokens}, true, nil
}

// lease is one holding; token tells it apart from later holdings.
type lease struct {
	locker *Locker
	name   string
	token  uint64
}

func (s *lease) Renew(ctx context.Context, ttl time.Duration) error {
	if err := ctx.Err(); err != nil {
		return bot.Unavailable(err)
	}
	if ttl <= 0 {
		return bot.Errorf(bot.EINVALID, "lease %q: ttl must be positive", s.name)
	}
	l := s.locker
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	h, ok := l.held[s.name]
	if !ok || h.token != s.token || !now.Before(h.expires) {
		return bot.ErrLeaseLost
	}
	l.held[s.name] = holding{token: s.token, expires: now.Add(ttl)}
	return nil
}

func (s *lease) Release(ctx context.Context) error {
	l := s.locker
	l.mu.Lock()
	defer l.mu.Unlock()
	h, ok := l.held[s.name]
	if !ok || h.token != s.token {
		return bot.ErrLeaseLost
	}
	delete(l.held, s.name)
	if !l.now().Before(h.expires) {
		return bot.ErrLeaseLost
	}
	return nil
}
