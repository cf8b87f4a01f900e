package telegram

import (
	"testing"

	"github.com/hirebot/hirebot/bot"
)

var _ bot.Contacter = (*Adapter)(nil)

// TestContactLink: the link the other side of an accepted invite gets
// opens a private chat with the person on Telegram.
func TestContactLink(t *testing.T) {
	got := (&Adapter{}).ContactLink(bot.Identity{Platform: bot.Telegram, Workspace: "", UserID: "7"})
	if want := "tg://user?id=7"; got != want {
		t.Errorf("ContactLink = %q, want %q", got, want)
	}
}
