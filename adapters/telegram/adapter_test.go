package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/adapters/adaptertest"
	"github.com/hirebot/hirebot/bot"
)

const testSecret = "s3cret-Token_1"

func TestNewSetsCommandMenu(t *testing.T) {
	f := newFakeAPI(t)
	a := mustAdapter(t, f, Config{}, newFakeHandler())
	if got := a.BotUsername(); got != testUsername {
		t.Errorf("BotUsername = %q, want %q", got, testUsername)
	}
	if got := f.Calls("getMe"); len(got) != 1 {
		t.Errorf("getMe called %d times, want 1", len(got))
	}
	calls := f.Calls("setMyCommands")
	if len(calls) != 1 {
		t.Fatalf("setMyCommands called %d times, want 1", len(calls))
	}
	var cmds []tgbotapi.BotCommand
	if err := json.Unmarshal([]byte(calls[0].Form.Get("commands")), &cmds); err != nil {
		t.Fatal(err)
	}
	for _, c := range cmds {
		if c.Description == "" || strings.Contains(c.Description, "\n") {
			t.Errorf("command %s: description %q is not one line", c.Command, c.Description)
		}
	}
	var want []tgbotapi.BotCommand // the menu commands of the table
	for _, c := range bot.MenuCommands() {
		want = append(want, tgbotapi.BotCommand{Command: c.Name, Description: c.Summary})
	}
	if diff := cmp.Diff(want, cmds); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	f := newFakeAPI(t)
	h := newFakeHandler().Handle
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no token", Config{APIURL: f.URL()}},
		{"webhook without secret", Config{Token: testToken, APIURL: f.URL(), WebhookURL: "https://hirebot.example/telegram/webhook"}},
		{"secret with bad characters", Config{Token: testToken, APIURL: f.URL(), WebhookURL: "https://x", WebhookSecret: "no spaces"}},
		{"wrong token", Config{Token: "1:wrong", APIURL: f.URL()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(context.Background(), tt.cfg, h, nil); err == nil {
				t.Error("New accepted it")
			}
		})
	}
}

func TestPollingDeliversEachUpdateOnce(t *testing.T) {
	f := newFakeAPI(t)
	h := newFakeHandler()
	a := mustAdapter(t, f, Config{}, h)
	f.queue(updPrivateText)
	f.queue(updDeepLink)
	stop := adaptertest.Start(t, a.Run)

	if got := h.next(t).ID; got != "tg:10001" {
		t.Errorf("first event %s, want tg:10001", got)
	}
	if got := h.next(t).ID; got != "tg:10002" {
		t.Errorf("second event %s, want tg:10002", got)
	}
	f.waitHeld() // the adapter asked again, past both updates
	f.queue(updCallback)
	if ev := h.next(t); ev.ID != "tg:10008" || ev.Kind != bot.KindButton {
		t.Errorf("third event %s %s, want tg:10008 button", ev.ID, ev.Kind)
	}
	f.waitHeld()
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}

	var offsets []string
	for _, c := range f.Calls("getUpdates") {
		offsets = append(offsets, c.Form.Get("offset"))
		if c.Form.Get("timeout") != "30" || c.Form.Get("allowed_updates") != `["message","callback_query"]` {
			t.Errorf("getUpdates form %v", c.Form)
		}
	}
	if diff := cmp.Diff([]string{"", "10003", "10009"}, offsets); diff != "" {
		t.Errorf("getUpdates offsets (-want +got):\n%s", diff)
	}
	if n := len(h.Events()); n != 3 {
		t.Errorf("handler saw %d events, want 3", n)
	}
	if n := len(f.Calls("deleteWebhook")); n != 1 {
		t.Errorf("deleteWebhook called %d times before polling, want 1", n)
	}
}

func TestPollingStopsWhileHeld(t *testing.T) {
	f := newFakeAPI(t)
	a := mustAdapter(t, f, Config{PollTimeout: 50 * time.Second}, newFakeHandler())
	stop := adaptertest.Start(t, a.Run)
	f.waitHeld() // a getUpdates is waiting for 50 s
	if err := stop(); err != nil {
		t.Fatalf("Run = %v, want nil on a clean stop", err)
	}
	if n := len(f.Calls("getUpdates")); n != 1 {
		t.Errorf("getUpdates called %d times, want 1", n)
	}
}

