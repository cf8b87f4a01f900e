package hire_test

import (
	"testing"

	"github.com/hirebot/hirebot/bot"
)

func TestEventAnswers(t *testing.T) {
	in := func(chat string, private bool) bot.Event {
		return bot.Event{
			From:    bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: "U1"},
			Chat:    bot.Recipient{Platform: bot.Slack, Workspace: "T1", ChatID: chat, UserID: "U1"},
			Private: private,
		}
	}
	home := bot.Event{From: bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: "U1"},
		Chat: bot.Recipient{Platform: bot.Slack, Workspace: "T1", UserID: "U1"}, Private: true}
	to := func(ws, ch, user string) bot.Reply {
		return bot.Reply{To: bot.Recipient{Platform: bot.Slack, Workspace: ws, ChatID: ch, UserID: user}}
	}
	discordGuild := bot.Event{From: bot.Identity{Platform: bot.Discord, UserID: "1"},
		Chat: bot.Recipient{Platform: bot.Discord, Workspace: "G1", ChatID: "C1"}}
	tests := []struct {
		name string
		ev   bot.Event
		r    bot.Reply
		want bool
	}{
		{"no address", in("C1", false), bot.Reply{}, true},
		{"the event's chat, as Handle fills it", in("C1", false), to("T1", "C1", "U1"), true},
		{"the same chat, without the person", in("C1", false), to("T1", "C1", ""), true},
		{"the same chat, no workspace named", discordGuild, bot.Reply{To: bot.Recipient{Platform: bot.Discord, ChatID: "C1"}}, true},
		{"another channel", in("C1", false), to("T1", "C2", ""), false},
		{"another workspace", in("C1", false), to("T2", "C1", ""), false},
		{"another platform", in("C1", false), bot.Reply{To: bot.Recipient{Platform: bot.Telegram, ChatID: "C1"}}, false},
		{"the person, from a channel: their DM", in("C1", false), to("T1", "", "U1"), false},
		{"the person, in their DM", in("D1", true), to("T1", "", "U1"), true},
		{"the person, on the Home tab", home, to("T1", "", "U1"), true},
		{"someone else, from a DM", in("D1", true), to("T1", "", "U2"), false},
		{"the person, from a Discord server: their DM", discordGuild, bot.Reply{To: bot.Recipient{Platform: bot.Discord, Workspace: "G1", UserID: "1"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.ev.Answers(tt.r); got != tt.want {
				t.Errorf("Answers = %v, want %v", got, tt.want)
			}
		})
	}
}
