package adaptertest

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
	"github.com/hirebot/hirebot/store/sqlite"
)

// NewCore is the bot on a temporary SQLite file with in-memory sessions,
// and its store.
func NewCore(t *testing.T) (*hire.Bot, *sqlite.DB) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "hirebot.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b, err := hire.New(hire.Config{Store: db, Sessions: memory.NewSessions(memory.SessionOptions{})})
	if err != nil {
		t.Fatal(err)
	}
	return b, db
}

// InviteReads has an employer at the terminal post a job and invite the
// person known as id, and returns what the employer reads then: it names
// the person as the core shows them to someone else.
func InviteReads(t *testing.T, b *hire.Bot, s bot.Store, id bot.Identity) string {
	t.Helper()
	ctx := context.Background()
	who, err := s.ResolveAccount(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}
	emp := bot.Identity{Platform: bot.Console, UserID: "employer"}
	var last string
	for _, line := range []string{"/post", "Build a Go API for invoices", "A small REST API in Go with PostgreSQL storage.",
		"golang, postgres", "$30-60/h", "in 3 weeks", "skip", "a merged pull request", "remote", "Berlin", "Post",
		"/invite " + strconv.FormatInt(who.ID, 10) + " 1"} {
		replies, err := b.Handle(ctx, bot.Event{Kind: bot.KindMessage, From: emp, Name: emp.UserID, Private: true, Text: line,
			Chat: bot.Recipient{Platform: bot.Console, ChatID: "dm-employer", UserID: emp.UserID}})
		if err != nil {
			t.Fatalf("the employer says %q: %v", line, err)
		}
		var out []string
		for _, r := range replies {
			out = append(out, r.Text)
		}
		last = strings.Join(out, "\n")
	}
	return last
}
