package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/hirebot/hirebot/adapters/discord"
	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/match"
	"github.com/hirebot/hirebot/store/memory"
	"github.com/hirebot/hirebot/store/redis"
)

// stores is the data side of a running hirebot.
type stores struct {
	DB       *durable
	Sessions conversation.SessionStore
	Locker   bot.Locker
	Limiter  bot.Limiter
	// Changes is the feed that keeps every other process's match index
	// fresh: Redis pub/sub, or the database's change log without Redis.
	Changes bot.ChangeFeed
	// Cursors keeps Telegram's getUpdates offset for the next poller; nil
	// without Redis (one process polls, and Telegram keeps its offset).
	Cursors *redis.Cursors
	// Values is what replicas share besides leases (the Discord gateway's
	// shard count, sessions and live replicas): Redis, or this process.
	Values discord.Shared
	// Metrics counts what the bot does; nil outside serve.
	Metrics bot.Metrics
	// Snapshot is the match index's snapshot file; "" for none.
	Snapshot string
	closers  []func() error
}

// snapshot loads and writes the match index ix through s.Snapshot.
func (s *stores) snapshot(ix *match.Index, log *slog.Logger) indexSnapshot {
	return indexSnapshot{path: s.Snapshot, ix: ix, db: s.DB, log: log.With("component", "index")}
}

func (s *stores) Close() {
	for i := len(s.closers) - 1; i >= 0; i-- {
		_ = s.closers[i]()
	}
}

// openStores opens the database and the session state: Redis when
// REDIS_URL is set, otherwise the database file (dialogs survive a
// restart but are not shared between machines) and in-process dedupe.
func openStores(ctx context.Context, c storeConfig, log *slog.Logger) (*stores, error) {
	ttl := c.SessionTTL
	if ttl == 0 {
		ttl = 7 * 24 * time.Hour
	}
	db, err := openDurable(ctx, c.DB, log)
	if err != nil {
		return nil, err
	}
	s := &stores{DB: db, Snapshot: snapshotPath(c.DB, c.IndexSnapshot), closers: []func() error{db.Close}}
	if c.RedisURL != "" {
		if err := s.openRedis(ctx, c.RedisURL, c.RedisPrefix, ttl, log); err != nil {
			s.Close()
			return nil, err
		}
		return s, nil
	}
	s.Sessions, s.Changes = db.Sessions(ttl), db.Changes
	s.Locker, s.Values = memory.NewLocker(memory.LockOptions{}), memory.NewValues(memory.ValuesOptions{})
	s.Limiter = memory.NewLimiter(memory.LimitOptions{})
	log.Info("REDIS_URL is not set: dialogs and changes are shared through the database; locks and rate limits stay in this process")
	return s, nil
}

func (s *stores) openRedis(ctx context.Context, url, prefix string, ttl time.Duration, log *slog.Logger) error {
	goredis.SetLogger(redisLog{log.With("component", "go-redis")})
	r, err := redis.Open(ctx, redis.Options{URL: url, Prefix: prefix, SessionTTL: ttl, Logger: log})
	if err != nil {
		return redisError(url, err)
	}
	s.closers = append(s.closers, r.Close)
	s.Sessions, s.Locker, s.Limiter, s.Changes = r.Sessions(), r.Locker(), r.Limiter(), r.Changes()
	s.Cursors, s.Values = r.Cursors(), r.Values()
	return nil
}

// newBot builds the bot on the stores, with its match index loaded (from
// its snapshot when there is a usable one, snapshot.go), and
// the handler every platform calls: each event is recorded in the
// database's inbox before anything else (which also drops repeats, after
// a restart too); the intake's Run takes over the events of dead workers.
func newBot(ctx context.Context, s *stores, e env, log *slog.Logger) (*hire.Bot, bot.Handler, *hire.Intake, error) {
	inviteTTL, retention, err := botRules(e)
	if err != nil {
		return nil, nil, nil, err
	}
	b, err := hire.New(hire.Config{Store: s.DB, Sessions: s.Sessions, InviteTTL: inviteTTL, Retention: retention, Metrics: s.Metrics, Logger: log.With("component", "bot")})
	if err != nil {
		return nil, nil, nil, err
	}
	if err := s.snapshot(b.Index(), log).load(ctx); err != nil {
		return nil, nil, nil, err
	}
	in := b.Intake(s.DB.Inbox, hire.IntakeConfig{Owner: replicaName(), Workers: s.DB.Workers, Logger: log})
	h := bot.Chain(b.Handle, hire.Observe(s.Metrics), in.Middleware, bot.Recover(log))
	return b, h, in, nil
}

// redisLog sends go-redis's own messages (reconnects while Redis is down)
// to the structured log instead of stderr.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(format, v...))
}
