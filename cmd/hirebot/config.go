package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os/user"
	"strconv"
	"strings"
	"time"

	"github.com/hirebot/hirebot/hire"
)

// errUsage means a flag was wrong; the flag package has said so.
var errUsage = errors.New("usage")

// env is everything hirebot reads from the environment, read once.
type env struct {
	DB   string // HIREBOT_DB
	Addr string // HIREBOT_ADDR
	// AdminAddr, when set, serves net/http/pprof there
	// (HIREBOT_ADMIN_ADDR, e.g. 127.0.0.1:6060); unset serves none.
	AdminAddr string
	RedisURL  string // REDIS_URL
	// RedisPrefix starts every Redis key (HIREBOT_REDIS_PREFIX, default
	// "hirebot:").
	RedisPrefix string
	// SessionTTL is how long an idle dialog is kept (HIREBOT_SESSION_TTL;
	// 0, unset: 168h).
	SessionTTL time.Duration
	LogLevel   string // HIREBOT_LOG: debug, info, warn, error
	LogFormat  string // HIREBOT_LOG_FORMAT: text (default) or json
	// IndexSnapshot is the match index's snapshot file
	// (HIREBOT_INDEX_SNAPSHOT): unset, beside a SQLite file; "off", none.
	IndexSnapshot string

	// The rules of the hiring loop (botRules): how long invites wait
	// (HIREBOT_INVITE_TTL), how often freelancers are asked whether they
	// are still available (HIREBOT_CHECKIN_EVERY) and how long an answer
	// may take (HIREBOT_CHECKIN_GRACE), 0 when unset (the defaults); who
	// may moderate reviews (HIREBOT_MODERATORS).
	InviteTTL, CheckinEvery, CheckinGrace time.Duration
	Moderators                            string

	SlackSigningSecret, SlackBotToken, SlackAppToken string
	SlackClientID, SlackClientSecret, SlackAPIURL    string
	SlackRedirectURL                                 string

	DiscordBotToken, DiscordAppID, DiscordPublicKey, DiscordAPIURL string
	// DiscordShards overrides the gateway shard count Discord recommends
	// (HIREBOT_DISCORD_SHARDS, a positive number; 0, unset: Discord's).
	DiscordShards int

	TelegramBotToken, TelegramAPIURL, TelegramWebhookURL, TelegramWebhookSecret string

	// The web chat: the cookie secret (HIREBOT_WEB_SECRET) and the sites
	// that may embed the widget (HIREBOT_WEB_ORIGINS, comma-separated).
	// WebChat is set by `hirebot web`: serve the chat whatever else runs.
	WebSecret, WebOrigins string
	WebChat               bool
}

