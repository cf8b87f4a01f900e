package hire

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// IntakeConfig configures an Intake. Zero fields take the defaults.
type IntakeConfig struct {
	// Owner names this process's leases; it must differ between replicas.
	Owner string
	// Lease is how long an event stays with its worker without a renewal
	// (default 5 s); the worker renews it every third of that while it
	// works, so only a dead or cut-off worker loses it.
	Lease time.Duration
	// Window is how long a handled event is remembered, so that its
	// re-delivery is dropped (default 1 hour).
	Window time.Duration
	// Poll is how often Run looks for events to take over (default 1 s).
	Poll time.Duration
	// Attempts bounds the leases taken on one event: an event whose worker
	// died this many times is given up and logged (default 5).
	Attempts int
	// Timeout bounds the handling of an event taken over (default 30 s).
	Timeout time.Duration
	// Workers bounds the events handled at once (0: no bound). An event
	// past the bound waits, recorded and under its renewed lease, for a
	// worker: handlers stuck on the database then cannot take every
	// connection the inbox needs to record new events and renew leases.
	Workers int
	Logger  *slog.Logger
}

// Intake runs events through the inbox: its Middleware records each event
// before the core acts on it and handles it under a renewed lease; Run
// takes over the events whose worker died or whose turn came later, and
// delivers their replies through the registered adapters.
type Intake struct {
	b     *Bot
	inbox bot.Inbox
	cfg   IntakeConfig
	log   *slog.Logger
	next  bot.Handler
	wake  chan struct{}
	slots chan struct{} // one per worker; nil without a bound

	mu   sync.Mutex
	sent []string // events whose replies went out, to confirm
}

// Intake returns the intake of b over in.
func (b *Bot) Intake(in bot.Inbox, cfg IntakeConfig) *Intake {
	if cfg.Lease <= 0 {
		cfg.Lease = 5 * time.Second
	}
	if cfg.Window <= 0 {
		cfg.Window = time.Hour
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Second
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = 5
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	i := &Intake{b: b, inbox: in, cfg: cfg, log: log.With("component", "inbox"), wake: make(chan struct{}, 1)}
	if cfg.Workers > 0 {
		i.slots = make(chan struct{}, cfg.Workers)
	}
	return i
}

// Middleware records each event with an ID in the inbox, tells the adapter
// it may acknowledge (WithAccept), and handles it under a lease:
//
//   - a repeat of an event handled within the window, or in hand on
//     another replica, is dropped: no replies, no error;
//   - an event behind an unfinished one of the same person waits in the
//     inbox; Run handles it in turn and delivers its replies;
//   - when the handler fails with EUNAVAILABLE the event is forgotten, so
//     its re-delivery is handled (the person reads the failure);
//   - when the inbox cannot record the event the handler is not called,
//     and the person reads UnavailableMessage.
//
// The chain below it is what Run runs on the events it takes over.
func (i *Intake) Middleware(next bot.Handler) bot.Handler {
	i.next = next
	return func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		if ev.ID == "" {
			return next(ctx, ev)
		}
		e := bot.InboxEntry{ID: bot.InboxID(ev), Conversation: inboxConversation(ev), Event: ev, Attempts: 1}
		state, err := i.inbox.Record(ctx, e, i.cfg.Owner, i.cfg.Lease)
		if err != nil {
			i.log.WarnContext(ctx, "cannot record event; asking the person to retry", "event", e.ID, "err", err)
			return []bot.Reply{{To: ev.Chat, Text: bot.UnavailableMessage}}, nil
		}
		bot.Accept(ctx)
		switch state {
		case bot.InboxSeen:
			markDuplicate(ctx)
			i.log.DebugContext(ctx, "dropped repeated event", "event", e.ID)
			return nil, nil
		case bot.InboxQueued:
			i.log.DebugContext(ctx, "event waits for the one before it", "event", e.ID)
			i.poke()
			return nil, nil
		}
		return i.handle(ctx, e, false)
	}
}

