// Package postgres is hirebot's durable store for several replicas: a
// bot.Store and a conversation.SessionStore in one PostgreSQL database,
// with migrations embedded in the binary. It keeps the rules of
// store/sqlite (one transaction per method, the same conformance suite in
// store/storetest), with row locks where SQLite had its single writer.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hirebot/hirebot/bot"
)

// Options configure a DB. The zero value is ready to use.
type Options struct {
	// Now is the clock for CreatedAt, UpdatedAt and session expiry;
	// time.Now when nil.
	Now func() time.Time
	// Logger receives migration notices; nothing is logged when nil.
	Logger *slog.Logger
}

// DB is a hirebot database in PostgreSQL, shared by every replica that
// opens the same URL.
type DB struct {
	pool   *pgxpool.Pool
	now    func() time.Time
	logger *slog.Logger
}

var _ bot.Store = (*DB)(nil)

// Open connects to the database at url (a postgres:// URL or a key=value
// connection string; search_path may be given as a parameter) and
// migrates it to the latest schema.
func Open(ctx context.Context, url string, opts Options) (*DB, error) {
	db := &DB{now: opts.Now, logger: opts.Logger}
	if db.now == nil {
		db.now = time.Now
	}
	if db.logger == nil {
		db.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	db.logger = db.logger.With("store", "postgres")

	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse url: %w", err)
	}
	// Every session of hirebot reads and writes times in UTC.
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	if db.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if err := db.pool.Ping(ctx); err != nil {
		db.pool.Close()
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.pool.Close()
		return nil, err
	}
	return db, nil
}

// Close closes every connection of the pool.
func (db *DB) Close() {
	db.pool.Close()
}

// tx is one transaction. Queries are written with ? placeholders, as in
// store/sqlite; tx numbers them ($1, $2, ...) for PostgreSQL.
type tx struct {
	pgx.Tx
	// write is set for read-write transactions: reads of a row that is
	// about to change take its lock (forUpdate).
	write bool
}

// beginWrite starts a read-write transaction (read committed; the rows a
// method changes after reading them are locked with forUpdate).
func (db *DB) beginWrite(ctx context.Context) (*tx, error) {
	t, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return nil, internal("begin", err)
	}
	return &tx{Tx: t, write: true}, nil
}

// beginRead starts a read-only transaction: one consistent snapshot.
func (db *DB) beginRead(ctx context.Context) (*tx, error) {
	t, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, internal("begin", err)
	}
	return &tx{Tx: t}, nil
}

// Rollback ends the transaction unless it was committed; it is deferred
// by every method, so it must not need the method's (maybe cancelled)
// context.
func (t *tx) Rollback() error {
	return t.Tx.Rollback(context.Background())
}

// forUpdate is the locking clause for a read of a row the transaction
// goes on to change: FOR UPDATE in a write transaction, nothing in a read.
func (t *tx) forUpdate() string {
	if t.write {
		return ` FOR UPDATE`
	}
	return ``
}

// forShare is the locking clause for a read of a row whose state the
// transaction's change depends on (a job that must stay open while an
// invite to it changes): FOR SHARE in a write transaction. Several such
// changes go on at once; a change of the row itself (FOR UPDATE) waits.
func (t *tx) forShare() string {
	if t.write {
		return ` FOR SHARE`
	}
	return ``
}

func (t *tx) QueryRowContext(ctx context.Context, query string, args ...any) pgx.Row {
	return t.Tx.QueryRow(ctx, rebind(query), args...)
}

func (t *tx) QueryContext(ctx context.Context, query string, args ...any) (pgx.Rows, error) {
	return t.Tx.Query(ctx, rebind(query), args...)
}

func (t *tx) ExecContext(ctx context.Context, query string, args ...any) (result, error) {
	tag, err := t.Tx.Exec(ctx, rebind(query), args...)
	return result{tag}, err
}

// result is what ExecContext returns.
type result struct{ tag pgconn.CommandTag }

// RowsAffected returns how many rows the statement changed.
func (r result) RowsAffected() (int64, error) { return r.tag.RowsAffected(), nil }

// rebind turns each ? placeholder of query into $1, $2, ... in order,
// leaving quoted text and identifiers alone.
func rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var (
		b     strings.Builder
		n     int
		quote byte
	)
	b.Grow(len(query) + 16)
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func commit(t *tx) error {
	if err := t.Commit(context.Background()); err != nil {
		return internal("commit", err)
	}
	return nil
}

// internal wraps an unexpected database error; bot.ErrorCode reports it as
// EINTERNAL.
func internal(op string, err error) error {
	return fmt.Errorf("postgres: %s: %w", op, err)
}

// pgCode returns the SQLSTATE of a PostgreSQL error, "" for others.
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func isForeignKey(err error) bool { return pgCode(err) == "23503" }

func isUnique(err error) bool { return pgCode(err) == "23505" }

// stamp returns the current time as stored: UTC, to the microsecond.
func (db *DB) stamp() time.Time {
	return db.now().UTC().Truncate(time.Microsecond)
}

// formatTime returns t as stored: UTC, to the microsecond.
func formatTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// parseTime returns a stored time in UTC.
func parseTime(t time.Time) (time.Time, error) { return t.UTC(), nil }

// toDate keeps only the calendar date of t, as midnight UTC; the zero time
// stays zero.
func toDate(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// formatDate returns the stored form of a date: NULL for the zero time.
func formatDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return toDate(t)
}

// parseDate reads a DATE that may be NULL.
func parseDate(d *time.Time) (time.Time, error) {
	if d == nil {
		return time.Time{}, nil
	}
	return toDate(*d), nil
}

// optTime stores a time that may be "never" (the zero time) as NULL.
func optTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

// parseOptTime reads what optTime wrote.
func parseOptTime(t *time.Time) (time.Time, error) {
	if t == nil {
		return time.Time{}, nil
	}
	return t.UTC(), nil
}

// encodeList stores a list as text[]: never NULL, so an empty list is {}.
func encodeList(items []string) []string {
	if items == nil {
		return []string{}
	}
	return items
}

// decodeList reads a stored list; an empty list reads back as nil.
func decodeList(items []string) ([]string, error) {
	if len(items) == 0 {
		return nil, nil
	}
	return items, nil
}

// limitOr turns a non-positive limit into "no limit" (LIMIT NULL).
func limitOr(limit int) any {
	if limit <= 0 {
		return nil
	}
	return limit
}
