package telegram

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
)

const testGroup = "-1001234567890"

var groupGig = bot.Reply{
	To:      bot.Recipient{Platform: bot.Telegram, ChatID: testGroup},
	Cards:   []bot.Card{{Title: "#7 Logo <for> a bakery", Fields: []bot.Field{{Label: "Budget", Value: "300 USD"}}}},
	Buttons: []bot.Button{{Label: "Apply", Value: "https://t.me/hirebot_test_bot?start=gig_7"}},
}

func TestDeepLink(t *testing.T) {
	a := mustAdapter(t, newFakeAPI(t), Config{}, newFakeHandler())
	tests := []struct{ payload, want string }{
		{"gig_7", "https://t.me/" + testUsername + "?start=gig_7"},
		{"post", "https://t.me/" + testUsername + "?start=post"},
		{"", ""},
		{"gig 7", ""},
		{"gig_7&x=1", ""},
		{string(make([]byte, 65)), ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q", tt.payload), func(t *testing.T) {
			if got := a.DeepLink(tt.payload); got != tt.want {
				t.Errorf("DeepLink(%q) = %q, want %q", tt.payload, got, tt.want)
			}
		})
	}
}

func TestPostReturnsTheMessageID(t *testing.T) {
	f := newFakeAPI(t)
	a := mustAdapter(t, f, Config{}, newFakeHandler())
	ref, err := a.Post(context.Background(), groupGig)
	if err != nil {
		t.Fatal(err)
	}
	sent := f.Calls("sendMessage")
	if len(sent) != 1 {
		t.Fatalf("sendMessage called %d times, want 1", len(sent))
	}
	if ref != "101" { // the fake numbers messages from 101
		t.Errorf("ref = %q, want the message_id 101", ref)
	}
	c := sent[0].Form
	if c.Get("chat_id") != testGroup || c.Get("text") != "<b>#7 Logo &lt;for&gt; a bakery</b>\n<b>Budget:</b> 300 USD" ||
		c.Get("reply_markup") != `{"inline_keyboard":[[{"text":"Apply","url":"https://t.me/hirebot_test_bot?start=gig_7"}]]}` {
		t.Errorf("sent %v", c)
	}
}

func TestPostRefusedIsUnavailable(t *testing.T) {
	f := newFakeAPI(t)
	a := mustAdapter(t, f, Config{}, newFakeHandler())
	f.script("sendMessage", `{"ok":false,"error_code":403,"description":"Forbidden: bot was kicked from the supergroup chat"}`)
	ref, err := a.Post(context.Background(), groupGig)
	if bot.ErrorCode(err) != bot.EREFUSED || ref != "" {
		t.Fatalf("Post = %q, %v; want EREFUSED", ref, err)
	}
	if n := len(f.Calls("sendMessage")); n != 1 {
		t.Errorf("sendMessage called %d times, want 1 (no retry)", n)
	}
}

func TestEditReplacesTextAndKeyboard(t *testing.T) {
	f := newFakeAPI(t)
	a := mustAdapter(t, f, Config{}, newFakeHandler())
	expired := bot.Reply{Text: "This gig has expired.", Cards: groupGig.Cards}
	if err := a.Edit(context.Background(), groupGig.To, "101", expired); err != nil {
		t.Fatal(err)
	}
	// An edit that changes nothing is not an error.
	f.script("editMessageText", `{"ok":false,"error_code":400,"description":"Bad Request: message is not modified: specified new message content and reply markup are exactly the same"}`)
	if err := a.Edit(context.Background(), groupGig.To, "101", expired); err != nil {
		t.Errorf("unchanged edit: %v", err)
	}
	edits := f.Calls("editMessageText")
	if len(edits) != 2 {
		t.Fatalf("editMessageText called %d times, want 2", len(edits))
	}
	type edit struct{ Chat, Message, Text, Mode, Markup string }
	e := edits[0].Form
	got := edit{e.Get("chat_id"), e.Get("message_id"), e.Get("text"), e.Get("parse_mode"), e.Get("reply_markup")}
	want := edit{testGroup, "101", "This gig has expired.\n\n<b>#7 Logo &lt;for&gt; a bakery</b>\n<b>Budget:</b> 300 USD", "HTML", `{"inline_keyboard":[]}`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("edit (-want +got):\n%s", diff)
	}
	for _, ref := range []string{"", "x", "-3"} {
		if err := a.Edit(context.Background(), groupGig.To, ref, expired); bot.ErrorCode(err) != bot.EINVALID {
			t.Errorf("Edit(ref %q) = %v, want EINVALID", ref, err)
		}
	}
}

