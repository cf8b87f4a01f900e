package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
)

func TestInteractionsVerify(t *testing.T) {
	f := newFakeDiscord(t)
	h := newFakeHandler(nil)
	a, priv := testAdapter(t, f, h, nil)
	now := time.Now()
	cmd := interaction("I1", discordgo.InteractionApplicationCommand, inGuild("0"), hire("help", ""), "")
	ping := `{"id":"I0","application_id":"APP","type":1,"token":"t","version":1}`

	tests := []struct {
		name   string
		req    func() *http.Request
		status int
	}{
		{"ping signed", func() *http.Request { return signed(priv, now, ping) }, http.StatusOK},
		{"forged signature", func() *http.Request {
			r := signed(priv, now, cmd)
			r.Header.Set("X-Signature-Ed25519", strings.Repeat("ab", 64))
			return r
		}, http.StatusUnauthorized},
		{"body changed after signing", func() *http.Request {
			r := signed(priv, now, cmd)
			forged := signed(priv, now, strings.Replace(cmd, `"help"`, `"setup"`, 1))
			forged.Header = r.Header
			return forged
		}, http.StatusUnauthorized},
		{"not hex", func() *http.Request {
			r := signed(priv, now, cmd)
			r.Header.Set("X-Signature-Ed25519", "zz")
			return r
		}, http.StatusUnauthorized},
		{"no signature", func() *http.Request {
			r := signed(priv, now, cmd)
			r.Header.Del("X-Signature-Ed25519")
			return r
		}, http.StatusUnauthorized},
		{"timestamp six minutes old", func() *http.Request { return signed(priv, now.Add(-6*time.Minute), cmd) }, http.StatusUnauthorized},
		{"timestamp six minutes ahead", func() *http.Request { return signed(priv, now.Add(6*time.Minute), cmd) }, http.StatusUnauthorized},
		{"body over 1 MiB, signed", func() *http.Request {
			return signed(priv, now, strings.Replace(cmd, `"help"`, `"help","pad":"`+strings.Repeat("x", 2<<20)+`"`, 1))
		}, http.StatusRequestEntityTooLarge},
		{"timestamp not a number", func() *http.Request {
			r := signed(priv, now, cmd)
			r.Header.Set("X-Signature-Timestamp", "yesterday")
			return r
		}, http.StatusUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, resp, raw := post(t, a, tt.req())
			if status != tt.status {
				t.Fatalf("status = %d (%s), want %d", status, raw, tt.status)
			}
			if status == http.StatusOK && (resp.Type != discordgo.InteractionResponsePong || strings.TrimSpace(string(raw)) != `{"type":1}`) {
				t.Errorf("ping answered %s", raw)
			}
		})
	}
	a.inflight.Wait()
	if n := h.count(); n != 0 {
		t.Errorf("handler called %d times for pings and forged requests", n)
	}
	if n := len(f.calls("POST /api/v9/interactions/I1/tok-I1/callback")); n != 0 {
		t.Errorf("forged requests caused %d callbacks", n)
	}
}

