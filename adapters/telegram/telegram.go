// Package telegram connects hirebot to Telegram through the Bot API: it
// long-polls getUpdates or serves a webhook, translates updates into
// bot.Events, and renders bot.Replies as HTML messages with inline keyboards.
package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hirebot/hirebot/bot"
)

// DefaultAPIURL is Telegram's own Bot API server.
const DefaultAPIURL = "https://api.telegram.org"

// WebhookPath is where Routes serves Telegram's webhook calls.
const WebhookPath = "/telegram/webhook"

const (
	defaultPollTimeout = 30 * time.Second
	// handleTimeout bounds the work for one update, replies included.
	handleTimeout  = 2 * time.Minute
	maxWebhookBody = 1 << 20
)

// allowedUpdates are the update types hirebot acts on.
var allowedUpdates = []string{"message", "callback_query"}

// Config configures the Telegram adapter.
type Config struct {
	// Token is the bot token from @BotFather.
	Token string
	// APIURL is the Bot API base URL (a self-hosted Bot API server, or a
	// fake in tests); requests go to <APIURL>/bot<token>/<method>.
	// Empty means DefaultAPIURL.
	APIURL string
	// WebhookURL, when set, makes Run register this URL with setWebhook
	// instead of long polling; Routes then serves WebhookPath.
	WebhookURL string
	// WebhookSecret is sent by Telegram in X-Telegram-Bot-Api-Secret-Token
	// on every webhook call; required with WebhookURL (1-256 characters of
	// A-Z, a-z, 0-9, _ and -).
	WebhookSecret string
	// PollTimeout is the long-poll timeout of getUpdates; 0 means 30s.
	PollTimeout time.Duration
	// Limiter keeps sends under Telegram's flood limits (limits.go): the
	// in-process one for one replica, the Redis one for several replicas
	// of the same bot. Nil sends unpaced (tests against a fake).
	Limiter bot.Limiter
	// Locker, when set, lets one replica at a time long-poll: Telegram
	// answers a second concurrent getUpdates with 409 Conflict. The poller
	// holds a lease renewed every pollLease/3; the others try every
	// pollRetry and take over within pollLease+pollRetry of its death.
	// Nil polls without asking (one process). Webhook mode needs none.
	Locker bot.Locker
	// Offsets, when set, keeps the getUpdates offset after each handled
	// batch, so the next poller starts past what this one handled.
	Offsets Offsets
}

// Offsets keeps named getUpdates offsets where every replica reads them.
type Offsets interface {
	Cursor(ctx context.Context, name string) (int64, error)
	SetCursor(ctx context.Context, name string, v int64) error
}

// The poller's lease: renewed every pollLease/3, sought every pollRetry.
var (
	pollLease = 15 * time.Second
	pollRetry = 5 * time.Second
)

// menu is the command menu set with setMyCommands at start: the menu
// commands of bot's command table.
func menu() []tgbotapi.BotCommand {
	var cmds []tgbotapi.BotCommand
	for _, c := range bot.MenuCommands() {
		cmds = append(cmds, tgbotapi.BotCommand{Command: c.Name, Description: c.Summary})
	}
	return cmds
}

var secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// Adapter is hirebot on Telegram. It implements bot.Adapter.
type Adapter struct {
	cfg     Config
	api     *tgbotapi.BotAPI // shared; use call(ctx) to make requests
	http    *http.Client
	handler bot.Handler
	logger  *slog.Logger
	pacer   pacer

	mu      sync.Mutex
	blocked map[string]bool // chat IDs that refused delivery (403)

	queue dispatcher
}

var _ bot.Adapter = (*Adapter)(nil)

// New connects to the Bot API (getMe), sets the command menu and returns
// the adapter. Start it with Run; with a WebhookURL also mount Routes.
func New(ctx context.Context, cfg Config, handler bot.Handler, logger *slog.Logger) (*Adapter, error) {
	return newAdapter(ctx, cfg, handler, logger, nil)
}

