// Package postgres is hirebot's durable store for several replicas: the
// SQL store of store/sqldb in one PostgreSQL database, reached through
// pgx's database/sql driver, with the PostgreSQL dialect and migrations
// embedded in the binary. Where SQLite has its single writer, this
// dialect has row locks (FOR UPDATE, SKIP LOCKED) and advisory locks.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/hirebot/hirebot/store/sqldb"
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
type DB = sqldb.DB

// SessionStore keeps dialog sessions in the database, so a person can
// leave and come back to the same step on any replica, with no Redis.
type SessionStore = sqldb.SessionStore

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the embedded migrations in version order.
func Migrations() ([]sqldb.Migration, error) {
	files, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	return sqldb.ReadMigrations(files)
}

// Open connects to the database at url (a postgres:// URL or a key=value
// connection string; search_path may be given as a parameter) and
// migrates it to the latest schema.
func Open(ctx context.Context, url string, opts Options) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse url: %w", err)
	}
	// Every session of hirebot reads and writes times in UTC.
	cfg.RuntimeParams["timezone"] = "UTC"
	conns := stdlib.OpenDB(*cfg)
	// Keep connections (and the statements pgx caches on each) open:
	// database/sql would close all but two idle ones.
	n := max(4, runtime.NumCPU())
	conns.SetMaxOpenConns(4 * n)
	conns.SetMaxIdleConns(4 * n)
	if err := conns.PingContext(ctx); err != nil {
		conns.Close()
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	all, err := Migrations()
	if err != nil {
		conns.Close()
		return nil, err
	}
	db := sqldb.New(sqldb.Config{Write: conns, Dialect: Dialect{}, Now: opts.Now, Logger: opts.Logger,
		Migrations: all, MigrationLock: lockMigrations})
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// migrationLock is the key of the advisory lock held while migrating, so
// replicas that start together migrate once.
const migrationLock = 0x6869726562 // "hireb"

// lockMigrations holds a session-level advisory lock on conn.
func lockMigrations(ctx context.Context, conn *sql.Conn) (func(), error) {
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return nil, err
	}
	return func() {
		// A fresh context: the lock must go even when ctx is cancelled.
		if _, err := conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, migrationLock); err != nil {
			conn.Raw(func(c any) error { return c.(*stdlib.Conn).Close() }) // closing the session frees the lock
		}
	}, nil
}

// Dialect is PostgreSQL's: $n placeholders, row locks, TIMESTAMPTZ and
// DATE, text[] lists, tsvector search, a sequence of session versions.
type Dialect struct{}

var _ sqldb.Dialect = Dialect{}

func (Dialect) Name() string   { return "postgres" }
func (Dialect) RowLocks() bool { return true }

// Rebind turns each ? placeholder of query into $1, $2, ... in order,
// leaving quoted text and identifiers alone.
func (Dialect) Rebind(query string) string {
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

// Time stores t as TIMESTAMPTZ, UTC to the microsecond.
func (Dialect) Time(t time.Time) any { return t.UTC().Truncate(time.Microsecond) }

// OptTime stores "never" (the zero time) as NULL.
func (d Dialect) OptTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return d.Time(t)
}

// Date stores a date as DATE, the zero time as NULL.
func (Dialect) Date(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// List stores a list as text[]: never NULL, so an empty list is {}.
func (Dialect) List(items []string) any {
	if items == nil {
		return []string{}
	}
	return items
}

// typeMap decodes text[] as database/sql hands it over (text format).
var typeMap = pgtype.NewMap()

// DecodeList reads a stored text[]; an empty list reads back as nil.
func (Dialect) DecodeList(src any) ([]string, error) {
	var items []string
	if err := typeMap.SQLScanner(&items).Scan(src); err != nil {
		return nil, fmt.Errorf("postgres: decode list: %w", err)
	}
	if len(items) == 0 {
		return nil, nil
	}
	return items, nil
}

// Classify reads the SQLSTATE of a PostgreSQL error.
func (Dialect) Classify(err error) sqldb.ErrorKind {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		if pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
			return sqldb.ErrBusy
		}
		return sqldb.ErrOther
	}
	switch {
	case pe.Code == "23505":
		return sqldb.ErrUnique
	case pe.Code == "23503":
		return sqldb.ErrForeignKey
	case pe.Code == "40001", pe.Code == "40P01", pe.Code == "55P03", strings.HasPrefix(pe.Code, "08"), strings.HasPrefix(pe.Code, "57P"):
		// serialization failure, deadlock, lock not available, connection
		// failures, shutdown: worth trying again
		return sqldb.ErrBusy
	}
	return sqldb.ErrOther
}

// AccountRefs reads the foreign keys that reference accounts from the
// catalog.
func (Dialect) AccountRefs(ctx context.Context, tx *sqldb.Tx) ([]sqldb.Ref, error) {
	rows, err := tx.Query(ctx, `SELECT t.relname, a.attname,
			CASE c.confdeltype WHEN 'n' THEN 'SET NULL' WHEN 'c' THEN 'CASCADE' ELSE 'NO ACTION' END
		FROM pg_constraint c
		JOIN pg_class t ON t.oid = c.conrelid
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
		WHERE c.contype = 'f' AND c.confrelid = 'accounts'::regclass
		ORDER BY t.relname, a.attname`)
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
		out = append(out, r)
	}
	return out, rows.Err()
}

// MoveRows moves all rows at once when none collides; otherwise one by
// one, each under a savepoint, leaving behind those that would break a
// unique constraint.
func (Dialect) MoveRows(ctx context.Context, tx *sqldb.Tx, r sqldb.Ref, into, from int64) error {
	table, column := pgx.Identifier{r.Table}.Sanitize(), pgx.Identifier{r.Column}.Sanitize()
	try := func(where string, args ...any) error {
		return tx.Savepoint(ctx, func() error {
			_, err := tx.Exec(ctx, `UPDATE `+table+` SET `+column+` = ? WHERE `+where, args...)
			return err
		})
	}
	err := try(column+` = ?`, into, from)
	if !sqldb.IsUnique(err) {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT ctid::text FROM `+table+` WHERE `+column+` = ?`, from)
	if err != nil {
		return err
	}
	var ctids []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return err
		}
		ctids = append(ctids, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, ctid := range ctids {
		if err := try(`ctid = ?::tid`, into, ctid); err != nil && !sqldb.IsUnique(err) {
			return err
		}
	}
	return nil
}

// NextSessionVersion draws from the session_versions sequence.
func (Dialect) NextSessionVersion(ctx context.Context, tx *sqldb.Tx) (int64, error) {
	var v int64
	err := tx.QueryRowContext(ctx, `SELECT nextval('session_versions')`).Scan(&v)
	return v, err
}

// Serialize takes a transaction-level advisory lock on key.
func (Dialect) Serialize(ctx context.Context, tx *sqldb.Tx, key int64) error {
	_, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(?)`, key)
	return err
}
