package discord

import (
	"context"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/memory"
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

// TestPace: the outbox gets Discord's pace from the adapter: a burst of
// 5 to one chat at once, the next one later, another chat at once.
func TestPace(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	lim := memory.NewLimiter(memory.LimitOptions{Now: func() time.Time { return now }})
	a := &Adapter{cfg: Config{Limiter: lim}}
	ctx := context.Background()
	chat := bot.Recipient{Platform: bot.Discord, Workspace: "G1", ChatID: "100"}
	for i := range 5 {
		if wait, err := a.Pace(ctx, chat); err != nil || wait != 0 {
			t.Fatalf("message %d of the burst waits %v (err %v)", i+1, wait, err)
		}
	}
	if wait, err := a.Pace(ctx, chat); err != nil || wait <= 0 {
		t.Errorf("the message past the burst waits %v (err %v), want a wait", wait, err)
	}
	other := chat
	other.ChatID = "200"
	if wait, err := a.Pace(ctx, other); err != nil || wait != 0 {
		t.Errorf("another chat waits %v (err %v)", wait, err)
	}
}
