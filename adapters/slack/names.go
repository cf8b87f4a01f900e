package slack

import (
	"context"
	"strings"
	"sync"
	"time"
)

// A Slack event carries a user ID and, at best, the user's handle, so the
// adapter asks users.info for the name people see in Slack (the profile's
// display name, else the real name) and keeps it for a while: names change
// rarely, and one call per person an hour is far inside the method's rate
// limit (Tier 4).
const (
	nameTTL = time.Hour
	// nameRetry is how long a failed lookup is not tried again, so a
	// workspace without the users:read scope costs one call a minute.
	nameRetry = time.Minute
	// maxNames bounds the cache; past it, expired entries are dropped.
	maxNames = 10000
)

type names struct {
	mu      sync.Mutex
	entries map[string]nameEntry // by "team/user"
}

type nameEntry struct {
	name    string
	expires time.Time
}

// displayName returns the name Slack shows for user of team, or "" when
// users.info cannot tell (the event's own name is used then).
func (a *Adapter) displayName(ctx context.Context, team, user string) string {
	if user == "" {
		return ""
	}
	key, now := team+"/"+user, a.now()
	a.names.mu.Lock()
	e, ok := a.names.entries[key]
	a.names.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.name
	}
	e = nameEntry{expires: now.Add(nameTTL)}
	c, err := a.client(ctx, team)
	if err == nil {
		u, lookupErr := c.GetUserInfoContext(ctx, user)
		err = lookupErr
		if err == nil {
			e.name = firstNonEmpty(u.Profile.DisplayName, u.Profile.RealName, u.RealName, u.Name)
		}
	}
	if err != nil {
		a.log.Debug("users.info failed; the event's name is used", "workspace", team, "user", user, "err", err)
		e.expires = now.Add(nameRetry)
	}
	a.names.mu.Lock()
	defer a.names.mu.Unlock()
	if a.names.entries == nil {
		a.names.entries = map[string]nameEntry{}
	}
	if len(a.names.entries) >= maxNames {
		for k, old := range a.names.entries {
			if !now.Before(old.expires) {
				delete(a.names.entries, k)
			}
		}
	}
	if len(a.names.entries) < maxNames {
		a.names.entries[key] = e
	}
	return e.name
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}
