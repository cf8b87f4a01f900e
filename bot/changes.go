package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
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

// SetOnChange makes the index call fn after every Put, Remove, PutJob and
// RemoveJob. Changes applied with Apply are not reported again.
func (ix *Index) SetOnChange(fn func(Change)) {
	ix.mu.Lock()
	ix.onChange = fn
	ix.mu.Unlock()
}

func (ix *Index) changed(c Change) {
	ix.mu.RLock()
	fn := ix.onChange
	ix.mu.RUnlock()
	if fn != nil {
		fn(c)
	}
}

// Apply reloads the record named by c from s into the index: what another
// replica changed becomes visible here.
func (ix *Index) Apply(ctx context.Context, s Store, c Change) error {
	switch c.Kind {
	case ChangeProfile:
		p, err := s.Profile(ctx, c.ID)
		if ErrorCode(err) == ENOTFOUND {
			ix.removeProfile(c.ID)
			return nil
		}
		if err != nil {
			return err
		}
		ix.putProfile(p)
	case ChangeJob:
		j, err := s.Job(ctx, c.ID)
		if ErrorCode(err) == ENOTFOUND {
			ix.removeJob(c.ID)
			return nil
		}
		if err != nil {
			return err
		}
		ix.putJob(j)
	default:
		return fmt.Errorf("bot: unknown change kind %q", c.Kind)
	}
	return nil
}

const (
	// changeBuffer bounds the changes waiting to be published.
	changeBuffer = 4096
	// flushTimeout bounds publishing one change.
	flushTimeout = 2 * time.Second
)

// ShareChanges shares this replica's index changes on feed with the other
// replicas and applies theirs. It starts collecting this replica's changes
// at once, so one made before the returned run starts (a piped chat that
// ends after one line) is not lost; run publishes them and applies the
// others' until ctx ends, then publishes what is left. replica names this
// process, so its own messages are not applied twice.
func (b *Bot) ShareChanges(feed ChangeFeed, replica string) (run func(ctx context.Context) error) {
	pending := make(chan Change, changeBuffer)
	publish := func(c Change) {
		select {
		case pending <- c:
		default:
			b.log.Warn("change feed is behind; other replicas see this change at their next rebuild", "kind", c.Kind, "id", c.ID)
		}
	}
	b.index.SetOnChange(publish)
	b.accounts.setChanged(publish)
	return func(ctx context.Context) error { return b.shareChanges(ctx, feed, replica, pending) }
}

// shareChanges is ShareChanges' run.
func (b *Bot) shareChanges(ctx context.Context, feed ChangeFeed, replica string, pending chan Change) error {
	defer b.index.SetOnChange(nil)
	defer b.accounts.setChanged(nil)
	// A change is published even when ctx has just ended: what this
	// process changed last (a piped chat that ends right after posting)
	// still reaches the others, within flushTimeout.
	send := func(c Change) {
		bound, cancel := context.WithTimeout(context.WithoutCancel(ctx), flushTimeout)
		defer cancel()
		if err := feed.Publish(bound, encodeChange(replica, c)); err != nil {
			b.log.Warn("publishing a change failed", "kind", c.Kind, "id", c.ID, "err", err)
		}
	}
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for {
			select {
			case c := <-pending:
				send(c)
			case <-ctx.Done():
				for {
					select {
					case c := <-pending:
						send(c)
					default:
						return
					}
				}
			}
		}
	}()
	defer func() { <-sent }()
	return feed.Subscribe(ctx, func(msg string) {
		from, c, err := decodeChange(msg)
		if err != nil {
			b.log.Warn("bad change message", "msg", msg, "err", err)
			return
		}
		if from == replica {
			return
		}
		if c.Kind == ChangeAccount {
			b.accounts.forgetAccount(c.ID)
			return
		}
		if err := b.index.Apply(ctx, b.store, c); err != nil {
			b.log.Warn("applying a change failed", "kind", c.Kind, "id", c.ID, "err", err)
		}
	})
}

// A change travels as "<replica> <kind> <id>".
func encodeChange(replica string, c Change) string {
	return replica + " " + c.Kind + " " + strconv.FormatInt(c.ID, 10)
}

func decodeChange(msg string) (string, Change, error) {
	parts := strings.Fields(msg)
	if len(parts) != 3 {
		return "", Change{}, errors.New("want three fields")
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return "", Change{}, err
	}
	return parts[0], Change{Kind: parts[1], ID: id}, nil
}
