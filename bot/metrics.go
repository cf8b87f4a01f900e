package bot

import (
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
