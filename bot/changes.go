package bot

import (
	"context"
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
