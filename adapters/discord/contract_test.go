package discord

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/hirebot/hirebot/adapters/adaptertest"
	"github.com/hirebot/hirebot/bot"
)

func TestContract(t *testing.T) {
	adaptertest.Run(t, func(t *testing.T, h bot.Handler) adaptertest.Harness {
		f := newFakeDiscord(t)
		a, priv := testAdapter(t, f, newFakeHandler(h), nil)
		return &contract{f: f, a: a, priv: priv}
	})
}

// contract drives the adapter the way Discord does: signed HTTP
// interactions, and gateway messages through the adapter's handler.
type contract struct {
	f    *fakeDiscord
	a    *Adapter
	priv ed25519.PrivateKey
	seen int // fake requests already returned
	n    int
}

func (c *contract) Adapter() bot.Adapter { return c.a }
func (c *contract) Forms() bool          { return true }
func (c *contract) Shared() bool         { return true }

func userID(name string) string { return fmt.Sprintf("1%017d", len(name)*1000+int(name[0])) }

func (c *contract) id(a adaptertest.Action) string {
	if a.ID != "" {
		return a.ID
	}
	c.n++
	return fmt.Sprintf("9%017d", c.n)
}

// raw is the interaction JSON of a, and ok=false for a plain message.
func (c *contract) raw(a adaptertest.Action) (string, bool) {
	uid := userID(a.User)
	user := fmt.Sprintf(`{"id":%q,"username":%q,"discriminator":"0"}`, uid, a.User)
	where := fmt.Sprintf(`"channel_id":"DM-%s","user":%s`, uid, user)
	if a.Place == adaptertest.Shared {
		where = fmt.Sprintf(`"guild_id":"G1","channel_id":"C1","member":{"user":%s,"roles":[],"permissions":"0","joined_at":"2024-01-01T00:00:00.000000+00:00"}`, user)
	}
	id := c.id(a)
	switch a.Kind {
	case bot.KindCommand:
		return interaction(id, discordgo.InteractionApplicationCommand, where, hire(a.Command, ""), ""), true
	case bot.KindButton:
		data, _ := json.Marshal(map[string]any{"custom_id": a.Text, "component_type": 2})
		return interaction(id, discordgo.InteractionMessageComponent, where, string(data), ""), true
	case bot.KindForm:
		var rows []any
		for k, v := range a.Form {
			rows = append(rows, map[string]any{"type": 1, "components": []any{map[string]any{"type": 4, "custom_id": k, "value": v}}})
		}
		data, _ := json.Marshal(map[string]any{"custom_id": a.Command, "components": rows})
		return interaction(id, discordgo.InteractionModalSubmit, where, string(data), ""), true
	}
	return "", false
}

func (c *contract) Do(t *testing.T, a adaptertest.Action) []adaptertest.Output {
	t.Helper()
	var out []adaptertest.Output
	if raw, ok := c.raw(a); ok {
		status, _, body := post(t, c.a, signed(c.priv, time.Now(), raw))
		if status != 200 {
			t.Fatalf("interaction answered %d: %s", status, body)
		}
		out = append(out, initialOutput(t, body, a.Place)...)
	} else {
		uid := userID(a.User)
		m := &discordgo.Message{ID: c.id(a), ChannelID: "DM-" + uid, Content: a.Text, Type: discordgo.MessageTypeDefault,
			Author: &discordgo.User{ID: uid, Username: a.User}}
		if a.Place == adaptertest.Shared {
			m.GuildID, m.ChannelID, m.Content = "G1", "C1", "<@APP> "+a.Text
			m.Mentions = []*discordgo.User{{ID: "APP"}}
		}
		c.a.onMessageCreate(t.Context(), &discordgo.MessageCreate{Message: m}, nil)
	}
	c.a.inflight.Wait()
	return append(out, c.sent(t, a.Place)...)
}

