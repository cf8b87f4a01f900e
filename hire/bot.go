package hire

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
	"github.com/hirebot/hirebot/match"
	"github.com/hirebot/hirebot/parse"
)

// Config wires a Bot.
type Config struct {
	Store    bot.Store
	Sessions conversation.SessionStore
	// Index is the in-memory match index; New builds an empty one when nil
	// (call Index().Rebuild to load it from the store).
	Index  *match.Index
	Now    func() time.Time
	Logger *slog.Logger
	// InviteTTL is how long an invite waits for an answer; 48 hours when
	// zero. A reminder goes out halfway.
	InviteTTL time.Duration
	// Retention tunes check-ins, alerts and review moderation.
	Retention RetentionConfig
	// Metrics counts replies, pacing and dialogs (nil: not counted).
	Metrics bot.Metrics
}

// Bot routes events to command handlers and running dialogs.
type Bot struct {
	store    bot.Store // accounts in front of Config.Store
	accounts *accounts
	sessions *sessions // in front of Config.Sessions: sessions.go
	index    *match.Index
	now      func() time.Time
	log      *slog.Logger
	adapters map[string]bot.Adapter
	// inviteTTL: see Config.InviteTTL.
	inviteTTL time.Duration
	ret       RetentionConfig
	trust     *trust // ratings and staleness for the match score: retention.go
	metrics   bot.Metrics
	// deliveries wakes RunDelivery: a turn enqueued something.
	deliveries chan struct{}
}

