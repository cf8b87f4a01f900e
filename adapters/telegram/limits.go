package telegram

import (
	"context"
	"log/slog"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// Telegram's flood limits for bots, as its FAQ states them: about one
// message per second in a chat, 20 per minute in a group, 30 per second in
// all. A 429 past these still waits and retries (see request).
var (
	chatLimit   = bot.Limit{Rate: 1, Burst: 3}
	groupLimit  = bot.Limit{Rate: 20.0 / 60, Burst: 3}
	globalLimit = bot.Limit{Rate: 30, Burst: 30}
)

// pacer waits for a turn in every bucket that applies to a chat, on the
// limiter the adapter was given.
type pacer struct {
	lim bot.Limiter
	log *slog.Logger
}

// delay reserves a turn for one message to chat and returns how long to
// wait for it.
func (p pacer) delay(ctx context.Context, chat string, group bool) (time.Duration, error) {
	buckets := []bot.Bucket{{Key: "telegram:all", Limit: globalLimit}, {Key: "telegram:chat:" + chat, Limit: chatLimit}}
	if group {
		buckets = append(buckets, bot.Bucket{Key: "telegram:group:" + chat, Limit: groupLimit})
	}
	return bot.Reserve(ctx, p.lim, buckets...)
}

// wait blocks until a message to chat may go out, or ctx ends. When the
// limiter cannot be reached the message goes out unpaced: Telegram's 429
// and its retry_after still hold it back.
func (p pacer) wait(ctx context.Context, chat string, group bool) error {
	d, err := p.delay(ctx, chat, group)
	if err != nil {
		p.log.WarnContext(ctx, "cannot reach the rate limiter; sending unpaced", "err", err)
		return ctx.Err()
	}
	if d == 0 {
		return nil
	}
	return bot.Sleep(ctx, d)
}

// Pace implements bot.Pacer: the outbox reserves a message's turn here, in
// the same buckets Send uses, and sends it when the turn comes.
func (a *Adapter) Pace(ctx context.Context, to bot.Recipient) (time.Duration, error) {
	t, err := resolve(to)
	if err != nil {
		return 0, nil // Send refuses it
	}
	return a.pacer.delay(ctx, t.key(), t.group())
}
