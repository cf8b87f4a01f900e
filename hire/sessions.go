package hire

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/hirebot/hirebot/conversation"
)

// sessions remembers the running dialogs this process read or saved last, so that
// the next message of a dialog does not read its session from the store
// (a Redis round trip on every message). The store stays the truth. A
// remembered session may be stale (another replica stepped the dialog, or
// it expired), and it is used only where a compare-and-set checks it: a
// message inside a dialog steps the remembered session, and the save of
// the step fails with ErrConflict when the stored version moved on; the
// turn then reads the store and starts over (turn.advance). A turn that
// would act on a remembered session without saving it reads the store
// first (turn.verified).
//
// Every load, save and delete of the bot goes through sessions (and a
// claimed event's save tells it, saveSession), so this process's own
// reads and writes keep the memory right; entries are forgotten after
// rememberSession, and all of them past maxRemembered.
type sessions struct {
	conversation.SessionStore
	now func() time.Time

	mu   sync.Mutex
	byID map[string]remembered
}

type remembered struct {
	sess  conversation.Session
	saved time.Time
}

const (
	// rememberSession bounds how long a dialog is stepped from memory
	// without a read of the store: a dialog idle longer is read again.
	rememberSession = 10 * time.Minute
	// maxRemembered bounds the memory: past it the cache starts over.
	maxRemembered = 20_000
)

func newSessions(s conversation.SessionStore, now func() time.Time) *sessions {
	return &sessions{SessionStore: s, now: now, byID: map[string]remembered{}}
}

// recall returns the session under key as this process last read or
// saved it, when it is a running dialog seen within rememberSession. The session
// is a copy the caller may change.
func (c *sessions) recall(key string) (conversation.Session, bool) {
	c.mu.Lock()
	e, ok := c.byID[key]
	if ok && c.now().Sub(e.saved) > rememberSession {
		delete(c.byID, key)
		ok = false
	}
	c.mu.Unlock()
	if !ok {
		return conversation.Session{}, false
	}
	return copySession(e.sess), true
}

// Load implements SessionStore: it reads the store, never the memory, and
// remembers what it read.
func (c *sessions) Load(ctx context.Context, key string) (conversation.Session, error) {
	s, err := c.SessionStore.Load(ctx, key)
	if err != nil {
		c.forget(key)
		return s, err
	}
	c.remember(s)
	return s, nil
}

// Save implements SessionStore and remembers what it saved.
func (c *sessions) Save(ctx context.Context, s conversation.Session) (int64, error) {
	v, err := c.SessionStore.Save(ctx, s)
	if err != nil {
		c.forget(s.Key)
		return v, err
	}
	s.Version = v
	c.remember(s)
	return v, nil
}

// Delete implements SessionStore and forgets the session.
func (c *sessions) Delete(ctx context.Context, key string) error {
	c.forget(key)
	return c.SessionStore.Delete(ctx, key)
}

// remember keeps s when it is a running dialog, and forgets its key when
// it is not (a completion's claim saves an empty session).
func (c *sessions) remember(s conversation.Session) {
	if !s.Active() {
		c.forget(s.Key)
		return
	}
	s = copySession(s)
	c.mu.Lock()
	if len(c.byID) >= maxRemembered {
		clear(c.byID)
	}
	c.byID[s.Key] = remembered{sess: s, saved: c.now()}
	c.mu.Unlock()
}

func (c *sessions) forget(key string) {
	c.mu.Lock()
	delete(c.byID, key)
	c.mu.Unlock()
}

// copySession returns s with its own maps and slices: a step may change
// the session it is given.
func copySession(s conversation.Session) conversation.Session {
	s.Answers = maps.Clone(s.Answers)
	s.History = slices.Clone(s.History)
	s.Pending = slices.Clone(s.Pending)
	return s
}
