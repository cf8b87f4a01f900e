package sqldb_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/store/postgres"
	"github.com/hirebot/hirebot/store/postgres/pgtest"
	"github.com/hirebot/hirebot/store/sqldb"
	"github.com/hirebot/hirebot/store/sqlite"
)

// columnsTables lists the tables of db.
func (h harness) columnsTables(t *testing.T, db *sqldb.DB) []string {
	var out []string
	for _, c := range h.columns(t, db) {
		table, _, _ := strings.Cut(c, ".")
		if len(out) == 0 || out[len(out)-1] != table {
			out = append(out, table)
		}
	}
	return out
}

// harness opens one database of each dialect.
type harness struct {
	name string
	open func(t testing.TB, migrate bool) *sqldb.DB
	// columns lists table.column of every table, sorted.
	columns func(t *testing.T, db *sqldb.DB) []string
}

func harnesses() []harness {
	return []harness{
		{
			name: "sqlite",
			open: func(t testing.TB, migrate bool) *sqldb.DB {
				path := filepath.Join(t.TempDir(), "hirebot.db")
				return mustOpen(t, func() (*sqldb.DB, error) {
					return sqlite.Open(t.Context(), path, sqlite.Options{NoMigrate: !migrate})
				})
			},
			columns: func(t *testing.T, db *sqldb.DB) []string {
				return queryStrings(t, db, `SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_table_info(m.name) c
					WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'profile_search%'
					ORDER BY 1`)
			},
		},
		{
			name: "postgres",
			open: func(t testing.TB, migrate bool) *sqldb.DB {
				u := pgtest.FreshSchema(t)
				return mustOpen(t, func() (*sqldb.DB, error) {
					return postgres.Open(t.Context(), u, postgres.Options{NoMigrate: !migrate})
				})
			},
			columns: func(t *testing.T, db *sqldb.DB) []string {
				// The search vector is PostgreSQL's own way to search
				// (SQLite's is the profile_search table).
				return queryStrings(t, db, `SELECT table_name || '.' || column_name FROM information_schema.columns
					WHERE table_schema = current_schema() AND NOT (table_name = 'profiles' AND column_name = 'search')
					ORDER BY 1`)
			},
		},
	}
}

func mustOpen(t testing.TB, open func() (*sqldb.DB, error)) *sqldb.DB {
	t.Helper()
	db, err := open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func queryStrings(t *testing.T, db *sqldb.DB, query string) []string {
	t.Helper()
	_, read := db.Conns()
	rows, err := read.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// TestDialectsEndAtTheSameSchema: both dialects apply the whole list and
// end with the same version, the same tables and the same columns.
func TestDialectsEndAtTheSameSchema(t *testing.T) {
	var (
		versions = map[string]int{}
		columns  = map[string][]string{}
	)
	for _, h := range harnesses() {
		db := h.open(t, true)
		states, err := db.MigrationStatus(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range states {
			if !s.Applied {
				t.Errorf("%s: %03d %s not applied", h.name, s.Version, s.Name)
			}
		}
		versions[h.name] = len(states)
		columns[h.name] = h.columns(t, db)
	}
	if versions["sqlite"] != versions["postgres"] || versions["sqlite"] == 0 {
		t.Errorf("versions: %v, want the same, above 0", versions)
	}
	if diff := cmp.Diff(columns["sqlite"], columns["postgres"]); diff != "" {
		t.Errorf("tables and columns (-sqlite +postgres):\n%s", diff)
	}
}

// TestMigrateStatusAndOldNumbers: a database opened without migrating has
// nothing applied; one recorded under older numbers (PostgreSQL's retention
// was 006, its names ended in .sql) is renumbered by name, and migrating it
// again applies what it lacks and repeats nothing.
func TestMigrateStatusAndOldNumbers(t *testing.T) {
	for _, h := range harnesses() {
		t.Run(h.name, func(t *testing.T) {
			fresh := h.open(t, false)
			states, err := fresh.MigrationStatus(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if len(states) == 0 || slices.ContainsFunc(states, func(s sqldb.MigrationState) bool { return s.Applied }) {
				t.Fatalf("an empty database reads as %+v", states)
			}
			if err := fresh.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			write, _ := fresh.Conns()
			// The history as each dialect kept it before the one list:
			// names ended in .sql; in PostgreSQL retention was step 6, and
			// 8 did not exist.
			old := []string{`UPDATE schema_migrations SET name = name || '.sql'`}
			if h.name == "postgres" {
				old = append(old, `DELETE FROM schema_migrations WHERE version IN (6, 8)`,
					`UPDATE schema_migrations SET version = 6, name = '006_retention.sql' WHERE version = 7`)
			}
			for _, q := range old {
				if _, err := write.ExecContext(t.Context(), q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if err := fresh.Migrate(t.Context()); err != nil {
				t.Fatalf("migrate an old history: %v", err)
			}
			got := queryStrings(t, fresh, `SELECT `+concat(h.name)+` FROM schema_migrations`)
			all, err := migrations(h.name)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, m := range all {
				want = append(want, m.Name)
			}
			slices.Sort(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("schema_migrations (-want +got):\n%s", diff)
			}
		})
	}
}

// concat is "version-name" as text in the dialect: NNN_name again.
func concat(dialect string) string {
	if dialect == "postgres" {
		return `lpad(version::text, 3, '0') || substr(name, 4)`
	}
	return `substr('00' || version, -3) || substr(name, 4)`
}

func migrations(dialect string) ([]sqldb.Migration, error) {
	if dialect == "postgres" {
		return postgres.Migrations()
	}
	return sqlite.Migrations()
}
