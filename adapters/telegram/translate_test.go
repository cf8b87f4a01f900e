package telegram

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
)

// Updates in the shapes of the Bot API documentation
// (https://core.telegram.org/bots/api#update). Ana (42) talks to the bot in
// private; the group "Gigs Berlin" is -1001234567890.
const (
	updPrivateText = `{"update_id":10001,"message":{"message_id":5,"date":1700000000,
		"from":{"id":42,"is_bot":false,"first_name":"Ana","last_name":"Silva","username":"ana_s","language_code":"pt"},
		"chat":{"id":42,"type":"private","first_name":"Ana","last_name":"Silva","username":"ana_s"},
		"text":"I build Go services <b>&\"'"}}`
	updDeepLink = `{"update_id":10002,"message":{"message_id":6,"date":1700000001,
		"from":{"id":42,"is_bot":false,"first_name":"Ana"},
		"chat":{"id":42,"type":"private","first_name":"Ana"},
		"text":"/start gig_12","entities":[{"type":"bot_command","offset":0,"length":6}]}}`
	updCommandAtBot = `{"update_id":10003,"message":{"message_id":7,"date":1700000002,
		"from":{"id":42,"is_bot":false,"first_name":"Ana"},
		"chat":{"id":-1001234567890,"type":"supergroup","title":"Gigs Berlin"},
		"text":"/post@hirebot_test_bot","entities":[{"type":"bot_command","offset":0,"length":22}]}}`
	updCommandOtherBot = `{"update_id":10004,"message":{"message_id":8,"date":1700000003,
		"from":{"id":42,"is_bot":false,"first_name":"Ana"},
		"chat":{"id":-1001234567890,"type":"supergroup","title":"Gigs Berlin"},
		"text":"/post@other_bot","entities":[{"type":"bot_command","offset":0,"length":15}]}}`
	updGroupChatter = `{"update_id":10005,"message":{"message_id":9,"date":1700000004,
		"from":{"id":43,"is_bot":false,"first_name":"Ben"},
		"chat":{"id":-1001234567890,"type":"supergroup","title":"Gigs Berlin"},
		"text":"anyone around?"}}`
	updGroupMention = `{"update_id":10006,"message":{"message_id":10,"date":1700000005,
		"from":{"id":43,"is_bot":false,"first_name":"Ben"},
		"chat":{"id":-1001234567890,"type":"supergroup","title":"Gigs Berlin"},
		"text":"👋 @hirebot_test_bot find me a designer",
		"entities":[{"type":"mention","offset":3,"length":17}]}}`
	updGroupReply = `{"update_id":10007,"message":{"message_id":11,"date":1700000006,
		"from":{"id":43,"is_bot":false,"first_name":"Ben"},
		"chat":{"id":-1001234567890,"type":"supergroup","title":"Gigs Berlin"},
		"text":"yes, remote is fine",
		"reply_to_message":{"message_id":3,"date":1699999999,
			"from":{"id":777000,"is_bot":true,"first_name":"Hirebot","username":"hirebot_test_bot"},
			"chat":{"id":-1001234567890,"type":"supergroup","title":"Gigs Berlin"},"text":"Remote ok?"}}}`
	updCallback = `{"update_id":10008,"callback_query":{"id":"4382bfdwdsb323b2d9","chat_instance":"-1234567890",
		"from":{"id":42,"is_bot":false,"first_name":"Ana"},
		"data":"publish",
		"message":{"message_id":101,"date":1700000007,
			"from":{"id":777000,"is_bot":true,"first_name":"Hirebot","username":"hirebot_test_bot"},
			"chat":{"id":42,"type":"private","first_name":"Ana"},
			"text":"Logo design\nBudget: 200 EUR\nPublish it?",
			"entities":[{"type":"bold","offset":0,"length":11},{"type":"bold","offset":12,"length":7}],
			"reply_markup":{"inline_keyboard":[[{"text":"Publish","callback_data":"publish"},{"text":"Edit","callback_data":"edit"}]]}}}}`
	updFromBot = `{"update_id":10009,"message":{"message_id":12,"date":1700000008,
		"from":{"id":555,"is_bot":true,"first_name":"Other","username":"other_bot"},
		"chat":{"id":-1001234567890,"type":"supergroup","title":"Gigs Berlin"},
		"text":"@hirebot_test_bot hello","entities":[{"type":"mention","offset":0,"length":17}]}}`
	updEdited = `{"update_id":10010,"edited_message":{"message_id":5,"date":1700000000,"edit_date":1700000100,
		"from":{"id":42,"is_bot":false,"first_name":"Ana"},
		"chat":{"id":42,"type":"private","first_name":"Ana"},"text":"fixed typo"}}`
	updPhoto = `{"update_id":10011,"message":{"message_id":13,"date":1700000009,
		"from":{"id":42,"is_bot":false,"first_name":"Ana"},
		"chat":{"id":42,"type":"private","first_name":"Ana"},
		"photo":[{"file_id":"AgAD","file_unique_id":"AQAD","width":90,"height":90,"file_size":1200}]}}`
	updSlashNoEntity = `{"update_id":10012,"message":{"message_id":14,"date":1700000010,
		"from":{"id":42,"is_bot":false,"first_name":"Ana"},
		"chat":{"id":42,"type":"private","first_name":"Ana"},
		"text":"/ not a command"}}`
)

