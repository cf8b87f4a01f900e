package hire

import (
	"context"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// noMetrics is the Metrics of a bot nobody watches.
type noMetrics struct{}

func (noMetrics) EventReceived(string, string) {}

func (noMetrics) EventHandled(string, string, string, time.Duration) {}

func (noMetrics) EventRefused(string, string) {}

func (noMetrics) ReplyDelivered(string, string) {}

func (noMetrics) PaceWaited(string, time.Duration) {}

func (noMetrics) DialogStarted(string) {}

func (noMetrics) DialogCompleted(string) {}

// Observe returns middleware that counts every event and times its
// handling. Put it first (outermost), so it also sees the events Dedupe
// drops as repeats.
func Observe(m bot.Metrics) bot.Middleware {
	if m == nil {
		m = noMetrics{}
	}
	return func(next bot.Handler) bot.Handler {
		return func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
			platform := ev.Chat.Platform
			m.EventReceived(platform, ev.Kind)
			note := &observed{}
			start := time.Now()
			replies, err := next(context.WithValue(ctx, observedKey{}, note), ev)
			if note.duplicate {
				m.EventRefused(platform, "duplicate")
				return replies, err
			}
			result := "ok"
			if err != nil {
				result = bot.ErrorCode(err)
			}
			m.EventHandled(platform, ev.Kind, result, time.Since(start))
			return replies, err
		}
	}
}

// observed is what inner middleware tells Observe about one event.
type observedKey struct{}

type observed struct{ duplicate bool }

// markDuplicate tells Observe, if it is watching, that the event was a
// repeat and was dropped.
func markDuplicate(ctx context.Context) {
	if o, ok := ctx.Value(observedKey{}).(*observed); ok {
		o.duplicate = true
	}
}

// send delivers r through a and counts the outcome.
func (b *Bot) send(ctx context.Context, a bot.Adapter, r bot.Reply) error {
	return b.counted(a.Platform(), a.Send(ctx, b.forPlatform(a.Platform(), r)))
}

// counted counts the outcome err of one delivery on platform, and returns
// err.
func (b *Bot) counted(platform string, err error) error {
	code := ""
	if err != nil {
		code = bot.ErrorCode(err)
	}
	b.metrics.ReplyDelivered(platform, code)
	return err
}
