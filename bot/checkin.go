package bot

import (
	"context"
	"time"
)

// Checkin is the availability check-in state of one freelancer.
type Checkin struct {
	AccountID int64 `json:"account_id"`
	// AskedAt is when the open question was sent; zero when none is open.
	AskedAt    time.Time `json:"asked_at"`
	AnsweredAt time.Time `json:"answered_at"`
	// NextAt is when to ask again.
	NextAt time.Time `json:"next_at"`
	Stale  bool      `json:"stale"`
}

// CheckinStore keeps check-ins.
type CheckinStore interface {
	// AskCheckins finds published profiles due for a question at now
	// (NextAt reached with no question open; a profile never asked is due
	// every after it was last saved), marks each asked at now with the next
	// question due at now+every, and enqueues the notification notify
	// returns for it, all in one transaction, at most limit. It returns
	// the accounts asked. Asked profiles are not due again until answered
	// and every has passed, so a second call at the same time asks no one.
	AskCheckins(ctx context.Context, now time.Time, every time.Duration, limit int, notify func(accountID int64) Notification) ([]int64, error)
	// MarkStale marks stale every open question asked at or before
	// now-grace and returns the accounts newly marked.
	MarkStale(ctx context.Context, now time.Time, grace time.Duration) ([]int64, error)
	// AnswerCheckin records an answer at now: no question open, not stale,
	// next question at next. It works whether or not a question was open.
	// ENOTFOUND if the account does not exist.
	AnswerCheckin(ctx context.Context, accountID int64, now, next time.Time) (Checkin, error)
	// Checkin returns an account's check-in state; ENOTFOUND if it was
	// never asked nor answered.
	Checkin(ctx context.Context, accountID int64) (Checkin, error)
	// StaleAccounts returns the stale accounts in ID order.
	StaleAccounts(ctx context.Context) ([]int64, error)
}