// newAdapter is New with the HTTP client injectable; nil means a default one.
func newAdapter(ctx context.Context, cfg Config, handler bot.Handler, logger *slog.Logger, client *http.Client) (*Adapter, error) {
	if cfg.Token == "" {
		return nil, bot.Errorf(bot.EINVALID, "telegram: the bot token is missing")
	}
	if cfg.WebhookURL != "" && !secretPattern.MatchString(cfg.WebhookSecret) {
		return nil, bot.Errorf(bot.EINVALID, "telegram: a webhook needs a secret of 1-256 characters A-Z, a-z, 0-9, _ or -")
	}
	if handler == nil {
		return nil, bot.Errorf(bot.EINVALID, "telegram: no handler")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if cfg.PollTimeout <= 0 {
		cfg.PollTimeout = defaultPollTimeout
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if client == nil {
		// Every request carries a context too; this bounds the ones whose
		// context has no deadline, with room for a long poll.
		client = &http.Client{Timeout: cfg.PollTimeout + 30*time.Second}
	}
	a := &Adapter{
		cfg:     cfg,
		http:    client,
		handler: handler,
		logger:  logger.With("adapter", bot.Telegram),
		pacer:   pacer{lim: cfg.Limiter, log: logger.With("adapter", bot.Telegram)},
		blocked: map[string]bool{},
	}
	endpoint := strings.TrimRight(cfg.APIURL, "/") + "/bot%s/%s"
	// The constructor calls getMe; run it under ctx like every other call.
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, endpoint, ctxClient{ctx: ctx, c: client})
	if err != nil {
		return nil, fmt.Errorf("telegram: getMe: %w", checkError(err))
	}
	a.api = api
	if _, err := a.call(ctx).Request(tgbotapi.NewSetMyCommands(menu()...)); err != nil {
		return nil, fmt.Errorf("telegram: setMyCommands: %w", err)
	}
	a.logger.Info("connected", "bot", api.Self.UserName)
	return a, nil
}

// Platform implements bot.Adapter.
func (a *Adapter) Platform() string { return bot.Telegram }

// ContactLink implements bot.Contacter: Telegram's link to a private chat
// with the person.
func (a *Adapter) ContactLink(id bot.Identity) string {
	return "tg://user?id=" + url.QueryEscape(id.UserID)
}

// BotUsername is the bot's @username without the @, for deep links such as
// https://t.me/<username>?start=gig_7.
func (a *Adapter) BotUsername() string { return a.api.Self.UserName }

// Blocked reports whether Telegram refused a message to this chat (for a
// person, their user ID) because they never started the bot or blocked it.
// It clears when they write to the bot again. Kept in memory per process.
func (a *Adapter) Blocked(chatID string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.blocked[chatID]
}

func (a *Adapter) setBlocked(chatID string, v bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if v {
		a.blocked[chatID] = true
	} else {
		delete(a.blocked, chatID)
	}
}

// call returns a client whose requests run under ctx. The SDK takes no
// context, so each call gets a shallow copy of the client with an HTTP
// client bound to ctx.
func (a *Adapter) call(ctx context.Context) *tgbotapi.BotAPI {
	api := *a.api
	api.Client = ctxClient{ctx: ctx, c: a.http}
	return &api
}

// ctxClient sends the SDK's requests under a context.
type ctxClient struct {
	ctx context.Context
	c   *http.Client
}

func (c ctxClient) Do(req *http.Request) (*http.Response, error) {
	resp, err := c.c.Do(req.WithContext(c.ctx))
	if err != nil {
		return nil, hideToken(err)
	}
	return resp, nil
}

// Run receives updates until ctx ends. Without a WebhookURL it long-polls
// getUpdates; with one it registers the webhook (Routes serves it) and
// waits. It returns nil when ctx ends, after the updates in hand are handled.
func (a *Adapter) Run(ctx context.Context) error {
	if a.cfg.WebhookURL != "" {
		_, err := a.call(ctx).MakeRequest("setWebhook", tgbotapi.Params{
			"url":             a.cfg.WebhookURL,
			"secret_token":    a.cfg.WebhookSecret,
			"allowed_updates": `["message","callback_query"]`,
		})
		if err != nil {
			if ctx.Err() != nil {
				return nil // stopped while registering
			}
			return fmt.Errorf("telegram: setWebhook: %w", err)
		}
		a.logger.Info("webhook registered", "url", a.cfg.WebhookURL)
		<-ctx.Done()
		return nil
	}
	return a.poll(ctx)
}

// poll long-polls getUpdates, on one replica at a time when a Locker is
// set: it waits for the poller's lease, polls while it holds it, and
// waits again when it loses it.
func (a *Adapter) poll(ctx context.Context) error {
	defer a.logger.Info("polling stopped")
	defer a.queue.wait()
	if a.cfg.Locker == nil {
		a.pollHeld(ctx)
		return nil
	}
	name := "telegram-poll:" + strconv.FormatInt(a.api.Self.ID, 10)
	for ctx.Err() == nil {
		l, ok, err := a.cfg.Locker.Acquire(ctx, name, pollLease)
		if err != nil && ctx.Err() == nil {
			a.logger.Warn("poller lease unavailable", "err", err, "retry_in", pollRetry)
		}
		if !ok {
			if bot.Sleep(ctx, pollRetry) != nil {
				break
			}
			continue
		}
		a.logger.Info("polling: this replica holds the poller lease")
		held, lost := context.WithCancel(ctx)
		stop := bot.Hold(l, pollLease, func(err error) {
			a.logger.Warn("poller lease lost", "err", err)
			lost()
		})
		a.pollHeld(held)
		lost()
		stop()
	}
	return nil
}

// pollHeld long-polls getUpdates until ctx ends. Each update's offset is
// confirmed on the next call (offset = last update_id + 1), so Telegram
// delivers it once, and saved in Offsets for the next poller; updates are
// handled in order per chat, chats in parallel.
func (a *Adapter) pollHeld(ctx context.Context) {
	// getUpdates is refused while a webhook is set.
	if _, err := a.call(ctx).Request(tgbotapi.DeleteWebhookConfig{}); err != nil && ctx.Err() == nil {
		a.logger.Warn("deleteWebhook failed", "err", err)
	}
	name := "telegram-offset:" + strconv.FormatInt(a.api.Self.ID, 10)
	offset := 0
	if a.cfg.Offsets != nil {
		v, err := a.cfg.Offsets.Cursor(ctx, name)
		if err != nil && ctx.Err() == nil {
			a.logger.Warn("getUpdates offset unavailable; Telegram's own is used", "err", err)
		}
		offset = int(v)
	}
	backoff := time.Second
	for ctx.Err() == nil {
		updates, err := a.call(ctx).GetUpdates(tgbotapi.UpdateConfig{
			Offset:         offset,
			Timeout:        int(a.cfg.PollTimeout / time.Second),
			AllowedUpdates: allowedUpdates,
		})
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			wait := backoff
			if ra := retryAfter(err); ra > 0 {
				wait = ra
			}
			a.logger.Warn("getUpdates failed", "err", err, "retry_in", wait)
			if bot.Sleep(ctx, wait) != nil {
				break
			}
			backoff = min(2*backoff, 30*time.Second)
			continue
		}
		backoff = time.Second
		var taken []<-chan struct{}
		for _, u := range updates {
			if u.UpdateID < offset {
				continue
			}
			offset = u.UpdateID + 1
			// Taken in, an update is handled after ctx ends too, until
			// the drain ends (bot.Outlive).
			work, done := bot.Outlive(ctx)
			uctx, accepted := bot.WithAccept(work)
			handled := make(chan struct{})
			a.queue.push(chatKey(u), func() {
				defer close(handled)
				defer done()
				a.handleUpdate(uctx, u)
			})
			taken = append(taken, accepted, handled)
		}
		// The next getUpdates confirms these to Telegram: first each one
		// is taken by the bot (in the inbox) or handled.
		all := true
		for i := 0; i < len(taken); i += 2 {
			select {
			case <-taken[i]:
			case <-taken[i+1]:
			case <-ctx.Done():
				all = false
			}
			if !all {
				break
			}
		}
		if all && len(taken) > 0 && a.cfg.Offsets != nil {
			if err := a.cfg.Offsets.SetCursor(context.WithoutCancel(ctx), name, int64(offset)); err != nil {
				a.logger.Warn("getUpdates offset not saved", "err", err)
			}
		}
	}
}

