package discord

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
)

// Payloads shaped like Discord's documentation
// (interactions/receiving-and-responding#interaction-object).

const manageGuild = "32" // 1<<5

func inGuild(perms string) string {
	return fmt.Sprintf(`"guild_id":"G1","channel_id":"C1","member":{"user":{"id":"U1","username":"ana","global_name":"Ana","discriminator":"0"},"nick":"Ana B","roles":[],"permissions":%q,"joined_at":"2024-01-01T00:00:00.000000+00:00","deaf":false,"mute":false}`, perms)
}

const inDM = `"channel_id":"D9","user":{"id":"U1","username":"ana","global_name":"Ana","discriminator":"0"}`

func interaction(id string, typ discordgo.InteractionType, where, data, extra string) string {
	if extra != "" {
		extra = "," + extra
	}
	return fmt.Sprintf(`{"id":%q,"application_id":"APP","type":%d,"token":"tok-%s","version":1,%s,"data":%s%s}`, id, typ, id, where, data, extra)
}

func hire(sub, options string) string {
	return fmt.Sprintf(`{"id":"CMD1","name":"hire","type":1,"options":[{"name":%q,"type":1,"options":[%s]}]}`, sub, options)
}

const buttonMessage = `"message":{"id":"M9","channel_id":"C1","type":0,"content":"Publish this job?","author":{"id":"APP","username":"hirebot","bot":true},"timestamp":"2024-01-01T00:00:00.000000+00:00","embeds":[],"components":[{"type":1,"components":[{"type":2,"style":1,"label":"Publish","custom_id":"yes"},{"type":2,"style":2,"label":"Edit","custom_id":"edit"}]},{"type":1,"components":[{"type":3,"custom_id":"hirebot:select:0","options":[{"label":"Go","value":"go"},{"label":"Rust","value":"rust"}]}]}]}`

func decodeInteraction(t *testing.T, raw string) *discordgo.Interaction {
	t.Helper()
	var i discordgo.Interaction
	if err := json.Unmarshal([]byte(raw), &i); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return &i
}