// environment reads the environment once: the durations and numbers are
// parsed here, and nowhere else. A value that does not parse is an error
// (all of them, joined); the rest of env is read all the same.
func environment(getenv func(string) string) (env, error) {
	or := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	var errs []error
	duration := func(key string) time.Duration {
		d, err := parseDuration(key, getenv(key))
		errs = append(errs, err)
		return d
	}
	count := func(key string) int {
		n, err := parseCount(key, getenv(key))
		errs = append(errs, err)
		return n
	}
	return env{
		DB:          or("HIREBOT_DB", "hirebot.db"),
		Addr:        or("HIREBOT_ADDR", ":8080"),
		AdminAddr:   getenv("HIREBOT_ADMIN_ADDR"),
		RedisURL:    getenv("REDIS_URL"),
		RedisPrefix: getenv("HIREBOT_REDIS_PREFIX"),
		SessionTTL:  duration("HIREBOT_SESSION_TTL"),
		LogLevel:    getenv("HIREBOT_LOG"),
		LogFormat:   getenv("HIREBOT_LOG_FORMAT"),

		IndexSnapshot: getenv("HIREBOT_INDEX_SNAPSHOT"),

		InviteTTL:    duration("HIREBOT_INVITE_TTL"),
		CheckinEvery: duration("HIREBOT_CHECKIN_EVERY"),
		CheckinGrace: duration("HIREBOT_CHECKIN_GRACE"),
		Moderators:   getenv("HIREBOT_MODERATORS"),

		SlackSigningSecret: getenv("SLACK_SIGNING_SECRET"),
		SlackBotToken:      getenv("SLACK_BOT_TOKEN"),
		SlackAppToken:      getenv("SLACK_APP_TOKEN"),
		SlackClientID:      getenv("SLACK_CLIENT_ID"),
		SlackClientSecret:  getenv("SLACK_CLIENT_SECRET"),
		SlackAPIURL:        getenv("SLACK_API_URL"),
		SlackRedirectURL:   getenv("SLACK_REDIRECT_URL"),

		DiscordBotToken:  getenv("DISCORD_BOT_TOKEN"),
		DiscordAppID:     getenv("DISCORD_APP_ID"),
		DiscordPublicKey: getenv("DISCORD_PUBLIC_KEY"),
		DiscordAPIURL:    getenv("DISCORD_API_URL"),
		DiscordShards:    count("HIREBOT_DISCORD_SHARDS"),

		TelegramBotToken:      getenv("TELEGRAM_BOT_TOKEN"),
		TelegramAPIURL:        getenv("TELEGRAM_API_URL"),
		TelegramWebhookURL:    getenv("TELEGRAM_WEBHOOK_URL"),
		TelegramWebhookSecret: getenv("TELEGRAM_WEBHOOK_SECRET"),

		WebSecret:  getenv("HIREBOT_WEB_SECRET"),
		WebOrigins: getenv("HIREBOT_WEB_ORIGINS"),
	}, errors.Join(errs...)
}

// botRules are the hiring rules of the environment: the durations of
// env, and who may hide reported review comments (HIREBOT_MODERATORS,
// e.g. "slack:T1:U1,telegram:42"). Unset means the defaults.
func botRules(e env) (inviteTTL time.Duration, r hire.RetentionConfig, err error) {
	r.CheckinEvery, r.CheckinGrace = e.CheckinEvery, e.CheckinGrace
	for _, s := range strings.Split(e.Moderators, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		id, err := hire.ParseIdentity(s)
		if err != nil {
			return 0, r, fmt.Errorf("HIREBOT_MODERATORS: %q: %w", s, err)
		}
		r.Moderators = append(r.Moderators, id)
	}
	return e.InviteTTL, r, nil
}

// redact hides the password of a database URL, for messages.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		return u.Redacted()
	}
	return dsn
}

// parseDuration reads a positive duration setting; "" is 0 (the default).
func parseDuration(name, v string) (time.Duration, error) {
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s=%q is not a positive duration like 48h", name, v)
	}
	return d, nil
}

// parseCount reads a positive whole-number setting; "" is 0 (the default).
func parseCount(name, v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%s=%q is not a positive whole number", name, v)
	}
	return n, nil
}

// storeConfig is what every subcommand that touches data needs.
type storeConfig struct {
	DB          string
	RedisURL    string
	RedisPrefix string
	// SessionTTL is how long an idle dialog is kept; 0 is a week.
	SessionTTL time.Duration
	// IndexSnapshot is HIREBOT_INDEX_SNAPSHOT (see snapshotPath).
	IndexSnapshot string
}

func storeFlags(fs *flag.FlagSet, e env) *storeConfig {
	c := &storeConfig{RedisURL: e.RedisURL, RedisPrefix: e.RedisPrefix, SessionTTL: e.SessionTTL, IndexSnapshot: e.IndexSnapshot}
	fs.StringVar(&c.DB, "db", e.DB, "database: a SQLite file, or a postgres:// URL for several replicas (env HIREBOT_DB)")
	return c
}

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("hirebot "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	return nil
}

func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "me"
}