func TestPollingRetriesAfter429(t *testing.T) {
	f := newFakeAPI(t)
	h := newFakeHandler()
	a := mustAdapter(t, f, Config{}, h)
	f.script("getUpdates", answer429)
	f.queue(updPrivateText)
	adaptertest.Start(t, a.Run)
	if got := h.next(t).ID; got != "tg:10001" {
		t.Errorf("event %s, want tg:10001", got)
	}
	if n := len(f.Calls("getUpdates")); n < 2 {
		t.Errorf("getUpdates called %d times, want a retry", n)
	}
}

// webhookServer mounts the adapter's routes on a local server.
func webhookServer(t *testing.T, a *Adapter) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	a.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func postUpdate(t *testing.T, url, secret, body string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+WebhookPath, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestWebhookRegistersWithSecret(t *testing.T) {
	f := newFakeAPI(t)
	a := mustAdapter(t, f, Config{WebhookURL: "https://hirebot.example/telegram/webhook", WebhookSecret: testSecret}, newFakeHandler())
	stop := adaptertest.Start(t, a.Run)
	calls := f.waitCalls("setWebhook", 1)
	if got := calls[0].Form.Get("url"); got != "https://hirebot.example/telegram/webhook" {
		t.Errorf("url = %q", got)
	}
	if got := calls[0].Form.Get("secret_token"); got != testSecret {
		t.Errorf("secret_token = %q", got)
	}
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if n := len(f.Calls("getUpdates")); n != 0 {
		t.Errorf("webhook mode polled %d times", n)
	}
}

func TestWebhookSecret(t *testing.T) {
	tests := []struct {
		name   string
		secret string
		status int
		events int
	}{
		{"right secret", testSecret, http.StatusOK, 1},
		{"wrong secret", "s3cret-Token_2", http.StatusUnauthorized, 0},
		{"secret prefix", "s3cret", http.StatusUnauthorized, 0},
		{"missing secret", "", http.StatusUnauthorized, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t)
			h := newFakeHandler()
			h.reply = func(bot.Event) ([]bot.Reply, error) { return []bot.Reply{{Text: "hello"}}, nil }
			a := mustAdapter(t, f, Config{WebhookURL: "https://hirebot.example/telegram/webhook", WebhookSecret: testSecret}, h)
			srv := webhookServer(t, a)
			before := len(f.Calls(""))
			if got := postUpdate(t, srv.URL, tt.secret, updPrivateText); got != tt.status {
				t.Errorf("status %d, want %d", got, tt.status)
			}
			if n := len(h.Events()); n != tt.events {
				t.Errorf("handler called %d times, want %d", n, tt.events)
			}
			if tt.events == 0 && len(f.Calls("")) != before {
				t.Errorf("a forged call reached the Bot API: %v", f.Calls("")[before:])
			}
		})
	}
}

func TestWebhookRedeliveryKeepsEventID(t *testing.T) {
	f := newFakeAPI(t)
	h := newFakeHandler()
	a := mustAdapter(t, f, Config{WebhookURL: "https://x.example/hook", WebhookSecret: testSecret}, h)
	srv := webhookServer(t, a)
	for range 2 {
		if got := postUpdate(t, srv.URL, testSecret, updDeepLink); got != http.StatusOK {
			t.Fatalf("status %d", got)
		}
	}
	evs := h.Events()
	if len(evs) != 2 || evs[0].ID != "tg:10002" || evs[1].ID != evs[0].ID {
		t.Errorf("events %+v; want the same ID twice", evs)
	}
}

func TestWebhookBadBody(t *testing.T) {
	f := newFakeAPI(t)
	h := newFakeHandler()
	a := mustAdapter(t, f, Config{WebhookURL: "https://x.example/hook", WebhookSecret: testSecret}, h)
	srv := webhookServer(t, a)
	if got := postUpdate(t, srv.URL, testSecret, "{not json"); got != http.StatusBadRequest {
		t.Errorf("status %d, want 400", got)
	}
	badMessage := `{"update_id":5,"message":{"message_id":"x","text":7}}`
	if got := postUpdate(t, srv.URL, testSecret, badMessage); got != http.StatusBadRequest {
		t.Errorf("undecodable message: status %d, want 400", got)
	}
	// An inline query (not subscribed) whose id is a number, as in the
	// Bot API docs' example; the SDK types it as a string.
	inline := `{"update_id":6,"inline_query":{"id":134567890097,"from":{"id":1,"first_name":"A"},"query":"q","offset":""}}`
	if got := postUpdate(t, srv.URL, testSecret, inline); got != http.StatusOK {
		t.Errorf("unsubscribed kind: status %d, want 200", got)
	}
	if n := len(h.Events()); n != 0 {
		t.Errorf("handler called %d times", n)
	}
}