// handle runs the chain on e while a lease on it is renewed, then marks it
// done, or, when a dependency was unavailable, forgets it (a fresh event)
// or releases it for a later attempt (an event taken over).
func (i *Intake) handle(ctx context.Context, e bot.InboxEntry, takenOver bool) ([]bot.Reply, error) {
	work, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	lost := i.hold(work, e.ID, cancel)
	replies, err := i.work(work, e.Event)
	held := lost()
	bg := context.WithoutCancel(ctx)
	var ierr error
	switch {
	case held != nil:
		i.log.ErrorContext(ctx, "lost the lease on an event while handling it; another replica has taken it over",
			"event", e.ID, "err", held)
	case bot.ErrorCode(err) == bot.EUNAVAILABLE && !takenOver:
		ierr = i.inbox.Forget(bg, e.ID, i.cfg.Owner)
	case bot.ErrorCode(err) == bot.EUNAVAILABLE:
		ierr = i.inbox.Release(bg, e.ID, i.cfg.Owner, time.Now().Add(time.Duration(e.Attempts)*i.cfg.Lease))
	default:
		// Replies an adapter will confirm (or this intake delivers) wait in
		// the inbox until they went out.
		var pending []bot.Reply
		if len(replies) > 0 && (takenOver || bot.OnDelivered(ctx, func() { i.delivered(e.ID) })) {
			pending = replies
		}
		ierr = i.inbox.Done(bg, e.ID, i.cfg.Owner, pending, i.cfg.Lease)
	}
	if ierr != nil {
		i.log.WarnContext(ctx, "cannot settle event in the inbox; it is handled again when its lease runs out",
			"event", e.ID, "err", ierr)
	}
	i.poke()
	return replies, err
}

// work runs the chain on ev once a worker is free (see Workers); a ctx
// that ends first (the lease was lost) leaves it unhandled.
func (i *Intake) work(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
	if i.slots != nil {
		select {
		case i.slots <- struct{}{}:
			defer func() { <-i.slots }()
		case <-ctx.Done():
			return nil, context.Cause(ctx)
		}
	}
	return i.next(ctx, ev)
}

// hold renews the lease on id until the returned function is called, which
// reports ErrLeaseLost when the lease was lost meanwhile; then cancel has
// stopped the work. The renewals run on a timer's goroutine: most events
// are done before the first, and a goroutine and a ticker of their own
// cost every event.
func (i *Intake) hold(ctx context.Context, id string, cancel context.CancelCauseFunc) (stop func() error) {
	var (
		mu   sync.Mutex // held by a renewal, so that stop waits for the one under way
		done bool
		lost error
		t    *time.Timer
	)
	every := i.cfg.Lease / 3
	mu.Lock()
	defer mu.Unlock()
	t = time.AfterFunc(every, func() {
		mu.Lock()
		defer mu.Unlock()
		if done {
			return
		}
		err := i.inbox.Renew(context.WithoutCancel(ctx), id, i.cfg.Owner, i.cfg.Lease)
		if errors.Is(err, bot.ErrLeaseLost) {
			lost = err
			cancel(err)
			return
		}
		if err != nil {
			i.log.WarnContext(ctx, "cannot renew a lease; trying again", "event", id, "err", err)
		}
		t.Reset(every)
	})
	return func() error {
		t.Stop()
		mu.Lock()
		defer mu.Unlock()
		done = true
		return lost
	}
}

// delivered notes that the replies of id went out; Run confirms them to
// the inbox in batches, off the path of the next event.
func (i *Intake) delivered(id string) {
	i.mu.Lock()
	i.sent = append(i.sent, id)
	n := len(i.sent)
	i.mu.Unlock()
	if n >= 128 {
		i.poke()
	}
}

// confirm tells the inbox which replies went out.
func (i *Intake) confirm(ctx context.Context) {
	i.mu.Lock()
	ids := i.sent
	i.sent = nil
	i.mu.Unlock()
	if err := i.inbox.Delivered(ctx, i.cfg.Owner, ids...); err != nil {
		i.log.WarnContext(ctx, "cannot confirm delivered replies; they are sent again after the lease", "events", len(ids), "err", err)
	}
}

// poke makes Run look at the inbox now.
func (i *Intake) poke() {
	select {
	case i.wake <- struct{}{}:
	default:
	}
}

