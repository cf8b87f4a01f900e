package main

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// liveChat is a `hirebot chat` left open, typed into line by line.
type liveChat struct {
	in   *io.PipeWriter
	mu   sync.Mutex
	out  bytes.Buffer
	done chan int
}

func (c *liveChat) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.Write(p)
}

func (c *liveChat) text() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.out.String()
}

// openChat starts a chat on db that stays open until the test ends.
func openChat(t *testing.T, db, user string) *liveChat {
	t.Helper()
	return openChatEnv(t, map[string]string{"HIREBOT_DB": db}, user)
}

// openChatEnv starts a chat with the environment env that stays open
// until the test ends.
func openChatEnv(t *testing.T, env map[string]string, user string) *liveChat {
	t.Helper()
	r, w := io.Pipe()
	c := &liveChat{in: w, done: make(chan int, 1)}
	go func() {
		c.done <- run(context.Background(), []string{"chat", "--user", user}, r, c, io.Discard, func(k string) string { return env[k] })
	}()
	t.Cleanup(func() {
		w.Close()
		if code := <-c.done; code != 0 {
			t.Errorf("%s's chat exited with %d", user, code)
		}
	})
	return c
}

// ask types line and returns the answer, which ends once one of ends is
// in it.
func (c *liveChat) ask(t *testing.T, line string, ends ...string) string {
	t.Helper()
	from := len(c.text())
	if _, err := io.WriteString(c.in, line+"\n"); err != nil {
		t.Fatalf("typing %q: %v", line, err)
	}
	guard := time.Now().Add(20 * time.Second) // against hanging, not a timing check
	for {
		answer := c.text()[from:]
		for _, end := range ends {
			if strings.Contains(answer, end) {
				return answer
			}
		}
		if time.Now().After(guard) {
			t.Fatalf("no answer to %q with any of %q:\n%s", line, ends, answer)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// askUntil asks line until the answer holds want and returns how long
// that took after the change it waits for.
func (c *liveChat) askUntil(t *testing.T, line, want string, ends ...string) time.Duration {
	t.Helper()
	start := time.Now()
	for !strings.Contains(c.ask(t, line, ends...), want) {
		if time.Since(start) > 20*time.Second { // against hanging, not a timing check
			t.Fatalf("%q never answered %q", line, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}

// TestOpenChatsSeeEachOthersChanges: the README's two terminals on one
// SQLite file and no Redis. A job posted, a profile published and an
// account deleted in one process reach the matches and searches of a
// chat that was already open in another.
func TestOpenChatsSeeEachOthersChanges(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hirebot.db")
	if _, errOut, code := hirebot(t, db, profileScript, "chat", "--user", "ann"); code != 0 {
		t.Fatalf("ann's profile (exit %d): %s", code, errOut)
	}
	ann := openChat(t, db, "ann")
	const noJob = "No open job matches your profile right now"
	if got := ann.ask(t, "/jobs", noJob, "Build a Go API"); !strings.Contains(got, noJob) {
		t.Fatalf("a job before any was posted:\n%s", got)
	}
	bob := openChat(t, db, "bob")
	const nobody = "No one"
	bob.ask(t, "/search skill:react", "Ann Smith", nobody)

	if _, errOut, code := hirebot(t, db, jobScript, "chat", "--user", "bob"); code != 0 {
		t.Fatalf("bob's job (exit %d): %s", code, errOut)
	}
	took := ann.askUntil(t, "/jobs", "Build a Go API for invoices", noJob, "Build a Go API")
	t.Logf("ann's open chat matched the new job %v after it was posted", took.Round(time.Millisecond))

	dana := strings.Replace(profileScript, "Ann Smith", "Dana Reyes", 1)
	if _, errOut, code := hirebot(t, db, dana, "chat", "--user", "dana"); code != 0 {
		t.Fatalf("dana's profile (exit %d): %s", code, errOut)
	}
	took = bob.askUntil(t, "/search skill:react", "Dana Reyes", "of 2", "of 1", nobody)
	t.Logf("bob's open chat found the new profile %v after it was published", took.Round(time.Millisecond))

	if out, errOut, code := hirebot(t, db, "/delete\nDelete everything\n", "chat", "--user", "dana"); code != 0 || !strings.Contains(out, "I erased your profile") {
		t.Fatalf("dana's /delete (exit %d): %s%s", code, out, errOut)
	}
	start := time.Now()
	for {
		got := bob.ask(t, "/search skill:react", "of 2", "of 1", nobody)
		if !strings.Contains(got, "of 2") {
			if strings.Contains(got, "Dana Reyes") || !strings.Contains(got, "1–1 of 1") {
				t.Fatalf("after dana's /delete:\n%s", got)
			}
			break
		}
		if time.Since(start) > 20*time.Second { // against hanging, not a timing check
			t.Fatal("bob's search still counts dana")
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("bob's open chat stopped counting the deleted account %v after it was deleted", time.Since(start).Round(time.Millisecond))
}
