package telegram

import (
	"testing"

	"github.com/hirebot/hirebot/adapters/adaptertest"
	"github.com/hirebot/hirebot/bot"
)

var (
	_ bot.Contacter = (*Adapter)(nil)
	_ bot.Pacer     = (*Adapter)(nil)
)

// TestContactLink: the link the other side of an accepted invite gets
// opens a private chat with the person on Telegram.
func TestContactLink(t *testing.T) {
	got := (&Adapter{}).ContactLink(bot.Identity{Platform: bot.Telegram, Workspace: "", UserID: "7"})
	if want := "tg://user?id=7"; got != want {
		t.Errorf("ContactLink = %q, want %q", got, want)
	}
}

// TestPace: the outbox gets Telegram's pace from the adapter.
func TestPace(t *testing.T) {
	adaptertest.Pace(t, func(l bot.Limiter) bot.Pacer { return &Adapter{pacer: pacer{lim: l}} },
		bot.Recipient{Platform: bot.Telegram, Workspace: "", ChatID: "100"}, 3)
}
