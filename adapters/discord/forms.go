package discord

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// formCache keeps Forms that could not be opened as a modal when they were
// produced (Discord opens a modal only as the first answer to an
// interaction). The message carries a button whose custom_id names the
// entry; pressing it opens the modal. Entries live as long as an
// interaction token (15 minutes) and the cache is bounded. It is per
// process: with several replicas behind the HTTP endpoint a press may land
// on another one, which then says the form expired.
type formCache struct {
	mu      sync.Mutex
	max     int
	ttl     time.Duration
	now     func() time.Time
	entries map[string]formEntry
}

type formEntry struct {
	form    bot.Form
	expires time.Time
}

func newFormCache(max int, ttl time.Duration) *formCache {
	return &formCache{max: max, ttl: ttl, now: time.Now, entries: map[string]formEntry{}}
}

// put stores a copy of f and returns its key (16 hex characters).
func (c *formCache) put(f *bot.Form) string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	key := hex.EncodeToString(b[:])
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	for k, e := range c.entries {
		if now.After(e.expires) {
			delete(c.entries, k)
		}
	}
	for k := range c.entries {
		if len(c.entries) < c.max {
			break
		}
		delete(c.entries, k) // bounded: drop arbitrary old entries
	}
	cp := *f
	cp.Errors = nil
	cp.Fields = append([]bot.FormField(nil), f.Fields...)
	c.entries[key] = formEntry{form: cp, expires: now.Add(c.ttl)}
	return key
}

// get returns the form stored under key, if it has not expired.
func (c *formCache) get(key string) (*bot.Form, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || c.now().After(e.expires) {
		return nil, false
	}
	f := e.form
	return &f, true
}