var me = tgbotapi.User{ID: testBotID, IsBot: true, FirstName: "Hirebot", UserName: testUsername}

func mustUpdate(tb testing.TB, raw string) tgbotapi.Update {
	tb.Helper()
	var u tgbotapi.Update
	if err := json.Unmarshal([]byte(raw), &u); err != nil {
		tb.Fatalf("update: %v", err)
	}
	return u
}

func TestTranslate(t *testing.T) {
	ana := bot.Identity{Platform: bot.Telegram, UserID: "42"}
	ben := bot.Identity{Platform: bot.Telegram, UserID: "43"}
	anaChat := bot.Recipient{Platform: bot.Telegram, ChatID: "42"}
	group := bot.Recipient{Platform: bot.Telegram, ChatID: "-1001234567890"}
	tests := []struct {
		name   string
		update string
		want   bot.Event
		ok     bool
	}{
		{"private text", updPrivateText, bot.Event{ID: "tg:10001", Kind: bot.KindMessage, From: ana, Name: "Ana Silva",
			Chat: anaChat, Private: true, Text: `I build Go services <b>&"'`}, true},
		{"deep link", updDeepLink, bot.Event{ID: "tg:10002", Kind: bot.KindCommand, From: ana, Name: "Ana",
			Chat: anaChat, Private: true, Command: "start", Text: "gig_12"}, true},
		{"command at the bot in a group", updCommandAtBot, bot.Event{ID: "tg:10003", Kind: bot.KindCommand, From: ana,
			Name: "Ana", Chat: group, Community: group.ChatID, Command: "post"}, true},
		{"command at another bot", updCommandOtherBot, bot.Event{}, false},
		{"group chatter", updGroupChatter, bot.Event{}, false},
		{"group mention", updGroupMention, bot.Event{ID: "tg:10006", Kind: bot.KindMessage, From: ben, Name: "Ben",
			Chat: group, Community: group.ChatID, Text: "👋 find me a designer"}, true},
		{"group reply to the bot", updGroupReply, bot.Event{ID: "tg:10007", Kind: bot.KindMessage, From: ben, Name: "Ben",
			Chat: group, Community: group.ChatID, Text: "yes, remote is fine"}, true},
		{"button", updCallback, bot.Event{ID: "tg:10008", Kind: bot.KindButton, From: ana, Name: "Ana",
			Chat: anaChat, Private: true, Text: "publish"}, true},
		{"another bot", updFromBot, bot.Event{}, false},
		{"edited message", updEdited, bot.Event{}, false},
		{"photo without caption", updPhoto, bot.Event{}, false},
		{"slash without command entity", updSlashNoEntity, bot.Event{ID: "tg:10012", Kind: bot.KindMessage, From: ana,
			Name: "Ana", Chat: anaChat, Private: true, Text: "/ not a command"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := translate(mustUpdate(t, tt.update), me)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		in                string
		cmd, target, args string
		ok                bool
	}{
		{"/start gig_12", "start", "", "gig_12", true},
		{"/Post@HireBot_Test_Bot  Logo  design ", "post", "HireBot_Test_Bot", "Logo  design", true},
		{"/help", "help", "", "", true},
		{"/search\ngo react", "search", "", "go react", true},
		{"/", "", "", "", false},
		{"/@bot", "", "", "", false},
		{"hello", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			cmd, target, args, ok := parseCommand(tt.in)
			if cmd != tt.cmd || target != tt.target || args != tt.args || ok != tt.ok {
				t.Errorf("parseCommand(%q) = %q, %q, %q, %v; want %q, %q, %q, %v",
					tt.in, cmd, target, args, ok, tt.cmd, tt.target, tt.args, tt.ok)
			}
		})
	}
}

func TestStripMentions(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		entities  []tgbotapi.MessageEntity
		want      string
		mentioned bool
	}{
		{"start", "@hirebot_test_bot hi", []tgbotapi.MessageEntity{{Type: "mention", Offset: 0, Length: 17}}, "hi", true},
		{"middle keeps lines", "ask\n@HIREBOT_TEST_BOT  about\nrates", []tgbotapi.MessageEntity{{Type: "mention", Offset: 4, Length: 17}}, "ask\nabout\nrates", true},
		{"after emoji (utf-16 offsets)", "🎨🎨 @hirebot_test_bot x", []tgbotapi.MessageEntity{{Type: "mention", Offset: 5, Length: 17}}, "🎨🎨 x", true},
		{"someone else", "@ben hi", []tgbotapi.MessageEntity{{Type: "mention", Offset: 0, Length: 4}}, "@ben hi", false},
		{"text mention", "Hirebot help", []tgbotapi.MessageEntity{{Type: "text_mention", Offset: 0, Length: 7, User: &me}}, "help", true},
		{"entity out of range", "hi", []tgbotapi.MessageEntity{{Type: "mention", Offset: 1, Length: 40}}, "hi", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, mentioned := stripMentions(tt.text, tt.entities, me)
			if got != tt.want || mentioned != tt.mentioned {
				t.Errorf("stripMentions = %q, %v; want %q, %v", got, mentioned, tt.want, tt.mentioned)
			}
		})
	}
}

