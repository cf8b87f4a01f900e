package hire_test

import (
	"context"
	"strings"
	"testing"

	"github.com/hirebot/hirebot/bot"
)

// FuzzHandle sends arbitrary lines, as commands, free text and button
// values, to a bot on a real SQLite file: it never panics, never fails, and
// always answers something.
func FuzzHandle(f *testing.F) {
	for _, s := range []string{
		"/profile", "/post", "/search go rate<60 \"node.js\" tz:+1..+3", "/edit rate", "/invite 1 1", "/apply 1 note",
		"/matches #1", "/close x", "/start gig_1", "/link", "/privacy hide slack:T1", "/review 1 5 great", "/setup channel=C1",
		"/alerts daily", "/counter 1", "back", "skip", "cancel", "pick:0", "edit:rate", "confirm", "\x00\xff", strings.Repeat("/", 3000),
	} {
		f.Add(s, "Ann Smith")
	}
	h := newHarness(f)
	h.script("seed", append(invoiceJob, "Post")...)
	f.Fuzz(func(t *testing.T, line, second string) {
		for _, kind := range []string{bot.KindMessage, bot.KindButton} {
			for _, text := range []string{line, second} {
				ev := bot.Event{Kind: kind, Text: text, From: bot.Identity{Platform: bot.Console, UserID: "fuzz"}, Name: "fuzz",
					Chat: bot.Recipient{Platform: bot.Console, ChatID: "fuzz"}, Private: true}
				replies, err := h.bot.Handle(context.Background(), ev)
				if err != nil {
					t.Fatalf("%s %q: %v", kind, text, err)
				}
				if len(replies) == 0 {
					t.Fatalf("%s %q: no answer", kind, text)
				}
			}
		}
	})
}
