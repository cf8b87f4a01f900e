package bot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// "Still available?": every CheckinEvery a published freelancer gets one
// message with [Yes] and [Pause]. With no answer within CheckinGrace the
// profile is stale, which lowers its rank (staleSignal) until they answer.
// One tap, never a dialog.

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

// checkinBatch bounds the questions asked in one transaction.
const checkinBatch = 100

// checkinReply is the one question: two buttons, no dialog.
func checkinReply() Reply {
	return Reply{
		Text: "Still available for work? Your profile stays in matches if you are. One tap is enough.",
		Buttons: []Button{
			{Label: "Yes", Value: "/available yes", Style: "primary"},
			{Label: "Pause", Value: "/available pause"},
		},
	}
}

// runCheckins asks the profiles that are due and marks stale the ones
// that did not answer in time.
func (b *Bot) runCheckins(ctx context.Context, now time.Time) error {
	for {
		asked, err := b.store.AskCheckins(ctx, now, b.ret.CheckinEvery, checkinBatch, func(id int64) Notification {
			return Notification{AccountID: id, Reply: checkinReply()}
		})
		if err != nil {
			return err
		}
		if len(asked) < checkinBatch {
			break
		}
	}
	stale, err := b.store.MarkStale(ctx, now, b.ret.CheckinGrace)
	if err != nil {
		return err
	}
	for _, id := range stale {
		b.trust.setStale(id, true)
	}
	return nil
}

// available handles /available [yes|pause], the answers to the check-in.
func (t *turn) available(ctx context.Context, args string) ([]Reply, error) {
	answer := strings.ToLower(strings.TrimSpace(args))
	switch answer {
	case "", "yes", "y":
		answer = "yes"
	case "pause", "no":
		answer = "pause"
	default:
		return nil, Errorf(EINVALID, "Answer with the Yes or Pause button, or /available yes.")
	}
	now := t.b.now()
	if _, err := t.b.store.AnswerCheckin(ctx, t.acct.ID, now, now.Add(t.b.ret.CheckinEvery)); err != nil {
		return nil, err
	}
	t.b.trust.setStale(t.acct.ID, false)
	if answer == "pause" {
		return t.setStatus(ctx, ProfilePaused)
	}
	p, err := t.b.store.Profile(ctx, t.acct.ID)
	if ErrorCode(err) == ENOTFOUND {
		return say("You have no profile yet. Say /profile to build one."), nil
	}
	if err != nil {
		return nil, err
	}
	if p.Status != ProfilePublished {
		return say("Noted. Your profile is " + p.Status + "; say /resume to appear in matches again."), nil
	}
	return say(fmt.Sprintf("Thanks! You stay in matches. I'll ask again in %s.", span(t.b.ret.CheckinEvery))), nil
}
