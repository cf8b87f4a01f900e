package hire

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// Delivery of the outbox. A notification is claimed before it is sent and
// settled after: two replicas (or the scheduler and a request) never send
// the same one. A process that dies after Send and before Settle leaves the
// claim to lapse after outboxLease, and that one notification is sent
// again: delivery is at least once, and exactly once whenever the
// settlement is written.
const (
	outboxLease = 2 * time.Minute
	outboxBatch = 50
	backoffBase = 30 * time.Second
	backoffMax  = time.Hour
)

// paced marks a notification waiting for the turn its adapter reserved.
const paced = "paced"

// pace reserves the right to send to to now through the adapter of its
// platform (bot.Pacer), and returns how long to wait first (0: send now).
// A platform whose adapter does not pace (the terminal) is never paced.
func (b *Bot) pace(ctx context.Context, to bot.Recipient) (time.Duration, error) {
	p, ok := b.adapters[to.Platform].(bot.Pacer)
	if !ok {
		return 0, nil
	}
	wait, err := p.Pace(ctx, to)
	if err != nil {
		return 0, err
	}
	if wait > 0 {
		b.metrics.PaceWaited(to.Platform, wait)
	}
	return wait, nil
}

// backoff is the wait after the n-th failed attempt: 30 s, 1 min, 2 min, …
// up to an hour.
func backoff(attempts int) time.Duration {
	d := backoffBase
	for i := 1; i < attempts && d < backoffMax; i++ {
		d *= 2
	}
	return min(d, backoffMax)
}

