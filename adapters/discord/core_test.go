package discord

import (
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/hirebot/hirebot/adapters/adaptertest"
)

// realCore is the bot itself, on a temporary SQLite file and in-memory
// sessions, as a handler for the adapter.
func realCore(t *testing.T) *fakeHandler {
	t.Helper()
	b, _ := adaptertest.NewCore(t)
	return newFakeHandler(b.Handle)
}

// TestInteractionsAnsweredInPlace: what the bot answers to a slash
// command in a server goes in the interaction response, never as a post
// in the channel (a link code posted there is visible to all).
func TestInteractionsAnsweredInPlace(t *testing.T) {
	f := newFakeDiscord(t)
	h := realCore(t)
	a, priv := testAdapter(t, f, h, nil)
	tests := []struct {
		name, sub string
		typ       discordgo.InteractionResponseType
		content   string
	}{
		{"one-time link code", "link", discordgo.InteractionResponseChannelMessageWithSource, "Your link code is"},
		{"help", "help", discordgo.InteractionResponseChannelMessageWithSource, "Here is what I can do"},
		{"post opens the modal", "post", discordgo.InteractionResponseModal, ""},
	}
	for k, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := interaction("P"+string(rune('0'+k)), discordgo.InteractionApplicationCommand, inGuild("0"), hire(tt.sub, ""), "")
			status, resp, body := post(t, a, signed(priv, time.Now(), raw))
			if status != 200 || resp.Type != tt.typ {
				t.Fatalf("status %d, response %s", status, body)
			}
			if tt.typ == discordgo.InteractionResponseModal {
				if n := len(resp.Data.Components); n == 0 || n > maxModalInputs {
					t.Errorf("modal with %d inputs", n)
				}
				return
			}
			if resp.Data.Flags != discordgo.MessageFlagsEphemeral || !strings.Contains(resp.Data.Content, tt.content) {
				t.Errorf("response %+v, want an ephemeral %q", resp.Data, tt.content)
			}
		})
	}
	a.inflight.Wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, r := range f.requests {
		if strings.HasPrefix(r.Path, "/api/v9/channels/") {
			t.Errorf("posted %s %s: %s", r.Method, r.Path, r.Body)
		}
	}
}

// Who may run /hire setup is the core's one rule: the adapter only says
// what the member's permissions are. A moderator without Manage Server is
// refused, and so is a DM, each with the core's one message.
func TestSetupIsTheCoresRule(t *testing.T) {
	f := newFakeDiscord(t)
	b, _ := adaptertest.NewCore(t)
	a, priv := testAdapter(t, f, newFakeHandler(b.Handle), nil)
	b.Register(a) // as serve does: the adapter says how a command is typed here
	setup := hire("setup", `{"name":"channel","type":7,"value":"C2"}`)
	manageMessages := "8192" // 1<<13
	for k, tt := range []struct{ name, where, want string }{
		{"a moderator without Manage Server", inGuild(manageMessages), "Only the people who manage this server or group can use /hire setup."},
		{"in a DM", inDM, "Run /hire setup in the server or group it is for."},
		{"with Manage Server", inGuild(manageGuild), "The gig board is set up."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			raw := interaction("S"+string(rune('0'+k)), discordgo.InteractionApplicationCommand, tt.where, setup, "")
			status, resp, body := post(t, a, signed(priv, time.Now(), raw))
			if status != 200 || resp.Data.Flags != discordgo.MessageFlagsEphemeral || !strings.HasPrefix(resp.Data.Content, tt.want) {
				t.Fatalf("status %d, response %s; want %q", status, body, tt.want)
			}
		})
	}
	a.inflight.Wait()
}
