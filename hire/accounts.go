package hire

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// accounts answers ResolveAccount for the identities seen lately from
// memory: resolving is otherwise a write transaction on every event (it
// creates the account on first sight), and it is the first thing each event
// does. The store stays the truth; the cache forgets:
//
//   - an account this process deletes, links or unlinks (the bot goes
//     through the methods below for that);
//   - an account another replica changed, when its ChangeAccount arrives on
//     the change feed (ShareChanges);
//   - every entry after accountTTL, which bounds how long a missed feed
//     message can mislead a replica.
type accounts struct {
	bot.Store
	now func() time.Time
	// changed tells the other replicas (ShareChanges sets it).
	changed func(bot.Change)

	mu   sync.RWMutex
	byID map[bot.Identity]cachedAccount
}

type cachedAccount struct {
	acct    bot.Account
	expires time.Time
}

const (
	accountTTL = time.Minute
	// maxCachedAccounts bounds the memory: past it the cache starts over.
	maxCachedAccounts = 100_000
)

func newAccounts(s bot.Store, now func() time.Time) *accounts {
	return &accounts{Store: s, now: now, byID: map[bot.Identity]cachedAccount{}}
}

// ResolveAccount implements Store from the cache when it can.
func (c *accounts) ResolveAccount(ctx context.Context, id bot.Identity, name string) (bot.Account, error) {
	now := c.now()
	c.mu.RLock()
	e, ok := c.byID[id]
	c.mu.RUnlock()
	if ok && now.Before(e.expires) {
		a := e.acct
		a.Identities = slices.Clone(a.Identities)
		return a, nil
	}
	a, err := c.Store.ResolveAccount(ctx, id, name)
	if err != nil {
		return a, err
	}
	c.mu.Lock()
	if len(c.byID) >= maxCachedAccounts {
		clear(c.byID)
	}
	c.byID[id] = cachedAccount{acct: bot.Account{ID: a.ID, Name: a.Name, Identities: slices.Clone(a.Identities), CreatedAt: a.CreatedAt}, expires: now.Add(accountTTL)}
	c.mu.Unlock()
	return a, nil
}

// DeleteAccount implements Store and forgets the account.
func (c *accounts) DeleteAccount(ctx context.Context, id int64) error {
	defer c.drop(id)
	return c.Store.DeleteAccount(ctx, id)
}

// LinkAccounts forgets both accounts: one is gone, the other has more
// identities.
func (c *accounts) LinkAccounts(ctx context.Context, code string, now time.Time, redeemer, keep int64) (bot.Account, error) {
	defer c.drop(redeemer)
	a, err := c.Store.LinkAccounts(ctx, code, now, redeemer, keep)
	if err == nil {
		c.drop(a.ID)
	}
	return a, err
}

// UnlinkIdentity forgets the account the identity leaves.
func (c *accounts) UnlinkIdentity(ctx context.Context, id bot.Identity, name string) (bot.Account, error) {
	c.mu.RLock()
	old, ok := c.byID[id]
	c.mu.RUnlock()
	a, err := c.Store.UnlinkIdentity(ctx, id, name)
	c.forget(id)
	if ok {
		c.drop(old.acct.ID)
	}
	return a, err
}

// drop forgets an account here and on the other replicas.
func (c *accounts) drop(accountID int64) {
	c.forgetAccount(accountID)
	c.mu.RLock()
	fn := c.changed
	c.mu.RUnlock()
	if fn != nil {
		fn(bot.Change{Kind: bot.ChangeAccount, ID: accountID})
	}
}

func (c *accounts) setChanged(fn func(bot.Change)) {
	c.mu.Lock()
	c.changed = fn
	c.mu.Unlock()
}

// forgetAccount forgets every identity of the account (another replica
// changed it).
func (c *accounts) forgetAccount(accountID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, e := range c.byID {
		if e.acct.ID == accountID {
			delete(c.byID, id)
		}
	}
}

func (c *accounts) forget(id bot.Identity) {
	c.mu.Lock()
	delete(c.byID, id)
	c.mu.Unlock()
}
