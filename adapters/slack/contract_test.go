package slack

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hirebot/hirebot/adapters/adaptertest"
	"github.com/hirebot/hirebot/bot"
)

func TestContract(t *testing.T) {
	adaptertest.Run(t, func(t *testing.T, h bot.Handler) adaptertest.Harness {
		f := newFakeSlack(t)
		a, srv := newTestAdapter(t, f, newFakeBot(h), Config{}, 0)
		return &contract{f: f, a: a, srv: srv}
	})
}

// contract drives the adapter through its signed HTTP endpoints.
type contract struct {
	f    *fakeSlack
	a    *Adapter
	srv  *httptest.Server
	seen int
	n    int
}

func (c *contract) Adapter() bot.Adapter { return c.a }
func (c *contract) Forms() bool          { return true }
func (c *contract) Shared() bool         { return true }

func (c *contract) id(a adaptertest.Action) string {
	if a.ID != "" {
		return a.ID
	}
	c.n++
	return fmt.Sprintf("Ev%d", c.n)
}

func (c *contract) send(t *testing.T, a adaptertest.Action, secret string) int {
	t.Helper()
	user := "U" + strings.ToUpper(a.User)
	channel := "D" + strings.ToUpper(a.User)
	if a.Place == adaptertest.Shared {
		channel = "C1"
	}
	id := c.id(a)
	var path, ctype, body string
	switch a.Kind {
	case bot.KindMessage:
		ev := map[string]any{"type": "message", "channel_type": "im", "channel": channel, "user": user, "text": a.Text, "ts": "1.1"}
		if a.Place == adaptertest.Shared {
			ev = map[string]any{"type": "app_mention", "channel": channel, "user": user, "text": "<@U0BOT> " + a.Text, "ts": "1.1"}
		}
		b, _ := json.Marshal(map[string]any{"type": "event_callback", "team_id": "T1", "event_id": id, "event": ev,
			"authorizations": []any{map[string]any{"team_id": "T1", "user_id": "U0BOT", "is_bot": true}}})
		path, ctype, body = "/slack/events", "application/json", string(b)
	case bot.KindCommand:
		form := url.Values{"command": {"/hire"}, "text": {a.Command + " " + a.Text}, "team_id": {"T1"}, "channel_id": {channel},
			"user_id": {user}, "user_name": {a.User}, "trigger_id": {id}, "response_url": {c.f.responseURL(id)}}
		path, ctype, body = "/slack/commands", "application/x-www-form-urlencoded", form.Encode()
	case bot.KindButton, bot.KindForm:
		p := map[string]any{"type": "block_actions", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": user, "name": a.User},
			"trigger_id": id, "channel": map[string]any{"id": channel}, "response_url": c.f.responseURL(id),
			"container": map[string]any{"type": "message", "channel_id": channel, "message_ts": "5.5"},
			"message":   map[string]any{"ts": "5.5", "text": "Choose", "blocks": []any{}},
			"actions":   []any{map[string]any{"type": "button", "block_id": "b", "action_id": "a", "value": a.Text, "text": map[string]any{"type": "plain_text", "text": a.Text}}}}
		if a.Kind == bot.KindForm {
			values := map[string]any{}
			for k, v := range a.Form {
				values[k] = map[string]any{k: map[string]any{"type": "plain_text_input", "value": v}}
			}
			meta, _ := json.Marshal(modalMeta{Channel: channel})
			p = map[string]any{"type": "view_submission", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": user, "name": a.User},
				"trigger_id": id, "view": map[string]any{"id": "V1", "callback_id": a.Command, "private_metadata": string(meta), "state": map[string]any{"values": values}}}
		}
		b, _ := json.Marshal(p)
		path, ctype, body = "/slack/interactions", "application/x-www-form-urlencoded", url.Values{"payload": {string(b)}}.Encode()
	}
	status, _ := do(t, signedRequest(t, c.srv.URL+path, ctype, body, time.Now(), secret))
	c.a.inflight.Wait()
	return status
}

func (c *contract) Do(t *testing.T, a adaptertest.Action) []adaptertest.Output {
	t.Helper()
	if status := c.send(t, a, testSecret); status != 200 {
		t.Fatalf("answered %d", status)
	}
	return c.sent(a.Place)
}

// Received implements adaptertest.Harness. Nothing here answers a
// response_url, so what is not marked private counts as public.
func (c *contract) Received(t *testing.T) []adaptertest.Output {
	t.Helper()
	c.a.inflight.Wait()
	return c.sent(adaptertest.Shared)
}

// sent reads the calls the fake received since the last call; place is
// where the action that caused them happened.
func (c *contract) sent(place adaptertest.Place) []adaptertest.Output {
	c.f.mu.Lock()
	calls := append([]call(nil), c.f.calls[c.seen:]...)
	c.seen = len(c.f.calls)
	c.f.mu.Unlock()
	var out []adaptertest.Output
	for _, cl := range calls {
		o := adaptertest.Output{Text: html.UnescapeString(cl.str("text"))}
		var blocks []struct {
			Text     *struct{ Text string } `json:"text"`
			Elements []struct {
				Text  *struct{ Text string } `json:"text"`
				Value string                 `json:"value"`
			} `json:"elements"`
		}
		_ = json.Unmarshal([]byte(cl.str("blocks")), &blocks)
		for _, b := range blocks {
			if b.Text != nil {
				o.Text += "\n" + html.UnescapeString(b.Text.Text)
			}
			for _, e := range b.Elements {
				if e.Value != "" && e.Text != nil {
					o.Buttons = append(o.Buttons, bot.Button{Label: e.Text.Text, Value: e.Value})
				}
			}
		}
		switch cl.Method {
		case "chat.postMessage":
			o.Public = !strings.HasPrefix(cl.str("channel"), "D")
		case "chat.postEphemeral":
		case "response_url":
			o.Edit = cl.str("replace_original") == "true"
			o.Public = place == adaptertest.Shared && cl.str("response_type") == "in_channel" && !o.Edit
		case "chat.update":
			o.Edit = true
		case "views.open":
			o = adaptertest.Output{Modal: true}
		default:
			continue
		}
		out = append(out, o)
	}
	return out
}

func (c *contract) Forged(t *testing.T, a adaptertest.Action) int {
	t.Helper()
	return c.send(t, a, "not-the-signing-secret")
}
