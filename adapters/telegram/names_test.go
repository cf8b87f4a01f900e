package telegram

import (
	"context"
	"strings"
	"testing"

	"github.com/hirebot/hirebot/adapters/adaptertest"
	"github.com/hirebot/hirebot/bot"
)

// TestOthersSeeTheFirstAndLastName: a Telegram user who only ever wrote
// to the bot is shown to someone else by the first and last name Telegram
// gives, through the real adapter (its webhook) and the real core.
func TestOthersSeeTheFirstAndLastName(t *testing.T) {
	b, db := adaptertest.NewCore(t)
	f := newFakeAPI(t)
	fh := newFakeHandler()
	fh.reply = func(ev bot.Event) ([]bot.Reply, error) { return b.Handle(context.Background(), ev) }
	a := mustAdapter(t, f, Config{WebhookURL: "https://x.example/hook", WebhookSecret: testSecret}, fh)
	b.Register(a)
	if status := postUpdate(t, webhookServer(t, a).URL, testSecret, `{"update_id":7,"message":{"message_id":7,"date":1,
		"from":{"id":77,"is_bot":false,"first_name":"Ana","last_name":"Silva","username":"ana_s"},
		"chat":{"id":77,"type":"private","first_name":"Ana","last_name":"Silva"},"text":"hello"}}`); status != 200 {
		t.Fatalf("webhook answered %d", status)
	}
	if got := adaptertest.InviteReads(t, b, db, bot.Identity{Platform: bot.Telegram, UserID: "77"}); !strings.Contains(got, "Invite 1 sent to Ana Silva for #1") {
		t.Errorf("the employer reads %q; want Ana's first and last name", got)
	}
}
