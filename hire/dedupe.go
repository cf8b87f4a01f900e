package hire

import (
	"context"
	"io"
	"log/slog"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
)

// Dedupe returns middleware that lets each event through once:
//
//   - an event with an empty ID (the terminal) always passes;
//   - a repeat of an event claimed within d's window is acknowledged and
//     dropped: no replies, no error;
//   - when the handler fails with EUNAVAILABLE the claim is released, so
//     the platform's re-delivery (or the person's retry) is handled;
//     otherwise the event is marked done for the whole window (a handler
//     that never returns — a crash — leaves a claim that runs out after
//     the processing time, so a re-delivery is handled then);
//   - when the claim itself fails (the store is down) the handler is not
//     called, the event stays unclaimed, and the person reads
//     UnavailableMessage in the chat the event came from. The error is
//     logged here and not returned, so no outer layer answers a second time.
func Dedupe(d bot.Deduper, log *slog.Logger) bot.Middleware { return dedupe(d, nil, log) }

// Dedupe is the package's Dedupe for this bot's handler: when d is a
// SessionClaimer sharing the bot's session store, the event is claimed
// together with the load of the sender's dialog, and the dialog's save
// marks it done.
func (b *Bot) Dedupe(d bot.Deduper, log *slog.Logger) bot.Middleware {
	sc, ok := d.(conversation.SessionClaimer)
	if !ok || !sc.Shares(b.sessions.SessionStore) {
		return dedupe(d, nil, log)
	}
	return dedupe(d, func(ctx context.Context, ev bot.Event) (string, error) {
		acct, err := b.store.ResolveAccount(ctx, ev.From, ev.Name) // remembered: accounts.go
		if err != nil {
			return "", err
		}
		return bot.SessionKey(acct.ID), nil
	}, log)
}

// claimed is an event claimed together with its session's load; the turn
// takes the session from it instead of loading it again, and saves
// through it.
type claimed struct {
	sc      conversation.SessionClaimer
	id, key string
	sess    conversation.Session
	loadErr error
	taken   bool // the turn used the loaded session
	done    bool // a save marked the event done
}

type claimedKey struct{}

// claimedFor returns the claim of the event being handled when it carries
// the session under key.
func claimedFor(ctx context.Context, key string) *claimed {
	c, _ := ctx.Value(claimedKey{}).(*claimed)
	if c == nil || c.key != key {
		return nil
	}
	return c
}

// dedupe is Dedupe; sessionKey, when set, names the session the event
// will step, for d's ClaimLoad.
func dedupe(d bot.Deduper, sessionKey func(context.Context, bot.Event) (string, error), log *slog.Logger) bot.Middleware {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	log = log.With("component", "dedupe")
	return func(next bot.Handler) bot.Handler {
		return func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
			if ev.ID == "" {
				return next(ctx, ev)
			}
			var (
				c     *claimed
				first bool
				err   error
			)
			key := ""
			if sessionKey != nil {
				if key, err = sessionKey(ctx, ev); err != nil {
					// The handler resolves the account too, and fails the
					// same way; claim the plain way.
					key = ""
				}
			}
			if key != "" {
				c = &claimed{sc: d.(conversation.SessionClaimer), id: ev.ID, key: key}
				first, c.sess, c.loadErr, err = c.sc.ClaimLoad(ctx, ev.ID, key)
			} else {
				first, err = d.Claim(ctx, ev.ID)
			}
			if err != nil {
				log.WarnContext(ctx, "cannot claim event; asking the person to retry",
					"event", ev.ID, "platform", ev.Chat.Platform, "err", err)
				return []bot.Reply{{To: ev.Chat, Text: bot.UnavailableMessage}}, nil
			}
			bot.Accept(ctx)
			if !first {
				markDuplicate(ctx)
				log.DebugContext(ctx, "dropped repeated event", "event", ev.ID, "platform", ev.Chat.Platform)
				return nil, nil
			}
			if c != nil {
				ctx = context.WithValue(ctx, claimedKey{}, c)
			}
			replies, err := next(ctx, ev)
			// The request may be over, but the release or the mark must
			// still happen.
			bg := context.WithoutCancel(ctx)
			if bot.ErrorCode(err) == bot.EUNAVAILABLE {
				// The event had no lasting effect; let its re-delivery in.
				if rerr := d.Release(bg, ev.ID); rerr != nil {
					log.WarnContext(ctx, "cannot release event after an unavailable dependency; its claim runs out after the processing time",
						"event", ev.ID, "err", rerr)
				}
			} else if c != nil && c.done {
				// The dialog's save marked it.
			} else if derr := d.Done(bg, ev.ID); derr != nil {
				log.WarnContext(ctx, "cannot mark event done; a re-delivery after the processing time would be handled again",
					"event", ev.ID, "err", derr)
			}
			return replies, err
		}
	}
}
