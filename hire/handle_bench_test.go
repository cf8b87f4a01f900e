package hire_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/hirebot/hirebot/bot"
)

// BenchmarkHandleDialogStep is one answer inside a dialog, end to end
// through the router: resolve the account, load the session, parse the
// answer, save the session (SQLite file, memory sessions).
func BenchmarkHandleDialogStep(b *testing.B) {
	h := newHarness(b)
	ev := bot.Event{Kind: bot.KindMessage, From: bot.Identity{Platform: bot.Console, UserID: "ann"}, Name: "ann",
		Chat: bot.Recipient{Platform: bot.Console, ChatID: "ann"}, Private: true}
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			ev.Text = "/profile" // starts (or resumes) the dialog
		} else {
			ev.Text = "Ann " + strconv.Itoa(i) // answers the name question
		}
		if _, err := h.bot.Handle(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHandleSearch is /search through the router over a small store.
func BenchmarkHandleSearch(b *testing.B) {
	h := newHarness(b)
	for i := range 50 {
		h.script("p"+strconv.Itoa(i), append(annProfile, "Publish")...)
	}
	ev := bot.Event{Kind: bot.KindCommand, Command: "search", Text: "golang postgres rate<60",
		From: bot.Identity{Platform: bot.Console, UserID: "emp"}, Chat: bot.Recipient{Platform: bot.Console, ChatID: "emp"}, Private: true}
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.bot.Handle(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
}
