// Package slack connects hirebot to Slack: the Events API, the /hire slash
// command, buttons and modals (interactivity), the App Home tab, OAuth v2
// installation into many workspaces, and Socket Mode for running without a
// public URL. It verifies every request, translates it into one bot.Event,
// hands it to the bot and renders the replies as Block Kit.
package slack

import (
	"cmp"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/hirebot/hirebot/bot"
)

// DefaultAPIURL is Slack's Web API base.
const DefaultAPIURL = "https://slack.com/api/"

// BotScopes are the bot token scopes hirebot asks for when a workspace
// installs it (the manifest, WriteManifest, lists the same).
var BotScopes = []string{
	"app_mentions:read",
	"chat:write",
	"commands",
	"im:history",
	"im:read",
	"im:write",
	"users:read",
}

// Config configures the Slack adapter.
type Config struct {
	// SigningSecret verifies every inbound HTTP request. Required.
	SigningSecret string
	// BotToken (xoxb-) serves a single workspace. Leave empty to serve only
	// the workspaces installed through OAuth.
	BotToken string
	// AppToken (xapp-) turns on Socket Mode in Run.
	AppToken string
	// ClientID and ClientSecret turn on OAuth v2 installation
	// (GET /slack/install and GET /slack/oauth/callback).
	ClientID     string
	ClientSecret string
	// APIURL is the Web API base; it must end with "/". Default DefaultAPIURL.
	APIURL string
	// RedirectURL is the OAuth redirect URL registered with the app
	// (https://host/slack/oauth/callback). Optional when only one is registered.
	RedirectURL string
	// Tokens keeps each workspace's bot token. Nil means an in-memory store
	// that knows only BotToken (tokens from OAuth are lost on restart).
	Tokens TokenStore
	// Locker, when set, counts Socket Mode connections across replicas:
	// each holds one of socketSlots leases, and a start when all are held
	// is refused. Nil counts nothing (one process).
	Locker bot.Locker
	// Limiter paces what the outbox sends (Pace), under keys every replica
	// shares; nil does not pace.
	Limiter bot.Limiter
}

// Timing of the 3-second rule and of the work done after the ack.
const (
	// ackBudget is how long a slash command or an interaction waits for the
	// bot before Slack is acknowledged; a modal's trigger_id lives 3 s.
	ackBudget = 2500 * time.Millisecond
	// workTimeout bounds the bot's handling of one event.
	workTimeout = time.Minute
	// deliverTimeout bounds the delivery of one event's replies, rate
	// limit waits included.
	deliverTimeout = 2 * time.Minute
	// maxBody is the largest request body accepted (Slack's are far smaller).
	maxBody = 1 << 20
)

// Adapter is hirebot on Slack. It implements bot.Adapter.
type Adapter struct {
	cfg     Config
	handler bot.Handler
	log     *slog.Logger
	tokens  TokenStore
	http    *http.Client
	budget  time.Duration
	now     func() time.Time

	mu      sync.Mutex
	clients map[string]*slack.Client // by token

	// inflight is the work started for events, over HTTP or Socket Mode;
	// Run waits for it, and refuses more, before it returns.
	inflight bot.Inflight

	names names // users.info answers, cached: names.go
}

var _ bot.Adapter = (*Adapter)(nil)

// options are the knobs tests turn.
type options struct {
	http   *http.Client
	budget time.Duration
	now    func() time.Time
}

// New returns the Slack adapter; handler is the bot. It does no I/O:
// Routes serves the HTTP API and Run Socket Mode, and Run's return ends
// both (see Run).
func New(cfg Config, handler bot.Handler, logger *slog.Logger) (*Adapter, error) {
	return newAdapter(cfg, handler, logger, options{})
}

