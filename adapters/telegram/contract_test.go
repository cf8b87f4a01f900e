package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hirebot/hirebot/adapters/adaptertest"
	"github.com/hirebot/hirebot/bot"
)

func TestContract(t *testing.T) {
	adaptertest.Run(t, func(t *testing.T, h bot.Handler) adaptertest.Harness {
		f := newFakeAPI(t)
		fh := newFakeHandler()
		fh.reply = func(ev bot.Event) ([]bot.Reply, error) { return h(context.Background(), ev) }
		a := mustAdapter(t, f, Config{WebhookURL: "https://x.example/hook", WebhookSecret: testSecret}, fh)
		return &contract{f: f, a: a, srv: webhookServer(t, a)}
	})
}

// contract drives the adapter through its webhook, as Telegram does.
type contract struct {
	f    *fakeAPI
	a    *Adapter
	srv  *httptest.Server
	seen int
	n    int
}

func (c *contract) Adapter() bot.Adapter { return c.a }
func (c *contract) Forms() bool          { return false }
func (c *contract) Shared() bool         { return true }

const groupID = -1001234

func (c *contract) update(a adaptertest.Action) string {
	uid := 1000 + len(a.User)*100 + int(a.User[0])
	id := c.n + 1
	c.n++
	if a.ID != "" {
		id = 500000 + len(a.ID)*1000 + int(a.ID[len(a.ID)-1])
	}
	chat := fmt.Sprintf(`{"id":%d,"type":"private","first_name":%q}`, uid, a.User)
	if a.Place == adaptertest.Shared {
		chat = fmt.Sprintf(`{"id":%d,"type":"supergroup","title":"Team"}`, groupID)
	}
	from := fmt.Sprintf(`{"id":%d,"is_bot":false,"first_name":%q}`, uid, a.User)
	if a.Kind == bot.KindButton {
		return fmt.Sprintf(`{"update_id":%d,"callback_query":{"id":"cb%d","from":%s,"chat_instance":"x","data":%q,
			"message":{"message_id":42,"date":1,"chat":%s,"text":"Choose","reply_markup":{"inline_keyboard":[[{"text":"Go","callback_data":%q}]]}}}}`,
			id, id, from, a.Text, chat, a.Text)
	}
	text, entities := a.Text, "[]"
	switch {
	case a.Kind == bot.KindCommand:
		text = "/" + a.Command
		entities = fmt.Sprintf(`[{"type":"bot_command","offset":0,"length":%d}]`, len(text))
	case a.Place == adaptertest.Shared:
		text = "@" + testUsername + " " + a.Text
		entities = fmt.Sprintf(`[{"type":"mention","offset":0,"length":%d}]`, len(testUsername)+1)
	}
	t, _ := json.Marshal(text)
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1,"from":%s,"chat":%s,"text":%s,"entities":%s}}`,
		id, id, from, chat, t, entities)
}

func (c *contract) Do(t *testing.T, a adaptertest.Action) []adaptertest.Output {
	t.Helper()
	if status := postUpdate(t, c.srv.URL, testSecret, c.update(a)); status != 200 {
		t.Fatalf("webhook answered %d", status)
	}
	return c.Received(t)
}

// Received implements adaptertest.Harness: the calls the fake received
// since the last Do or Received. The adapter sends before the webhook or
// the other platform's turn returns.
func (c *contract) Received(t *testing.T) []adaptertest.Output {
	t.Helper()
	calls := c.f.Calls("")
	calls, c.seen = calls[c.seen:], len(calls)
	var out []adaptertest.Output
	for _, cl := range calls {
		switch cl.Method {
		case "sendMessage":
			o := adaptertest.Output{Text: html.UnescapeString(cl.Form.Get("text")), Public: strings.HasPrefix(cl.Form.Get("chat_id"), "-")}
			var kb struct {
				Rows [][]struct {
					Text string `json:"text"`
					Data string `json:"callback_data"`
				} `json:"inline_keyboard"`
			}
			if json.Unmarshal([]byte(cl.Form.Get("reply_markup")), &kb) == nil {
				for _, row := range kb.Rows {
					for _, b := range row {
						o.Buttons = append(o.Buttons, bot.Button{Label: b.Text, Value: b.Data})
					}
				}
			}
			out = append(out, o)
		case "editMessageText", "editMessageReplyMarkup":
			out = append(out, adaptertest.Output{Text: cl.Form.Get("text"), Edit: true})
		}
	}
	return out
}

func (c *contract) Forged(t *testing.T, a adaptertest.Action) int {
	t.Helper()
	return postUpdate(t, c.srv.URL, "not-the-secret", c.update(a))
}
