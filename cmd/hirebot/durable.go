package main

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/hirebot/hirebot/adapters/slack"
	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
	"github.com/hirebot/hirebot/store/postgres"
	"github.com/hirebot/hirebot/store/sqldb"
	"github.com/hirebot/hirebot/store/sqlite"
)

// durable is the SQL store of every subcommand: SQLite for a file path
// (one machine), PostgreSQL for a postgres:// URL (several replicas).
type durable struct {
	bot.Store
	// Sessions keeps dialogs in the same database, for when there is no
	// Redis.
	Sessions func(ttl time.Duration) conversation.SessionStore
	// SlackTokens keeps the bot token of each Slack workspace (OAuth).
	SlackTokens slack.TokenStore
	// Changes is the change feed in the database, for processes that
	// share it without Redis.
	Changes bot.ChangeFeed
	// Backlog reads the outbox depth for the metrics.
	Backlog func(ctx context.Context) (pending int, oldest time.Time, err error)
	// Inbox keeps the events received until they are handled, by at most
	// Workers at once (0: no bound).
	Inbox   bot.Inbox
	Workers int
	// ProfileLog numbers the changes of profiles, so an index snapshot
	// says which it covers; PruneProfileLog drops old ones.
	ProfileLog      bot.ProfileLog
	PruneProfileLog func(ctx context.Context, before time.Time) error
	Close           func() error
}

// openSQL opens the database named by dsn, migrating it when migrate is
// set.
func openSQL(ctx context.Context, dsn string, log *slog.Logger, migrate bool) (db *sqldb.DB, err error) {
	if isPostgres(dsn) {
		if db, err = postgres.Open(ctx, dsn, postgres.Options{Logger: log, NoMigrate: !migrate}); err != nil {
			return nil, postgresError(dsn, err)
		}
	} else if db, err = sqlite.Open(ctx, dsn, sqlite.Options{Logger: log, NoMigrate: !migrate}); err != nil {
		return nil, sqliteError(dsn, err)
	}
	return db, nil
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openDurable opens (and migrates) the database named by dsn.
func openDurable(ctx context.Context, dsn string, log *slog.Logger) (*durable, error) {
	db, err := openSQL(ctx, dsn, log, true)
	if err != nil {
		return nil, err
	}
	return &durable{
		Store:           db,
		Sessions:        func(ttl time.Duration) conversation.SessionStore { return db.Sessions(ttl) },
		SlackTokens:     db.Tokens(bot.Slack),
		Changes:         db.Changes(0),
		Backlog:         db.Backlog,
		Inbox:           db,
		Workers:         db.Workers(),
		ProfileLog:      db,
		PruneProfileLog: db.PruneProfileLog,
		Close:           db.Close,
	}, nil
}