// A group command from user 42 (updGroupCommand's shape).
func groupCommand(id int, text string) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":9,"date":1700000000,
		"from":{"id":42,"is_bot":false,"first_name":"Ana"},
		"chat":{"id":%s,"type":"supergroup","title":"Gigs Berlin"},
		"text":%q,"entities":[{"type":"bot_command","offset":0,"length":%d}]}}`, id, testGroup, text, len(text))
}

func chatMember(status string) string {
	return fmt.Sprintf(`{"ok":true,"result":{"user":{"id":42,"is_bot":false,"first_name":"Ana"},"status":%q}}`, status)
}

func TestGroupAdminIsAModerator(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		answer  string // getChatMember's answer; "" when it must not be asked
		want    bool
		lookups int
	}{
		{"the creator runs setup", "/setup cooldown=10", chatMember("creator"), true, 1},
		{"an administrator runs setup", "/setup@" + testUsername, chatMember("administrator"), true, 1},
		{"a member runs setup", "/setup", chatMember("member"), false, 1},
		{"the lookup fails", "/remove 7", `{"ok":false,"error_code":400,"description":"Bad Request: user not found"}`, false, 1},
		{"a command anyone may run is not looked up", "/post", "", false, 0},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t)
			h := newFakeHandler()
			a := mustAdapter(t, f, Config{WebhookURL: "https://x.example/hook", WebhookSecret: testSecret}, h)
			if tt.answer != "" {
				f.script("getChatMember", tt.answer)
			}
			srv := webhookServer(t, a)
			if got := postUpdate(t, srv.URL, testSecret, groupCommand(500+i, tt.text)); got != http.StatusOK {
				t.Fatalf("status %d", got)
			}
			ev := h.next(t)
			if ev.Moderator != tt.want || ev.Manager != tt.want {
				t.Errorf("Moderator, Manager = %v, %v, want %v (event %+v)", ev.Moderator, ev.Manager, tt.want, ev)
			}
			calls := f.Calls("getChatMember")
			if len(calls) != tt.lookups {
				t.Fatalf("getChatMember called %d times, want %d", len(calls), tt.lookups)
			}
			if tt.lookups > 0 && (calls[0].Form.Get("chat_id") != testGroup || calls[0].Form.Get("user_id") != "42") {
				t.Errorf("getChatMember asked about %v", calls[0].Form)
			}
		})
	}
}

func TestNeedsModerator(t *testing.T) {
	group := bot.Recipient{Platform: bot.Telegram, ChatID: testGroup}
	tests := []struct {
		name string
		ev   bot.Event
		want bool
	}{
		{"setup in a group", bot.Event{Kind: bot.KindCommand, Command: "setup", Chat: group}, true},
		{"close in a group", bot.Event{Kind: bot.KindCommand, Command: "close", Chat: group}, true},
		{"remove pressed in a group", bot.Event{Kind: bot.KindButton, Text: "/remove 7", Chat: group}, true},
		{"keep pressed with a bot suffix", bot.Event{Kind: bot.KindButton, Text: "/keep@" + testUsername + " 7", Chat: group}, true},
		{"a dialog answer", bot.Event{Kind: bot.KindButton, Text: "remove", Chat: group}, false},
		{"post in a group", bot.Event{Kind: bot.KindCommand, Command: "post", Chat: group}, false},
		{"setup in private", bot.Event{Kind: bot.KindCommand, Command: "setup", Private: true}, false},
		{"a message", bot.Event{Kind: bot.KindMessage, Text: "/setup", Chat: group}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := needsModerator(tt.ev); got != tt.want {
				t.Errorf("needsModerator = %v, want %v", got, tt.want)
			}
		})
	}
}