func TestInteractionsAnswerInTime(t *testing.T) {
	f := newFakeDiscord(t)
	h := newFakeHandler(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		switch {
		case ev.Kind == bot.KindForm:
			return []bot.Reply{{Private: true, Form: &bot.Form{ID: "post", Fields: []bot.FormField{{ID: "title", Label: "Title", Value: ev.Form["title"]}},
				Errors: map[string]string{"title": "Say what the job is."}}}}, nil
		case ev.Command == "search":
			return []bot.Reply{
				{Text: "Found 2 for *go* @everyone", Private: true, Cards: []bot.Card{{Title: "Ana", Fields: []bot.Field{{Label: "Rate", Value: "$50/h"}}}}},
				{Text: "Tip: try /hire matches", Private: true},
			}, nil
		case ev.Command == "post":
			return []bot.Reply{{Form: &bot.Form{ID: "post", Title: "Post a job", Fields: []bot.FormField{{ID: "title", Label: "Title"}}}}}, nil
		case ev.Kind == bot.KindButton:
			return []bot.Reply{{Text: "Published."}}, nil
		case ev.Command == "jobs":
			return nil, errors.New("database on fire")
		case ev.Command == "close":
			return nil, bot.Errorf(bot.EUNAUTHORIZED, "Only the poster can close job %s.", ev.Text)
		}
		return nil, nil
	})
	a, priv := testAdapter(t, f, h, func(c *Config) {
		c.Autocomplete = func(prefix string) []string {
			var out []string
			for i := range 30 {
				out = append(out, fmt.Sprintf("%s-%02d", prefix, i))
			}
			return append(out, strings.Repeat("x", 101))
		}
	})
	send := func(t *testing.T, raw string) response {
		t.Helper()
		status, resp, body := post(t, a, signed(priv, time.Now(), raw))
		if status != http.StatusOK {
			t.Fatalf("status %d: %s", status, body)
		}
		return resp
	}

	t.Run("command: first reply is the response, the rest follow", func(t *testing.T) {
		resp := send(t, interaction("S1", discordgo.InteractionApplicationCommand, inGuild("0"), hire("search", `{"name":"query","type":3,"value":"go"}`), ""))
		if ev := h.next(t); ev.Command != "search" || ev.Text != "go" || ev.ID != "S1" {
			t.Errorf("event %+v", ev)
		}
		if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Flags != discordgo.MessageFlagsEphemeral {
			t.Errorf("response type %d flags %d, want an ephemeral message", resp.Type, resp.Data.Flags)
		}
		if want := "Found 2 for \\*go\\* @\u200beveryone"; resp.Data.Content != want {
			t.Errorf("content %q, want %q", resp.Data.Content, want)
		}
		if len(resp.Data.Embeds) != 1 || resp.Data.Embeds[0].Title != "Ana" || !resp.Data.Embeds[0].Fields[0].Inline {
			t.Errorf("embeds %+v", resp.Data.Embeds)
		}
		r := f.next(t)
		if r.Method+" "+r.Path != "POST /api/v9/webhooks/APP/tok-S1" {
			t.Fatalf("follow-up went to %s %s", r.Method, r.Path)
		}
		var fu struct {
			Content string `json:"content"`
			Flags   int    `json:"flags"`
		}
		json.Unmarshal(r.Body, &fu)
		if fu.Content != "Tip: try /hire matches" || fu.Flags != 64 {
			t.Errorf("follow-up %s", r.Body)
		}
	})

	t.Run("command answered with a form opens a modal", func(t *testing.T) {
		resp := send(t, interaction("S2", discordgo.InteractionApplicationCommand, inGuild("0"), hire("post", ""), ""))
		h.next(t)
		if resp.Type != discordgo.InteractionResponseModal || resp.Data.CustomID != "post" || resp.Data.Title != "Post a job" {
			t.Fatalf("response %+v", resp)
		}
		cs := components(t, resp.Data.Components)
		in := cs[0].(*discordgo.ActionsRow).Components[0].(*discordgo.TextInput)
		if in.CustomID != "title" || !in.Required {
			t.Errorf("input %+v", in)
		}
	})

	t.Run("autocomplete offers at most 25 skills", func(t *testing.T) {
		resp := send(t, interaction("S3", discordgo.InteractionApplicationCommandAutocomplete, inGuild("0"),
			hire("search", `{"name":"skill","type":3,"value":"ru","focused":true}`), ""))
		if resp.Type != discordgo.InteractionApplicationCommandAutocompleteResult || len(resp.Data.Choices) != 25 {
			t.Fatalf("type %d with %d choices", resp.Type, len(resp.Data.Choices))
		}
		if c := resp.Data.Choices[0]; c.Name != "ru-00" || c.Value != "ru-00" {
			t.Errorf("first choice %+v", c)
		}
	})

	t.Run("button press updates the message and follows up", func(t *testing.T) {
		resp := send(t, interaction("S4", discordgo.InteractionMessageComponent, inGuild("0"), `{"custom_id":"yes","component_type":2}`, buttonMessage))
		if ev := h.next(t); ev.Kind != bot.KindButton || ev.Text != "yes" {
			t.Errorf("event %+v", ev)
		}
		if resp.Type != discordgo.InteractionResponseUpdateMessage || resp.Data.Content != "Publish this job?\n✓ Publish" {
			t.Errorf("update %+v", resp)
		}
		if resp.Data.Components == nil || len(resp.Data.Components) != 0 {
			t.Errorf("components %v, want an empty list", resp.Data.Components)
		}
		if r := f.next(t); r.Path != "/api/v9/webhooks/APP/tok-S4" || !strings.Contains(string(r.Body), "Published.") {
			t.Errorf("follow-up %s %s", r.Path, r.Body)
		}
	})

	t.Run("invalid form: errors privately, then the kept form reopens", func(t *testing.T) {
		resp := send(t, interaction("S5", discordgo.InteractionModalSubmit, inGuild("0"),
			`{"custom_id":"post","components":[{"type":1,"components":[{"type":4,"custom_id":"title","value":"x"}]}]}`, ""))
		if ev := h.next(t); ev.Kind != bot.KindForm || ev.Command != "post" || ev.Form["title"] != "x" {
			t.Errorf("event %+v", ev)
		}
		if resp.Type != discordgo.InteractionResponseChannelMessageWithSource || resp.Data.Flags != discordgo.MessageFlagsEphemeral ||
			resp.Data.Content != "Please fix the form:\n• Title: Say what the job is." {
			t.Fatalf("response %+v", resp)
		}
		btn := components(t, resp.Data.Components)[0].(*discordgo.ActionsRow).Components[0].(*discordgo.Button)
		calls := h.count()
		again := send(t, interaction("S6", discordgo.InteractionMessageComponent, inGuild("0"),
			fmt.Sprintf(`{"custom_id":%q,"component_type":2}`, btn.CustomID), ""))
		if again.Type != discordgo.InteractionResponseModal || again.Data.CustomID != "post" {
			t.Fatalf("reopen %+v", again)
		}
		in := components(t, again.Data.Components)[0].(*discordgo.ActionsRow).Components[0].(*discordgo.TextInput)
		if in.Value != "x" {
			t.Errorf("reopened form lost the answer: %+v", in)
		}
		if h.count() != calls {
			t.Error("reopening a kept form called the handler")
		}
		expired := send(t, interaction("S7", discordgo.InteractionMessageComponent, inGuild("0"),
			`{"custom_id":"hirebot:form:0000","component_type":2}`, ""))
		if expired.Data.Flags != discordgo.MessageFlagsEphemeral || !strings.Contains(expired.Data.Content, "expired") {
			t.Errorf("expired form %+v", expired)
		}
	})

	t.Run("handler errors are shown privately", func(t *testing.T) {
		tests := []struct{ sub, opts, want string }{
			{"jobs", "", "Sorry, something went wrong on my side. Please try again."},
			{"close", `{"name":"job","type":4,"value":3}`, "Only the poster can close job 3."},
		}
		for _, tt := range tests {
			resp := send(t, interaction("E-"+tt.sub, discordgo.InteractionApplicationCommand, inGuild("0"), hire(tt.sub, tt.opts), ""))
			h.next(t)
			if resp.Data.Flags != discordgo.MessageFlagsEphemeral || resp.Data.Content != tt.want {
				t.Errorf("%s: %+v", tt.sub, resp.Data)
			}
		}
	})

	t.Run("duplicate delivery carries the same event ID", func(t *testing.T) {
		raw := interaction("DUP1", discordgo.InteractionApplicationCommand, inGuild("0"), hire("help", ""), "")
		send(t, raw)
		send(t, raw)
		if a, b := h.next(t), h.next(t); a.ID != "DUP1" || b.ID != "DUP1" {
			t.Errorf("IDs %q and %q", a.ID, b.ID)
		}
	})

	t.Run("setup carries the member's rights to the core", func(t *testing.T) {
		setup := hire("setup", `{"name":"channel","type":7,"value":"C2"},{"name":"cooldown","type":4,"value":10}`)
		for _, tt := range []struct {
			name, where      string
			manager, private bool
		}{
			{"member without Manage Server", inGuild("2048"), false, false},
			{"in a DM", inDM, false, true},
			{"with Manage Server", inGuild(manageGuild), true, false},
		} {
			send(t, interaction("U-"+tt.name, discordgo.InteractionApplicationCommand, tt.where, setup, ""))
			ev := h.next(t)
			if ev.Command != "setup" || ev.Text != "channel=C2 cooldown=10" || ev.Manager != tt.manager || ev.Private != tt.private {
				t.Errorf("%s: event %+v", tt.name, ev)
			}
		}
	})
	a.inflight.Wait()
}

