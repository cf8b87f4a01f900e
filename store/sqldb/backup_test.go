package sqldb_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/sqldb"
	"github.com/hirebot/hirebot/store/storetest"
)

// records splits a backup into its header and its records, each with its
// fields in name order (the dialects order columns differently), sorted.
func records(t *testing.T, backup []byte) (sqldb.BackupHeader, []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(string(backup)), "\n")
	var h sqldb.BackupHeader
	if err := json.Unmarshal([]byte(lines[0]), &h); err != nil {
		t.Fatalf("header %q: %v", lines[0], err)
	}
	var rest []string
	for _, l := range lines[1:] {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("record %q: %v", l, err)
		}
		b, _ := json.Marshal(rec)
		rest = append(rest, string(b))
	}
	slices.Sort(rest)
	return h, rest
}

func types(t *testing.T, lines []string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, l := range lines {
		var r struct{ Type string }
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("record %q: %v", l, err)
		}
		out[r.Type]++
	}
	return out
}

func export(t *testing.T, db *sqldb.DB, secrets bool) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := db.Export(t.Context(), &b, secrets); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestBackupRoundTrip fills a database of each dialect with every kind of
// record, exports it, imports it into an empty database of each dialect,
// and exports again: the same records come out. Every table but the
// migration history, the sessions and the inbox is in the backup, and a database
// that holds data refuses an import.
func TestBackupRoundTrip(t *testing.T) {
	for _, from := range harnesses() {
		for _, to := range harnesses() {
			t.Run(from.name+" to "+to.name, func(t *testing.T) {
				src := from.open(t, true)
				storetest.Fill(t, src)
				if err := src.Tokens(bot.Slack).SaveToken(t.Context(), "T1", "xoxb-secret"); err != nil {
					t.Fatal(err)
				}
				backup := export(t, src, true)
				h, want := records(t, backup)
				if h.Format != "hirebot-backup" || h.Version != 1 || h.Dialect != from.name || h.Schema == 0 || !h.Secrets {
					t.Errorf("header %+v", h)
				}
				got := types(t, want)
				// Not records: what the backup leaves out (skippedTables).
				skipped := map[string]bool{"schema_migrations": true, "sessions": true, "inbox": true, "changes": true, "profile_log": true}
				for _, table := range from.columnsTables(t, src) {
					if !skipped[table] && got[table] == 0 {
						t.Errorf("no %s record in the backup", table)
					}
				}
				if _, plain := records(t, export(t, src, false)); slices.ContainsFunc(plain, func(l string) bool {
					return strings.Contains(l, "xoxb-secret")
				}) {
					t.Error("a backup without --secrets holds a workspace token")
				}

				dst := to.open(t, true)
				n, err := dst.Import(t.Context(), bytes.NewReader(backup))
				if err != nil {
					t.Fatalf("Import: %v", err)
				}
				if n != len(want) {
					t.Errorf("Import stored %d records, want %d", n, len(want))
				}
				_, again := records(t, export(t, dst, true))
				if diff := cmp.Diff(want, again); diff != "" {
					t.Errorf("export after import (-before +after):\n%s", diff)
				}
				// The restored store works: search finds the profile, and
				// new rows get IDs past the imported ones.
				if ids, err := dst.SearchProfiles(t.Context(), bot.TextQuery{Terms: []string{"go"}}, 10); err != nil || len(ids) != 1 {
					t.Errorf("search after import = %v, %v; want one profile", ids, err)
				}
				if _, err := dst.ResolveAccount(t.Context(), bot.Identity{Platform: bot.Telegram, UserID: "new"}, "New"); err != nil {
					t.Errorf("a new account after import: %v", err)
				}

				_, err = dst.Import(t.Context(), bytes.NewReader(backup))
				if bot.ErrorCode(err) != bot.EINVALID || !strings.Contains(bot.ErrorMessage(err), "already holds data") {
					t.Errorf("import into a full database: %v, want EINVALID saying it holds data", err)
				}
			})
		}
	}
}

func TestImportRefusesWhatIsNotABackup(t *testing.T) {
	db := harnesses()[0].open(t, true)
	for _, in := range []string{"", "hello\n", `{"format":"hirebot-backup","version":99}` + "\n"} {
		if _, err := db.Import(t.Context(), strings.NewReader(in)); bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("Import(%q) = %v, want EINVALID", in, err)
		}
	}
}

// TestImportNamesTheBadLine: a bad record is refused naming its line, a
// batch that breaks a constraint names its lines and table, and nothing of
// a refused backup is stored, on both dialects.
func TestImportNamesTheBadLine(t *testing.T) {
	good := strings.SplitAfter(string(backupOf(3)), "\n")
	for _, h := range harnesses() {
		t.Run(h.name, func(t *testing.T) {
			db := h.open(t, true)
			for _, c := range []struct{ name, backup, want string }{
				{"not JSON", good[0] + good[1] + "{oops\n", "Line 3 of the backup: not a JSON object"},
				{"unknown type", good[0] + good[1] + `{"type":"nope"}` + "\n", `Line 3 of the backup: unknown record type "nope"`},
				{"unknown column", good[0] + good[1] + `{"type":"accounts","id":9,"shoe":1}` + "\n", `Line 3 of the backup: accounts has no column "shoe"`},
				{"duplicate key", good[0] + good[1] + good[2] + good[1], "Lines 2 to 4 of the backup: accounts:"},
			} {
				_, err := db.Import(t.Context(), strings.NewReader(c.backup))
				if bot.ErrorCode(err) != bot.EINVALID || !strings.Contains(bot.ErrorMessage(err), c.want) {
					t.Errorf("%s: %v, want EINVALID containing %q", c.name, err, c.want)
				}
			}
			// Nothing was kept: the whole backup still restores.
			if n, err := db.Import(t.Context(), strings.NewReader(strings.Join(good, ""))); err != nil || n != 9 {
				t.Errorf("import after the refusals = %d, %v; want 9 records", n, err)
			}
		})
	}
}

// TestBackupKinds checks the backup's column kinds against PostgreSQL's
// types, for every column of the schema: a new column of a time, date,
// list or boolean type must be declared (columnKind).
func TestBackupKinds(t *testing.T) {
	h := harnesses()[1]
	db := h.open(t, true)
	want := map[string]string{"timestamp with time zone": "time", "date": "date", "ARRAY": "list", "boolean": "bool"}
	for _, line := range queryStrings(t, db, `SELECT table_name || ' ' || column_name || ' ' || data_type
		FROM information_schema.columns WHERE table_schema = current_schema() AND is_generated = 'NEVER'`) {
		f := strings.SplitN(line, " ", 3)
		w, ok := want[f[2]]
		if !ok {
			w = "plain"
		}
		got := sqldb.ColumnKind(f[0], f[1])
		if got == "lease" {
			got = "time"
		}
		if got != w {
			t.Errorf("%s.%s (%s) is of kind %s in backups, want %s", f[0], f[1], f[2], got, w)
		}
	}
}
