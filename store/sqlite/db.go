// Package sqlite is hirebot's durable store on one machine: a bot.Store and a
// conversation.SessionStore in a single SQLite file (WAL mode), with
// migrations embedded in the binary.
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/hirebot/hirebot/bot"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Options configure a DB. The zero value is ready to use.
type Options struct {
	// Now is the clock for CreatedAt, UpdatedAt and session expiry;
	// time.Now when nil.
	Now func() time.Time
	// Logger receives migration notices; nothing is logged when nil.
	Logger *slog.Logger
	// MaxReaders bounds the connections used by read-only transactions;
	// at least 4 when zero.
	MaxReaders int
}

// DB is a hirebot database in one SQLite file. Writes go through a single
// connection, so they queue in Go instead of spinning on SQLite's busy
// handler; reads use a pool of their own and, in WAL mode, never wait for
// a writer.
type DB struct {
	path   string
	write  *sql.DB
	read   *sql.DB
	now    func() time.Time
	logger *slog.Logger
}

var _ bot.Store = (*DB)(nil)

// Open opens (creating if needed) the database at path and migrates it to
// the latest schema.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	db := &DB{path: path, now: opts.Now, logger: opts.Logger}
	if db.now == nil {
		db.now = time.Now
	}
	if db.logger == nil {
		db.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	db.logger = db.logger.With("store", "sqlite")

	var err error
	if db.write, err = sql.Open("sqlite", dsn(path, false)); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.write.SetMaxOpenConns(1)
	if err := db.write.PingContext(ctx); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// The writer has switched the file to WAL; readers may open now.
	if db.read, err = sql.Open("sqlite", dsn(path, true)); err != nil {
		db.write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	readers := opts.MaxReaders
	if readers <= 0 {
		readers = max(4, runtime.NumCPU())
	}
	db.read.SetMaxOpenConns(readers)
	db.read.SetMaxIdleConns(readers)

	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// dsn builds the connection string: per-connection pragmas must be in the
// DSN so that every pooled connection gets them.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Close closes the database. Everything committed is on disk.
func (db *DB) Close() error {
	var first error
	if db.read != nil {
		first = db.read.Close()
	}
	if db.write != nil {
		if err := db.write.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// beginWrite starts a transaction that holds the write lock from its first
// statement (BEGIN IMMEDIATE), so a read-then-write never fails halfway.
func (db *DB) beginWrite(ctx context.Context) (*sql.Tx, error) {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, internal("begin", err)
	}
	return tx, nil
}

// beginRead starts a read-only transaction: one consistent snapshot.
func (db *DB) beginRead(ctx context.Context) (*sql.Tx, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, internal("begin", err)
	}
	return tx, nil
}

func commit(tx *sql.Tx) error {
	if err := tx.Commit(); err != nil {
		return internal("commit", err)
	}
	return nil
}

// internal wraps an unexpected database error; bot.ErrorCode reports it as
// EINTERNAL.
func internal(op string, err error) error {
	return fmt.Errorf("sqlite: %s: %w", op, err)
}

// timeLayout is fixed width, so stored times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000Z07:00"

// stamp returns the current time as stored: UTC, to the microsecond.
func (db *DB) stamp() time.Time {
	return db.now().UTC().Truncate(time.Microsecond)
}

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeLayout, s)
	if err != nil {
		return time.Time{}, internal("parse time", err)
	}
	return t, nil
}

const dateLayout = "2006-01-02"

// toDate keeps only the calendar date of t, as midnight UTC; the zero time
// stays zero.
func toDate(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// formatDate returns the stored form of a date: NULL for the zero time.
func formatDate(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: t.Format(dateLayout), Valid: true}
}

func parseDate(s sql.NullString) (time.Time, error) {
	if !s.Valid || s.String == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(dateLayout, s.String)
	if err != nil {
		return time.Time{}, internal("parse date", err)
	}
	return t, nil
}

// encodeList stores a list as a JSON array ("[]" when empty).
func encodeList(items []string) string {
	if len(items) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(items) // a []string always marshals
	return string(b)
}

// decodeList reads a stored list; an empty list reads back as nil.
func decodeList(s string) ([]string, error) {
	if s == "" || s == "[]" {
		return nil, nil
	}
	// Fast path for what encodeList writes when no item needed escaping
	// (nearly always): ["a","b"]. Without a backslash no item can hold a
	// quote, so `","` only ever separates items. Reading every profile at
	// start-up spends most of its Go time here otherwise.
	if len(s) >= 4 && !strings.Contains(s, `\`) && strings.HasPrefix(s, `["`) && strings.HasSuffix(s, `"]`) {
		return strings.Split(s[2:len(s)-2], `","`), nil
	}
	var items []string
	if err := json.Unmarshal([]byte(s), &items); err != nil {
		return nil, internal("decode list", err)
	}
	return items, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
