package discord

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/hirebot/hirebot/adapters/adaptertest"
)

// TestRunFinishesTheWorkInHandAndLeavesNothing: when Run's context ends
// with work in hand (a DM from the gateway and an interaction from the
// HTTP endpoint, the bot still working on both), Run returns only once
// both are answered; an interaction after that is refused with 503; and
// no goroutine that Run, the gateway or the endpoint started is left.
func TestRunFinishesTheWorkInHandAndLeavesNothing(t *testing.T) {
	f := newFakeDiscord(t)
	hold := adaptertest.NewHolder(2)
	h := newFakeHandler(hold.Handle)
	a, priv := testAdapter(t, f, h, nil)
	a.budget = 0 // the interaction is acknowledged at once and answered later
	leaks := adaptertest.Goroutines(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()

	select {
	case <-f.gw.identify:
	case <-time.After(20 * time.Second): // a hang guard
		t.Fatal("no IDENTIFY")
	}
	f.gw.send(t, messageCreate("M1", "", "U1", false, "hello", ""))
	raw := interaction("I1", discordgo.InteractionApplicationCommand, inGuild("0"), hire("help", ""), "")
	if status, resp, body := post(t, a, signed(priv, time.Now(), raw)); status != http.StatusOK ||
		resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource {
		t.Fatalf("interaction: %d %s", status, body)
	}
	hold.Stop(t, 2, cancel, done)
	if n := len(f.calls("POST /api/v9/channels/C1/messages")); n != 1 {
		t.Errorf("the DM was answered %d times when Run returned, want once", n)
	}
	if n := len(f.calls("POST /api/v9/webhooks/APP/tok-I1")); n != 1 { // a follow-up
		t.Errorf("the interaction's answer was sent %d times when Run returned, want once", n)
	}
	late := interaction("I2", discordgo.InteractionApplicationCommand, inGuild("0"), hire("help", ""), "")
	if status, _, _ := post(t, a, signed(priv, time.Now(), late)); status != http.StatusServiceUnavailable {
		t.Errorf("an interaction after Run returned got %d, want 503", status)
	}
	if n := h.count(); n != 2 {
		t.Errorf("the bot got %d events, want the 2 before the stop", n)
	}
	leaks()
}
