package discord

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
)

var gigCard = bot.Reply{
	To:    bot.Recipient{Platform: bot.Discord, Workspace: "G1", ChatID: "C5"},
	Cards: []bot.Card{{Title: "#7 Logo for a *bakery*", Fields: []bot.Field{{Label: "Budget", Value: "300 USD"}}}},
	Buttons: []bot.Button{
		{Label: "Apply", Value: "/apply 7", Style: "primary", Shared: true},
		{Label: "Save", Value: "/save 7", Shared: true},
		{Label: "Report", Value: "/report 7", Style: "danger", Shared: true},
	},
}

// sentMessage is the part of a message body the tests read.
type sentMessage struct {
	Content    *string                   `json:"content"`
	Embeds     []*discordgo.MessageEmbed `json:"embeds"`
	Components []json.RawMessage         `json:"components"`
}

func customIDs(t *testing.T, raw []json.RawMessage) []string {
	t.Helper()
	var out []string
	for _, c := range components(t, raw) {
		for _, b := range c.(*discordgo.ActionsRow).Components {
			out = append(out, b.(*discordgo.Button).CustomID)
		}
	}
	return out
}

func TestPostReturnsTheMessageID(t *testing.T) {
	f := newFakeDiscord(t)
	a, _ := testAdapter(t, f, newFakeHandler(nil), nil)
	f.enqueue("POST /api/v9/channels/C5/messages", canned{status: 200, body: `{"id":"M77","channel_id":"C5"}`})
	ref, err := a.Post(context.Background(), gigCard)
	if err != nil || ref != "M77" {
		t.Fatalf("Post = %q, %v; want M77", ref, err)
	}
	calls := f.calls("POST /api/v9/channels/C5/messages")
	if len(calls) != 1 {
		t.Fatalf("%d sends, want 1", len(calls))
	}
	var m sentMessage
	if err := json.Unmarshal(calls[0].Body, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Embeds) != 1 || m.Embeds[0].Title != `\#7 Logo for a \*bakery\*` {
		t.Errorf("embeds %+v", m.Embeds)
	}
	want := []string{"hirebot:shared:/apply 7", "hirebot:shared:/save 7", "hirebot:shared:/report 7"}
	if diff := cmp.Diff(want, customIDs(t, m.Components)); diff != "" {
		t.Errorf("custom_ids (-want +got):\n%s", diff)
	}
}

func TestPostRefused(t *testing.T) {
	f := newFakeDiscord(t)
	a, _ := testAdapter(t, f, newFakeHandler(nil), nil)
	f.enqueue("POST /api/v9/channels/C5/messages", canned{status: 403, body: `{"message":"Missing Permissions","code":50013}`})
	_, err := a.Post(context.Background(), gigCard)
	var be *bot.Error
	if !errors.As(err, &be) || be.Code != bot.EREFUSED {
		t.Fatalf("err = %v, want EREFUSED", err)
	}
	if n := len(f.calls("POST /api/v9/channels/C5/messages")); n != 1 {
		t.Errorf("%d sends, want 1 (no retry)", n)
	}
}

func TestEditReplacesContentAndRemovesButtons(t *testing.T) {
	f := newFakeDiscord(t)
	a, _ := testAdapter(t, f, newFakeHandler(nil), nil)
	key := "PATCH /api/v9/channels/C5/messages/M77"
	f.enqueue(key, canned{status: 200, body: `{"id":"M77","channel_id":"C5"}`})
	expired := bot.Reply{Text: "This gig has expired.", Cards: gigCard.Cards}
	if err := a.Edit(context.Background(), gigCard.To, "M77", expired); err != nil {
		t.Fatal(err)
	}
	calls := f.calls(key)
	if len(calls) != 1 {
		t.Fatalf("%d edits, want 1", len(calls))
	}
	var m sentMessage
	if err := json.Unmarshal(calls[0].Body, &m); err != nil {
		t.Fatal(err)
	}
	if m.Content == nil || *m.Content != "This gig has expired." || len(m.Embeds) != 1 {
		t.Errorf("edit body %s", calls[0].Body)
	}
	if m.Components == nil || len(m.Components) != 0 {
		t.Errorf("components %s, want an empty list so the buttons go", calls[0].Body)
	}
	if err := a.Edit(context.Background(), gigCard.To, "", expired); bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("Edit without a ref: %v, want EINVALID", err)
	}
}

