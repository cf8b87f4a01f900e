package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// Dialect is what differs between the databases hirebot runs on. Every
// method is small; the statements themselves live in this package.
type Dialect interface {
	// Name is the database's name in logs and messages: "sqlite",
	// "postgres".
	Name() string
	// Rebind rewrites the ? placeholders of query into the dialect's own.
	Rebind(query string) string
	// RowLocks reports whether writers run at once and lock the rows they
	// change (FOR UPDATE, SKIP LOCKED); false for a single writer.
	RowLocks() bool

	// Time, OptTime, Date and List encode arguments: a time (UTC, to the
	// microsecond), a time that may be "never" (the zero time), a
	// calendar date (NULL for the zero time) and a list of strings.
	Time(t time.Time) any
	OptTime(t time.Time) any
	Date(t time.Time) any
	List(items []string) any
	// DecodeList reads a stored list; src is what the driver returns for
	// the column.
	DecodeList(src any) ([]string, error)

	// SchemaTypes names the column types that differ, for the {{name}}s
	// of shared migrations: time, date, bool, list, real, id.
	SchemaTypes() map[string]string

	// Classify tells what a driver error means.
	Classify(err error) ErrorKind

	// IndexProfile makes the search entry of an account match its stored
	// profile: published profiles are searched, others and missing ones
	// are not. SearchProfiles is bot.Store's SearchProfiles inside tx.
	IndexProfile(ctx context.Context, tx *Tx, accountID int64) error
	SearchProfiles(ctx context.Context, tx *Tx, q bot.TextQuery, limit int) ([]int64, error)

	// AccountRefs lists every column that references accounts (id).
	AccountRefs(ctx context.Context, tx *Tx) ([]Ref, error)
	// MoveRows points the rows of r that name from at into instead,
	// leaving behind those that would duplicate one of into's.
	MoveRows(ctx context.Context, tx *Tx, r Ref, into, from int64) error
	// NextSessionVersion returns a session version never returned before.
	NextSessionVersion(ctx context.Context, tx *Tx) (int64, error)
	// Tables lists the tables of the schema in the order they were
	// created, with the columns a backup holds (not generated ones), and
	// without the dialect's own (search index, bookkeeping).
	Tables(ctx context.Context, tx *Tx) ([]Table, error)
	// Restored runs after an import wrote rows with their own IDs: number
	// generators move past them, search entries are made.
	Restored(ctx context.Context, tx *Tx, tables []Table) error
	// Serialize makes the write transactions that call it with the same
	// key run one after the other (a no-op for a single writer).
	Serialize(ctx context.Context, tx *Tx, key int64) error
}

// Ref is a column that references accounts (id), and what its foreign key
// does when the account goes: "CASCADE", "SET NULL" or "NO ACTION".
type Ref struct {
	Table, Column, OnDelete string
}

// ErrorKind is what a database error means to the store.
type ErrorKind int

const (
	ErrOther      ErrorKind = iota
	ErrUnique               // a unique constraint was violated
	ErrForeignKey           // a foreign key was violated
	ErrBusy                 // busy, locked, unreachable or a serialization failure: try again
)

// dbError is a driver error with its meaning.
type dbError struct {
	kind ErrorKind
	err  error
}

func (e *dbError) Error() string { return e.err.Error() }
func (e *dbError) Unwrap() error { return e.err }

// classify wraps a driver error with its meaning; nil and sql.ErrNoRows
// stay as they are.
func classify(d Dialect, err error) error {
	if err == nil || errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var e *dbError
	if errors.As(err, &e) {
		return err
	}
	return &dbError{kind: d.Classify(err), err: err}
}

func kindOf(err error) ErrorKind {
	var e *dbError
	if errors.As(err, &e) {
		return e.kind
	}
	return ErrOther
}

func isUnique(err error) bool     { return kindOf(err) == ErrUnique }
func isForeignKey(err error) bool { return kindOf(err) == ErrForeignKey }

// Exec runs a statement inside tx; for dialects.
func (t *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return t.ExecContext(ctx, query, args...)
}

// Query runs a query inside tx; for dialects.
func (t *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return t.QueryContext(ctx, query, args...)
}

// Savepoint runs fn under a savepoint; for dialects.
func (t *Tx) Savepoint(ctx context.Context, fn func() error) error { return t.savepoint(ctx, fn) }

// IsUnique reports whether err violated a unique constraint; for dialects.
func IsUnique(err error) bool { return isUnique(err) }

// Internal wraps an unexpected database error; for dialects.
func Internal(op string, err error) error { return internal(op, err) }

// timeLayout is how a time is stored as text: fixed width, so stored times
// sort as text.
const timeLayout = "2006-01-02T15:04:05.000000Z07:00"

const dateLayout = "2006-01-02"

// FormatTime is the text form of a stored time (SQLite).
func FormatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

// FormatDate is the text form of a stored date (SQLite).
func FormatDate(t time.Time) string { return t.Format(dateLayout) }

// timeOf scans a stored time or date: a time.Time (PostgreSQL) or text
// (SQLite). NULL and "" read as the zero time ("never").
type timeOf struct{ t *time.Time }

func (s timeOf) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.t = time.Time{}
	case time.Time:
		*s.t = v.UTC()
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	default:
		return fmt.Errorf("sql store: cannot read %T as a time", src)
	}
	return nil
}

func (s timeOf) parse(v string) error {
	layout := timeLayout
	switch {
	case v == "" || v == "-infinity": // never, long ago
		*s.t = time.Time{}
		return nil
	case len(v) == len(dateLayout):
		layout = dateLayout
	}
	t, err := time.Parse(layout, v)
	if err != nil {
		return fmt.Errorf("sql store: read time: %w", err)
	}
	*s.t = t.UTC()
	return nil
}

// tm returns the scan destination of a stored time.
func tm(t *time.Time) sql.Scanner { return timeOf{t} }

// listOf scans a stored list with the dialect's decoder.
type listOf struct {
	d     Dialect
	items *[]string
}

func (s listOf) Scan(src any) (err error) {
	*s.items, err = s.d.DecodeList(src)
	return err
}

// lst returns the scan destination of a stored list.
func lst(d Dialect, items *[]string) sql.Scanner { return listOf{d, items} }