func TestInteractionsSlowHandler(t *testing.T) {
	f := newFakeDiscord(t)
	release := make(chan []bot.Reply)
	h := newFakeHandler(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		return <-release, nil
	})
	a, priv := testAdapter(t, f, h, nil)
	a.budget = time.Nanosecond // always too slow: the handler waits for the test

	type call struct{ method, path, content string }
	tests := []struct {
		name     string
		raw      string
		replies  []bot.Reply
		ack      discordgo.InteractionResponseType
		ackFlags discordgo.MessageFlags
		want     []call
	}{
		{
			name:     "private answer edits the deferred response",
			raw:      interaction("L1", discordgo.InteractionApplicationCommand, inGuild("0"), hire("matches", `{"name":"job","type":4,"value":7}`), ""),
			replies:  []bot.Reply{{Text: "3 matches", Private: true}, {Text: "More soon", Private: true}},
			ack:      discordgo.InteractionResponseDeferredChannelMessageWithSource,
			ackFlags: discordgo.MessageFlagsEphemeral,
			want: []call{
				{"PATCH", "/api/v9/webhooks/APP/tok-L1/messages/@original", "3 matches"},
				{"POST", "/api/v9/webhooks/APP/tok-L1", "More soon"},
			},
		},
		{
			name:     "public answer replaces the ephemeral placeholder",
			raw:      interaction("L2", discordgo.InteractionApplicationCommand, inGuild("0"), hire("help", ""), ""),
			replies:  []bot.Reply{{Text: "Hello <@1>"}},
			ack:      discordgo.InteractionResponseDeferredChannelMessageWithSource,
			ackFlags: discordgo.MessageFlagsEphemeral,
			want: []call{
				{"DELETE", "/api/v9/webhooks/APP/tok-L2/messages/@original", ""},
				{"POST", "/api/v9/webhooks/APP/tok-L2", `Hello \<@1\>`},
			},
		},
		{
			name:    "in a DM the placeholder is not ephemeral",
			raw:     interaction("L3", discordgo.InteractionApplicationCommand, inDM, hire("jobs", ""), ""),
			replies: []bot.Reply{{Text: "No jobs yet."}},
			ack:     discordgo.InteractionResponseDeferredChannelMessageWithSource,
			want:    []call{{"PATCH", "/api/v9/webhooks/APP/tok-L3/messages/@original", "No jobs yet."}},
		},
		{
			name:    "button: the update is the acknowledgement",
			raw:     interaction("L4", discordgo.InteractionMessageComponent, inGuild("0"), `{"custom_id":"edit","component_type":2}`, buttonMessage),
			replies: []bot.Reply{{Text: "What is the title?", Buttons: []bot.Button{{Label: "Back", Value: "back"}}}},
			ack:     discordgo.InteractionResponseUpdateMessage,
			want:    []call{{"POST", "/api/v9/webhooks/APP/tok-L4", "What is the title?"}},
		},
		{
			name:     "a late form becomes a button that opens it",
			raw:      interaction("L5", discordgo.InteractionApplicationCommand, inGuild("0"), hire("post", ""), ""),
			replies:  []bot.Reply{{Private: true, Form: &bot.Form{ID: "post", Title: "Post a job", Fields: []bot.FormField{{ID: "title", Label: "Title"}}}}},
			ack:      discordgo.InteractionResponseDeferredChannelMessageWithSource,
			ackFlags: discordgo.MessageFlagsEphemeral,
			want:     []call{{"PATCH", "/api/v9/webhooks/APP/tok-L5/messages/@original", formButtonPrefix}},
		},
		{
			name:     "a reply addressed elsewhere is sent there",
			raw:      interaction("L6", discordgo.InteractionApplicationCommand, inGuild("0"), hire("help", ""), ""),
			replies:  []bot.Reply{{Text: "Posted.", Private: true}, {To: bot.Recipient{Platform: bot.Discord, ChatID: "GIGS"}, Text: "New gig"}},
			ack:      discordgo.InteractionResponseDeferredChannelMessageWithSource,
			ackFlags: discordgo.MessageFlagsEphemeral,
			want: []call{
				{"PATCH", "/api/v9/webhooks/APP/tok-L6/messages/@original", "Posted."},
				{"POST", "/api/v9/channels/GIGS/messages", "New gig"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, resp, raw := post(t, a, signed(priv, time.Now(), tt.raw))
			if status != http.StatusOK {
				t.Fatalf("status %d: %s", status, raw)
			}
			if resp.Type != tt.ack || resp.Data.Flags != tt.ackFlags {
				t.Errorf("acknowledged with type %d flags %d, want %d flags %d", resp.Type, resp.Data.Flags, tt.ack, tt.ackFlags)
			}
			h.next(t)
			release <- tt.replies
			var got []call
			for _, w := range tt.want {
				r := f.next(t)
				got = append(got, call{r.Method, r.Path, w.content})
				if !strings.Contains(bodyText(r.Body), w.content) {
					t.Errorf("%s %s body %s lacks %q", r.Method, r.Path, r.Body, w.content)
				}
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(call{})); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
	a.inflight.Wait()
}

// bodyText is the content of a message body, or the raw body.
func bodyText(body []byte) string {
	var m struct {
		Content *string `json:"content"`
	}
	if json.Unmarshal(body, &m) == nil && m.Content != nil {
		return *m.Content + " " + string(body)
	}
	return string(body)
}

// TestAutocompleteNoMatch: an autocomplete result always carries choices,
// an empty list when nothing matches, on both ways in.
func TestAutocompleteNoMatch(t *testing.T) {
	f := newFakeDiscord(t)
	a, priv := testAdapter(t, f, newFakeHandler(nil), func(c *Config) {
		c.Autocomplete = func(string) []string { return nil }
	})
	raw := interaction("AC1", discordgo.InteractionApplicationCommandAutocomplete, inGuild("0"),
		hire("search", `{"name":"skill","type":3,"value":"zzz","focused":true}`), "")
	status, _, body := post(t, a, signed(priv, time.Now(), raw))
	if want := `{"type":8,"data":{"choices":[]}}`; status != http.StatusOK || string(body) != want {
		t.Errorf("HTTP: %d %s, want %s", status, body, want)
	}
	a.onInteractionCreate(t.Context(), &discordgo.InteractionCreate{Interaction: decodeInteraction(t, raw)}, nil)
	a.inflight.Wait()
	if cb := f.calls("POST /api/v9/interactions/AC1/tok-AC1/callback"); len(cb) != 1 || string(cb[0].Body) != `{"type":8,"data":{"choices":[]}}` {
		t.Errorf("gateway callback %+v", cb)
	}
}
