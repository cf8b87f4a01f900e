package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hirebot/hirebot/store/redis/redistest"
)

// waitFor waits until the output after from holds want and returns how
// long that took.
func (c *liveChat) waitFor(t *testing.T, from int, want string) time.Duration {
	t.Helper()
	start := time.Now()
	for !strings.Contains(c.text()[from:], want) {
		if time.Since(start) > 20*time.Second { // against hanging, not a timing check
			t.Fatalf("%q never showed without a keystroke:\n%s", want, c.text()[from:])
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Since(start)
}

// TestOpenChatIsPushed: Ann's chat is open and idle on one database with
// Bob's. His invite, and then what he writes to her once she accepted
// (relayed), show in her chat without her typing anything, on SQLite alone
// and with Redis. How long each took is logged: measured, not asserted.
func TestOpenChatIsPushed(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testPush(t, map[string]string{}) })
	t.Run("redis", func(t *testing.T) {
		testPush(t, map[string]string{"REDIS_URL": redistest.URL(t), "HIREBOT_REDIS_PREFIX": redistest.Prefix(t)})
	})
}

func testPush(t *testing.T, env map[string]string) {
	db := filepath.Join(t.TempDir(), "hirebot.db")
	env["HIREBOT_DB"] = db
	if _, errOut, code := hirebot(t, db, profileScript, "chat", "--user", "ann"); code != 0 {
		t.Fatalf("ann's profile (exit %d): %s", code, errOut)
	}
	if _, errOut, code := hirebot(t, db, jobScript, "chat", "--user", "bob"); code != 0 {
		t.Fatalf("bob's job (exit %d): %s", code, errOut)
	}
	ann, bob := openChatEnv(t, env, "ann"), openChatEnv(t, env, "bob")
	ann.ask(t, "/help", "/profile") // her chat is open; from here on she types nothing until she accepts

	from := len(ann.text())
	start := time.Now()
	bob.ask(t, "/invite ann 1", "Invite 1 sent to Ann Smith")
	ann.waitFor(t, from, "bob (the terminal) invites you to job #1")
	t.Logf("the invite showed in ann's idle chat %v after bob typed it", time.Since(start).Round(time.Millisecond))
	if got := ann.text()[from:]; !strings.Contains(got, "[1] Accept  [2] Decline  [3] Counter") {
		t.Fatalf("the pushed invite has no buttons to press:\n%s", got)
	}
	ann.ask(t, "1", "Accepted: you and bob are working together")

	var took []time.Duration
	for i := range 5 {
		text := fmt.Sprintf("Message %d: see you Monday.", i)
		from := len(ann.text())
		start := time.Now()
		bob.ask(t, text, "passed on to Ann Smith")
		ann.waitFor(t, from, "↪ relayed from bob about #1 Build a Go API for invoices:\n"+text)
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	t.Logf("bob's relayed messages showed in ann's idle chat after (typed to shown, %d): min %v, median %v, max %v",
		len(took), took[0].Round(time.Millisecond), took[len(took)/2].Round(time.Millisecond), took[len(took)-1].Round(time.Millisecond))
	if got := strings.Count(ann.text(), "invites you to job #1"); got != 1 {
		t.Errorf("the invite showed %d times in ann's chat, want once", got)
	}
}