// Routes mounts the webhook on mux. Every call must carry the configured
// secret in X-Telegram-Bot-Api-Secret-Token; anything else gets 401 before
// the body is read.
func (a *Adapter) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST "+WebhookPath, a.serveWebhook)
}

func (a *Adapter) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if !a.validSecret(r.Header.Get("X-Telegram-Bot-Api-Secret-Token")) {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxWebhookBody))
	if err != nil {
		http.Error(w, "cannot read update", http.StatusBadRequest)
		return
	}
	var u tgbotapi.Update
	if err := json.Unmarshal(body, &u); err != nil {
		if unsubscribed(body) {
			// A kind hirebot does not ask for, in a shape the SDK does not
			// read: nothing to do, and a 400 would only be retried.
			a.logger.Debug("undecodable update of a kind not handled", "err", err)
			w.WriteHeader(http.StatusOK)
			return
		}
		http.Error(w, "bad update", http.StatusBadRequest)
		return
	}
	// Handled before answering: if this process dies midway Telegram
	// delivers again, and the bot's dedupe on Event.ID keeps it to one
	// effect. The work survives Telegram hanging up, until the drain ends
	// (bot.Outlive).
	work, done := bot.Outlive(r.Context())
	defer done()
	ctx, _ := bot.WithAccept(work)
	a.handleUpdate(ctx, u)
	w.WriteHeader(http.StatusOK)
}

