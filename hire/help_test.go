package hire_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/match"
)

var (
	commandName = regexp.MustCompile(`^[a-z]{1,32}$`)
	argName     = regexp.MustCompile(`^[a-z_]{1,32}$`)
)

// The command table is well formed: names are unique and typeable, menu
// texts fit one line of 100 characters, and every command but the
// platforms' own /start has its line in /help.
func TestCommandTable(t *testing.T) {
	cmds := bot.Commands()
	if len(cmds) < 40 {
		t.Fatalf("the table holds %d commands", len(cmds))
	}
	seen := map[string]bool{}
	for _, c := range cmds {
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			if !commandName.MatchString(n) || seen[n] {
				t.Errorf("command name %q is not lowercase letters or is declared twice", n)
			}
			seen[n] = true
		}
		if c.Summary == "" || len(c.Summary) > 100 || strings.Contains(c.Summary, "\n") {
			t.Errorf("/%s: summary %q is not one line of 1-100 characters", c.Name, c.Summary)
		}
		args := map[string]bool{}
		for _, a := range c.Args {
			if !argName.MatchString(a.Name) || args[a.Name] || len(a.Summary) > 100 {
				t.Errorf("/%s: argument %q: a bad or repeated name, or a summary over 100 characters", c.Name, a.Name)
			}
			args[a.Name] = true
		}
		if c.Section == "" {
			if c.Name != "start" {
				t.Errorf("/%s is in no /help section", c.Name)
			}
			continue
		}
		line := "\n  /" + c.Name
		if u := c.Usage(); u != "" {
			line += " " + u
		}
		if !strings.Contains(bot.HelpText, line+" — ") {
			t.Errorf("/help lacks the line %q", line)
		}
		if got, ok := bot.LookupCommand(c.Name); !ok || got.Name != c.Name {
			t.Errorf("LookupCommand(%q) = %q, %v", c.Name, got.Name, ok)
		}
	}
	if got := bot.Commands()[0].Usage(); got != cmds[0].Usage() {
		t.Errorf("Commands returned a table that changed: %q", got)
	}
	for _, filter := range []string{"skill:", "rate<", "rate>", "tz:", "type:", "page:", "available", "remote", `"exact phrase"`} {
		if !strings.Contains(bot.HelpText, filter) {
			t.Errorf("/help does not mention the search filter %s", filter)
		}
		if filter != `"exact phrase"` && !strings.Contains(match.SearchHelp, filter) {
			t.Errorf("the search help does not mention %s", filter)
		}
	}
}

// The router takes every name and alias of the table, and only those.
func TestRouterFollowsTheTable(t *testing.T) {
	h := newHarness(t)
	for _, c := range bot.Commands() {
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			if got := h.say("rou", "/"+n); strings.Contains(got, "I don't know /") {
				t.Errorf("/%s is in the table but the router does not know it: %s", n, got)
			}
		}
	}
	mustContain(t, h.say("rou", "/hirebot"), "I don't know /hirebot.", "Here is what I can do:")
}

func TestUsage(t *testing.T) {
	for name, want := range map[string]string{
		"profile": "",
		"apply":   "<job> [note]",
		"alerts":  "on|daily|off",
		"setup":   "channel=<channel> [moderators=<moderators>] [cooldown=<cooldown>] [min_age=<min_age>]",
	} {
		c, ok := bot.LookupCommand(name)
		if !ok {
			t.Fatalf("no /%s", name)
		}
		if got := c.Usage(); got != want {
			t.Errorf("/%s usage = %q, want %q", name, got, want)
		}
	}
}
