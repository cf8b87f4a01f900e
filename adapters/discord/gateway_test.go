package discord

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/hirebot/hirebot/bot"
)

func gatewayFrame(event, data string) string {
	return fmt.Sprintf(`{"op":0,"s":0,"t":%q,"d":%s}`, event, data)
}

func messageCreate(id, guild, author string, isBot bool, content, mentions string) string {
	g := ""
	if guild != "" {
		g = fmt.Sprintf(`"guild_id":%q,"member":{"nick":"Ana B","roles":[]},`, guild)
	}
	return gatewayFrame("MESSAGE_CREATE", fmt.Sprintf(
		`{"id":%q,"channel_id":"C1",%s"type":0,"content":%q,"author":{"id":%q,"username":"ana","bot":%v},"mentions":[%s],"timestamp":"2024-01-01T00:00:00.000000+00:00"}`,
		id, g, content, author, isBot, mentions))
}

func TestGateway(t *testing.T) {
	f := newFakeDiscord(t)
	h := newFakeHandler(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		switch ev.Kind {
		case bot.KindMessage:
			return []bot.Reply{{Text: "You said: " + ev.Text}}, nil
		case bot.KindCommand:
			return []bot.Reply{{Text: "3 freelancers match job " + ev.Text, Private: true}}, nil
		}
		return nil, nil
	})
	a, _ := testAdapter(t, f, h, nil)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runErr := make(chan error, 1)
	go func() { runErr <- a.Run(ctx) }()

	if r := f.next(t); r.Method != "GET" || r.Path != "/api/v9/gateway/bot" {
		t.Fatalf("gateway discovery: %s %s, want GET /api/v9/gateway/bot", r.Method, r.Path)
	}
	var ident map[string]any
	select {
	case ident = <-f.gw.identify:
	case <-time.After(10 * time.Second): // hang guard
		t.Fatal("no IDENTIFY")
	}
	intents := discordgo.Intent(ident["intents"].(float64))
	privileged := discordgo.IntentsGuildMembers | discordgo.IntentsGuildPresences | discordgo.IntentsMessageContent
	if intents&privileged != 0 {
		t.Errorf("intents %b ask for privileged ones", intents)
	}
	if want := discordgo.IntentsGuilds | discordgo.IntentsDirectMessages | discordgo.IntentsGuildMessages; intents != want {
		t.Errorf("intents %b, want %b", intents, want)
	}
	if ident["token"] != "Bot tok" {
		t.Errorf("identify token %v", ident["token"])
	}
	<-f.gw.heartbeat // the heartbeat was acknowledged

	botMention := `{"id":"BOT","username":"hirebot","bot":true}`
	f.gw.send(t, messageCreate("M1", "", "BOT", true, "my own message", ""))
	f.gw.send(t, messageCreate("M2", "G1", "B2", true, "<@BOT> from another bot", botMention))
	f.gw.send(t, messageCreate("M3", "G1", "U1", false, "chatting, no mention", ""))
	f.gw.send(t, messageCreate("M4", "G1", "U1", false, "<@BOT> **hire** me @everyone", botMention))

	ev := h.next(t)
	if ev.ID != "M4" || ev.Kind != bot.KindMessage || ev.Text != "**hire** me @everyone" || ev.Private ||
		ev.From != (bot.Identity{Platform: bot.Discord, UserID: "U1"}) || ev.Name != "Ana B" {
		t.Errorf("first event reaching the bot: %+v", ev)
	}
	r := f.next(t)
	if r.Method+" "+r.Path != "POST /api/v9/channels/C1/messages" {
		t.Fatalf("reply went to %s %s", r.Method, r.Path)
	}
	var sent struct {
		Content string `json:"content"`
	}
	json.Unmarshal(r.Body, &sent)
	if want := "You said: \\*\\*hire\\*\\* me @\u200beveryone"; sent.Content != want {
		t.Errorf("reply %q, want %q", sent.Content, want)
	}

	f.gw.send(t, messageCreate("M5", "", "U1", false, "hello", ""))
	if ev := h.next(t); ev.ID != "M5" || !ev.Private || ev.Text != "hello" {
		t.Errorf("DM event %+v", ev)
	}
	f.next(t) // its reply

	f.gw.send(t, gatewayFrame("INTERACTION_CREATE",
		interaction("GI1", discordgo.InteractionApplicationCommand, inGuild("0"), hire("matches", `{"name":"job","type":4,"value":7}`), "")))
	if ev := h.next(t); ev.ID != "GI1" || ev.Command != "matches" || ev.Text != "7" || !ev.Forms {
		t.Errorf("interaction event %+v", ev)
	}
	r = f.next(t)
	if r.Method+" "+r.Path != "POST /api/v9/interactions/GI1/tok-GI1/callback" {
		t.Fatalf("interaction answered with %s %s", r.Method, r.Path)
	}
	var resp response
	json.Unmarshal(r.Body, &resp)
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Flags != discordgo.MessageFlagsEphemeral ||
		resp.Data.Content != "3 freelancers match job 7" {
		t.Errorf("callback %s", r.Body)
	}

	cancel()
	if err := <-runErr; err != nil {
		t.Errorf("Run: %v", err)
	}
	if n := h.count(); n != 3 {
		t.Errorf("handler saw %d events, want 3 (own, bot and unmentioned messages dropped)", n)
	}
}
