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
	var help []string
	for _, topic := range []string{"freelancers", "employers", "after"} {
		text, _ := bot.Help(topic)
		help = append(help, text)
	}
	got := bot.WriteCommands(bot.Reply{Text: bot.HelpText + strings.Join(help, "\n")}, a.TypedCommand).Text
	for _, want := range []string{"/hire profile /hire edit", "/hire help freelancers", "/hire profile — build your profile",
		"/hire search [query] [skill]", "/end [conversation] — stop passing"} {
		if !strings.Contains(got, want) {
			t.Errorf("help on Discord lacks %q:\n%s", want, got)
		}
	}
}
