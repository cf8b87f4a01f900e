package redis

import (
	"context"

	"github.com/hirebot/hirebot/bot"
)

// Deduper is a bot.Deduper in Redis: a claim is SET NX with the
// processing time as its time to live, Done a SET with the window.
type Deduper struct{ s *Store }

var _ bot.Deduper = (*Deduper)(nil)

// Claim reports whether id is claimed for the first time within the window.
func (d *Deduper) Claim(ctx context.Context, id string) (bool, error) {
	ctx, cancel := d.s.call(ctx)
	defer cancel()
	first, err := d.s.client.SetNX(ctx, d.s.key("event", id), 1, d.s.processing).Result()
	if err != nil {
		return false, d.s.fail("claim event", err)
	}
	return first, nil
}

// Done keeps id for the whole window.
func (d *Deduper) Done(ctx context.Context, id string) error {
	ctx, cancel := d.s.call(ctx)
	defer cancel()
	if err := d.s.client.Set(ctx, d.s.key("event", id), 2, d.s.window).Err(); err != nil {
		return d.s.fail("mark event done", err)
	}
	return nil
}

// Release forgets id.
func (d *Deduper) Release(ctx context.Context, id string) error {
	ctx, cancel := d.s.call(ctx)
	defer cancel()
	if err := d.s.client.Del(ctx, d.s.key("event", id)).Err(); err != nil {
		return d.s.fail("release event", err)
	}
	return nil
}
