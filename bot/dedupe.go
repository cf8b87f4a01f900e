package bot

import (
	"context"
	"io"
	"log/slog"
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
func Dedupe(d Deduper, log *slog.Logger) Middleware {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	log = log.With("component", "dedupe")
	return func(next Handler) Handler {
		return func(ctx context.Context, ev Event) ([]Reply, error) {
			if ev.ID == "" {
				return next(ctx, ev)
			}
			first, err := d.Claim(ctx, ev.ID)
			if err != nil {
				log.WarnContext(ctx, "cannot claim event; asking the person to retry",
					"event", ev.ID, "platform", ev.Chat.Platform, "err", err)
				return []Reply{{To: ev.Chat, Text: UnavailableMessage}}, nil
			}
			if !first {
				log.DebugContext(ctx, "dropped repeated event", "event", ev.ID, "platform", ev.Chat.Platform)
				return nil, nil
			}
			replies, err := next(ctx, ev)
			// The request may be over, but the release or the mark must
			// still happen.
			bg := context.WithoutCancel(ctx)
			if ErrorCode(err) == EUNAVAILABLE {
				// The event had no lasting effect; let its re-delivery in.
				if rerr := d.Release(bg, ev.ID); rerr != nil {
					log.WarnContext(ctx, "cannot release event after an unavailable dependency; its claim runs out after the processing time",
						"event", ev.ID, "err", rerr)
				}
			} else if derr := d.Done(bg, ev.ID); derr != nil {
				log.WarnContext(ctx, "cannot mark event done; a re-delivery after the processing time would be handled again",
					"event", ev.ID, "err", derr)
			}
			return replies, err
		}
	}
}
