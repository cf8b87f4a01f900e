package hire_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hirebot/hirebot/bot"
)

// Plain sentences outside a dialog start what they ask for.
func TestIntentsOutsideADialog(t *testing.T) {
	h := newHiringHarness(t)
	h.script(annT, append(annProfile, "Publish")...)

	mustContain(t, h.as(bobT, "find me a go developer"), "Ann Smith", "[Invite Ann Smith=/invite 1]")
	mustContain(t, h.as(bobT, "react, node"), "Nobody matches that yet")

	got := h.as(bobT, "I'm hiring a react developer")
	mustContain(t, got, "Let's describe the job", "Noted: the job needs React.", "Job title?")
	h.as(bobT, "Build a sales dashboard")
	mustContain(t, h.as(bobT, "A dashboard of our monthly sales, with charts."), "What is the budget?")
	mustNotContain(t, got, "Which skills are required?")
	mustContain(t, h.script(bobT, "$500", "in 2 weeks", "none", "none", "remote", "none"), "Skills: React")
	mustContain(t, h.as(bobT, "Post"), "posted")

	for _, tt := range []struct{ say, want string }{
		{"profile", "Let's build your profile"},
		{"build my profile", "Let's build your profile"},
		{"I'm a freelancer", "Let's build your profile"},
		{"I want to create my freelancer profile", "Let's build your profile"},
		{"post a job", "Job title?"},
		{"help", "Here is what I can do"},
		{"What can you do?", "Here is what I can do"},
		{"any gigs for me?", "You have no jobs and no profile yet."},
		{"find someone", "Whom should I look for?"},
	} {
		mustContain(t, h.as(zedT, tt.say), tt.want)
		h.as(zedT, "/cancel")
	}
	mustContain(t, h.as(annT, "my profile"), "Your profile (published):")
}

// The greeting offers the main actions as buttons; a sentence it does not
// understand gets them too, said as such.
func TestGreetingHasButtons(t *testing.T) {
	h := newHiringHarness(t)
	mustContain(t, h.as(zedT, "hello"), "Hi! I'm hirebot", "[Build my profile=/profile]", "[Post a job=/post]",
		"[Find freelancers=/search]", "[Jobs for me=/jobs]", "[Help=/help]")
	mustContain(t, h.as(zedT, "the weather is nice"), "I'm not sure what you mean.", "[Post a job=/post]")
	h.script(annT, append(annProfile, "Publish")...)
	got := h.as(annT, "hi")
	mustContain(t, got, "[My profile=/profile]")
	mustNotContain(t, got, "Build my profile")
}

// A command is written the way its platform's adapter types it: /hire
// profile where the platform has one slash command (Slack, Discord),
// /profile where it has none (Telegram, the terminal, the web chat); button
// values are never rewritten.
func TestCommandHintsPerPlatform(t *testing.T) {
	h := newHiringHarness(t)
	h.bot.Register(&fakeAdapter{platform: bot.Slack, command: "/hire"})
	h.bot.Register(&fakeAdapter{platform: bot.Discord, command: "/hire"})
	for _, tt := range []struct {
		platform string
		want     []string
		unwanted []string
	}{
		{bot.Slack, []string{"Say /hire help for everything.", "[Post a job=/post]"}, []string{"Say /help"}},
		{bot.Discord, []string{"Say /hire help for everything."}, []string{"Say /help"}},
		{bot.Telegram, []string{"Say /help for everything."}, []string{"/hire"}},
		{bot.Console, []string{"Say /help for everything."}, []string{"/hire"}},
		{bot.Web, []string{"Say /help for everything."}, []string{"/hire"}},
	} {
		t.Run(tt.platform, func(t *testing.T) {
			id := bot.Identity{Platform: tt.platform, Workspace: "W1", UserID: "u-" + tt.platform}
			got := h.as(id, "hello")
			mustContain(t, got, tt.want...)
			mustNotContain(t, got, tt.unwanted...)
		})
	}
	slack := bot.Identity{Platform: bot.Slack, Workspace: "W1", UserID: "u-slack"}
	mustContain(t, h.as(slack, "help"), "For freelancers: /hire profile /hire edit", "/hire help freelancers")
	mustContain(t, h.as(slack, "/help freelancers"), "/hire profile — build your profile")
	mustContain(t, h.as(slack, "/help dialogs"), "/hire back — go back")
	mustContain(t, h.as(slack, "/help search"), "/hire search [query] [skill]", "rate<50eur")
	mustContain(t, h.as(slack, "/edit"), "You have no profile yet. Say /hire profile to build one.")
}