// platforms returns the platforms with a registered adapter.
func (b *Bot) platforms() []string {
	out := make([]string, 0, len(b.adapters))
	for p := range b.adapters {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// DeliverOutbox sends the notifications due at now through the registered
// adapters and returns how many were delivered. Notifications for a
// platform without an adapter here wait for a process that has one.
func (b *Bot) DeliverOutbox(ctx context.Context, now time.Time) (int, error) {
	sent := 0
	// A refusal enqueues a notice to the sender; a second pass delivers
	// it at once.
	for pass := 0; pass < 2; pass++ {
		ns, err := b.store.Claim(ctx, bot.ClaimRequest{Now: now, Lease: outboxLease, Platforms: b.platforms(), Limit: outboxBatch})
		if err != nil {
			return sent, err
		}
		refused := false
		for _, n := range ns {
			switch b.deliver(ctx, now, n) {
			case bot.NoteSent:
				sent++
			case bot.NoteRefused:
				refused = true
			}
		}
		if !refused {
			break
		}
	}
	return sent, nil
}

// deliver sends one claimed notification, settles it and returns the
// state it was settled in.
func (b *Bot) deliver(ctx context.Context, now time.Time, n bot.Notification) string {
	a, ok := b.adapters[n.To.Platform]
	var err error
	var wait time.Duration
	var perr error
	if n.LastError != paced { // a paced notification already holds its turn
		wait, perr = b.pace(ctx, n.To)
	}
	switch {
	case !ok:
		err = fmt.Errorf("no adapter for %s", n.To.Platform)
	case perr != nil:
		err = perr
	case wait > 0:
		// Over the platform's pace: the reservation made now is this
		// notification's turn, so it goes out then without reserving again.
		s := bot.Settlement{State: bot.NotePending, NextAt: now.Add(wait), LastError: paced}
		if err := b.store.Settle(context.WithoutCancel(ctx), n.ID, n.Claim, s); err != nil {
			b.log.Warn("cannot settle notification", "notification", n.ID, "state", s.State, "err", err)
		}
		return s.State
	default:
		err = b.send(bot.Paced(ctx), a, n.Reply) // its turn is reserved
	}
	var s bot.Settlement
	switch {
	case err == nil:
		s = bot.Settlement{State: bot.NoteSent}
	case bot.ErrorCode(err) == bot.EREFUSED && holds(a):
		// The terminal reaches only the person at it, a web chat only
		// the people with the page open: keep the notification for when
		// they open a chat (Arrived).
		s = bot.Settlement{State: bot.NoteHeld, LastError: err.Error()}
	case bot.ErrorCode(err) == bot.EREFUSED:
		s = bot.Settlement{State: bot.NoteRefused, LastError: err.Error(), Notify: b.refusalNotice(ctx, n, a, err)}
		b.log.Warn("delivery refused", "notification", n.ID, "platform", n.To.Platform, "err", err)
	default:
		s = bot.Settlement{State: bot.NotePending, NextAt: now.Add(backoff(n.Attempts)), LastError: err.Error()}
		b.log.Warn("delivery failed; will retry", "notification", n.ID, "platform", n.To.Platform,
			"attempts", n.Attempts, "next", s.NextAt, "err", err)
	}
	if err := b.store.Settle(context.WithoutCancel(ctx), n.ID, n.Claim, s); err != nil {
		b.log.Warn("cannot settle notification", "notification", n.ID, "state", s.State, "err", err)
	}
	return s.State
}

func holds(a bot.Adapter) bool {
	h, ok := a.(bot.Holder)
	return ok && h.HoldsWhileAway()
}

// refusalNotice tells the sender of a refused notification that it did not
// arrive, and, where the platform has one, gives a link the person can open
// instead. The invite it carried stays open.
func (b *Bot) refusalNotice(ctx context.Context, n bot.Notification, a bot.Adapter, cause error) []bot.Notification {
	if n.SenderID == 0 {
		return nil
	}
	name := b.displayName(ctx, n.AccountID)
	text := fmt.Sprintf("I couldn't deliver a message to %s on %s: %s", name, bot.PlatformName(n.To.Platform), bot.ErrorMessage(cause))
	if n.InviteID != 0 {
		text += fmt.Sprintf("\nYour invite %d stays open until it expires.", n.InviteID)
		if link := b.deepLink(a.Platform(), fmt.Sprintf("inv_%d", n.InviteID)); link != "" {
			text += " Send them this link; it opens the invite: " + link
		}
	}
	return []bot.Notification{{AccountID: n.SenderID, Reply: bot.Reply{Text: text}}}
}

// Arrived returns, and marks delivered, what is waiting for the person
// with identity id (named name, should this be their first visit): what
// arrived on the terminal while they were away. The
// terminal calls it when a chat opens; Handle calls it after each line
// typed there.
func (b *Bot) Arrived(ctx context.Context, id bot.Identity, name string) ([]bot.Reply, error) {
	acct, err := b.store.ResolveAccount(ctx, id, name)
	if err != nil {
		return nil, err
	}
	return b.arrived(ctx, acct.ID, id.Platform)
}

func (b *Bot) arrived(ctx context.Context, accountID int64, platform string) ([]bot.Reply, error) {
	r := bot.ClaimRequest{Now: b.now(), Lease: outboxLease, Platforms: []string{platform}, AccountID: accountID, Limit: outboxBatch}
	// Asked after every line typed and every second while a chat is
	// open, and almost always answered "nothing": a read first, so the
	// claim's write transaction is paid only when something waits.
	if waiting, err := b.store.Waiting(ctx, r); err != nil || !waiting {
		return nil, err
	}
	ns, err := b.store.Claim(ctx, r)
	if err != nil {
		return nil, err
	}
	var out []bot.Reply
	for _, n := range ns {
		// Settled first: on the terminal a lost line is better than a
		// repeated one, and the person is looking at the screen.
		if err := b.store.Settle(ctx, n.ID, n.Claim, bot.Settlement{State: bot.NoteSent}); err != nil {
			b.log.Warn("cannot settle arrived notification", "notification", n.ID, "err", err)
			continue
		}
		out = append(out, n.Reply)
	}
	return out, nil
}

// afterTurn runs after every event: it wakes the delivery worker when the
// turn enqueued notifications and, where the platform reaches people only
// while they are there (a bot.Holder: the terminal, the web chat), shows
// what arrived for the person meanwhile.
func (b *Bot) afterTurn(ctx context.Context, t *turn) []bot.Reply {
	if t.notified {
		b.wakeDelivery()
	}
	if !holds(b.adapters[t.ev.From.Platform]) {
		return nil
	}
	replies, err := b.arrived(ctx, t.acct.ID, t.ev.From.Platform)
	if err != nil {
		b.log.Warn("cannot read arrived notifications", "err", err)
		return nil
	}
	return replies
}

// wakeDelivery tells RunDelivery that something was enqueued.
func (b *Bot) wakeDelivery() {
	select {
	case b.deliveries <- struct{}{}:
	default: // already awake
	}
}

// RunDelivery is the delivery worker. Until ctx ends it sends what a turn
// enqueued as soon as the turn is over (afterTurn wakes it), so no platform
// waits for its acknowledgement while notifications go out. A round runs
// under bot.Outlive(ctx), and a wake that came before ctx ended still gets
// its round: what the last turns enqueued goes out within the drain. What
// is due later (a backoff, a paced turn) or was enqueued on another
// replica is the outbox task's. A failed round is logged here and left to
// the task.
func (b *Bot) RunDelivery(ctx context.Context) error {
	for {
		select {
		case <-b.deliveries:
		case <-ctx.Done():
			select {
			case <-b.deliveries:
			default:
				return nil
			}
		}
		work, done := bot.Outlive(ctx)
		if err := b.deliverDue(work, b.now()); err != nil && work.Err() == nil {
			b.log.Warn("outbox delivery failed; the outbox task retries", "err", err)
		}
		done()
	}
}

// deliverDue delivers, a batch at a time, everything due at now.
func (b *Bot) deliverDue(ctx context.Context, now time.Time) error {
	for {
		n, err := b.DeliverOutbox(ctx, now)
		if err != nil || n < outboxBatch {
			return err
		}
	}
}

// outboxTask delivers the outbox periodically.
func (b *Bot) outboxTask() Task {
	return Task{Name: "outbox", Every: 10 * time.Second, Run: b.deliverDue}
}