func TestButtonPressIsAnsweredAndEdited(t *testing.T) {
	f := newFakeAPI(t)
	h := newFakeHandler()
	var callsAtHandler int
	h.reply = func(ev bot.Event) ([]bot.Reply, error) {
		callsAtHandler = len(f.Calls("answerCallbackQuery"))
		return []bot.Reply{{Text: "Published."}}, nil
	}
	a := mustAdapter(t, f, Config{WebhookURL: "https://x.example/hook", WebhookSecret: testSecret}, h)
	srv := webhookServer(t, a)
	if got := postUpdate(t, srv.URL, testSecret, updCallback); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if ev := h.Events(); len(ev) != 1 || ev[0].Kind != bot.KindButton || ev[0].Text != "publish" {
		t.Fatalf("events %+v", ev)
	}
	answers := f.Calls("answerCallbackQuery")
	if len(answers) != 1 || answers[0].Form.Get("callback_query_id") != "4382bfdwdsb323b2d9" {
		t.Errorf("answerCallbackQuery calls %v", answers)
	}
	if callsAtHandler != 1 {
		t.Errorf("the callback was answered %d times before the handler ran, want 1", callsAtHandler)
	}
	edits := f.Calls("editMessageText")
	if len(edits) != 1 {
		t.Fatalf("editMessageText called %d times, want 1", len(edits))
	}
	want := map[string]string{
		"chat_id":      "42",
		"message_id":   "101",
		"parse_mode":   "HTML",
		"text":         "<b>Logo design</b>\n<b>Budget:</b> 200 EUR\nPublish it?\n\n✓ Publish",
		"reply_markup": `{"inline_keyboard":[]}`,
	}
	for k, v := range want {
		if got := edits[0].Form.Get(k); got != v {
			t.Errorf("edit %s = %q, want %q", k, got, v)
		}
	}
	if sent := f.Calls("sendMessage"); len(sent) != 1 || sent[0].Form.Get("text") != "Published." {
		t.Errorf("sendMessage calls %v", sent)
	}
}