// Run takes over, until ctx ends, the events whose lease ran out (their
// worker died, on this replica or another) and those whose turn has come,
// handles them through the chain below Middleware and delivers their
// replies; it drops handled events once the window has passed. An event
// taken over when ctx ends still finishes, within Timeout and the drain of
// ctx (Outlive).
func (i *Intake) Run(ctx context.Context) error {
	if i.next == nil {
		return errInboxStopped
	}
	poll := time.NewTicker(i.cfg.Poll)
	defer poll.Stop()
	flush := time.NewTicker(100 * time.Millisecond)
	defer flush.Stop()
	defer i.confirm(context.WithoutCancel(ctx))
	var purged time.Time
	for {
		i.confirm(ctx)
		for ctx.Err() == nil {
			e, ok, err := i.inbox.Take(ctx, i.cfg.Owner, i.cfg.Lease)
			if err != nil {
				if ctx.Err() == nil {
					i.log.WarnContext(ctx, "cannot look into the inbox", "err", err)
				}
				break
			}
			if !ok {
				break
			}
			i.takeOver(ctx, e)
		}
		if now := time.Now(); now.Sub(purged) >= time.Minute && ctx.Err() == nil {
			purged = now
			if n, err := i.inbox.Purge(ctx, now.Add(-i.cfg.Window)); err != nil {
				i.log.WarnContext(ctx, "cannot purge the inbox", "err", err)
			} else if n > 0 {
				i.log.DebugContext(ctx, "purged handled events past the window", "events", n)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-flush.C:
			i.confirm(ctx)
			continue
		case <-poll.C:
		case <-i.wake:
		}
	}
}

// takeOver handles an event Take handed out and delivers its replies as new
// messages: the platform's answer path (a response_url, an interaction) is
// gone or belongs to another process.
func (i *Intake) takeOver(ctx context.Context, e bot.InboxEntry) {
	work, done := bot.Outlive(ctx)
	defer done()
	ctx, cancel := context.WithTimeout(work, i.cfg.Timeout)
	defer cancel()
	log := i.log.With("event", e.ID, "attempt", e.Attempts)
	if e.Attempts > i.cfg.Attempts {
		log.ErrorContext(ctx, "giving up on an event whose workers kept dying", "attempts", e.Attempts-1)
		if err := i.inbox.Done(ctx, e.ID, i.cfg.Owner, nil, 0); err != nil {
			log.WarnContext(ctx, "cannot settle event in the inbox", "err", err)
		}
		return
	}
	replies := e.Replies
	if replies != nil {
		log.InfoContext(ctx, "sending the replies of an event whose worker stopped before it could")
	} else {
		if e.Attempts > 1 {
			log.InfoContext(ctx, "taking over an event whose worker stopped")
		}
		var err error
		replies, err = i.handle(ctx, e, true)
		switch code := bot.ErrorCode(err); {
		case err == nil:
		case code == bot.EUNAVAILABLE:
			log.WarnContext(ctx, "event taken over failed; it is tried again later", "err", err)
			return
		default:
			replies = append(replies, bot.Reply{Text: bot.ErrorMessage(err), Private: true})
		}
	}
	i.b.deliverLate(ctx, e.Event, replies)
	if err := i.inbox.Delivered(ctx, i.cfg.Owner, e.ID); err != nil {
		log.WarnContext(ctx, "cannot confirm delivered replies; they are sent again after the lease", "err", err)
	}
}

// deliverLate sends the replies of ev through Send, by the rule of "Where a
// reply goes" for an event whose answer path is gone: an answer goes to
// the event's chat, a private answer to an event in a shared chat to the
// person's private chat.
func (b *Bot) deliverLate(ctx context.Context, ev bot.Event, replies []bot.Reply) {
	for _, r := range replies {
		if ev.Answers(r) {
			r.To = ev.Chat
			if r.Private && !ev.Private {
				r.To = bot.Recipient{Platform: ev.Chat.Platform, Workspace: ev.Chat.Workspace, UserID: ev.From.UserID}
			}
		}
		a, ok := b.adapters[r.To.Platform]
		if !ok {
			b.log.Warn("no adapter for reply", "platform", r.To.Platform)
			continue
		}
		if err := b.send(ctx, a, r); err != nil {
			b.log.Warn("could not deliver the reply of an event taken over", "event", ev.ID, "platform", r.To.Platform, "err", err)
		}
	}
}
