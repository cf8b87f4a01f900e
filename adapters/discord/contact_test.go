package discord

import (
	"testing"

	"github.com/hirebot/hirebot/bot"
)

var _ bot.Contacter = (*Adapter)(nil)

// TestContactLink: the link the other side of an accepted invite gets
// opens a private chat with the person on Discord.
func TestContactLink(t *testing.T) {
	got := (&Adapter{}).ContactLink(bot.Identity{Platform: bot.Discord, Workspace: "G", UserID: "42"})
	if want := "https://discord.com/users/42"; got != want {
		t.Errorf("ContactLink = %q, want %q", got, want)
	}
}
