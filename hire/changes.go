package hire

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/hirebot/hirebot/bot"
)

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
func (b *Bot) ShareChanges(feed bot.ChangeFeed, replica string) (run func(ctx context.Context) error) {
	pending := make(chan bot.Change, changeBuffer)
	publish := func(c bot.Change) {
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
func (b *Bot) shareChanges(ctx context.Context, feed bot.ChangeFeed, replica string, pending chan bot.Change) error {
	defer b.index.SetOnChange(nil)
	defer b.accounts.setChanged(nil)
	// A change is published even when ctx has just ended: what this
	// process changed last (a piped chat that ends right after posting)
	// still reaches the others, within flushTimeout.
	send := func(c bot.Change) {
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
		if c.Kind == bot.ChangeAccount {
			b.accounts.forgetAccount(c.ID)
			return
		}
		if err := b.index.Apply(ctx, b.store, c); err != nil {
			b.log.Warn("applying a change failed", "kind", c.Kind, "id", c.ID, "err", err)
		}
	})
}

// A change travels as "<replica> <kind> <id>".
func encodeChange(replica string, c bot.Change) string {
	return replica + " " + c.Kind + " " + strconv.FormatInt(c.ID, 10)
}

func decodeChange(msg string) (string, bot.Change, error) {
	parts := strings.Fields(msg)
	if len(parts) != 3 {
		return "", bot.Change{}, errors.New("want three fields")
	}
	id, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return "", bot.Change{}, err
	}
	return parts[0], bot.Change{Kind: parts[1], ID: id}, nil
}
