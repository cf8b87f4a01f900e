package main

import (
	"strings"
	"testing"

	"github.com/hirebot/hirebot/store/postgres/pgtest"
)

// TestChatOnPostgres runs the scripted dialogue against PostgreSQL: --db
// takes a postgres:// URL, and a second process sees what the first stored.
func TestChatOnPostgres(t *testing.T) {
	db := pgtest.FreshSchema(t)
	if out, errOut, code := hirebot(t, "", "", "migrate", "--db", db); code != 0 || !strings.Contains(out, "migrated") {
		t.Fatalf("migrate exited %d: %s%s", code, out, errOut)
	}
	out, errOut, code := hirebot(t, "", profileScript, "chat", "--db", db, "--user", "ann")
	if code != 0 || !strings.Contains(out, "Your profile is published.") {
		t.Fatalf("chat exited %d: %s\n%s", code, errOut, out)
	}
	out, _, _ = hirebot(t, "", jobScript, "chat", "--db", db, "--user", "bob")
	if !strings.Contains(out, "Your job #1 is posted.") || !strings.Contains(out, "1. Ann Smith") {
		t.Fatalf("job not posted with a match:\n%s", out)
	}
	out, errOut, code = hirebot(t, "", "", "export", "--db", db)
	if code != 0 || strings.Count(out, `"type":"profiles"`) != 1 || strings.Count(out, `"type":"jobs"`) != 1 {
		t.Errorf("export exited %d: %s\n%s", code, errOut, out)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"hirebot.db":                            "hirebot.db",
		"postgres://bot:secret@db:5432/hirebot": "postgres://bot:xxxxx@db:5432/hirebot",
		"postgres://bot@db/hirebot":             "postgres://bot@db/hirebot",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q) = %q, want %q", in, got, want)
		}
	}
}
