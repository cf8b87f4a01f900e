// Package sqldb is hirebot's durable store over database/sql: every
// statement, the row scanning and the transactions of bot.Store and of the
// SQL session store, written once. A Dialect supplies the little that
// differs between SQLite (store/sqlite) and PostgreSQL (store/postgres):
// placeholders, how times and lists are stored, full-text search, locking
// clauses, the source of session versions and the meaning of errors.
//
// The rules of every method: one transaction per public method, read-only
// methods read one snapshot, state-changing methods commit the
// notifications they cause in the same transaction.
package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// Config is what a dialect package hands New.
type Config struct {
	// Write runs read-write transactions. SQLite gives it one connection
	// whose transactions begin IMMEDIATE (the single writer); PostgreSQL
	// shares one pool for both.
	Write *sql.DB
	// Read runs read-only transactions; Write when nil.
	Read    *sql.DB
	Dialect Dialect
	// Now is the clock for CreatedAt, UpdatedAt and session expiry;
	// time.Now when nil.
	Now func() time.Time
	// Logger receives migration notices; nothing is logged when nil.
	Logger *slog.Logger
	// Migrations is the schema, in version order (Migrate).
	Migrations []Migration
	// MigrationLock, when set, makes processes that migrate at once take
	// turns; it holds a lock on conn until unlock is called.
	MigrationLock func(ctx context.Context, conn *sql.Conn) (unlock func(), err error)
}

// DB is a hirebot database: a bot.Store, a session store and the token
// stores of the platforms, over one dialect.
type DB struct {
	write, read *sql.DB
	d           Dialect
	now         func() time.Time
	logger      *slog.Logger
	writeOpts   *sql.TxOptions
	readOpts    *sql.TxOptions
	migrations  []Migration
	lock        func(ctx context.Context, conn *sql.Conn) (unlock func(), err error)
	// batch shares the commits of one-statement writes (batch.go); nil
	// where writers run at once.
	batch *batcher
}

var _ bot.Store = (*DB)(nil)

