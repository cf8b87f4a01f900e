package discord

import (
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestEventsCarryTheGlobalName: the name an event carries, from a
// gateway message and from an interaction in a server and in a DM: the
// server nickname where there is one (what people there call the person),
// else the global display name, never the bare username when there is a
// display name.
func TestEventsCarryTheGlobalName(t *testing.T) {
	ana := func(global string) *discordgo.User {
		return &discordgo.User{ID: "U1", Username: "ana_s", GlobalName: global}
	}
	tests := []struct {
		name, want string
		i          *discordgo.Interaction
	}{
		{"server member with a nickname", "ana (mod)", &discordgo.Interaction{Member: &discordgo.Member{User: ana("Ana Silva"), Nick: "ana (mod)"}}},
		{"server member without a nickname", "Ana Silva", &discordgo.Interaction{Member: &discordgo.Member{User: ana("Ana Silva")}}},
		{"DM", "Ana Silva", &discordgo.Interaction{User: ana("Ana Silva")}},
		{"DM, username only", "ana_s", &discordgo.Interaction{User: ana("")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, got := actor(tt.i); got != tt.want {
				t.Errorf("name %q, want %q", got, tt.want)
			}
		})
	}
	m := &discordgo.MessageCreate{Message: &discordgo.Message{ID: "M1", ChannelID: "C1", Content: "hi", Author: ana("Ana Silva")}}
	if ev, ok := messageEvent(m.Message, "B0T"); !ok || ev.Name != "Ana Silva" {
		t.Errorf("message event %+v (%v), want the global name", ev, ok)
	}
}
