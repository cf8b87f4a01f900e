package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered schema change, migrations/NNN_name.sql.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in version order.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, path := range names {
		name := strings.TrimPrefix(path, "migrations/")
		num, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("postgres: migration %q is not named NNN_name.sql", name)
		}
		body, err := migrationFiles.ReadFile(path)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: version, name: name, sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("postgres: migrations %q and %q share a number", out[i-1].name, out[i].name)
		}
	}
	return out, nil
}

// migrationLock is the key of the advisory lock held while migrating, so
// replicas that start together migrate once.
const migrationLock = 0x6869726562 // "hireb"

// Migrate applies every embedded migration not yet recorded in
// schema_migrations, each in its own transaction. It is idempotent, and
// safe when several replicas start at once: they take turns under a
// session-level advisory lock, and each finds the work of the one before.
func (db *DB) Migrate(ctx context.Context) error {
	all, err := migrations()
	if err != nil {
		return err
	}
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return internal("migrate", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return internal("migration lock", err)
	}
	defer func() {
		// A fresh context: the lock must go even when ctx is cancelled.
		if _, err := conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, migrationLock); err != nil {
			conn.Conn().Close(context.Background()) // closing the session frees the lock
		}
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL
	)`); err != nil {
		return internal("create schema_migrations", err)
	}
	for _, m := range all {
		applied, err := db.migrate(ctx, conn.Conn(), m)
		if err != nil {
			return err
		}
		if applied {
			db.logger.Info("migration applied", "version", m.version, "name", m.name)
		}
	}
	return nil
}

func (db *DB) migrate(ctx context.Context, conn *pgx.Conn, m migration) (applied bool, err error) {
	t, err := conn.Begin(ctx)
	if err != nil {
		return false, internal("begin", err)
	}
	defer t.Rollback(context.Background())

	var n int
	if err := t.QueryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = $1`, m.version).Scan(&n); err != nil {
		return false, internal("read schema_migrations", err)
	}
	if n > 0 {
		return false, nil
	}
	// The simple protocol runs a file of several statements at once.
	if _, err := t.Exec(ctx, m.sql, pgx.QueryExecModeSimpleProtocol); err != nil {
		return false, internal("migration "+m.name, err)
	}
	if _, err := t.Exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
		m.version, m.name, db.stamp()); err != nil {
		return false, internal("record migration "+m.name, err)
	}
	if err := t.Commit(ctx); err != nil {
		return false, internal("commit migration "+m.name, err)
	}
	return true, nil
}
