package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hirebot/hirebot/store/postgres/pgtest"
)

// TestMoveToPostgres is the README's "moving from one machine to several":
// export the SQLite file, import it into PostgreSQL, and the bot there
// knows everyone; a database that holds data refuses the import.
func TestMoveToPostgres(t *testing.T) {
	file := filepath.Join(t.TempDir(), "hirebot.db")
	if out, errOut, code := hirebot(t, file, profileScript, "chat", "--user", "ann"); code != 0 || !strings.Contains(out, "Your profile is published.") {
		t.Fatalf("chat exited %d: %s\n%s", code, errOut, out)
	}
	backup, errOut, code := hirebot(t, "", "", "export", "--db", file)
	if code != 0 || !strings.HasPrefix(backup, `{"format":"hirebot-backup","version":1,`) {
		t.Fatalf("export exited %d: %s\n%s", code, errOut, backup)
	}

	pg := pgtest.FreshSchema(t)
	out, errOut, code := hirebot(t, "", backup, "import", "--db", pg, "-")
	if code != 0 || !strings.Contains(out, "imported ") {
		t.Fatalf("import exited %d: %s%s", code, out, errOut)
	}
	out, _, _ = hirebot(t, "", "/search go\n", "chat", "--db", pg, "--user", "bob")
	if !strings.Contains(out, "Ann Smith") {
		t.Errorf("after the move, search does not find Ann:\n%s", out)
	}
	again, _, _ := hirebot(t, "", "", "export", "--db", pg)
	if strings.Count(again, "\n") <= strings.Count(backup, "\n") { // bob joined since
		t.Errorf("export from PostgreSQL has %d lines, the SQLite one %d", strings.Count(again, "\n"), strings.Count(backup, "\n"))
	}

	path := filepath.Join(t.TempDir(), "backup.jsonl")
	if err := os.WriteFile(path, []byte(backup), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = hirebot(t, "", "", "import", "--db", pg, path)
	if code != 1 || !strings.Contains(errOut, "already holds data") {
		t.Errorf("import into a full database: exit %d, %q; want 1 and a word that it holds data", code, errOut)
	}
}
