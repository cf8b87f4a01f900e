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
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(c.Section) + `:.* /` + c.Name + `( |$)`).MatchString(bot.HelpText) {
			t.Errorf("/help does not name /%s under %q", c.Name, c.Section)
		}
		line := "\n  /" + c.Name
		if u := c.Usage(); u != "" {
			line += " " + u
		}
		if section, ok := bot.Help(topics[c.Section]); !ok || !strings.Contains(section, line+" — ") {
			t.Errorf("/help %s lacks the line %q", topics[c.Section], line)
		}
		if one, ok := bot.Help(c.Name); !ok || !strings.HasPrefix(one, strings.TrimPrefix(line, "\n  ")+" — ") {
			t.Errorf("/help %s = %q, %v; want its line", c.Name, one, ok)
		}
		if got, ok := bot.LookupCommand(c.Name); !ok || got.Name != c.Name {
			t.Errorf("LookupCommand(%q) = %q, %v", c.Name, got.Name, ok)
		}
	}
	if got := bot.Commands()[0].Usage(); got != cmds[0].Usage() {
		t.Errorf("Commands returned a table that changed: %q", got)
	}
	search, _ := bot.Help("search")
	for _, filter := range []string{"skill:", "rate<", "rate>", "tz:", "type:", "page:", "available", "remote", `"exact phrase"`} {
		if !strings.Contains(search, filter) {
			t.Errorf("/help does not mention the search filter %s", filter)
		}
		if filter != `"exact phrase"` && !strings.Contains(match.SearchHelp, filter) {
			t.Errorf("the search help does not mention %s", filter)
		}
	}
}

// topics are the /help topics of the sections.
var topics = map[string]string{
	bot.SectionFreelancers: "freelancers", bot.SectionEmployers: "employers", bot.SectionAfter: "after",
	bot.SectionCommunities: "communities", bot.SectionAnytime: "dialogs",
}

// /help fits one message on every platform (Telegram's 4096 characters is
// the least), and so does the help on each topic; it names every topic,
// and a topic it does not know gets /help.
func TestHelpTopics(t *testing.T) {
	if n := len(bot.HelpText); n > 1500 {
		t.Errorf("/help is %d characters, want a screenful (at most 1500):\n%s", n, bot.HelpText)
	}
	for _, topic := range topics {
		text, ok := bot.Help(topic)
		if !ok || len(text) > 3500 {
			t.Errorf("/help %s: %d characters, %v", topic, len(text), ok)
		}
		if !strings.Contains(bot.HelpText, "/help "+topic) {
			t.Errorf("/help does not name the topic %s", topic)
		}
	}
	for _, topic := range []string{"Freelancer", "/apply", " employers "} {
		if _, ok := bot.Help(topic); !ok {
			t.Errorf("/help %q: no help", topic)
		}
	}
	h := newHarness(t)
	mustContain(t, h.say("top", "/help nonsense"), "I have no help on “nonsense”.", "Here is what I can do:")
	mustContain(t, h.say("top", "/help apply"), "/apply <job> [note] — apply to an open job")
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
