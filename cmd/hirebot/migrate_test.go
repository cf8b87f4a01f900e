package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestMigrateStatus(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hirebot.db")
	out, errOut, code := hirebot(t, "", "", "migrate", "--status", "--db", db)
	if code != 0 {
		t.Fatalf("migrate --status exited %d: %s", code, errOut)
	}
	if !strings.Contains(out, "001 init") || !strings.Contains(out, "pending") || !strings.Contains(out, "(sqlite): at version 0 of ") {
		t.Fatalf("status of an empty database:\n%s", out)
	}
	if _, errOut, code := hirebot(t, "", "", "migrate", "--db", db); code != 0 {
		t.Fatalf("migrate exited %d: %s", code, errOut)
	}
	out, _, _ = hirebot(t, "", "", "migrate", "--status", "--db", db)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	last := lines[len(lines)-1]
	steps := lines[:len(lines)-1]
	want := "at version " + strings.TrimLeft(strings.Fields(steps[len(steps)-1])[0], "0") + " of "
	if strings.Contains(strings.Join(steps, "\n"), "pending") || !strings.HasSuffix(last, ", 0 pending") || !strings.Contains(last, want) {
		t.Fatalf("status after migrate:\n%s", out)
	}
}
