// Package memory holds in-process twins of hirebot's shared runtime state:
// sessions, event dedupe, leases and rate limits. They are right for one
// process (the terminal chat, a single replica, tests); state is lost on
// restart and not shared between replicas — store/redis is for that.
package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/hirebot/hirebot/conversation"
)

// DefaultSessionTTL is how long an untouched session lives.
const DefaultSessionTTL = 7 * 24 * time.Hour

// SessionOptions configures Sessions.
type SessionOptions struct {
	// TTL is how long a session lives after its last save (default 7 days).
	TTL time.Duration
	// Now is the clock (default time.Now); tests inject their own.
	Now func() time.Time
}

// Sessions is a parse.SessionStore in process memory.
type Sessions struct {
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	entries map[string]sessionEntry
	// last is the last version handed out by any save. Versions come from
	// one counter so a key deleted and started again never reuses one.
	last  int64
	saves int
}

type sessionEntry struct {
	version int64
	data    []byte // JSON, so callers never share maps or slices with the store
	expires time.Time
}

var _ conversation.SessionStore = (*Sessions)(nil)

// NewSessions returns an empty store.
func NewSessions(opts SessionOptions) *Sessions {
	if opts.TTL <= 0 {
		opts.TTL = DefaultSessionTTL
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Sessions{ttl: opts.TTL, now: opts.Now, entries: make(map[string]sessionEntry)}
}

// Load returns the session under key, or parse.ErrNoSession.
func (s *Sessions) Load(ctx context.Context, key string) (conversation.Session, error) {
	if err := ctx.Err(); err != nil {
		return conversation.Session{}, err
	}
	s.mu.Lock()
	e, ok := s.live(key)
	s.mu.Unlock()
	if !ok {
		return conversation.Session{}, conversation.ErrNoSession
	}
	var sess conversation.Session
	if err := json.Unmarshal(e.data, &sess); err != nil {
		return conversation.Session{}, fmt.Errorf("memory: decode session %q: %w", key, err)
	}
	sess.Key = key
	sess.Version = e.version
	return sess, nil
}

// Save stores sess if the stored version equals sess.Version (0 for none)
// and returns the new version; otherwise parse.ErrConflict.
func (s *Sessions) Save(ctx context.Context, sess conversation.Session) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	data, err := json.Marshal(sess)
	if err != nil {
		return 0, fmt.Errorf("memory: encode session %q: %w", sess.Key, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var current int64
	if e, ok := s.live(sess.Key); ok {
		current = e.version
	}
	if current != sess.Version {
		return 0, conversation.ErrConflict
	}
	s.last++
	now := s.now()
	s.entries[sess.Key] = sessionEntry{version: s.last, data: data, expires: now.Add(s.ttl)}
	s.saves++
	if s.saves%1024 == 0 {
		s.sweep(now)
	}
	return s.last, nil
}

// Delete removes the session under key; a missing one is not an error.
func (s *Sessions) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	delete(s.entries, key)
	s.mu.Unlock()
	return nil
}

// live returns the unexpired entry under key, dropping an expired one.
// The caller holds mu.
func (s *Sessions) live(key string) (sessionEntry, bool) {
	e, ok := s.entries[key]
	if !ok {
		return sessionEntry{}, false
	}
	if !s.now().Before(e.expires) {
		delete(s.entries, key)
		return sessionEntry{}, false
	}
	return e, true
}

// sweep drops every expired entry so abandoned dialogs do not pile up.
// The caller holds mu.
func (s *Sessions) sweep(now time.Time) {
	for k, e := range s.entries {
		if !now.Before(e.expires) {
			delete(s.entries, k)
		}
	}
}
