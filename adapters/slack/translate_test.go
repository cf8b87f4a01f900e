package slack

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/slack-go/slack"

	"github.com/hirebot/hirebot/bot"
)

func TestFromEvents(t *testing.T) {
	const team = "T061EG9R6"
	chat := func(ch, user string) bot.Recipient {
		return bot.Recipient{Platform: bot.Slack, Workspace: team, ChatID: ch, UserID: user}
	}
	tests := []struct {
		name  string
		inner string
		want  *bot.Event // nil: ignored
		home  bool
	}{
		{"message.im", messageIMJSON, &bot.Event{
			ID: "Ev1", Kind: bot.KindMessage, Private: true,
			From: bot.Identity{Platform: bot.Slack, Workspace: team, UserID: "U2147483697"},
			Chat: chat("D024BE91L", "U2147483697"), Text: "Hello hello can you hear me?",
		}, false},
		{"app_mention strips the mention", appMentionJSON, &bot.Event{
			ID: "Ev1", Kind: bot.KindMessage,
			From: bot.Identity{Platform: bot.Slack, Workspace: team, UserID: "U061F7AUR"},
			Chat: chat("C0LAN2Q65", "U061F7AUR"), Text: "search go developers",
		}, false},
		{"app_home_opened home tab", appHomeOpenedJSON, &bot.Event{
			ID: "Ev1", Kind: bot.KindCommand, Command: "home", Private: true,
			From: bot.Identity{Platform: bot.Slack, Workspace: team, UserID: "U061F7AUR"},
			Chat: bot.Recipient{Platform: bot.Slack, Workspace: team, UserID: "U061F7AUR"},
		}, true},
		{"messages tab ignored", appMessagesTabJSON, nil, false},
		{"bot_message ignored", botMessageIMJSON, nil, false},
		{"own message ignored", ownMessageIMJSON, nil, false},
		{"edit ignored", editedMessageIMJSON, nil, false},
		{"channel message ignored", channelMessageJSON, nil, false},
		{"mention in a DM left to message.im", appMentionInDMJSON, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cb, err := decodeEvents([]byte(eventCallback(team, "Ev1", tt.inner)))
			if err != nil {
				t.Fatal(err)
			}
			got, o, ok := fromEvents(cb)
			if tt.want == nil {
				if ok {
					t.Fatalf("want ignored, got %+v", got)
				}
				return
			}
			if !ok {
				t.Fatal("event ignored")
			}
			if diff := cmp.Diff(*tt.want, got); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
			if o.team != team || o.home != tt.home {
				t.Errorf("origin %+v", o)
			}
		})
	}
}

