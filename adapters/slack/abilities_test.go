package slack

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
// opens a private chat with the person on Slack.
func TestContactLink(t *testing.T) {
	got := (&Adapter{}).ContactLink(bot.Identity{Platform: bot.Slack, Workspace: "T/1", UserID: "U1"})
	if want := "slack://user?team=T%2F1&id=U1"; got != want {
		t.Errorf("ContactLink = %q, want %q", got, want)
	}
}

// TestPace: the outbox gets Slack's pace from the adapter.
func TestPace(t *testing.T) {
	adaptertest.Pace(t, func(l bot.Limiter) bot.Pacer { return &Adapter{cfg: Config{Limiter: l}} },
		bot.Recipient{Platform: bot.Slack, Workspace: "T1", ChatID: "100"}, 3)
}