func TestOpenThread(t *testing.T) {
	f := newFakeDiscord(t)
	a, _ := testAdapter(t, f, newFakeHandler(nil), nil)
	key := "POST /api/v9/channels/C5/messages/M77/threads"
	f.enqueue(key, canned{status: 201, body: `{"id":"T1","type":11,"parent_id":"C5"}`})
	if err := a.OpenThread(context.Background(), gigCard.To, "M77", "Questions about #7 "+strings.Repeat("x", 200)); err != nil {
		t.Fatal(err)
	}
	calls := f.calls(key)
	if len(calls) != 1 {
		t.Fatalf("%d thread calls, want 1", len(calls))
	}
	var body discordgo.ThreadStart
	if err := json.Unmarshal(calls[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(body.Name)); n != maxThreadName || !strings.HasPrefix(body.Name, "Questions about #7") || body.AutoArchiveDuration != 10080 {
		t.Errorf("thread %+v (%d runes)", body, n)
	}
	f.enqueue(key, canned{status: 403, body: `{"message":"Missing Permissions","code":50013}`})
	if err := a.OpenThread(context.Background(), gigCard.To, "M77", "Q"); bot.ErrorCode(err) != bot.EREFUSED {
		t.Errorf("refused thread: %v, want EREFUSED", err)
	}
}

// boardMessage is a gig card on the board as Discord sends it with a
// component interaction.
const boardMessage = `"message":{"id":"M77","channel_id":"C1","type":0,"content":"","author":{"id":"APP","username":"hirebot","bot":true},"timestamp":"2024-01-01T00:00:00.000000+00:00","embeds":[{"title":"#7 Logo"}],"components":[{"type":1,"components":[{"type":2,"style":1,"label":"Apply","custom_id":"hirebot:shared:/apply 7"},{"type":2,"style":2,"label":"Save","custom_id":"hirebot:shared:/save 7"}]}]}`

func TestSharedButtonAnswersPrivatelyAndKeepsTheMessage(t *testing.T) {
	f := newFakeDiscord(t)
	h := newFakeHandler(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		return []bot.Reply{{Text: "Saved gig #7."}}, nil // not marked private by the bot
	})
	a, priv := testAdapter(t, f, h, nil)
	raw := interaction("B1", discordgo.InteractionMessageComponent, inGuild("0"), `{"custom_id":"hirebot:shared:/save 7","component_type":2}`, boardMessage)
	status, resp, body := post(t, a, signed(priv, time.Now(), raw))
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	if ev := h.next(t); ev.Kind != bot.KindButton || ev.Text != "/save 7" {
		t.Errorf("event %+v, want the button's value without the mark", ev)
	}
	if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Flags != discordgo.MessageFlagsEphemeral ||
		resp.Data.Content != "Saved gig #7." {
		t.Errorf("response %+v, want an ephemeral message, not an update of the board card", resp)
	}
	a.inflight.Wait()
	for _, r := range f.calls("PATCH /api/v9/channels/C1/messages/M77") {
		t.Errorf("the board card was edited: %s", r.Body)
	}
}

func TestSharedButtonSlowHandler(t *testing.T) {
	f := newFakeDiscord(t)
	release := make(chan []bot.Reply)
	h := newFakeHandler(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) { return <-release, nil })
	a, priv := testAdapter(t, f, h, nil)
	a.budget = time.Nanosecond // always too slow: the handler waits for the test
	raw := interaction("B2", discordgo.InteractionMessageComponent, inGuild("0"), `{"custom_id":"hirebot:shared:/report 7","component_type":2}`, boardMessage)
	status, resp, body := post(t, a, signed(priv, time.Now(), raw))
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	if resp.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || resp.Data.Flags != discordgo.MessageFlagsEphemeral {
		t.Errorf("ack %+v, want a deferred ephemeral message", resp)
	}
	h.next(t)
	release <- []bot.Reply{{Text: "Thanks, I passed gig #7 to the moderators."}}
	r := f.next(t)
	if r.Method+" "+r.Path != "PATCH /api/v9/webhooks/APP/tok-B2/messages/@original" || !strings.Contains(string(r.Body), "Thanks, I passed gig #7") {
		t.Errorf("then %s %s %s, want the deferred answer edited", r.Method, r.Path, r.Body)
	}
	a.inflight.Wait()
	if n := len(f.calls("PATCH /api/v9/channels/C1/messages/M77")); n != 0 {
		t.Errorf("the board card was edited %d times", n)
	}
}

func TestAccountCreated(t *testing.T) {
	tests := []struct {
		id   string
		want time.Time
	}{
		// The example snowflake of Discord's reference documentation.
		{"175928847299117063", time.Date(2016, 4, 30, 11, 18, 25, 796e6, time.UTC)},
		{"U1", time.Time{}},
		{"", time.Time{}},
		{"42", time.Time{}},
		{"-175928847299117063", time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			if got := accountCreated(tt.id); !got.Equal(tt.want) {
				t.Errorf("accountCreated(%q) = %v, want %v", tt.id, got, tt.want)
			}
		})
	}
}

func TestModeratorPermissions(t *testing.T) {
	tests := []struct {
		name  string
		perms int64
		want  bool
	}{
		{"no permissions", 0, false},
		{"send messages only", discordgo.PermissionSendMessages, false},
		{"manage messages", discordgo.PermissionManageMessages, true},
		{"manage server", discordgo.PermissionManageGuild, true},
		{"administrator", discordgo.PermissionAdministrator, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := moderator(&discordgo.Member{Permissions: tt.perms}); got != tt.want {
				t.Errorf("moderator(%d) = %v, want %v", tt.perms, got, tt.want)
			}
		})
	}
	if moderator(nil) {
		t.Errorf("a DM (no member) counts as a moderator")
	}
}

func TestInteractionEventCarriesBoardFields(t *testing.T) {
	manageMessages := "8192" // 1<<13
	raw := strings.Replace(interaction("I9", discordgo.InteractionMessageComponent, inGuild(manageMessages),
		`{"custom_id":"hirebot:shared:/remove 7","component_type":2}`, boardMessage), `"id":"U1"`, `"id":"175928847299117063"`, 1)
	ev, ok := interactionEvent(decodeInteraction(t, raw))
	if !ok {
		t.Fatal("not translated")
	}
	if ev.Text != "/remove 7" || !ev.Moderator || !ev.AccountCreated.Equal(time.Date(2016, 4, 30, 11, 18, 25, 796e6, time.UTC)) {
		t.Errorf("event %+v", ev)
	}
}
