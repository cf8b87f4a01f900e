package bot

import (
	"context"
	"time"
)

// Change kinds.
const (
	ChangeProfile = "profile"
	ChangeJob     = "job"
	// ChangeAccount says an account was deleted, linked or unlinked: other
	// replicas forget what they cached about it.
	ChangeAccount = "account"
)

// Change names a record whose match-index entry changed. It says what to
// reload, not what the record is: the store stays the truth.
type Change struct {
	Kind string
	ID   int64
}

// ChangeFeed carries changes between replicas, so each keeps its
// in-memory match index fresh without a restart. store/redis implements it
// with pub/sub: a message is small, fire-and-forget, and a replica that
// misses one (say, while reconnecting) catches up at its next rebuild.
type ChangeFeed interface {
	// Publish sends msg to every subscriber, this replica's included.
	Publish(ctx context.Context, msg string) error
	// Subscribe calls fn for every message until ctx ends, reconnecting
	// by itself; it returns nil when ctx ends.
	Subscribe(ctx context.Context, fn func(msg string)) error
}

// ProfileLog is the store's durable list of changed profiles: every
// transaction that changes what a profile is in the match index (saved, status
// changed, deleted, merged into another account) adds the account's ID to
// it, numbered in order. A snapshot of the match index is stamped
// with a position in it, and a replica that loads the snapshot reloads the
// profiles logged after it.
type ProfileLog interface {
	// ProfileLogPosition returns the position of the newest change made
	// before t, 0 when there is none.
	ProfileLogPosition(ctx context.Context, before time.Time) (int64, error)
	// ProfileLogSpan returns the positions of the oldest and the newest
	// change the log still holds, 0 and 0 when it holds none.
	ProfileLogSpan(ctx context.Context) (oldest, newest int64, err error)
	// ProfileChanges calls fn with the account of every change after
	// position after, in order, and stops at fn's first error.
	ProfileChanges(ctx context.Context, after int64, fn func(accountID int64) error) error
}
