package redis

import (
	"context"

	"github.com/hirebot/hirebot/bot"
)

// Changes is the bot.ChangeFeed on Redis pub/sub, under the store's prefix.
type Changes struct{ s *Store }

var _ bot.ChangeFeed = (*Changes)(nil)

// Changes returns the change feed of this Redis.
func (s *Store) Changes() *Changes { return &Changes{s: s} }

func (c *Changes) channel() string { return c.s.prefix + "changes" }

// Publish sends msg to every replica subscribed now.
func (c *Changes) Publish(ctx context.Context, msg string) error {
	ctx, cancel := c.s.call(ctx)
	defer cancel()
	if err := c.s.client.Publish(ctx, c.channel(), msg).Err(); err != nil {
		return c.s.fail("publish change", err)
	}
	return nil
}

// Subscribe calls fn for each message until ctx ends. go-redis
// re-subscribes by itself after a lost connection; messages published
// meanwhile are missed (pub/sub keeps nothing), which a rebuild repairs.
func (c *Changes) Subscribe(ctx context.Context, fn func(msg string)) error {
	ps := c.s.client.Subscribe(ctx, c.channel())
	defer ps.Close()
	msgs := ps.Channel()
	for {
		select {
		case <-ctx.Done():
			return nil
		case m, ok := <-msgs:
			if !ok {
				return nil
			}
			fn(m.Payload)
		}
	}
}
