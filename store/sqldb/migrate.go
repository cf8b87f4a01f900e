package sqldb

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

// migrationFiles is the one ordered list of schema changes (see
// migrations/README.md).
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string // NNN_name, the same for every dialect
	SQL     string
}

// Migrations returns the schema changes for the dialect named dialect, in
// version order: NNN_name.sql with its {{type}} names replaced by types,
// or NNN_name.<dialect>.sql where the SQL differs. Every step must exist
// for the dialect.
func Migrations(dialect string, types map[string]string) ([]Migration, error) {
	return readMigrations(migrationFiles, dialect, types)
}

func readMigrations(files fs.FS, dialect string, types map[string]string) ([]Migration, error) {
	paths, err := fs.Glob(files, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	byVersion := map[int]*Migration{}
	ownFile := map[int]bool{}
	for _, path := range paths {
		file := strings.TrimPrefix(path, "migrations/")
		stem := strings.TrimSuffix(file, ".sql")
		stem, target, own := strings.Cut(stem, ".")
		if own && target != dialect {
			continue
		}
		num, _, ok := strings.Cut(stem, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil || version <= 0 {
			return nil, fmt.Errorf("sql store: migration %q is not named NNN_name[.dialect].sql", file)
		}
		if m := byVersion[version]; m != nil && (m.Name != stem || own == ownFile[version]) {
			return nil, fmt.Errorf("sql store: migrations %q and %q share number %d", m.Name, file, version)
		}
		if m := byVersion[version]; m != nil && !own {
			continue // the dialect's own file wins over the shared one
		}
		body, err := fs.ReadFile(files, path)
		if err != nil {
			return nil, err
		}
		text := string(body)
		if !own {
			if text, err = expandTypes(text, types); err != nil {
				return nil, fmt.Errorf("sql store: migration %s: %w", file, err)
			}
		}
		byVersion[version], ownFile[version] = &Migration{Version: version, Name: stem, SQL: text}, own
	}
	out := make([]Migration, 0, len(byVersion))
	for _, m := range byVersion {
		out = append(out, *m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	stems := map[string]string{}
	for _, m := range out {
		if other, ok := stems[stemOf(m.Name)]; ok {
			return nil, fmt.Errorf("sql store: migrations %s and %s share a name: a step is known by its name", other, m.Name)
		}
		stems[stemOf(m.Name)] = m.Name
	}
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("sql store: no migration %03d for %s (before %s)", i+1, dialect, m.Name)
		}
	}
	return out, nil
}

// expandTypes replaces each {{name}} of text with types[name].
func expandTypes(text string, types map[string]string) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(text, "{{")
		if i < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		j := strings.Index(text[i:], "}}")
		if j < 0 {
			return "", fmt.Errorf("unclosed {{ at %q", text[i:min(len(text), i+20)])
		}
		name := text[i+2 : i+j]
		t, ok := types[name]
		if !ok {
			return "", fmt.Errorf("unknown type {{%s}}", name)
		}
		b.WriteString(text[:i])
		b.WriteString(t)
		text = text[i+j+2:]
	}
}

// MigrationState is one step of the list and whether a database has it.
type MigrationState struct {
	Migration
	Applied   bool
	AppliedAt time.Time
}

// MigrationStatus reports, for every step of the list, whether the
// database has applied it. It changes nothing.
func (db *DB) MigrationStatus(ctx context.Context) ([]MigrationState, error) {
	applied := map[string]time.Time{}
	rows, err := db.read.QueryContext(ctx, `SELECT name, applied_at FROM schema_migrations`)
	if err != nil {
		// A database that answers but has no schema_migrations has
		// applied nothing yet.
		if perr := db.read.PingContext(ctx); perr != nil {
			return nil, internal("read schema_migrations", classify(db.d, err))
		}
		rows = nil
	}
	if rows != nil {
		defer rows.Close()
		for rows.Next() {
			var (
				name string
				at   time.Time
			)
			if err := rows.Scan(&name, tm(&at)); err != nil {
				return nil, internal("read schema_migrations", err)
			}
			applied[stemOf(name)] = at
		}
		if err := rows.Err(); err != nil {
			return nil, internal("read schema_migrations", err)
		}
	}
	out := make([]MigrationState, len(db.migrations))
	for i, m := range db.migrations {
		at, ok := applied[stemOf(m.Name)]
		out[i] = MigrationState{Migration: m, Applied: ok, AppliedAt: at}
	}
	return out, nil
}

// stemOf is the name of a step without its number and file ending:
// "007_retention.sql" and "006_retention" are both "retention".
func stemOf(name string) string {
	name = strings.TrimSuffix(name, ".sql")
	if _, rest, ok := strings.Cut(name, "_"); ok {
		return rest
	}
	return name
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
	if err := db.renumber(ctx, conn); err != nil {
		return err
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

// renumber moves the recorded steps to their numbers in the list, matching
// them by name, so a database migrated under an older numbering (or by a
// list that another change renumbered) neither skips nor repeats a step.
func (db *DB) renumber(ctx context.Context, conn *sql.Conn) error {
	stx, err := conn.BeginTx(ctx, db.writeOpts)
	if err != nil {
		return internal("begin", err)
	}
	tx := &Tx{tx: stx, d: db.d, write: true}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT version, name FROM schema_migrations ORDER BY version DESC`)
	if err != nil {
		return internal("read schema_migrations", err)
	}
	type row struct {
		version int
		name    string
	}
	var recorded []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.version, &r.name); err != nil {
			rows.Close()
			return internal("read schema_migrations", err)
		}
		recorded = append(recorded, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return internal("read schema_migrations", err)
	}
	want := map[string]Migration{}
	for _, m := range db.migrations {
		want[stemOf(m.Name)] = m
	}
	// Highest first, to a number above every recorded one, then down to
	// the right one: no two rows ever share a version on the way.
	park := len(db.migrations) + len(recorded) + 1000
	var moved []Migration
	for _, r := range recorded {
		m, ok := want[stemOf(r.name)]
		if !ok || (m.Version == r.version && m.Name == r.name) {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE schema_migrations SET version = ?, name = ? WHERE version = ?`,
			park+m.Version, m.Name, r.version); err != nil {
			return internal("renumber schema_migrations", err)
		}
		moved = append(moved, m)
	}
	for _, m := range moved {
		if _, err := tx.ExecContext(ctx, `UPDATE schema_migrations SET version = ? WHERE version = ?`, m.Version, park+m.Version); err != nil {
			return internal("renumber schema_migrations", err)
		}
		db.logger.Info("migration renumbered", "version", m.Version, "name", m.Name)
	}
	return commit(tx)
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