// FuzzTranslate feeds arbitrary text and entities through translation: it
// must never panic, and what it yields must be valid for the bot.
func FuzzTranslate(f *testing.F) {
	f.Add("/start gig_12", "bot_command", 0, 6, true)
	f.Add("👋 @hirebot_test_bot find me", "mention", 3, 17, false)
	f.Add("/post@hirebot_test_bot x", "bot_command", 0, 22, false)
	f.Add("\xff/\xfe", "mention", -1, 3, true)
	f.Fuzz(func(t *testing.T, text, typ string, off, n int, private bool) {
		chat := tgbotapi.Chat{ID: -100, Type: "supergroup"}
		if private {
			chat = tgbotapi.Chat{ID: 42, Type: "private"}
		}
		u := tgbotapi.Update{UpdateID: 1, Message: &tgbotapi.Message{
			From: &tgbotapi.User{ID: 42}, Chat: &chat, Text: text,
			Entities: []tgbotapi.MessageEntity{{Type: typ, Offset: off, Length: n}},
		}}
		ev, ok := translate(u, me)
		if !ok {
			return
		}
		if ev.ID != "tg:1" || ev.From.UserID != "42" || ev.Private != private {
			t.Fatalf("bad event %+v", ev)
		}
		switch ev.Kind {
		case bot.KindCommand:
			if ev.Command == "" || strings.ContainsAny(ev.Command, " \n@") {
				t.Fatalf("bad command %q", ev.Command)
			}
		case bot.KindMessage:
			if ev.Text == "" || ev.Text != strings.TrimSpace(ev.Text) {
				t.Fatalf("bad text %q", ev.Text)
			}
		default:
			t.Fatalf("kind %q", ev.Kind)
		}
		if utf8.ValidString(text) && !utf8.ValidString(ev.Text) {
			t.Fatalf("valid text became invalid: %q", ev.Text)
		}
	})
}