// unsubscribed reports whether body is an update (a JSON object with an
// update_id) that carries none of the kinds hirebot handles.
func unsubscribed(body []byte) bool {
	var u map[string]json.RawMessage
	if json.Unmarshal(body, &u) != nil || u["update_id"] == nil {
		return false
	}
	for _, kind := range allowedUpdates {
		if u[kind] != nil {
			return false
		}
	}
	return true
}

func (a *Adapter) validSecret(got string) bool {
	want := a.cfg.WebhookSecret
	return want != "" && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// handleUpdate runs one update through the handler, delivers the replies
// and tells the bot they went out (bot.Delivered).
func (a *Adapter) handleUpdate(ctx context.Context, u tgbotapi.Update) {
	defer bot.Delivered(ctx)
	ctx, cancel := context.WithTimeout(ctx, handleTimeout)
	defer cancel()
	ev, ok := translate(u, a.api.Self)
	if !ok {
		return
	}
	log := a.logger.With("event", ev.ID, "kind", ev.Kind, "user", ev.From.UserID)
	if ev.Private {
		a.setBlocked(ev.From.UserID, false) // they are talking to the bot now
	}
	if u.CallbackQuery != nil {
		// Request, not Send: the result is true, not a Message.
		if _, err := a.call(ctx).Request(tgbotapi.NewCallback(u.CallbackQuery.ID, "")); err != nil {
			log.Warn("answerCallbackQuery failed", "err", err)
		}
	}
	a.markModerator(ctx, &ev)
	replies, err := a.handler(ctx, ev)
	if u.CallbackQuery != nil && err == nil && len(replies) > 0 {
		// Only a press the bot acted on: a repeated update gets no replies
		// (hire.Dedupe), and a failed one keeps its buttons.
		a.markPressed(ctx, u.CallbackQuery, log)
	}
	if err != nil { // bot.Recover has logged it
		a.tellError(ctx, ev, err, log)
		return
	}
	a.deliver(ctx, ev, replies, log)
}

// deliver sends the bot's replies by the rule of the bot package: an
// answer goes to the chat of the event, except a private answer to an
// event in a group, which goes to the person's private chat (Telegram has
// no ephemeral messages). When Telegram refuses that (the person never
// started the bot), the group gets one short note with a link that opens
// the private chat, never the answer itself.
func (a *Adapter) deliver(ctx context.Context, ev bot.Event, replies []bot.Reply, log *slog.Logger) {
	noted := false
	for _, r := range replies {
		if r.To.Platform != "" && r.To.Platform != bot.Telegram {
			log.Warn("reply for another platform dropped", "platform", r.To.Platform)
			continue
		}
		private := ev.Answers(r) && r.Private && !ev.Private
		switch {
		case private:
			r.To = bot.Recipient{Platform: bot.Telegram, UserID: ev.From.UserID}
		case ev.Answers(r):
			r.To = ev.Chat
		}
		err := a.Send(ctx, r)
		if private && bot.ErrorCode(err) == bot.EREFUSED && !noted {
			noted = true
			note := bot.Reply{To: ev.Chat, Text: "I have an answer for you alone: open a private chat with me and press Start, then ask again."}
			if link := a.DeepLink("resume"); link != "" {
				note.Buttons = []bot.Button{{Label: "Open the chat", Value: link}}
			}
			err = a.Send(ctx, note)
		}
		if err != nil {
			log.Warn("reply not delivered", "to", r.To.ChatID+r.To.UserID, "err", err)
		}
	}
}

// tellError shows the error to the person: in their private chat when the
// event came from a group (falling back to the group if Telegram refuses).
func (a *Adapter) tellError(ctx context.Context, ev bot.Event, err error, log *slog.Logger) {
	msg := bot.Reply{Text: bot.ErrorMessage(err)}
	if !ev.Private {
		msg.To = bot.Recipient{Platform: bot.Telegram, UserID: ev.From.UserID}
		if a.Send(ctx, msg) == nil {
			return
		}
	}
	msg.To = ev.Chat
	if err := a.Send(ctx, msg); err != nil {
		log.Warn("error message not delivered", "err", err)
	}
}

// markPressed edits a pressed button's message to show the choice without
// the keyboard, so it cannot be pressed twice.
func (a *Adapter) markPressed(ctx context.Context, q *tgbotapi.CallbackQuery, log *slog.Logger) {
	m := q.Message
	if m == nil || m.Chat == nil {
		return
	}
	choice := "✓ " + buttonLabel(m.ReplyMarkup, q.Data)
	empty := tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}}
	var edit tgbotapi.Chattable = tgbotapi.NewEditMessageReplyMarkup(m.Chat.ID, m.MessageID, empty)
	if m.Text != "" {
		text := entitiesToHTML(m.Text, m.Entities) + "\n\n" + esc(choice)
		if utf16Len(text) <= maxMessage {
			cfg := tgbotapi.NewEditMessageTextAndMarkup(m.Chat.ID, m.MessageID, text, empty)
			cfg.ParseMode = tgbotapi.ModeHTML
			edit = cfg
		}
	}
	if err := a.pacer.wait(ctx, chatKey(tgbotapi.Update{CallbackQuery: q}), m.Chat.ID < 0); err != nil {
		return
	}
	if err := a.request(ctx, edit, ""); err != nil {
		log.Warn("editing the pressed message failed", "err", err)
	}
}

// buttonLabel finds the label of the pressed button; the data itself when
// the keyboard is gone.
func buttonLabel(kb *tgbotapi.InlineKeyboardMarkup, data string) string {
	if kb != nil {
		for _, row := range kb.InlineKeyboard {
			for _, b := range row {
				if b.CallbackData != nil && *b.CallbackData == data {
					return b.Text
				}
			}
		}
	}
	return data
}

// chatKey orders the work: updates of one chat are handled one at a time.
func chatKey(u tgbotapi.Update) string {
	switch {
	case u.Message != nil && u.Message.Chat != nil:
		return fmt.Sprint(u.Message.Chat.ID)
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil && u.CallbackQuery.Message.Chat != nil:
		return fmt.Sprint(u.CallbackQuery.Message.Chat.ID)
	case u.SentFrom() != nil:
		return fmt.Sprint(u.SentFrom().ID)
	}
	return ""
}

// retryAfter is the wait a 429 asks for; 0 for other errors.
func retryAfter(err error) time.Duration {
	var te *tgbotapi.Error
	if errors.As(err, &te) && te.Code == http.StatusTooManyRequests {
		return time.Duration(max(te.RetryAfter, 1)) * time.Second
	}
	return 0
}
