package slack

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/hirebot/hirebot/bot"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares v, as indented JSON, with testdata/name.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, buf.Bytes()) {
		t.Errorf("%s differs; got:\n%s", path, buf.String())
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"<!channel>", "&lt;!channel&gt;"},
		{"<!here|here> <!everyone>", "&lt;!here|here&gt; &lt;!everyone&gt;"},
		{"<@U123>", "&lt;@U123&gt;"},
		{"<https://evil.example|Your bank>", "&lt;https://evil.example|Your bank&gt;"},
		{"A & B", "A &amp; B"},
		{"&amp;", "&amp;amp;"},
		{"5 > 3 < 4", "5 &gt; 3 &lt; 4"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := escape(tt.in); got != tt.want {
				t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestReplyBlocksGolden(t *testing.T) {
	r := bot.Reply{
		Text: "3 freelancers match *Logo design* <!channel>",
		Cards: []bot.Card{{
			Title: "Ana <@U1> Ruiz",
			Fields: []bot.Field{
				{Label: "Rate", Value: "$40/h"},
				{Label: "Why", Value: "figma & illustrator, <https://evil.example|portfolio>"},
				{Label: "Empty", Value: ""},
			},
		}},
		Buttons: []bot.Button{
			{Label: "Invite", Value: "/invite 7 12", Style: "primary"},
			{Label: "Shortlist", Value: "/shortlist 7 12"},
			{Label: "Pass", Value: "no", Style: "danger"},
		},
	}
	golden(t, "reply.json", replyBlocks(r))
}

func TestModalGolden(t *testing.T) {
	f := bot.Form{ID: "post", Title: "Post a job for your team today", Submit: "Post", Fields: []bot.FormField{
		{ID: "title", Label: "Title", Placeholder: "Logo design"},
		{ID: "details", Label: "Details", Multiline: true, Optional: true, Value: "Keep it <simple>"},
	}}
	golden(t, "modal.json", modalView(f, modalMeta{Channel: "C1", ResponseURL: "https://hooks.slack.com/commands/1"}))
}

func TestAnsweredBlocks(t *testing.T) {
	in := replyBlocks(bot.Reply{Text: "Publish?", Buttons: []bot.Button{{Label: "Publish", Value: "yes"}, {Label: "Edit", Value: "edit"}}})
	out := answeredBlocks(in, "Publish")
	golden(t, "answered.json", out)
	for _, b := range out {
		if b.BlockType() == slack.MBTAction {
			t.Error("buttons left after the answer")
		}
	}
}

func TestCardFieldsSplitByTen(t *testing.T) {
	var fields []bot.Field
	for i := range 23 {
		fields = append(fields, bot.Field{Label: "L", Value: string(rune('a' + i))})
	}
	blocks := cardBlocks(bot.Card{Title: "Many", Fields: fields})
	if len(blocks) != 3 {
		t.Fatalf("%d sections, want 3", len(blocks))
	}
	for _, b := range blocks {
		if n := len(b.(*slack.SectionBlock).Fields); n > maxFieldsPerSect {
			t.Errorf("%d fields in a section", n)
		}
	}
}

func TestButtonsSplitBy25(t *testing.T) {
	var buttons []bot.Button
	for range 30 {
		buttons = append(buttons, bot.Button{Label: "x", Value: "x"})
	}
	blocks := buttonBlocks(buttons)
	if len(blocks) != 2 {
		t.Fatalf("%d action blocks, want 2", len(blocks))
	}
	ids := map[string]bool{}
	for _, b := range blocks {
		ids[b.(*slack.ActionBlock).BlockID] = true
	}
	if len(ids) != 2 {
		t.Errorf("block_ids not unique: %v", ids)
	}
}

func TestSplitText(t *testing.T) {
	long := strings.Repeat("a&b<c>\n", 1000)
	parts := splitText(long, maxSectionText)
	if len(parts) < 2 {
		t.Fatalf("%d parts", len(parts))
	}
	checkSplit(t, long, maxSectionText, parts)
}

func checkSplit(t *testing.T, text string, n int, parts []string) {
	t.Helper()
	var joined strings.Builder
	for _, p := range parts {
		if utf8.RuneCountInString(p) > n {
			t.Fatalf("part of %d runes > %d", utf8.RuneCountInString(p), n)
		}
		if strings.ContainsAny(strings.NewReplacer("&amp;", "", "&lt;", "", "&gt;", "").Replace(p), "&<>") {
			t.Fatalf("broken or raw markup in %q", p)
		}
		joined.WriteString(p)
	}
	strip := func(s string) string { return strings.Join(strings.Fields(s), "") }
	if strip(joined.String()) != strip(escape(strings.TrimSpace(text))) {
		t.Fatal("text lost in splitting")
	}
}

func FuzzSplitText(f *testing.F) {
	f.Add("hello <!channel> & you", 10)
	f.Add(strings.Repeat("&", 40), 7)
	f.Add("line one\nline two\n\nline three", 9)
	f.Fuzz(func(t *testing.T, text string, n int) {
		if !utf8.ValidString(text) || n < 6 || n > 5000 {
			return
		}
		checkSplit(t, text, n, splitText(text, n))
	})
}

func FuzzParseCommandText(f *testing.F) {
	for _, s := range []string{"", "post", "search go remote", "  /JOBS  ", "matches\t7", "\u00a0profile x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		verb, rest := parseCommandText(text)
		if verb == "" {
			t.Fatal("empty verb")
		}
		if strings.ContainsAny(verb, " \t\n\r") || strings.HasPrefix(verb, "/") && strings.TrimLeft(verb, "/") != "" {
			t.Fatalf("verb %q", verb)
		}
		if rest != strings.TrimSpace(rest) {
			t.Fatalf("rest %q not trimmed", rest)
		}
	})
}

func FuzzStripMention(f *testing.F) {
	f.Add("<@U0BOT> post", "U0BOT")
	f.Add("hi <@U0BOT|hirebot> and <@U1>", "U0BOT")
	f.Add("<@U9>", "")
	f.Fuzz(func(t *testing.T, text, botID string) {
		out := stripMention(text, botID)
		if botID != "" && strings.Contains(out, "<@"+botID+">") && !strings.Contains(text, "<@<@") {
			t.Fatalf("mention of the bot left in %q", out)
		}
		if len(out) > len(text) {
			t.Fatalf("output grew: %q -> %q", text, out)
		}
	})
}

func FuzzTruncateEscaped(f *testing.F) {
	f.Add("a&b<c>d", 5)
	f.Add("Ana <@U1> Ruiz", 8)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 6 || n > 5000 || !utf8.ValidString(s) {
			return
		}
		out := truncateEscaped(s, n)
		if utf8.RuneCountInString(out) > n {
			t.Fatalf("%q longer than %d", out, n)
		}
		if strings.ContainsAny(strings.NewReplacer("&amp;", "", "&lt;", "", "&gt;", "").Replace(out), "&<>") {
			t.Fatalf("broken or raw markup in %q", out)
		}
	})
}
