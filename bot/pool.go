package bot

import (
	"context"
	"time"
)

// DefaultPool is the pool [Save] puts people in.
const DefaultPool = "Saved"

// Scope is where a pool or a privacy rule applies: a Slack team, a Discord
// server, a Telegram group ("chat:<id>"), or one person where the platform
// has no workspace ("acct:<id>"). Platform "" in a privacy rule means any
// platform.
type Scope struct {
	Platform  string `json:"platform"`
	Workspace string `json:"workspace"`
}

func (s Scope) String() string {
	if s.Platform == "" {
		return s.Workspace
	}
	return s.Platform + ":" + s.Workspace
}

// Pool is a named list of freelancers kept by a workspace.
type Pool struct {
	ID        int64        `json:"id"`
	Scope     Scope        `json:"scope"`
	Name      string       `json:"name"`
	Members   []PoolMember `json:"members"`
	CreatedAt time.Time    `json:"created_at"`
}

// PoolMember is one freelancer in a pool.
type PoolMember struct {
	AccountID int64     `json:"account_id"`
	AddedBy   int64     `json:"added_by,omitempty"` // 0 once that person is erased
	AddedAt   time.Time `json:"added_at"`
}

// PoolStore keeps talent pools.
type PoolStore interface {
	// AddToPool adds accountID to the pool called name (case-insensitive)
	// of scope, creating the pool, and returns the pool with its members.
	// ENOTFOUND if the account or addedBy does not exist; ECONFLICT when
	// the account is already in that pool; EINVALID for an empty name.
	AddToPool(ctx context.Context, scope Scope, name string, accountID, addedBy int64) (Pool, error)
	// RemoveFromPool takes accountID out of the pool called name of
	// scope; a pool left empty is deleted. ENOTFOUND when it is not in it.
	RemoveFromPool(ctx context.Context, scope Scope, name string, accountID int64) error
	// Pools returns the pools of scope with their members (oldest first),
	// by name. Pools of other scopes are never returned.
	Pools(ctx context.Context, scope Scope) ([]Pool, error)
}
