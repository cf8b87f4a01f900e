package discord

import (
	"strings"
	"testing"

	"github.com/hirebot/hirebot/bot"
)

var _ bot.CommandTyper = (*Adapter)(nil)

// A reply names commands the way they are typed on Discord: the verbs of
// /hire through it, the rest as text.
func TestTypedCommand(t *testing.T) {
	a := &Adapter{}
	for name, want := range map[string]string{"profile": "/hire profile", "post": "/hire post", "help": "/hire help",
		"end": "/end", "accept": "/accept", "back": "/back"} {
		if got := a.TypedCommand(name); got != want {
			t.Errorf("TypedCommand(%q) = %q, want %q", name, got, want)
		}
	}
	got := bot.WriteCommands(bot.Reply{Text: bot.HelpText}, a.TypedCommand).Text
	for _, want := range []string{"/hire profile — build your profile", "/hire search [query] [skill]", "/end [conversation] — stop passing"} {
		if !strings.Contains(got, want) {
			t.Errorf("help on Discord lacks %q:\n%s", want, got)
		}
	}
}
