package hire

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// checkinBatch bounds the questions asked in one transaction.
const checkinBatch = 100

// checkinReply is the one question: two buttons, no dialog.
func checkinReply() bot.Reply {
	return bot.Reply{
		Text: "Still available for work? Your profile stays in matches if you are. One tap is enough.",
		Buttons: []bot.Button{
			{Label: "Yes", Value: "/available yes", Style: "primary"},
			{Label: "Pause", Value: "/available pause"},
		},
	}
}

// runCheckins asks the profiles that are due and marks stale the ones
// that did not answer in time.
func (b *Bot) runCheckins(ctx context.Context, now time.Time) error {
	for {
		asked, err := b.store.AskCheckins(ctx, now, b.ret.CheckinEvery, checkinBatch, func(id int64) bot.Notification {
			return bot.Notification{AccountID: id, Reply: checkinReply()}
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
func (t *turn) available(ctx context.Context, args string) ([]bot.Reply, error) {
	answer := strings.ToLower(strings.TrimSpace(args))
	switch answer {
	case "", "yes", "y":
		answer = "yes"
	case "pause", "no":
		answer = "pause"
	default:
		return nil, bot.Errorf(bot.EINVALID, "Answer with the Yes or Pause button, or /available yes.")
	}
	now := t.b.now()
	if _, err := t.b.store.AnswerCheckin(ctx, t.acct.ID, now, now.Add(t.b.ret.CheckinEvery)); err != nil {
		return nil, err
	}
	t.b.trust.setStale(t.acct.ID, false)
	if answer == "pause" {
		return t.setStatus(ctx, bot.ProfilePaused)
	}
	p, err := t.b.store.Profile(ctx, t.acct.ID)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return say("You have no profile yet. Say /profile to build one."), nil
	}
	if err != nil {
		return nil, err
	}
	if p.Status != bot.ProfilePublished {
		return say("Noted. Your profile is " + p.Status + "; say /resume to appear in matches again."), nil
	}
	return say(fmt.Sprintf("Thanks! You stay in matches. I'll ask again in %s.", span(t.b.ret.CheckinEvery))), nil
}