// Replies delivered to another platform are written for it: the relay's
// "/end" reads "/hire end" on Slack and "/end" on Telegram.
func TestCommandHintsDeliveredElsewhere(t *testing.T) {
	h := newCrossPlatform(t)
	h.as(empS, "/invite 1 1")
	h.telegram.take(flTG.UserID)
	h.as(flTG, "/accept 1")
	mustContain(t, h.slack.take(empS.UserID), "until either of you says /hire end", "Say /hire share followed by")
	got := h.telegram.take(flTG.UserID)
	mustContain(t, got, "until either of you says /end")
	mustNotContain(t, got, "/hire")
}

// An adapter whose slash command carries only some commands says how each
// is typed; the others stay "/name", typed as text.
type typingAdapter struct {
	*fakeAdapter
	carries map[string]bool
}

func (a typingAdapter) TypedCommand(name string) string {
	if a.carries[name] {
		return "/hire " + name
	}
	return "/" + name
}

func TestCommandHintsAsTheAdapterTypesThem(t *testing.T) {
	h := newHiringHarness(t)
	h.bot.Register(typingAdapter{&fakeAdapter{platform: bot.Discord}, map[string]bool{"profile": true, "help": true}})
	d1 := bot.Identity{Platform: bot.Discord, UserID: "d1"}
	got := h.as(d1, "help")
	mustContain(t, got, "/hire profile /edit", "After an acceptance: /end /to", "/hire help /cancel /back", "/hire help freelancers")
	mustNotContain(t, got, "/hire end", "/hire back")
	mustContain(t, h.as(d1, "/help freelancers"), "/hire profile — build your profile")
	mustContain(t, h.as(d1, "/help after"), "/end [conversation] — stop passing")
	mustContain(t, h.as(d1, "/help dialogs"), "/back — go back", "/hire help [topic] — what")
}

func TestWriteCommands(t *testing.T) {
	slack := func(name string) string { return "/hire " + name } // as Slack's adapter types every command
	for _, tt := range []struct{ in, slack string }{
		{"Say /profile.", "Say /hire profile."},
		{"/post to post a job", "/hire post to post a job"},
		{"(/back, /skip)", "(/hire back, /hire skip)"},
		{"“/apply 7”", "“/hire apply 7”"},
		{"45 EUR/hour", "45 EUR/hour"},
		{"https://example.com/profile", "https://example.com/profile"},
		{"and/or /unknown /hire", "and/or /unknown /hire"},
		{"/Profile", "/Profile"},
	} {
		r := bot.Reply{Text: tt.in, Cards: []bot.Card{{Fields: []bot.Field{{Label: "Next", Value: tt.in}}}},
			Buttons: []bot.Button{{Label: "Go", Value: "/profile"}}}
		want := bot.Reply{Text: tt.slack, Cards: []bot.Card{{Fields: []bot.Field{{Label: "Next", Value: tt.slack}}}},
			Buttons: []bot.Button{{Label: "Go", Value: "/profile"}}}
		if diff := cmp.Diff(want, bot.WriteCommands(r, slack)); diff != "" {
			t.Errorf("WriteCommands(%q) for Slack (-want +got):\n%s", tt.in, diff)
		}
		if r.Cards[0].Fields[0].Value != tt.in {
			t.Errorf("WriteCommands changed the card it was given: %q", r.Cards[0].Fields[0].Value)
		}
		telegram := func(name string) string { return "/" + name }
		if diff := cmp.Diff(r, bot.WriteCommands(r, telegram)); diff != "" {
			t.Errorf("WriteCommands(%q) for Telegram (-want +got):\n%s", tt.in, diff)
		}
	}
}
