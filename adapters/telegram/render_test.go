package telegram

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
)

func data(label, value string) tgbotapi.InlineKeyboardButton {
	return tgbotapi.NewInlineKeyboardButtonData(label, value)
}

func TestRender(t *testing.T) {
	long := strings.Repeat("a", 65)
	tests := []struct {
		name    string
		reply   bot.Reply
		want    []outMessage
		dropped int
	}{
		{
			name:  "text is escaped",
			reply: bot.Reply{Text: `<b>&"' @everyone`},
			want:  []outMessage{{Text: "&lt;b&gt;&amp;&#34;&#39; @everyone"}},
		},
		{
			name: "card with bold labels and buttons",
			reply: bot.Reply{
				Text:    "Your job:",
				Cards:   []bot.Card{{Title: "Logo <design>", Fields: []bot.Field{{Label: "Budget", Value: "200 & up"}, {Label: "Deadline"}}}},
				Buttons: []bot.Button{{Label: "Publish", Value: "publish", Style: "primary"}, {Label: "Edit", Value: "edit"}},
			},
			want: []outMessage{{
				Text: "Your job:\n\n<b>Logo &lt;design&gt;</b>\n<b>Budget:</b> 200 &amp; up\n<b>Deadline:</b> —",
				Keyboard: &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{
					{data("Publish", "publish"), data("Edit", "edit")},
				}},
			}},
		},
		{
			name: "deep link is a URL button, long labels get a row each",
			reply: bot.Reply{Text: "New gig", Buttons: []bot.Button{
				{Label: "Apply in a private chat", Value: "https://t.me/hirebot_test_bot?start=gig_7"},
				{Label: "Save for later", Value: "/save 7"},
			}},
			want: []outMessage{{Text: "New gig", Keyboard: &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{
				{tgbotapi.NewInlineKeyboardButtonURL("Apply in a private chat", "https://t.me/hirebot_test_bot?start=gig_7")},
				{data("Save for later", "/save 7")},
			}}}},
		},
		{
			name:    "value over 64 bytes is dropped",
			reply:   bot.Reply{Text: "Pick", Buttons: []bot.Button{{Label: "Too long", Value: long}, {Label: "Ok", Value: "ok"}}},
			want:    []outMessage{{Text: "Pick", Keyboard: &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{{data("Ok", "ok")}}}}},
			dropped: 1,
		},
		{
			name:  "buttons without text",
			reply: bot.Reply{Buttons: []bot.Button{{Label: "Yes", Value: "yes"}}},
			want:  []outMessage{{Text: "Choose one:", Keyboard: &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{{data("Yes", "yes")}}}}},
		},
		{
			name: "form says the dialog asks one field at a time",
			reply: bot.Reply{Form: &bot.Form{ID: "post", Title: "Post a <job>", Fields: []bot.FormField{{ID: "budget", Label: "Budget"}},
				Errors: map[string]string{"budget": "Use a number & a currency", "zz": "x"}}},
			want: []outMessage{{Text: "<b>Post a &lt;job&gt;</b>\nForms don't exist on Telegram, so I'll ask for each field one at a time.\n" +
				"<b>Budget:</b> Use a number &amp; a currency\n<b>zz:</b> x"}},
		},
		{
			name:  "empty reply sends nothing",
			reply: bot.Reply{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, dropped := render(tt.reply)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("render (-want +got):\n%s", diff)
			}
			if len(dropped) != tt.dropped {
				t.Errorf("dropped %d buttons, want %d", len(dropped), tt.dropped)
			}
		})
	}
}

func TestRenderSplitsLongReplies(t *testing.T) {
	var fields []bot.Field
	for i := range 300 {
		fields = append(fields, bot.Field{Label: fmt.Sprintf("Skill %d", i), Value: "Go & <SQL> " + strings.Repeat("é", 10)})
	}
	r := bot.Reply{Text: strings.Repeat("&", 5000), Cards: []bot.Card{{Title: "Profile", Fields: fields}},
		Buttons: []bot.Button{{Label: "Ok", Value: "ok"}}}
	msgs, _ := render(r)
	if len(msgs) < 3 {
		t.Fatalf("got %d messages, want the reply split", len(msgs))
	}
	var all []string
	for i, m := range msgs {
		if n := utf16Len(m.Text); n > maxMessage {
			t.Errorf("message %d is %d units long", i, n)
		}
		if (m.Keyboard != nil) != (i == len(msgs)-1) {
			t.Errorf("message %d: keyboard %v; want it only on the last", i, m.Keyboard != nil)
		}
		checkMarkup(t, m.Text)
		all = append(all, m.Text)
	}
	joined := strings.Join(all, "\n")
	if got := strings.Count(joined, "&amp;"); got != 5000+300 {
		t.Errorf("%d escaped ampersands survived the split, want %d", got, 5300)
	}
}

