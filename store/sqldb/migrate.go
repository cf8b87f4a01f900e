package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// Migration is one numbered schema change, NNN_name.sql.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// ReadMigrations returns the migrations of files (NNN_name.sql at its
// root) in version order.
func ReadMigrations(files fs.FS) ([]Migration, error) {
	names, err := fs.Glob(files, "*.sql")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, name := range names {
		num, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("sql store: migration %q is not named NNN_name.sql", name)
		}
		body, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: version, Name: name, SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("sql store: migrations %q and %q share a number", out[i-1].Name, out[i].Name)
		}
	}
	return out, nil
}

// Migrate applies every migration not yet recorded in schema_migrations,
// each in its own transaction. It is idempotent, and safe when several
// processes start at once: the migration lock makes them take turns, and
// each finds the work of the one before.
func (db *DB) Migrate(ctx context.Context) error {
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return internal("migrate", classify(db.d, err))
	}
	defer conn.Close()
	if db.lock != nil {
		unlock, err := db.lock(ctx, conn)
		if err != nil {
			return internal("migration lock", err)
		}
		defer unlock()
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TIMESTAMPTZ NOT NULL
	)`); err != nil {
		return internal("create schema_migrations", err)
	}
	for _, m := range db.migrations {
		applied, err := db.migrate(ctx, conn, m)
		if err != nil {
			return err
		}
		if applied {
			db.logger.Info("migration applied", "version", m.Version, "name", m.Name)
		}
	}
	return nil
}

func (db *DB) migrate(ctx context.Context, conn *sql.Conn, m Migration) (applied bool, err error) {
	stx, err := conn.BeginTx(ctx, db.writeOpts)
	if err != nil {
		return false, internal("begin", err)
	}
	tx := &Tx{tx: stx, d: db.d, write: true}
	defer tx.Rollback()

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
		return false, internal("read schema_migrations", err)
	}
	if n > 0 {
		return false, nil
	}
	// No arguments: a file of several statements runs at once.
	if _, err := stx.ExecContext(ctx, m.SQL); err != nil {
		return false, internal("migration "+m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, tx.d.Time(db.stamp())); err != nil {
		return false, internal("record migration "+m.Name, err)
	}
	return true, commit(tx)
}
