// Package redis keeps hirebot's shared runtime state in Redis, so several
// replicas can answer the same people: dialog sessions (compare-and-set,
// with a time to live), event dedupe, leases for periodic work and
// token-bucket rate limits. Every key lives under one prefix. Each script
// touches a single key, so everything works on Redis Cluster as well.
//
// Failures to reach Redis (down, slow, timed out) come back as *bot.Error
// with code EUNAVAILABLE and the sentence bot.UnavailableMessage, with the
// Redis error as the cause.
package redis

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/hirebot/hirebot/bot"
)

// Defaults for Options.
const (
	DefaultPrefix       = "hirebot:"
	DefaultSessionTTL   = 7 * 24 * time.Hour
	DefaultDedupeWindow = time.Hour
	// DefaultDedupeProcessing is how long a claim holds before Done.
	DefaultDedupeProcessing = 2 * time.Minute
	DefaultTimeout          = 500 * time.Millisecond
)

// Options configures Open.
type Options struct {
	// URL is redis://[user:password@]host:port/db or rediss:// for TLS.
	URL string
	// Prefix starts every key (default "hirebot:").
	Prefix string
	// SessionTTL is how long a session lives after its last save
	// (default 7 days).
	SessionTTL time.Duration
	// DedupeWindow is how long a handled event ID is remembered
	// (default 1 hour).
	DedupeWindow time.Duration
	// DedupeProcessing is how long a claim holds before it is marked done
	// (default 2 minutes, at most DedupeWindow): a crash mid-event lets the
	// re-delivery in after it.
	DedupeProcessing time.Duration
	// Timeout bounds every call to Redis, dialing included (default 500ms).
	Timeout time.Duration
	// Logger gets the store's messages (default: discarded).
	Logger *slog.Logger
}

// Store is a connection pool to Redis and the state kept there.
type Store struct {
	client     *goredis.Client
	prefix     string
	ttl        time.Duration
	window     time.Duration
	processing time.Duration
	timeout    time.Duration
	log        *slog.Logger
}

// Open connects to the Redis at opts.URL and checks that it answers.
func Open(ctx context.Context, opts Options) (*Store, error) {
	if opts.URL == "" {
		return nil, errors.New("redis: no URL")
	}
	copt, err := goredis.ParseURL(opts.URL)
	if err != nil {
		// The URL may hold a password: do not echo it.
		return nil, fmt.Errorf("redis: parse URL: %w", err)
	}
	if opts.Prefix == "" {
		opts.Prefix = DefaultPrefix
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = DefaultSessionTTL
	}
	if opts.DedupeWindow <= 0 {
		opts.DedupeWindow = DefaultDedupeWindow
	}
	if opts.DedupeProcessing <= 0 {
		opts.DedupeProcessing = DefaultDedupeProcessing
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	copt.DialTimeout = opts.Timeout
	copt.ReadTimeout = opts.Timeout
	copt.WriteTimeout = opts.Timeout
	copt.PoolTimeout = opts.Timeout
	copt.ContextTimeoutEnabled = true
	// RESP2: hirebot uses nothing of RESP3 (push notifications, client-side
	// caching), and under RESP3 go-redis looks for pending push
	// notifications around every command.
	copt.Protocol = 2
	// No automatic retries: a save whose reply was lost may have been
	// applied, and applying it twice would apply an answer twice. The
	// caller reloads on conflict or asks the person to try again.
	copt.MaxRetries = -1
	// One dial attempt per call: when Redis refuses connections the person
	// hears so at once instead of after the whole timeout.
	copt.DialerRetries = 1

	s := &Store{
		client:     goredis.NewClient(copt),
		prefix:     opts.Prefix,
		ttl:        opts.SessionTTL,
		window:     opts.DedupeWindow,
		processing: min(opts.DedupeProcessing, opts.DedupeWindow),
		timeout:    opts.Timeout,
		log:        opts.Logger.With("component", "redis"),
	}
	pctx, cancel := s.call(ctx)
	defer cancel()
	if err := s.client.Ping(pctx).Err(); err != nil {
		s.client.Close()
		return nil, s.fail("ping "+copt.Addr, err)
	}
	s.log.Info("connected", "addr", copt.Addr, "db", copt.DB, "tls", copt.TLSConfig != nil, "prefix", s.prefix)
	return s, nil
}

// Close closes the connection pool.
func (s *Store) Close() error { return s.client.Close() }

// Sessions returns the parse.SessionStore kept in this Redis.
func (s *Store) Sessions() *Sessions { return &Sessions{s: s} }

// Deduper returns the bot.Deduper kept in this Redis.
func (s *Store) Deduper() *Deduper { return &Deduper{s: s} }

// Locker returns the bot.Locker kept in this Redis.
func (s *Store) Locker() *Locker { return &Locker{s: s} }

// Limiter returns the bot.Limiter kept in this Redis.
func (s *Store) Limiter() *Limiter { return &Limiter{s: s} }

// call bounds one call to Redis by the store's timeout.
func (s *Store) call(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.timeout)
}

// key returns the full key of kind and id. The id is wrapped in a Cluster
// hash tag so every key about one thing lands on one slot.
func (s *Store) key(kind, id string) string {
	return s.prefix + kind + ":{" + id + "}"
}

// fail wraps an error from Redis. Anything that means "Redis cannot answer
// now" becomes EUNAVAILABLE; a reply error that means a bug (wrong type,
// bad script) stays internal.
func (s *Store) fail(op string, err error) error {
	err = fmt.Errorf("redis: %s: %w", op, err)
	var reply goredis.Error
	if errors.As(err, &reply) && !transient(reply.Error()) {
		return err
	}
	return bot.Unavailable(err)
}

// transient reports whether a Redis reply error means the server is
// temporarily unable to answer.
func transient(msg string) bool {
	for _, p := range []string{"LOADING", "READONLY", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "BUSY", "MOVED", "ASK", "OOM"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}
