package bot

import (
	"context"
	"time"
)

// Metrics receives the counts an operator watches. The metrics package
// implements it for Prometheus; bot only calls it. Every label is taken
// from a small fixed set (platform names, event kinds, error codes, flow
// names), never from a person, so the series stay few. Implementations are
// safe for concurrent use and never block.
type Metrics interface {
	// EventReceived counts an event as it comes in from a platform.
	EventReceived(platform, kind string)
	// EventHandled counts an event whose handling ended, with result "ok"
	// or the error code of the failure, and how long it took.
	EventHandled(platform, kind, result string, took time.Duration)
	// EventRefused counts a request or event turned away unhandled, by
	// reason: "duplicate" here; adapters' HTTP refusals are counted by
	// whoever serves their routes.
	EventRefused(platform, reason string)
	// ReplyDelivered counts one reply or notification sent through an
	// adapter: code is "" when it went out, else the error code.
	ReplyDelivered(platform, code string)
	// PaceWaited counts a send held back to stay under a platform's rate
	// limit, with the wait.
	PaceWaited(platform string, wait time.Duration)
	// DialogStarted and DialogCompleted count the funnel of each flow.
	DialogStarted(flow string)
	DialogCompleted(flow string)
}

// noMetrics is the Metrics of a bot nobody watches.
type noMetrics struct{}

func (noMetrics) EventReceived(string, string)                       {}
func (noMetrics) EventHandled(string, string, string, time.Duration) {}
func (noMetrics) EventRefused(string, string)                        {}
func (noMetrics) ReplyDelivered(string, string)                      {}
func (noMetrics) PaceWaited(string, time.Duration)                   {}
func (noMetrics) DialogStarted(string)                               {}
func (noMetrics) DialogCompleted(string)                             {}

// Observe returns middleware that counts every event and times its
// handling. Put it first (outermost), so it also sees the events Dedupe
// drops as repeats.
func Observe(m Metrics) Middleware {
	if m == nil {
		m = noMetrics{}
	}
	return func(next Handler) Handler {
		return func(ctx context.Context, ev Event) ([]Reply, error) {
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
				result = ErrorCode(err)
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
func (b *Bot) send(ctx context.Context, a Adapter, r Reply) error {
	return b.counted(a.Platform(), a.Send(ctx, b.forPlatform(a.Platform(), r)))
}

// counted counts the outcome err of one delivery on platform, and returns
// err.
func (b *Bot) counted(platform string, err error) error {
	code := ""
	if err != nil {
		code = ErrorCode(err)
	}
	b.metrics.ReplyDelivered(platform, code)
	return err
}