func TestRepliesAreEscapedAndRouted(t *testing.T) {
	f := newFakeAPI(t)
	h := newFakeHandler()
	h.reply = func(ev bot.Event) ([]bot.Reply, error) {
		return []bot.Reply{
			{Text: `You said: ` + ev.Text, Buttons: []bot.Button{{Label: "Apply", Value: "https://t.me/hirebot_test_bot?start=gig_7"}}},
			{To: bot.Recipient{Platform: bot.Telegram, UserID: "99"}, Text: "New applicant"},
			{To: bot.Recipient{Platform: bot.Slack, ChatID: "C1"}, Text: "not for Telegram"},
		}, nil
	}
	a := mustAdapter(t, f, Config{WebhookURL: "https://x.example/hook", WebhookSecret: testSecret}, h)
	srv := webhookServer(t, a)
	if got := postUpdate(t, srv.URL, testSecret, updPrivateText); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	sent := f.Calls("sendMessage")
	if len(sent) != 2 {
		t.Fatalf("sendMessage called %d times, want 2: %v", len(sent), sent)
	}
	type msg struct{ ChatID, Text, ParseMode, Markup string }
	var got []msg
	for _, c := range sent {
		got = append(got, msg{c.Form.Get("chat_id"), c.Form.Get("text"), c.Form.Get("parse_mode"), c.Form.Get("reply_markup")})
	}
	want := []msg{
		{"42", "You said: I build Go services &lt;b&gt;&amp;&#34;&#39;", "HTML",
			`{"inline_keyboard":[[{"text":"Apply","url":"https://t.me/hirebot_test_bot?start=gig_7"}]]}`},
		{"99", "New applicant", "HTML", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sent (-want +got):\n%s", diff)
	}
}

func TestHandlerErrorIsShownPrivately(t *testing.T) {
	tests := []struct {
		name   string
		update string
		script []string // sendMessage answers
		want   []string // chat_id of each sendMessage
	}{
		{"private chat", updPrivateText, nil, []string{"42"}},
		{"group: in a DM", updGroupMention, nil, []string{"43"}},
		{"group: DM refused, in the group", updGroupMention, []string{answer403}, []string{"43", "-1001234567890"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t)
			h := newFakeHandler()
			h.reply = func(bot.Event) ([]bot.Reply, error) {
				return nil, bot.Errorf(bot.EINVALID, "The budget needs a number & a currency.")
			}
			a := mustAdapter(t, f, Config{WebhookURL: "https://x.example/hook", WebhookSecret: testSecret}, h)
			f.script("sendMessage", tt.script...)
			srv := webhookServer(t, a)
			if got := postUpdate(t, srv.URL, testSecret, tt.update); got != http.StatusOK {
				t.Fatalf("status %d", got)
			}
			var chats []string
			for _, c := range f.Calls("sendMessage") {
				chats = append(chats, c.Form.Get("chat_id"))
				if got := c.Form.Get("text"); got != "The budget needs a number &amp; a currency." {
					t.Errorf("text %q", got)
				}
			}
			if diff := cmp.Diff(tt.want, chats); diff != "" {
				t.Errorf("sent to (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSendRefusedIsUnavailable(t *testing.T) {
	f := newFakeAPI(t)
	a := mustAdapter(t, f, Config{WebhookURL: "https://x.example/hook", WebhookSecret: testSecret}, newFakeHandler())
	f.script("sendMessage", answer403)
	err := a.Send(context.Background(), bot.Reply{To: bot.Recipient{Platform: bot.Telegram, UserID: "42"}, Text: "You have an invite"})
	var be *bot.Error
	if !errors.As(err, &be) || be.Code != bot.EREFUSED || be.Message == "" {
		t.Fatalf("Send = %v, want an EREFUSED *bot.Error", err)
	}
	if n := len(f.Calls("sendMessage")); n != 1 {
		t.Errorf("sendMessage attempted %d times, want exactly 1", n)
	}
	if !a.Blocked("42") {
		t.Error("Blocked(42) = false after a 403")
	}
	// Writing to the bot again clears it.
	srv := webhookServer(t, a)
	if got := postUpdate(t, srv.URL, testSecret, updPrivateText); got != http.StatusOK {
		t.Fatalf("status %d", got)
	}
	if a.Blocked("42") {
		t.Error("Blocked(42) = true after Ana wrote to the bot")
	}
}

func TestSendWaitsOut429(t *testing.T) {
	f := newFakeAPI(t)
	a := mustAdapter(t, f, Config{}, newFakeHandler())
	f.script("sendMessage", answer429)
	if err := a.Send(context.Background(), bot.Reply{To: bot.Recipient{Platform: bot.Telegram, ChatID: "42"}, Text: "Your match"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	sent := f.Calls("sendMessage")
	if len(sent) != 2 {
		t.Fatalf("sendMessage called %d times, want 2 (429, then delivered)", len(sent))
	}
	for _, c := range sent {
		if c.Form.Get("text") != "Your match" || c.Form.Get("chat_id") != "42" {
			t.Errorf("sent %v", c.Form)
		}
	}
}

func TestSend429GivesUpWhenContextEnds(t *testing.T) {
	f := newFakeAPI(t)
	a := mustAdapter(t, f, Config{}, newFakeHandler())
	f.script("sendMessage", `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3600","parameters":{"retry_after":3600}}`)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		f.waitCalls("sendMessage", 1)
		cancel()
	}()
	err := a.Send(ctx, bot.Reply{To: bot.Recipient{Platform: bot.Telegram, ChatID: "42"}, Text: "x"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Send = %v, want context.Canceled", err)
	}
	if n := len(f.Calls("sendMessage")); n != 1 {
		t.Errorf("sendMessage called %d times, want 1", n)
	}
}

func TestSendRecipients(t *testing.T) {
	tests := []struct {
		name   string
		to     bot.Recipient
		chatID string // "" means refused
	}{
		{"chat", bot.Recipient{Platform: bot.Telegram, ChatID: "-1001234567890", UserID: "42"}, "-1001234567890"},
		{"person", bot.Recipient{Platform: bot.Telegram, UserID: "42"}, "42"},
		{"channel username", bot.Recipient{Platform: bot.Telegram, ChatID: "@gigs_berlin"}, "@gigs_berlin"},
		{"other platform", bot.Recipient{Platform: bot.Discord, ChatID: "42"}, ""},
		{"not an ID", bot.Recipient{Platform: bot.Telegram, UserID: "U123"}, ""},
		{"nobody", bot.Recipient{Platform: bot.Telegram}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t)
			a := mustAdapter(t, f, Config{}, newFakeHandler())
			err := a.Send(context.Background(), bot.Reply{To: tt.to, Text: "hi"})
			sent := f.Calls("sendMessage")
			if tt.chatID == "" {
				if bot.ErrorCode(err) != bot.EINVALID || len(sent) != 0 {
					t.Errorf("Send = %v with %d calls, want EINVALID and none", err, len(sent))
				}
				return
			}
			if err != nil || len(sent) != 1 || sent[0].Form.Get("chat_id") != tt.chatID {
				t.Errorf("Send = %v, calls %v; want one to %s", err, sent, tt.chatID)
			}
		})
	}
}
