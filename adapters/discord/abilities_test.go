package discord

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
// opens a private chat with the person on Discord.
func TestContactLink(t *testing.T) {
	got := (&Adapter{}).ContactLink(bot.Identity{Platform: bot.Discord, Workspace: "G", UserID: "42"})
	if want := "https://discord.com/users/42"; got != want {
		t.Errorf("ContactLink = %q, want %q", got, want)
	}
}

// TestPace: the outbox gets Discord's pace from the adapter.
func TestPace(t *testing.T) {
	adaptertest.Pace(t, func(l bot.Limiter) bot.Pacer { return &Adapter{cfg: Config{Limiter: l}} },
		bot.Recipient{Platform: bot.Discord, Workspace: "G1", ChatID: "100"}, 5)
}