func TestStripMention(t *testing.T) {
	tests := []struct{ name, text, bot, want string }{
		{"leading", "<@U0BOT> post", "U0BOT", "post"},
		{"inside", "hey <@U0BOT> post a job", "U0BOT", "hey post a job"},
		{"with label", "<@U0BOT|hirebot> help", "U0BOT", "help"},
		{"other users kept", "<@U0BOT> invite <@U123>", "U0BOT", "invite <@U123>"},
		{"unknown bot: leading only", "<@U9> profile <@U123>", "", "profile <@U123>"},
		{"no mention", "just text", "U0BOT", "just text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stripMention(tt.text, tt.bot); got != tt.want {
				t.Errorf("stripMention(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestFromSlashCommand(t *testing.T) {
	tests := []struct{ name, text, verb, rest, line string }{
		{"no verb is help", "", "help", "", "/help"},
		{"blank is help", "   ", "help", "", "/help"},
		{"verb", "post", "post", "", "/post"},
		{"verb and rest", "search  go remote  <$50/h", "search", "go remote  <$50/h", "/search go remote  <$50/h"},
		{"upper case", "PROFILE", "profile", "", "/profile"},
		{"slash kept out", "/jobs", "jobs", "", "/jobs"},
		{"unknown verb passed on", "dance now", "dance", "now", "/dance now"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := slashCommand(tt.text, "https://hooks.slack.com/commands/1234/5678")
			req, _ := http.NewRequest(http.MethodPost, "/", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			cmd, err := slack.SlashCommandParse(req)
			if err != nil {
				t.Fatal(err)
			}
			ev, o := fromSlashCommand(cmd)
			want := bot.Event{
				ID: "13345224609.738474920.8088930838d88f008e0", Kind: bot.KindCommand,
				From:  bot.Identity{Platform: bot.Slack, Workspace: "T0001", UserID: "U2147483697"},
				Name:  "Steve",
				Chat:  bot.Recipient{Platform: bot.Slack, Workspace: "T0001", ChatID: "C2147483705", UserID: "U2147483697"},
				Forms: true, Command: tt.verb, Text: tt.rest,
			}
			if diff := cmp.Diff(want, ev); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
			if o.responseURL != "https://hooks.slack.com/commands/1234/5678" || o.command != tt.line {
				t.Errorf("origin %+v", o)
			}
		})
	}
}

func parseInteraction(t *testing.T, payload string) slack.InteractionCallback {
	t.Helper()
	ic, err := parseInteractionPayload([]byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	return ic
}

func TestFromInteraction(t *testing.T) {
	button := bot.Event{
		ID: "12321423423.333649436676.d8c1bb837935619ccad0f624c448ffb3", Kind: bot.KindButton,
		From:  bot.Identity{Platform: bot.Slack, Workspace: "T9TK3CUKW", UserID: "UA8RXUSPL"},
		Name:  "jtorrance",
		Chat:  bot.Recipient{Platform: bot.Slack, Workspace: "T9TK3CUKW", ChatID: "CBR2V3XEX", UserID: "UA8RXUSPL"},
		Forms: true, Text: "/apply 7",
	}
	form := bot.Event{
		ID: "12466734323.1395872398", Kind: bot.KindForm, Command: "post",
		From:    bot.Identity{Platform: bot.Slack, Workspace: "T0MJRM1A7", UserID: "U0MJRG1AL"},
		Name:    "kaitlyn",
		Chat:    bot.Recipient{Platform: bot.Slack, Workspace: "T0MJRM1A7", ChatID: "C42", UserID: "U0MJRG1AL"},
		Forms:   true,
		Form:    map[string]string{"title": "Logo design", "budget": "$300"},
		Private: false,
	}
	tests := []struct {
		name    string
		payload string
		want    bot.Event
		label   string
	}{
		{"block action", blockActions("https://hooks.slack.com/actions/1", "hirebot_actions", "/apply 7", "Apply"), button, "Apply"},
		{"action without block_id", blockActions("https://hooks.slack.com/actions/1", "", "/apply 7", "Apply"), button, "Apply"},
		{"view submission", viewSubmission(map[string]string{"title": "Logo design", "budget": " $300 "}, `{"c":"C42","r":"https://hooks.slack.com/commands/9"}`), form, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, o, ok := fromInteraction(parseInteraction(t, tt.payload))
			if !ok {
				t.Fatal("interaction ignored")
			}
			if diff := cmp.Diff(tt.want, ev); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
			if tt.want.Kind == bot.KindButton {
				if o.pressed == nil || o.pressed.label != tt.label || o.pressed.ts != "1548261231.000200" || len(o.pressed.blocks) != 2 {
					t.Errorf("pressed %+v", o.pressed)
				}
			} else if o.responseURL != "https://hooks.slack.com/commands/9" || !o.submission {
				t.Errorf("origin %+v", o)
			}
		})
	}
}

func TestFromInteractionIgnores(t *testing.T) {
	closed := `{"type":"view_closed","team":{"id":"T1"},"user":{"id":"U1"},"view":{"id":"V1","callback_id":"post"}}`
	if _, _, ok := fromInteraction(parseInteraction(t, closed)); ok {
		t.Error("view_closed should be ignored")
	}
}