// New returns a Bot. Store and Sessions are required.
func New(cfg Config) (*Bot, error) {
	if cfg.Store == nil || cfg.Sessions == nil {
		return nil, errors.New("bot: Store and Sessions are required")
	}
	b := &Bot{index: cfg.Index, now: cfg.Now, log: cfg.Logger, adapters: map[string]bot.Adapter{}, inviteTTL: cfg.InviteTTL,
		deliveries: make(chan struct{}, 1)}
	if b.now == nil {
		b.now = time.Now
	}
	b.accounts = newAccounts(cfg.Store, b.now)
	b.sessions = newSessions(cfg.Sessions, b.now)
	b.store = b.accounts
	if b.metrics = cfg.Metrics; b.metrics == nil {
		b.metrics = noMetrics{}
	}
	if b.log == nil {
		b.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if b.index == nil {
		b.index = match.NewIndex(match.IndexConfig{Now: b.now})
	}
	b.ret, b.trust = cfg.Retention.withDefaults(), newTrust()
	b.index.AddSignals(trustSignal{b.trust})
	return b, nil
}

// Index returns the match index the bot keeps fresh.
func (b *Bot) Index() *match.Index { return b.index }

// Tasks returns the periodic work of the bot, for a Scheduler.
func (b *Bot) Tasks() []Task {
	return append(b.hiringTasks(), b.retentionTasks()...) // retention.go
}

// Register adds a platform adapter, through which replies addressed to
// that platform are delivered.
func (b *Bot) Register(a bot.Adapter) { b.adapters[a.Platform()] = a }

// Handle handles one event. It returns the replies for the event's own
// platform; replies addressed elsewhere, like the notifications the turn
// enqueued, go to the outbox, and RunDelivery sends them after the event.
// Mistakes of the person come back as replies; the error is for failures
// (EUNAVAILABLE, EINTERNAL).
func (b *Bot) Handle(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
	acct, err := b.store.ResolveAccount(ctx, ev.From, ev.Name)
	if err != nil {
		return nil, err
	}
	t := &turn{b: b, ev: ev, acct: acct, key: bot.SessionKey(acct.ID)}
	replies, err := t.run(ctx)
	switch bot.ErrorCode(err) {
	case bot.EINVALID, bot.ENOTFOUND, bot.EUNAUTHORIZED, bot.ECONFLICT:
		replies, err = append(replies, bot.Reply{Text: bot.ErrorMessage(err), Private: true}), nil
	}
	replies = append(replies, b.afterTurn(ctx, t)...) // outbox.go
	if !ev.Private {
		replies = t.keepPrivate(replies)
	}
	for i := range replies {
		if replies[i].To == (bot.Recipient{}) {
			replies[i].To = ev.Chat
		}
		replies[i] = b.forPlatform(replies[i].To.Platform, replies[i]) // hints.go
	}
	return b.route(ctx, t, replies), err
}

// keepPrivate answers an event from a shared chat (a channel, a server, a
// group) without filling that chat: a dialog moves to the person's private
// chat, and other answers are ephemeral where the platform has that. Replies
// the turn addressed itself (a gig posted to a board) are left alone.
func (t *turn) keepPrivate(replies []bot.Reply) []bot.Reply {
	dm := bot.Recipient{Platform: t.ev.Chat.Platform, Workspace: t.ev.Chat.Workspace, UserID: t.ev.From.UserID}
	moved := false
	for i := range replies {
		switch {
		case replies[i].To != (bot.Recipient{}) || replies[i].Private: // placed by the turn itself
		case t.dialog && replies[i].Form == nil:
			replies[i].To, moved = dm, true
		default:
			replies[i].Private = true
		}
	}
	if moved {
		note := bot.Reply{Text: "I've written to you in a private chat to go on with this.", Private: true}
		if link := t.b.deepLink(t.ev.Chat.Platform, "resume"); link != "" {
			note.Text += " If my message doesn't arrive, open the chat with me and press Start."
			note.Buttons = []bot.Button{{Label: "Open the chat", Value: link}}
		}
		replies = append(replies, note)
	}
	return replies
}

// route returns the replies for the event's own platform and records the
// others in the outbox, for RunDelivery: the event's platform does not
// wait for another platform's delivery, and a platform without an adapter
// in this process is served by a process that has one.
func (b *Bot) route(ctx context.Context, t *turn, replies []bot.Reply) []bot.Reply {
	own := replies[:0:0]
	var elsewhere []bot.Notification
	for _, r := range replies {
		if r.To.Platform == "" || r.To.Platform == t.ev.Chat.Platform {
			own = append(own, r)
			continue
		}
		elsewhere = append(elsewhere, bot.Notification{AccountID: t.acct.ID, To: r.To, Reply: r})
	}
	if len(elsewhere) == 0 {
		return own
	}
	if err := b.store.Enqueue(ctx, elsewhere); err != nil {
		b.log.Warn("replies for another platform not recorded; they are lost", "event", t.ev.ID, "replies", len(elsewhere), "err", err)
		return own
	}
	b.wakeDelivery()
	return own
}

// turn is the handling of one event.
type turn struct {
	b    *Bot
	ev   bot.Event
	acct bot.Account
	key  string
	sess conversation.Session
	// notified is set when the turn enqueued notifications.
	notified bool
	// dialog is set when the turn started, went on with or ended a dialog.
	dialog bool
	// recalled is set while sess is the session this process remembered,
	// not yet checked against the store (sessions.go).
	recalled bool
}

func (t *turn) run(ctx context.Context) ([]bot.Reply, error) {
	text := strings.TrimSpace(t.ev.Text)
	command := t.ev.Kind == bot.KindCommand || t.ev.Kind == bot.KindForm || strings.HasPrefix(text, "/")
	// Only a message that may step a dialog takes the session from memory:
	// the step's save checks it.
	if err := t.load(ctx, !command); err != nil {
		return nil, err
	}
	switch t.ev.Kind {
	case bot.KindCommand:
		return t.command(ctx, t.ev.Command, text)
	case bot.KindForm:
		return t.form(ctx)
	}
	if command {
		name, args := bot.SplitCommand(text)
		return t.command(ctx, name, args)
	}
	return t.message(ctx, text)
}

// message answers text (or a button) that is not a command: the next step
// of a running dialog, else a relayed message or a request in words.
func (t *turn) message(ctx context.Context, text string) ([]bot.Reply, error) {
	if !t.sess.Active() {
		if replies, ok, err := t.relay(ctx, text); ok || err != nil { // relay.go
			return replies, err
		}
		if t.ev.Kind == bot.KindButton {
			return say("That conversation has ended. Say /help to see what I can do."), nil
		}
		return t.intent(ctx, text) // greeting.go
	}
	return t.advance(ctx, text)
}

// load reads the turn's session: from the claim of the event when it came
// with it (dedupe.go), from memory when recall is set and this process
// remembers a running dialog (sessions.go), else from the store.
func (t *turn) load(ctx context.Context, recall bool) error {
	var (
		s   conversation.Session
		err error
	)
	t.recalled = false
	switch c := claimedFor(ctx, t.key); {
	case c != nil && !c.taken:
		c.taken = true // loaded with the claim: dedupe.go
		s, err = c.sess, c.loadErr
	case recall:
		if s, ok := t.b.sessions.recall(t.key); ok {
			t.sess, t.recalled = s, true
			return nil
		}
		fallthrough
	default:
		s, err = t.b.sessions.Load(ctx, t.key)
	}
	switch {
	case errors.Is(err, conversation.ErrNoSession):
		t.sess = conversation.Session{Key: t.key}
	case err != nil:
		return bot.Unavailable(err)
	default:
		t.sess = s
	}
	return nil
}

// start begins a flow, replacing any unfinished one.
func (t *turn) start(ctx context.Context, f *conversation.Flow, ref string, prefill map[string]string, edit string) ([]bot.Reply, error) {
	res, err := conversation.Start(f, t.key, ref, prefill, edit, t.b.now())
	if err != nil {
		if ie, ok := parse.AsInputError(err); ok {
			return say(ie.Msg), nil
		}
		return nil, err
	}
	var replies []bot.Reply
	if t.sess.Active() && t.sess.Flow != f.Name {
		replies = say("(I dropped your unfinished " + flows[t.sess.Flow].Title + " to start this.)")
	}
	res.Session.Version = t.sess.Version
	out, err := t.apply(ctx, res)
	if errors.Is(err, conversation.ErrConflict) {
		return say("You sent two messages at once; please send that again."), nil
	}
	if err == nil {
		t.b.metrics.DialogStarted(f.Name)
	}
	return append(replies, out...), err
}

// advance feeds one input to the running dialog. When another replica saved
// the same session in between, it reloads and applies the input again; when
// the dialog it stepped was only remembered and has ended meanwhile, the
// input is answered as a message outside a dialog.
func (t *turn) advance(ctx context.Context, input string) ([]bot.Reply, error) {
	for attempt := 0; attempt < 3; attempt++ {
		f, ok := flows[t.sess.Flow]
		if !ok {
			if err := t.b.sessions.Delete(ctx, t.key); err != nil {
				t.b.log.Warn("cannot delete a dialog of an unknown flow; it expires with its time to live", "flow", t.sess.Flow, "err", err)
			}
			return say("That conversation has expired. Say /help to start again."), nil
		}
		res := conversation.Advance(f, t.sess, input, parse.Env{Now: t.b.now()})
		replies, err := t.apply(ctx, res)
		if !errors.Is(err, conversation.ErrConflict) {
			return replies, err
		}
		recalled := t.recalled
		if err := t.load(ctx, false); err != nil {
			return nil, err
		}
		if !t.sess.Active() && recalled {
			return t.message(ctx, input)
		}
		if !t.sess.Active() {
			return say("That conversation has just ended. Say /help to see what I can do."), nil
		}
	}
	return say("You sent several messages at once; please send that again."), nil
}

// apply stores what a step did and turns its messages into replies. A
// completed flow is committed to the store before anything says so.
func (t *turn) apply(ctx context.Context, res conversation.Result) ([]bot.Reply, error) {
	t.dialog = true
	switch res.Outcome {
	case conversation.Completed:
		// Claim the completion first: of several events confirming the same
		// dialog at once, one wins this compare-and-set and says what it
		// did; the others reload an ended dialog (advance).
		done, err := t.b.sessions.Save(ctx, conversation.Session{Key: t.key, Version: res.Session.Version})
		if errors.Is(err, conversation.ErrConflict) {
			return nil, err
		}
		if err != nil {
			return nil, bot.Unavailable(err)
		}
		replies, err := t.complete(ctx, res.Session)
		if err != nil {
			// Put the dialog back, so the person can confirm again.
			back := res.Session
			back.Version = done
			if _, serr := t.b.sessions.Save(ctx, back); serr != nil {
				t.b.log.Warn("session restore after a failed completion failed", "key", t.key, "err", serr)
			}
			return nil, err
		}
		t.b.metrics.DialogCompleted(res.Session.Flow)
		if err := t.b.sessions.Delete(ctx, t.key); err != nil {
			// The record is committed and completing again is idempotent.
			t.b.log.Warn("session delete after commit failed", "key", t.key, "err", err)
		}
		return replies, nil
	case conversation.Cancelled:
		if t.recalled {
			// Delete checks no version: read the store, and step again.
			return nil, conversation.ErrConflict
		}
		if err := t.b.sessions.Delete(ctx, t.key); err != nil {
			return nil, bot.Unavailable(err)
		}
	default:
		v, err := t.saveSession(ctx, res.Session)
		if errors.Is(err, conversation.ErrConflict) {
			return nil, err
		}
		if err != nil {
			return nil, bot.Unavailable(err)
		}
		res.Session.Version = v
		t.sess = res.Session
	}
	return fromMessages(res.Messages), nil
}

// saveSession stores the session; the first save of a claimed event marks it
// done in the same round trip (dedupe.go).
func (t *turn) saveSession(ctx context.Context, s conversation.Session) (int64, error) {
	c := claimedFor(ctx, t.key)
	if c == nil || c.done {
		return t.b.sessions.Save(ctx, s)
	}
	v, done, err := c.sc.SaveDone(ctx, s, c.id)
	c.done = done
	if err == nil {
		s.Version = v
		t.b.sessions.remember(s)
	} else {
		t.b.sessions.forget(s.Key)
	}
	return v, err
}

func (t *turn) complete(ctx context.Context, s conversation.Session) ([]bot.Reply, error) {
	f := flows[s.Flow]
	answers := f.Applicable(s.Answers)
	switch s.Flow {
	case FlowProfile:
		replies, err := t.saveProfile(ctx, answers)
		if err != nil {
			return nil, err
		}
		return append(replies, t.applyAfterProfile(ctx, s.Ref)...), nil
	case FlowJob:
		return t.postJob(ctx, s.Ref, answers)
	case FlowDelete:
		return t.deleteAccount(ctx)
	case FlowCounter:
		return t.completeCounter(ctx, s.Ref, answers)
	case FlowInvite:
		return t.completeInvite(ctx, s.Ref, answers) // terms.go
	}
	return nil, fmt.Errorf("bot: no completion for flow %q", s.Flow)
}

func fromMessages(ms []conversation.Message) []bot.Reply {
	out := make([]bot.Reply, 0, len(ms))
	for _, m := range ms {
		r := bot.Reply{Text: m.Text}
		if len(m.Fields) > 0 {
			card := bot.Card{}
			for _, f := range m.Fields {
				card.Fields = append(card.Fields, bot.Field{Label: f.Label, Value: f.Value})
			}
			r.Cards = []bot.Card{card}
		}
		for _, ch := range m.Choices {
			style := ""
			if ch.Value == "confirm" {
				style = "primary"
			}
			r.Buttons = append(r.Buttons, bot.Button{Label: ch.Label, Value: ch.Value, Style: style})
		}
		out = append(out, r)
	}
	return out
}

func say(text string) []bot.Reply { return []bot.Reply{{Text: text}} }

func newRef() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}