// New returns the DB of cfg. It does not migrate: see Migrate.
func New(cfg Config) *DB {
	db := &DB{write: cfg.Write, read: cfg.Read, d: cfg.Dialect, now: cfg.Now, logger: cfg.Logger,
		migrations: cfg.Migrations, lock: cfg.MigrationLock}
	if db.read == nil {
		db.read = db.write
	}
	if db.now == nil {
		db.now = time.Now
	}
	if db.logger == nil {
		db.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	db.logger = db.logger.With("store", cfg.Dialect.Name())
	// Writes read committed: the rows a method changes after reading them
	// are locked by Tx.lock where the dialect has row locks. Reads see one
	// snapshot.
	db.writeOpts = &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	db.readOpts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	if !cfg.Dialect.RowLocks() {
		// SQLite knows one level: serializable.
		db.writeOpts, db.readOpts = nil, &sql.TxOptions{ReadOnly: true}
		db.batch = &batcher{pool: db.write, d: db.d}
	}
	return db
}

// Dialect returns the dialect of db.
func (db *DB) Dialect() Dialect { return db.d }

// Close closes every connection. Everything committed is stored.
func (db *DB) Close() error {
	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Tx is one transaction. Queries are written with ? placeholders; the
// dialect rewrites them.
type Tx struct {
	tx *sql.Tx
	d  Dialect
	// write is set for read-write transactions: reads of a row that is
	// about to change take its lock (lock).
	write bool
}

// beginWrite starts a read-write transaction.
func (db *DB) beginWrite(ctx context.Context) (*Tx, error) {
	t, err := db.write.BeginTx(ctx, db.writeOpts)
	if err != nil {
		return nil, internal("begin", classify(db.d, err))
	}
	return &Tx{tx: t, d: db.d, write: true}, nil
}

// beginRead starts a read-only transaction: one consistent snapshot.
func (db *DB) beginRead(ctx context.Context) (*Tx, error) {
	t, err := db.read.BeginTx(ctx, db.readOpts)
	if err != nil {
		return nil, internal("begin", classify(db.d, err))
	}
	return &Tx{tx: t, d: db.d}, nil
}

// Rollback ends the transaction unless it was committed; every method
// defers it.
func (t *Tx) Rollback() error { return t.tx.Rollback() }

func commit(t *Tx) error {
	if err := t.tx.Commit(); err != nil {
		return internal("commit", classify(t.d, err))
	}
	return nil
}

// lock returns clause (" FOR UPDATE", " FOR SHARE", ...) for a read of rows
// the transaction goes on to change or depends on, in a write transaction
// of a dialect with row locks; "" otherwise (SQLite's single writer holds
// the whole database).
func (t *Tx) lock(clause string) string {
	if t.write && t.d.RowLocks() {
		return clause
	}
	return ""
}

func (t *Tx) forUpdate() string { return t.lock(` FOR UPDATE`) }

// forShare is the locking clause for a read of a row whose state the
// transaction's change depends on (a job that must stay open while an
// invite to it changes). Several such changes go on at once; a change of
// the row itself (FOR UPDATE) waits.
func (t *Tx) forShare() string { return t.lock(` FOR SHARE`) }

// ExecContext runs a statement.
func (t *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := t.tx.ExecContext(ctx, t.d.Rebind(query), args...)
	return res, classify(t.d, err)
}

// QueryContext runs a query.
func (t *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	rows, err := t.tx.QueryContext(ctx, t.d.Rebind(query), args...)
	return rows, classify(t.d, err)
}

// QueryRowContext runs a query of at most one row.
func (t *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *Row {
	return &Row{row: t.tx.QueryRowContext(ctx, t.d.Rebind(query), args...), d: t.d}
}

// Row is the result of QueryRowContext; its Scan classifies errors.
type Row struct {
	row *sql.Row
	d   Dialect
}

// Scan copies the row into dest; sql.ErrNoRows when there is none.
func (r *Row) Scan(dest ...any) error { return classify(r.d, r.row.Scan(dest...)) }

// savepoint runs fn under a savepoint: what fn did is undone when it
// fails, and the transaction goes on.
func (t *Tx) savepoint(ctx context.Context, fn func() error) error {
	if _, err := t.tx.ExecContext(ctx, `SAVEPOINT sp`); err != nil {
		return classify(t.d, err)
	}
	if err := fn(); err != nil {
		if _, rerr := t.tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT sp`); rerr != nil {
			return errors.Join(err, rerr)
		}
		_, rerr := t.tx.ExecContext(ctx, `RELEASE SAVEPOINT sp`)
		return errors.Join(err, rerr)
	}
	_, err := t.tx.ExecContext(ctx, `RELEASE SAVEPOINT sp`)
	return classify(t.d, err)
}

// internal wraps an unexpected database error; bot.ErrorCode reports it as
// EINTERNAL, or EUNAVAILABLE when the database was busy, unreachable or
// gave up a transaction that may succeed when tried again.
func internal(op string, err error) error {
	err = fmt.Errorf("sql store: %s: %w", op, err)
	var e *dbError
	if errors.As(err, &e) && e.kind == ErrBusy {
		return bot.Unavailable(err)
	}
	return err
}

// stamp returns the current time as stored: UTC, to the microsecond.
func (db *DB) stamp() time.Time {
	return db.now().UTC().Truncate(time.Microsecond)
}

// toDate keeps only the calendar date of t, as midnight UTC; the zero time
// stays zero.
func toDate(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// noLimit is the LIMIT of "every row": both dialects take a bigint.
const noLimit = math.MaxInt64

// limitOr turns a non-positive limit into "no limit".
func limitOr(limit int) int64 {
	if limit <= 0 {
		return noLimit
	}
	return int64(limit)
}

// quoteIdent quotes a table or column name for SQL.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// Conns returns the connection pools of db, for checks of what is stored
// and of the connections themselves; the store's methods are the way to
// change data.
func (db *DB) Conns() (write, read *sql.DB) { return db.write, db.read }