func TestInteractionEvent(t *testing.T) {
	guild := bot.Recipient{Platform: bot.Discord, Workspace: "G1", ChatID: "C1"}
	guildUser := bot.Identity{Platform: bot.Discord, UserID: "U1"}
	tests := []struct {
		name string
		raw  string
		want bot.Event
	}{
		{
			name: "matches in a server, number option as float64",
			raw:  interaction("I1", discordgo.InteractionApplicationCommand, inGuild("0"), hire("matches", `{"name":"job","type":4,"value":7}`), ""),
			want: bot.Event{ID: "I1", Kind: bot.KindCommand, From: guildUser, Name: "Ana B", Chat: guild, Community: "G1", Forms: true, Command: "matches", Text: "7"},
		},
		{
			name: "apply with a note, options in command order",
			raw: interaction("I7", discordgo.InteractionApplicationCommand, inGuild("0"),
				hire("apply", `{"name":"note","type":3,"value":"I built three"},{"name":"job","type":4,"value":3}`), ""),
			want: bot.Event{ID: "I7", Kind: bot.KindCommand, From: guildUser, Name: "Ana B", Chat: guild, Community: "G1", Forms: true, Command: "apply", Text: "3 I built three"},
		},
		{
			name: "invite a person to a job",
			raw: interaction("I8", discordgo.InteractionApplicationCommand, inGuild("0"),
				hire("invite", `{"name":"job","type":4,"value":1},{"name":"person","type":4,"value":12}`), ""),
			want: bot.Event{ID: "I8", Kind: bot.KindCommand, From: guildUser, Name: "Ana B", Chat: guild, Community: "G1", Forms: true, Command: "invite", Text: "12 1"},
		},
		{
			name: "close with a large job number",
			raw:  interaction("I2", discordgo.InteractionApplicationCommand, inGuild("0"), hire("close", `{"name":"job","type":4,"value":12345678}`), ""),
			want: bot.Event{ID: "I2", Kind: bot.KindCommand, From: guildUser, Name: "Ana B", Chat: guild, Community: "G1", Forms: true, Command: "close", Text: "12345678"},
		},
		{
			name: "search in a DM, options in command order, skill with a space quoted",
			raw: interaction("I3", discordgo.InteractionApplicationCommand, inDM,
				hire("search", `{"name":"skill","type":3,"value":"machine learning"},{"name":"query","type":3,"value":" python  remote "}`), ""),
			want: bot.Event{
				ID: "I3", Kind: bot.KindCommand, Name: "Ana", Private: true, Forms: true,
				From:    bot.Identity{Platform: bot.Discord, UserID: "U1"},
				Chat:    bot.Recipient{Platform: bot.Discord, ChatID: "D9"},
				Command: "search", Text: `python  remote "machine learning"`,
			},
		},
		{
			name: "post without options",
			raw:  interaction("I4", discordgo.InteractionApplicationCommand, inGuild("0"), hire("post", ""), ""),
			want: bot.Event{ID: "I4", Kind: bot.KindCommand, From: guildUser, Name: "Ana B", Chat: guild, Community: "G1", Forms: true, Command: "post"},
		},
		{
			name: "setup as key=value pairs",
			raw: interaction("I5", discordgo.InteractionApplicationCommand, inGuild(manageGuild),
				hire("setup", `{"name":"min_age","type":4,"value":30},{"name":"channel","type":7,"value":"C2"},{"name":"cooldown","type":4,"value":10}`), ""),
			want: bot.Event{ID: "I5", Kind: bot.KindCommand, From: guildUser, Name: "Ana B", Chat: guild, Community: "G1", Forms: true, Command: "setup", Text: "channel=C2 cooldown=10 min_age=30", Moderator: true, Manager: true},
		},
		{
			name: "button press",
			raw:  interaction("I6", discordgo.InteractionMessageComponent, inGuild("0"), `{"custom_id":"/apply 7","component_type":2}`, buttonMessage),
			want: bot.Event{ID: "I6", Kind: bot.KindButton, From: guildUser, Name: "Ana B", Chat: guild, Community: "G1", Forms: true, Text: "/apply 7"},
		},
		{
			name: "select menu pick",
			raw:  interaction("I7", discordgo.InteractionMessageComponent, inDM, `{"custom_id":"hirebot:select:0","component_type":3,"values":["rust"]}`, buttonMessage),
			want: bot.Event{
				ID: "I7", Kind: bot.KindButton, Name: "Ana", Private: true, Forms: true, Text: "rust",
				From: bot.Identity{Platform: bot.Discord, UserID: "U1"}, Chat: bot.Recipient{Platform: bot.Discord, ChatID: "D9"},
			},
		},
		{
			name: "modal submit",
			raw: interaction("I8", discordgo.InteractionModalSubmit, inGuild("0"),
				`{"custom_id":"post","components":[{"type":1,"components":[{"type":4,"custom_id":"title","value":"Fix my *site*"}]},{"type":1,"components":[{"type":4,"custom_id":"budget","value":""}]}]}`, ""),
			want: bot.Event{
				ID: "I8", Kind: bot.KindForm, From: guildUser, Name: "Ana B", Chat: guild, Community: "G1", Forms: false,
				Command: "post", Form: map[string]string{"title": "Fix my *site*", "budget": ""},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := interactionEvent(decodeInteraction(t, tt.raw))
			if !ok {
				t.Fatal("not translated")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInteractionEventIgnores(t *testing.T) {
	for name, raw := range map[string]string{
		"ping":         `{"id":"I0","application_id":"APP","type":1,"token":"t","version":1}`,
		"autocomplete": interaction("I9", discordgo.InteractionApplicationCommandAutocomplete, inGuild("0"), hire("search", `{"name":"skill","type":3,"value":"ru","focused":true}`), ""),
		"no user":      interaction("I10", discordgo.InteractionApplicationCommand, `"guild_id":"G1","channel_id":"C1"`, hire("help", ""), ""),
	} {
		t.Run(name, func(t *testing.T) {
			if ev, ok := interactionEvent(decodeInteraction(t, raw)); ok {
				t.Errorf("translated to %+v", ev)
			}
		})
	}
}

func TestPressedLabel(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"button", `{"custom_id":"yes","component_type":2}`, "Publish"},
		{"select option", `{"custom_id":"hirebot:select:0","component_type":3,"values":["rust"]}`, "Rust"},
		{"unknown button", `{"custom_id":"gone","component_type":2}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := decodeInteraction(t, interaction("I", discordgo.InteractionMessageComponent, inDM, tt.data, buttonMessage))
			if got := pressedLabel(i); got != tt.want {
				t.Errorf("label = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMessageEvent(t *testing.T) {
	msg := func(guild, author, content string, mentions ...string) *discordgo.Message {
		m := &discordgo.Message{ID: "M1", ChannelID: "C1", GuildID: guild, Content: content,
			Author: &discordgo.User{ID: author, Username: "ana"}}
		for _, id := range mentions {
			m.Mentions = append(m.Mentions, &discordgo.User{ID: id})
		}
		return m
	}
	otherBot := msg("G1", "B2", "<@BOT> hi", "BOT")
	otherBot.Author.Bot = true
	webhook := msg("", "W1", "hi")
	webhook.WebhookID = "W1"
	join := msg("G1", "U1", "<@BOT>", "BOT")
	join.Type = discordgo.MessageTypeGuildMemberJoin

	tests := []struct {
		name string
		m    *discordgo.Message
		ok   bool
		want bot.Event
	}{
		{"DM", msg("", "U1", "  I build **React** apps\nand Go  "), true, bot.Event{
			ID: "M1", Kind: bot.KindMessage, Name: "ana", Private: true, Text: "I build **React** apps\nand Go",
			From: bot.Identity{Platform: bot.Discord, UserID: "U1"}, Chat: bot.Recipient{Platform: bot.Discord, ChatID: "C1"},
		}},
		{"mention in a server", msg("G1", "U1", "<@BOT> find me a designer", "BOT"), true, bot.Event{
			ID: "M1", Kind: bot.KindMessage, Name: "ana", Text: "find me a designer",
			From: bot.Identity{Platform: bot.Discord, UserID: "U1"},
			Chat: bot.Recipient{Platform: bot.Discord, Workspace: "G1", ChatID: "C1"}, Community: "G1",
		}},
		{"nickname mention", msg("G1", "U1", "hey <@!BOT> help", "BOT"), true, bot.Event{
			ID: "M1", Kind: bot.KindMessage, Name: "ana", Text: "hey  help",
			From: bot.Identity{Platform: bot.Discord, UserID: "U1"},
			Chat: bot.Recipient{Platform: bot.Discord, Workspace: "G1", ChatID: "C1"}, Community: "G1",
		}},
		{"server message without mention", msg("G1", "U1", "hello all"), false, bot.Event{}},
		{"mention of someone else", msg("G1", "U1", "<@U2> hi", "U2"), false, bot.Event{}},
		{"the bot itself", msg("", "BOT", "hi"), false, bot.Event{}},
		{"another bot", otherBot, false, bot.Event{}},
		{"a webhook", webhook, false, bot.Event{}},
		{"a system message", join, false, bot.Event{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := messageEvent(tt.m, "BOT")
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tt.ok, got)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCommands(t *testing.T) {
	cmds := Commands()
	if len(cmds) != 1 || cmds[0].Name != "hire" {
		t.Fatalf("commands = %v, want one /hire", cmds)
	}
	// /hire carries exactly the menu commands of the table, each argument
	// an option of the same name, kind and need.
	menu := bot.MenuCommands()
	if len(menu) > 25 || len(cmds[0].Options) != len(menu) {
		t.Fatalf("%d subcommands for %d menu commands (Discord allows at most 25)", len(cmds[0].Options), len(menu))
	}
	kinds := map[bot.ArgKind]discordgo.ApplicationCommandOptionType{bot.ArgText: discordgo.ApplicationCommandOptionString,
		bot.ArgNumber: discordgo.ApplicationCommandOptionInteger, bot.ArgChannel: discordgo.ApplicationCommandOptionChannel}
	subs := map[string]*discordgo.ApplicationCommandOption{}
	for i, o := range cmds[0].Options {
		c := menu[i]
		if o.Type != discordgo.ApplicationCommandOptionSubCommand || o.Name != c.Name || o.Description != c.Summary {
			t.Errorf("subcommand %d is %s %q, want the subcommand %s %q", i, o.Name, o.Description, c.Name, c.Summary)
		}
		subs[o.Name] = o
		if len(o.Options) != len(c.Args) {
			t.Errorf("%s: %d options for %d arguments", o.Name, len(o.Options), len(c.Args))
			continue
		}
		for j, a := range c.Args {
			opt := o.Options[j]
			if opt.Name != a.Name || opt.Type != kinds[a.Kind] || opt.Required != a.Required || len(opt.Choices) != len(a.Choices) {
				t.Errorf("%s: option %s does not match the argument %+v", o.Name, opt.Name, a)
			}
			if opt.Description == "" || len(opt.Description) > 100 {
				t.Errorf("%s %s: Discord needs a description of 1-100 characters, not %q", o.Name, opt.Name, opt.Description)
			}
		}
	}
	if o := subs["search"].Options; len(o) != 2 || o[0].Name != "query" || o[1].Name != "skill" || !o[1].Autocomplete {
		t.Errorf("search options: want query and an autocompleted skill")
	}
	for _, name := range []string{"matches", "close"} {
		if o := subs[name].Options; len(o) != 1 || o[0].Type != discordgo.ApplicationCommandOptionInteger || !o[0].Required {
			t.Errorf("%s: want one required integer job option", name)
		}
	}
	setup := subs["setup"].Options
	if len(setup) != 4 || setup[0].Type != discordgo.ApplicationCommandOptionChannel || !setup[0].Required ||
		setup[1].Type != discordgo.ApplicationCommandOptionChannel || setup[1].Required {
		t.Errorf("setup options: want a required gig channel and an optional moderator channel first")
	}
	// Required options must precede optional ones, or Discord refuses them.
	for _, s := range subs {
		optional := false
		for _, o := range s.Options {
			if o.Required && optional {
				t.Errorf("%s: required %s after an optional option", s.Name, o.Name)
			}
			optional = optional || !o.Required
		}
	}
}

func TestManager(t *testing.T) {
	tests := []struct {
		name  string
		perms int64
		want  bool
	}{
		{"none", 0, false},
		{"send messages only", discordgo.PermissionSendMessages, false},
		{"manage messages", discordgo.PermissionManageMessages, false},
		{"manage server", discordgo.PermissionManageGuild, true},
		{"administrator", discordgo.PermissionAdministrator, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := manager(&discordgo.Member{Permissions: tt.perms}); got != tt.want {
				t.Errorf("manager = %v, want %v", got, tt.want)
			}
		})
	}
	if manager(nil) {
		t.Error("a manager without a member (a DM)")
	}
}

func TestModalSubmitWithLabels(t *testing.T) {
	raw := interaction("L18", discordgo.InteractionModalSubmit, inGuild("0"),
		`{"custom_id":"post","components":[{"type":18,"id":1,"component":{"type":4,"id":2,"custom_id":"title","value":"Fix the checkout"}},`+
			`{"type":1,"components":[{"type":4,"custom_id":"budget","value":"$500"}]}]}`, "")
	i, err := parseInteraction([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	ev, ok := interactionEvent(i)
	if want := map[string]string{"title": "Fix the checkout", "budget": "$500"}; !ok || !cmp.Equal(ev.Form, want) {
		t.Errorf("form %v, want %v", ev.Form, want)
	}
	if _, err := parseInteraction([]byte(`{"type":5,"data":{"components":[{"type":99}]}}`)); err == nil {
		t.Error("an unknown component other than a Label decoded")
	}
}
