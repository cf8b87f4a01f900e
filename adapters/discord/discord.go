// Package discord connects hirebot to Discord: the gateway (Run) and the HTTP
// interactions endpoint (Routes) both translate into bot.Event, and replies
// are rendered as messages, embeds, components and modals.
package discord

import (
	"cmp"
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/hirebot/hirebot/bot"
)

// DefaultAPIURL is Discord's REST API base.
const DefaultAPIURL = "https://discord.com/api/v9"

// Config configures the Discord adapter.
type Config struct {
	// Token is the bot token, without the "Bot " prefix.
	Token string
	// AppID is the application ID (commands are registered under it).
	AppID string
	// PublicKey is the application's Ed25519 public key in hex, used to
	// verify HTTP interactions. Empty disables the HTTP endpoint.
	PublicKey string
	// APIURL is the REST API base; gateway discovery follows it.
	// Default DefaultAPIURL.
	APIURL string
	// Autocomplete returns the skills that start with prefix, for the skill
	// option of /hire search. Nil offers no suggestions.
	Autocomplete func(prefix string) []string
	// Shards, when positive, is the number of gateway shards to run
	// instead of the count GET /gateway/bot recommends.
	Shards int
	// Locker hands out the shard leases and the identify turns, and
	// Shared keeps the shard count, the shards' sessions and the roll of
	// live replicas (shards.go). Run requires both: the Redis ones share
	// the shards between replicas, the in-process ones run them all in
	// this process.
	Locker bot.Locker
	Shared Shared
	// Limiter paces what the outbox sends (Pace), under keys every replica
	// shares; nil does not pace.
	Limiter bot.Limiter
}

// Adapter is hirebot on Discord.
type Adapter struct {
	cfg Config
	// session makes the REST calls; its Identify is what each shard's
	// gateway connection identifies with (gateway.go).
	session *discordgo.Session
	handler bot.Handler
	log     *slog.Logger
	pubKey  ed25519.PublicKey

	// budget is how long an interaction waits for the handler before it
	// sends a deferred response (Discord allows 3 s in all).
	budget time.Duration
	// now is the clock used for the signature timestamp window.
	now func() time.Time
	// maxRateLimitWaits bounds how many 429s one call sits through.
	maxRateLimitWaits int

	forms *formCache

	mu    sync.Mutex
	botID string

	// inflight is the work started for interactions and messages, from
	// the gateway or the HTTP endpoint; Run waits for it, and refuses
	// more, before it returns.
	inflight bot.Inflight
	held     sync.Map // int -> context.CancelCauseFunc: the gateway shards this replica runs
}

var _ bot.Adapter = (*Adapter)(nil)

// New returns a Discord adapter using a real discordgo session. It does no
// I/O: Run connects to the gateway, Routes serves HTTP interactions, and
// Run's return ends both (see Run). A nil handler is allowed for Register
// alone.
func New(cfg Config, handler bot.Handler, logger *slog.Logger) (*Adapter, error) {
	if cfg.Token == "" {
		return nil, errors.New("discord: a bot token is required")
	}
	if handler == nil {
		// Registering commands needs no handler; events then get a refusal.
		handler = func(context.Context, bot.Event) ([]bot.Reply, error) {
			return nil, bot.Errorf(bot.EUNAVAILABLE, "hirebot is not ready here yet.")
		}
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	base, err := url.Parse(strings.TrimRight(cfg.APIURL, "/"))
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("discord: bad API URL %q", cfg.APIURL)
	}
	var pub ed25519.PublicKey
	if cfg.PublicKey != "" {
		b, err := hex.DecodeString(cfg.PublicKey)
		if err != nil || len(b) != ed25519.PublicKeySize {
			return nil, errors.New("discord: the public key must be 64 hex characters")
		}
		pub = ed25519.PublicKey(b)
	}
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}

	s, err := discordgo.New("Bot " + cfg.Token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	s.Client = &http.Client{
		Timeout:   20 * time.Second,
		Transport: &rewriteTransport{base: base, next: http.DefaultTransport},
	}
	// Guilds for slash commands in servers, direct and guild messages for
	// DMs and @mentions; no privileged intent is needed for either.
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsDirectMessages | discordgo.IntentsGuildMessages
	// The adapter waits out 429s itself so the wait is bounded by ctx.
	s.ShouldRetryOnRateLimit = false
	s.StateEnabled = false
	s.LogLevel = discordgo.LogError

	a := &Adapter{
		cfg:               cfg,
		session:           s,
		handler:           handler,
		log:               logger.With("adapter", bot.Discord),
		pubKey:            pub,
		budget:            2 * time.Second,
		now:               time.Now,
		maxRateLimitWaits: 5,
		forms:             newFormCache(500, 15*time.Minute),
		botID:             cfg.AppID,
	}
	return a, nil
}

// Platform returns bot.Discord.
func (a *Adapter) Platform() string { return bot.Discord }

// discordPace keeps the outbox under Discord's rate limits: Discord allows 50 requests a second and five messages per five seconds in a channel.
var discordPace = struct{ all, chat bot.Limit }{all: bot.Limit{Rate: 40, Burst: 40}, chat: bot.Limit{Rate: 1, Burst: 5}}

// Pace implements bot.Pacer.
func (a *Adapter) Pace(ctx context.Context, to bot.Recipient) (time.Duration, error) {
	return bot.Reserve(ctx, a.cfg.Limiter,
		bot.Bucket{Key: "discord:all", Limit: discordPace.all},
		bot.Bucket{Key: "discord:chat" + ":" + cmp.Or(to.ChatID, to.UserID), Limit: discordPace.chat})
}

// ContactLink implements bot.Contacter: the person's Discord profile, where
// "Message" opens a DM.
func (a *Adapter) ContactLink(id bot.Identity) string {
	return "https://discord.com/users/" + url.PathEscape(id.UserID)
}

func (a *Adapter) botUserID() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.botID
}

// Register bulk-overwrites hirebot's application commands: globally when
// guildID is "", else in that server only (instant, for development).
func (a *Adapter) Register(ctx context.Context, guildID string) error {
	if a.cfg.AppID == "" {
		return errors.New("discord: an application ID is required to register commands")
	}
	err := a.do(ctx, func(opts ...discordgo.RequestOption) error {
		_, err := a.session.ApplicationCommandBulkOverwrite(a.cfg.AppID, guildID, Commands(), opts...)
		return err
	})
	if err != nil {
		return fmt.Errorf("discord: register commands: %w", err)
	}
	return nil
}

// rewriteTransport sends discordgo's requests, whose URLs are fixed at
// init to https://discord.com/api/v9, to the configured API base.
type rewriteTransport struct {
	base *url.URL
	next http.RoundTripper
}

func (t *rewriteTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if rest, ok := strings.CutPrefix(req.URL.String(), discordgo.EndpointAPI); ok {
		u, err := url.Parse(t.base.String() + "/" + rest)
		if err != nil {
			return nil, err
		}
		req = req.Clone(req.Context())
		req.URL = u
		req.Host = u.Host
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		normalizeRateLimit(resp)
	}
	return resp, nil
}
