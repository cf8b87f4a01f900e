package memory

import (
	"context"
	"slices"
	"sync"
	"time"
)

// ValuesOptions configures Values.
type ValuesOptions struct {
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Values keeps small named values and rolls of live members in process
// memory: the twin of store/redis's Values for one process.
type Values struct {
	now func() time.Time

	mu     sync.Mutex
	values map[string]expiring
	rolls  map[string]map[string]time.Time // roll -> member -> when it runs out
}

type expiring struct {
	value   string
	expires time.Time // zero: never
}

// NewValues returns an empty Values.
func NewValues(opts ValuesOptions) *Values {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Values{now: opts.Now, values: map[string]expiring{}, rolls: map[string]map[string]time.Time{}}
}

// Value returns the value called name; "" when none was set or it expired.
func (v *Values) Value(ctx context.Context, name string) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	e, ok := v.values[name]
	if !ok || (!e.expires.IsZero() && !v.now().Before(e.expires)) {
		return "", nil
	}
	return e.value, nil
}

// SetValue sets name to value until ttl has passed; 0 keeps it for good.
func (v *Values) SetValue(ctx context.Context, name, value string, ttl time.Duration) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	e := expiring{value: value}
	if ttl > 0 {
		e.expires = v.now().Add(ttl)
	}
	v.values[name] = e
	return nil
}

// Beat marks member of roll alive for ttl and returns the members alive,
// sorted.
func (v *Values) Beat(ctx context.Context, roll, member string, ttl time.Duration) ([]string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	now := v.now()
	r := v.rolls[roll]
	if r == nil {
		r = map[string]time.Time{}
		v.rolls[roll] = r
	}
	r[member] = now.Add(ttl)
	var alive []string
	for m, until := range r {
		if !now.Before(until) {
			delete(r, m)
			continue
		}
		alive = append(alive, m)
	}
	slices.Sort(alive)
	return alive, nil
}

// Leave takes member off roll at once.
func (v *Values) Leave(ctx context.Context, roll, member string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	delete(v.rolls[roll], member)
	return nil
}