var (
	tagRE    = regexp.MustCompile(`</?[a-z-]+>`)
	escapeRE = regexp.MustCompile(`&(amp|lt|gt|quot|#[0-9]+);`)
)

// checkMarkup fails if text has unbalanced tags or a raw < > & outside
// tags and escapes: what Telegram's HTML parser rejects.
func checkMarkup(t *testing.T, text string) {
	t.Helper()
	var stack []string
	for _, tag := range tagRE.FindAllString(text, -1) {
		if strings.HasPrefix(tag, "</") {
			name := tag[2 : len(tag)-1]
			if len(stack) == 0 || stack[len(stack)-1] != name {
				t.Fatalf("unbalanced %s in %q", tag, text)
			}
			stack = stack[:len(stack)-1]
		} else {
			stack = append(stack, tag[1:len(tag)-1])
		}
	}
	if len(stack) > 0 {
		t.Fatalf("unclosed %v in %q", stack, text)
	}
	plain := tagRE.ReplaceAllString(text, "")
	plain = escapeRE.ReplaceAllString(plain, "")
	if strings.ContainsAny(plain, "<>&") {
		t.Fatalf("raw markup character in %q", text)
	}
}

func TestEntitiesToHTML(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		entities []tgbotapi.MessageEntity
		want     string
	}{
		{"plain is escaped", `a<b>&"`, nil, "a&lt;b&gt;&amp;&#34;"},
		{"bold labels", "Budget: 200\nWhen: May", []tgbotapi.MessageEntity{{Type: "bold", Offset: 0, Length: 7}, {Type: "bold", Offset: 12, Length: 5}},
			"<b>Budget:</b> 200\n<b>When:</b> May"},
		{"after emoji", "🎨 Logo", []tgbotapi.MessageEntity{{Type: "bold", Offset: 3, Length: 4}}, "🎨 <b>Logo</b>"},
		{"nested", "abc", []tgbotapi.MessageEntity{{Type: "bold", Offset: 0, Length: 3}, {Type: "italic", Offset: 1, Length: 1}}, "<b>a<i>b</i>c</b>"},
		{"overlapping", "abc", []tgbotapi.MessageEntity{{Type: "bold", Offset: 0, Length: 2}, {Type: "italic", Offset: 1, Length: 2}}, "<b>a<i>b</i></b><i>c</i>"},
		{"unknown and broken kept plain", "ab", []tgbotapi.MessageEntity{{Type: "url", Offset: 0, Length: 2}, {Type: "bold", Offset: 1, Length: 9}}, "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := entitiesToHTML(tt.text, tt.entities); got != tt.want {
				t.Errorf("entitiesToHTML = %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzEntitiesToHTML checks that any text and entities give markup Telegram
// accepts and that reads back as the same text.
func FuzzEntitiesToHTML(f *testing.F) {
	f.Add("Budget: 200 <&>", 0, 7, 3, 5)
	f.Add("🎨🎨 x", 1, 2, 0, 5)
	f.Fuzz(func(t *testing.T, text string, o1, n1, o2, n2 int) {
		if !utf8.ValidString(text) {
			return
		}
		got := entitiesToHTML(text, []tgbotapi.MessageEntity{{Type: "bold", Offset: o1, Length: n1}, {Type: "code", Offset: o2, Length: n2}})
		checkMarkup(t, got)
		if back := html.UnescapeString(tagRE.ReplaceAllString(got, "")); back != text {
			t.Fatalf("text changed: %q -> %q", text, back)
		}
	})
}

// FuzzRender checks that any reply renders to valid markup within the size
// limit.
func FuzzRender(f *testing.F) {
	f.Add("<b>&\"'", "Budget", "200 & up", 1)
	f.Add(strings.Repeat("&", 900), strings.Repeat("'", 300), "y", 50)
	f.Fuzz(func(t *testing.T, text, label, value string, repeat int) {
		if !utf8.ValidString(text+label+value) || repeat < 1 || repeat > 500 {
			return
		}
		r := bot.Reply{Text: strings.Repeat(text, repeat), Cards: []bot.Card{{Title: label,
			Fields: []bot.Field{{Label: label, Value: strings.Repeat(value, repeat)}}}}}
		msgs, _ := render(r)
		for _, m := range msgs {
			if n := utf16Len(m.Text); n > maxMessage {
				t.Fatalf("message of %d units", n)
			}
			if m.Text == "" {
				t.Fatal("empty message")
			}
			checkMarkup(t, m.Text)
		}
	})
}