// Received implements adaptertest.Harness. Nothing here answers an
// interaction, so what is not marked private counts as public.
func (c *contract) Received(t *testing.T) []adaptertest.Output {
	t.Helper()
	c.a.inflight.Wait()
	return c.sent(t, adaptertest.Shared)
}

// sent reads the requests the fake received since the last call; place
// is where the action that caused them happened.
func (c *contract) sent(t *testing.T, place adaptertest.Place) []adaptertest.Output {
	t.Helper()
	var out []adaptertest.Output
	c.f.mu.Lock()
	reqs := c.f.requests[c.seen:]
	c.seen = len(c.f.requests)
	c.f.mu.Unlock()
	for _, r := range reqs {
		p := strings.TrimPrefix(r.Path, "/api/v9")
		switch {
		case r.Method == "POST" && strings.HasPrefix(p, "/webhooks/"): // a follow-up
			o := messageOutput(t, r.Body)
			o.Public = o.Public && place == adaptertest.Shared
			out = append(out, o)
		case r.Method == "PATCH" && strings.HasSuffix(p, "/@original"): // the deferred response
			o := messageOutput(t, r.Body)
			o.Public = place == adaptertest.Shared
			out = append(out, o)
		case r.Method == "POST" && strings.HasPrefix(p, "/channels/") && strings.HasSuffix(p, "/messages"):
			o := messageOutput(t, r.Body)
			o.Public = !strings.HasPrefix(p, "/channels/DM")
			out = append(out, o)
		case r.Method == "PATCH" && strings.HasPrefix(p, "/channels/"):
			o := messageOutput(t, r.Body)
			o.Edit = true
			out = append(out, o)
		}
	}
	return out
}

func (c *contract) Forged(t *testing.T, a adaptertest.Action) int {
	t.Helper()
	a.Kind = bot.KindCommand
	a.Command = "help"
	raw, _ := c.raw(a)
	_, other, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	status, _, _ := post(t, c.a, signed(other, time.Now(), raw))
	c.a.inflight.Wait()
	return status
}

// initialOutput reads the interaction response.
func initialOutput(t *testing.T, body []byte, place adaptertest.Place) []adaptertest.Output {
	var resp struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data json.RawMessage                   `json:"data"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatalf("response %s: %v", body, err)
	}
	switch resp.Type {
	case discordgo.InteractionResponseModal:
		return []adaptertest.Output{{Modal: true}}
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseUpdateMessage:
		o := messageOutput(t, resp.Data)
		o.Public = o.Public && place == adaptertest.Shared
		o.Edit = resp.Type == discordgo.InteractionResponseUpdateMessage
		return []adaptertest.Output{o}
	}
	return nil
}

// messageOutput reads a message body: content, embeds, buttons, and
// whether it is ephemeral (Public is false then).
func messageOutput(t *testing.T, body []byte) adaptertest.Output {
	var m struct {
		Content    string                    `json:"content"`
		Flags      discordgo.MessageFlags    `json:"flags"`
		Embeds     []*discordgo.MessageEmbed `json:"embeds"`
		Components []json.RawMessage         `json:"components"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("message %s: %v", body, err)
	}
	o := adaptertest.Output{Text: m.Content, Public: m.Flags&discordgo.MessageFlagsEphemeral == 0}
	for _, e := range m.Embeds {
		o.Text += "\n" + e.Title + "\n" + e.Description
		for _, f := range e.Fields {
			o.Text += "\n" + f.Name + ": " + f.Value
		}
	}
	for _, row := range components(t, m.Components) {
		r, ok := row.(*discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range r.Components {
			switch c := c.(type) {
			case *discordgo.Button:
				o.Buttons = append(o.Buttons, bot.Button{Label: c.Label, Value: c.CustomID})
			case *discordgo.SelectMenu:
				for _, opt := range c.Options {
					o.Buttons = append(o.Buttons, bot.Button{Label: opt.Label, Value: opt.Value})
				}
			}
		}
	}
	return o
}
