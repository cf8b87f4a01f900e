package bot

import (
	"context"
	"sync"
	"time"
)

// InboxEntry is one event in the inbox.
type InboxEntry struct {
	// ID names the event among all platforms: its platform and Event.ID.
	ID string
	// Conversation is the person the event came from: the inbox hands out
	// a conversation's events in the order they were recorded, each once
	// the one before it is done.
	Conversation string
	Event        Event
	// Attempts counts the leases taken on the entry, the first included.
	Attempts int
	// Replies, when not nil, are the replies of the handled event that
	// its worker did not confirm as delivered: whoever takes the entry
	// over sends them, and does not handle the event again.
	Replies []Reply
}

// InboxState is what Record did with an event.
type InboxState int

const (
	// InboxLeased: the event is recorded (or was recorded and its lease
	// ran out) and is now leased to the caller, who handles it.
	InboxLeased InboxState = iota
	// InboxQueued: the event is recorded, and an earlier event of the same
	// conversation is not done yet: Take hands it out after that one.
	InboxQueued
	// InboxSeen: the event was done within the window, or another holder's
	// lease on it still holds. Nothing is to be done.
	InboxSeen
)

// Inbox keeps acknowledged events until they are handled, and handled ones
// for the implementation's window. Leases are named by their owner (one
// per process). store/sqldb implements it in the database that holds the
// data the events change; store/storetest checks these rules.
type Inbox interface {
	// Record stores e and leases it to owner for ttl. An event recorded
	// before is not stored twice: it is InboxSeen while done or leased by
	// someone, and leased to owner again (Attempts grows) when its lease
	// ran out. A new event behind an unfinished one of its conversation is
	// InboxQueued, without a lease. Once Record returns, the event is
	// durable. An error means nothing is known to be recorded; it is
	// wrapped with Unavailable when the store is unreachable.
	Record(ctx context.Context, e InboxEntry, owner string, ttl time.Duration) (InboxState, error)
	// Take leases to owner for ttl, among the events whose lease ran out,
	// the oldest handled one whose replies wait (Replies set), else the
	// oldest that is not done and first among the unfinished ones of its
	// conversation. ok is false when there is none.
	Take(ctx context.Context, owner string, ttl time.Duration) (e InboxEntry, ok bool, err error)
	// Renew extends owner's lease on id to ttl from now. ErrLeaseLost when
	// owner does not hold it (it ran out and was taken over, or is done).
	Renew(ctx context.Context, id, owner string, ttl time.Duration) error
	// Done records that id was handled; it is kept for the window. When
	// pending holds replies, they are kept with it, and owner keeps the
	// lease for ttl to deliver them; Delivered drops them, and Take hands
	// them to another owner once the lease runs out. Done returns
	// ErrLeaseLost when owner no longer held the lease (another holder may
	// have handled it too), and marks it done, without replies, all the
	// same.
	Done(ctx context.Context, id, owner string, pending []Reply, ttl time.Duration) error
	// Delivered drops the pending replies of the events ids that owner
	// holds. Ids owner does not hold are left alone.
	Delivered(ctx context.Context, owner string, ids ...string) error
	// Release gives up owner's lease on id without handling it: Take hands
	// it out again from at (at once when at is zero). Forget instead drops
	// the event, so that the next delivery of it is handled as new.
	Release(ctx context.Context, id, owner string, at time.Time) error
	Forget(ctx context.Context, id, owner string) error
	// Purge drops the events done before t; it returns how many.
	Purge(ctx context.Context, before time.Time) (int64, error)
}

// InboxID is the inbox name of ev: its platform and its ID.
func InboxID(ev Event) string { return ev.From.Platform + ":" + ev.ID }

// acceptKey carries the signal of WithAccept.
type acceptKey struct{}

type acceptance struct {
	once sync.Once
	ch   chan struct{}
	// delivered, set by the inbox when the event was handled with
	// replies, confirms their delivery.
	mu        sync.Mutex
	delivered func()
}

// WithAccept returns ctx carrying a signal that the core closes once it has
// taken the event: the inbox recorded it (it is durable), or Dedupe
// claimed it. An adapter that answers its platform before the bot is done
// (Slack's three seconds, Telegram's getUpdates offset) waits for this
// signal, or for the handler's return, before it acknowledges. An adapter
// that passes such a ctx promises to call Delivered with it once it has
// delivered the handler's replies: until then the inbox keeps them, and
// sends them itself if the process dies first.
func WithAccept(ctx context.Context) (context.Context, <-chan struct{}) {
	a := &acceptance{ch: make(chan struct{})}
	return context.WithValue(ctx, acceptKey{}, a), a.ch
}

// Accept closes the signal of WithAccept, once: whatever takes the event
// durably calls it (the inbox, Dedupe), and so do fakes of the core in
// adapters' tests.
func Accept(ctx context.Context) {
	a, ok := ctx.Value(acceptKey{}).(*acceptance)
	if !ok {
		return
	}
	a.once.Do(func() { close(a.ch) })
}

// Delivered tells the inbox that the replies of the event handled under
// ctx (a ctx of WithAccept) went out. Without it the inbox sends them
// again after its lease.
func Delivered(ctx context.Context) {
	a, ok := ctx.Value(acceptKey{}).(*acceptance)
	if !ok {
		return
	}
	a.mu.Lock()
	f := a.delivered
	a.delivered = nil
	a.mu.Unlock()
	if f != nil {
		f()
	}
}

// onDelivered makes Delivered(ctx) call f, and reports whether an adapter
// promised to (ctx is a ctx of WithAccept).
func OnDelivered(ctx context.Context, f func()) bool {
	a, ok := ctx.Value(acceptKey{}).(*acceptance)
	if !ok {
		return false
	}
	a.mu.Lock()
	a.delivered = f
	a.mu.Unlock()
	return true
}
