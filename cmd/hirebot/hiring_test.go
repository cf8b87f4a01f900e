package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestInviteWaitsForTheNextChat: two people at the terminal, one database.
// What was sent to a person who was away is shown when they open a chat,
// with buttons they can press.
func TestInviteWaitsForTheNextChat(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hirebot.db")
	hirebot(t, db, profileScript, "chat", "--user", "ann", "--name", "Ann")
	out, _, code := hirebot(t, db, jobScript+"/invite ann 1\n", "chat", "--user", "bob")
	if code != 0 || !strings.Contains(out, "Invite 1 sent to Ann Smith") {
		t.Fatalf("bob's chat (exit %d):\n%s", code, out)
	}

	out, _, _ = hirebot(t, db, "1\nSee you Monday.\n", "chat", "--user", "ann")
	for _, want := range []string{"While you were away:", "bob (the terminal) invites you to job #1", "[1] Accept  [2] Decline  [3] Counter",
		"Accepted: you and bob are working together", "passed on to bob"} {
		if !strings.Contains(out, want) {
			t.Errorf("ann's chat lacks %q:\n%s", want, out)
		}
	}

	out, _, _ = hirebot(t, db, "", "chat", "--user", "bob")
	for _, want := range []string{"While you were away:", "Ann Smith accepted your invite to #1", "↪ relayed from Ann Smith about #1 Build a Go API for invoices:\nSee you Monday."} {
		if !strings.Contains(out, want) {
			t.Errorf("bob's next chat lacks %q:\n%s", want, out)
		}
	}
	if out, _, _ := hirebot(t, db, "", "chat", "--user", "bob"); strings.Contains(out, "While you were away") {
		t.Errorf("the same news was shown twice:\n%s", out)
	}
}

// TestResumedDialogTakesButtonNumbers: a job dialog left at its summary is
// finished in a new session by the number of its first button, as the
// first session would have taken it.
func TestResumedDialogTakesButtonNumbers(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hirebot.db")
	unfinished := strings.TrimSuffix(jobScript, "Post\n")
	out, _, _ := hirebot(t, db, unfinished, "chat", "--user", "bob")
	if !strings.Contains(out, "[1] Post  [2] Edit  [3] Cancel") {
		t.Fatalf("the first session did not reach the summary:\n%s", out)
	}
	out, _, _ = hirebot(t, db, "1\n", "chat", "--user", "bob")
	if !strings.Contains(out, "Your job #1 is posted.") {
		t.Errorf("a new session's 1 at the summary did not post:\n%s", out)
	}
}