func newAdapter(cfg Config, handler bot.Handler, logger *slog.Logger, o options) (*Adapter, error) {
	if cfg.SigningSecret == "" && cfg.AppToken == "" {
		return nil, errors.New("slack: a signing secret (HTTP) or an app token (Socket Mode) is required")
	}
	if handler == nil {
		return nil, errors.New("slack: nil handler")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if !strings.HasSuffix(cfg.APIURL, "/") {
		return nil, errors.New(`slack: APIURL must end with "/"`)
	}
	if (cfg.ClientID == "") != (cfg.ClientSecret == "") {
		return nil, errors.New("slack: OAuth needs both the client ID and the client secret")
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Tokens == nil {
		cfg.Tokens = NewMemoryTokens(cfg.BotToken)
	}
	if o.http == nil {
		o.http = &http.Client{Transport: webAPITransport(), Timeout: 30 * time.Second}
	}
	if o.budget == 0 {
		o.budget = ackBudget
	}
	if o.now == nil {
		o.now = time.Now
	}
	return &Adapter{
		cfg:     cfg,
		handler: handler,
		log:     logger.With("adapter", bot.Slack),
		tokens:  cfg.Tokens,
		http:    o.http,
		budget:  o.budget,
		now:     o.now,
		clients: map[string]*slack.Client{},
	}, nil
}

// Platform returns bot.Slack.
func (a *Adapter) Platform() string { return bot.Slack }

// slackPace keeps the outbox under Slack's rate limits: Slack allows about one message a second per channel.
var slackPace = struct{ all, chat bot.Limit }{all: bot.Limit{Rate: 20, Burst: 20}, chat: bot.Limit{Rate: 1, Burst: 3}}

// Pace implements bot.Pacer.
func (a *Adapter) Pace(ctx context.Context, to bot.Recipient) (time.Duration, error) {
	return bot.Reserve(ctx, a.cfg.Limiter,
		bot.Bucket{Key: "slack:all", Limit: slackPace.all},
		bot.Bucket{Key: "slack:chat" + ":" + to.Workspace + ":" + cmp.Or(to.ChatID, to.UserID), Limit: slackPace.chat})
}

// TypedCommand implements bot.CommandTyper: on Slack every command is a
// verb of the one /hire slash command ("/hire profile"); Slack itself
// refuses a "/profile" typed in a message.
func (a *Adapter) TypedCommand(name string) string { return "/hire " + name }

// ContactLink implements bot.Contacter: Slack's link to a person's DM.
func (a *Adapter) ContactLink(id bot.Identity) string {
	return "slack://user?team=" + url.QueryEscape(id.Workspace) + "&id=" + url.QueryEscape(id.UserID)
}

// Routes registers the adapter's HTTP routes on mux.
func (a *Adapter) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /slack/events", a.serveEvents)
	mux.HandleFunc("POST /slack/commands", a.serveCommands)
	mux.HandleFunc("POST /slack/interactions", a.serveInteractions)
	if a.cfg.ClientID != "" {
		mux.HandleFunc("GET /slack/install", a.serveInstall)
		mux.HandleFunc("GET /slack/oauth/callback", a.serveOAuthCallback)
	}
}

// client returns a Web API client with the bot token of the workspace.
func (a *Adapter) client(ctx context.Context, team string) (*slack.Client, error) {
	token, err := a.tokens.Token(ctx, team)
	if err != nil {
		a.log.Warn("no bot token for workspace", "workspace", team, "err", err)
		return nil, &bot.Error{Code: bot.EREFUSED, Message: "hirebot is not installed in that Slack workspace.", Err: err}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	c, ok := a.clients[token]
	if !ok {
		c = slack.New(token, slack.OptionAPIURL(a.cfg.APIURL), slack.OptionHTTPClient(a.http))
		a.clients[token] = c
	}
	return c, nil
}

// webAPITransport keeps connections to the Web API open for reuse. Every
// call goes to one host, and the default transport keeps only 2 idle
// connections per host: under load each reply beyond two would dial (and
// on https, handshake) again.
func webAPITransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = 256, 128
	return t
}
