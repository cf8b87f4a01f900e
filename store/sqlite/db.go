// Package sqlite is hirebot's durable store on one machine: the SQL store
// of store/sqldb in a single SQLite file (WAL mode), with the SQLite
// dialect and migrations embedded in the binary.
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"runtime"
	"strings"
	"time"

	msqlite "modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/sqldb"
)

// Options configure a DB. The zero value is ready to use.
type Options struct {
	// Now is the clock for CreatedAt, UpdatedAt and session expiry;
	// time.Now when nil.
	Now func() time.Time
	// Logger receives migration notices; nothing is logged when nil.
	Logger *slog.Logger
	// NoMigrate opens the database as it is, for a look at where it
	// stands (MigrationStatus).
	NoMigrate bool
	// MaxReaders bounds the connections used by read-only transactions;
	// at least 4 when zero.
	MaxReaders int
}

// DB is a hirebot database in one SQLite file.
type DB = sqldb.DB

// SessionStore keeps dialog sessions in the database file, so a person can
// leave and come back to the same step after a restart, with no Redis.
type SessionStore = sqldb.SessionStore

// Migrations returns the schema changes for this dialect, in version
// order (store/sqldb/migrations).
func Migrations() ([]sqldb.Migration, error) {
	return sqldb.Migrations(Dialect{}.Name(), Dialect{}.SchemaTypes())
}

// SchemaTypes names the column types of shared migrations.
func (Dialect) SchemaTypes() map[string]string {
	return map[string]string{
		"time": "TEXT", "date": "TEXT", "bool": "INTEGER", "list": "TEXT", "real": "REAL",
		"id": "INTEGER PRIMARY KEY AUTOINCREMENT",
	}
}

// Open opens (creating if needed) the database at path and migrates it to
// the latest schema. Writes go through a single connection, so they queue
// in Go instead of spinning on SQLite's busy handler; reads use a pool of
// their own and, in WAL mode, never wait for a writer.
func Open(ctx context.Context, path string, opts Options) (*DB, error) {
	wc, err := newConnector(dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	write := sql.OpenDB(wc)
	write.SetMaxOpenConns(1)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// The writer has switched the file to WAL; readers may open now.
	rc, err := newConnector(dsn(path, true))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	read := sql.OpenDB(rc)
	readers := opts.MaxReaders
	if readers <= 0 {
		readers = max(4, runtime.NumCPU())
	}
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)

	// The write lock (BEGIN IMMEDIATE) orders processes that migrate at once.
	all, err := Migrations()
	if err != nil {
		write.Close()
		read.Close()
		return nil, err
	}
	db := sqldb.New(sqldb.Config{Write: write, Read: read, Dialect: Dialect{}, Now: opts.Now, Logger: opts.Logger, Migrations: all})
	if opts.NoMigrate {
		return db, nil
	}
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

// Dialect is SQLite's: ? placeholders, one writer (no row locks), times
// as fixed-width UTC text, lists as JSON arrays, FTS5 for search.
type Dialect struct{}

var _ sqldb.Dialect = Dialect{}

func (Dialect) Name() string               { return "sqlite" }
func (Dialect) Rebind(query string) string { return query }
func (Dialect) RowLocks() bool             { return false }

// Time stores t as UTC text, "2006-01-02T15:04:05.000000Z".
func (Dialect) Time(t time.Time) any { return sqldb.FormatTime(t) }

// OptTime stores "never" (the zero time) as "", which sorts before every
// time.
func (d Dialect) OptTime(t time.Time) any {
	if t.IsZero() {
		return ""
	}
	return d.Time(t)
}

// Date stores a date as "YYYY-MM-DD", the zero time as NULL.
func (Dialect) Date(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return sqldb.FormatDate(t)
}

// List stores a list as a JSON array ("[]" when empty).
func (Dialect) List(items []string) any { return encodeList(items) }

// DecodeList reads a stored JSON array; an empty list reads back as nil.
func (Dialect) DecodeList(src any) ([]string, error) {
	switch v := src.(type) {
	case string:
		return decodeList(v)
	case []byte:
		return decodeList(string(v))
	case nil:
		return nil, nil
	}
	return nil, fmt.Errorf("sqlite: cannot read %T as a list", src)
}

// Classify reads the result code of a SQLite error.
func (Dialect) Classify(err error) sqldb.ErrorKind {
	var e *msqlite.Error
	if !errors.As(err, &e) {
		return sqldb.ErrOther
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return sqldb.ErrUnique
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return sqldb.ErrForeignKey
	}
	switch e.Code() & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return sqldb.ErrBusy
	}
	return sqldb.ErrOther
}

// AccountRefs reads the foreign keys of every table from the schema.
func (Dialect) AccountRefs(ctx context.Context, tx *sqldb.Tx) ([]sqldb.Ref, error) {
	rows, err := tx.Query(ctx, `SELECT m.name, f."from", f.on_delete
		FROM sqlite_master m, pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND f."table" = 'accounts'
		ORDER BY m.name, f."from"`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []sqldb.Ref
	for rows.Next() {
		var r sqldb.Ref
		if err := rows.Scan(&r.Table, &r.Column, &r.OnDelete); err != nil {
			return nil, err
		}
		r.OnDelete = strings.ToUpper(r.OnDelete)
		out = append(out, r)
	}
	return out, rows.Err()
}

// MoveRows moves every row that does not collide; UPDATE OR IGNORE skips
// those that would break a unique constraint.
func (Dialect) MoveRows(ctx context.Context, tx *sqldb.Tx, r sqldb.Ref, into, from int64) error {
	column := `"` + r.Column + `"`
	_, err := tx.Exec(ctx, `UPDATE OR IGNORE "`+r.Table+`" SET `+column+` = ? WHERE `+column+` = ?`, into, from)
	return err
}

// NextSessionVersion counts in the cursors table, starting past every
// version stored before the counter existed. The single writer makes the
// read and the increment one step.
func (Dialect) NextSessionVersion(ctx context.Context, tx *sqldb.Tx) (int64, error) {
	var v int64
	err := tx.QueryRowContext(ctx, `INSERT INTO cursors (name, value)
		VALUES ('session_versions', (SELECT coalesce(max(version), 0) + 1 FROM sessions))
		ON CONFLICT (name) DO UPDATE SET value = cursors.value + 1 RETURNING value`).Scan(&v)
	return v, err
}

// Serialize does nothing: there is one writer.
func (Dialect) Serialize(context.Context, *sqldb.Tx, int64) error { return nil }

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
		return nil, fmt.Errorf("sqlite: decode list: %w", err)
	}
	return items, nil
}

// Tables reads the schema: tables in creation order (rowid of
// sqlite_master), without SQLite's own and the search index.
func (Dialect) Tables(ctx context.Context, tx *sqldb.Tx) ([]sqldb.Table, error) {
	rows, err := tx.Query(ctx, `SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'profile_search%'
		ORDER BY m.rowid, c.cid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return sqldb.ScanTables(rows)
}

// Restored makes the search entries of the imported profiles;
// AUTOINCREMENT already counts past the IDs the import wrote.
func (Dialect) Restored(ctx context.Context, tx *sqldb.Tx, _ []sqldb.Table) error {
	_, err := tx.Exec(ctx, `INSERT INTO profile_search (rowid, skills, headline, bio)
		SELECT account_id, (SELECT group_concat(value, ', ') FROM json_each(skills)), headline, bio
		FROM profiles WHERE status = ?`, bot.ProfilePublished)
	return err
}
