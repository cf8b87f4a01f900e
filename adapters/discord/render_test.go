package discord

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
)

func TestEscape(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "Hello there", "Hello there"},
		{"bold and italics", "**bold** _it_ *it*", `\*\*bold\*\* \_it\_ \*it\*`},
		{"strike spoiler code", "~~x~~ ||s|| `c`", "\\~\\~x\\~\\~ \\|\\|s\\|\\| \\`c\\`"},
		{"quote", "> quoted", `\> quoted`},
		{"backslash", `a\b`, `a\\b`},
		{"everyone and here", "@everyone @here hi", "@\u200beveryone @\u200bhere hi"},
		{"user role channel mentions", "<@123> <@&456> <#789>", `\<@123\> \<@&456\> \<#789\>`},
		{"email untouched", "ana@example.com", "ana@example.com"},
		{"masked link", "[click](https://evil.example)", `\[click\](https://evil.example)`},
		{"bare link kept", "see https://ex.com/a_b*c now", "see https://ex.com/a_b*c now"},
		{"link cut at angle bracket", "https://ex.com/<@1>", `https://ex.com/\<@1\>`},
		{"heading and lists at line start", "# Title\n- item\n  + more\n1. first\nmid-line # - 2. ok", "\\# Title\n\\- item\n  \\+ more\n1\\. first\nmid-line # - 2. ok"},
		{"subtext", "-# small", `\-# small`},
		{"unicode", "Zoë’s café ✓", "Zoë’s café ✓"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Escape(tt.in); got != tt.want {
				t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// unescape undoes Escape the way Discord renders it: a backslash before
// punctuation shows the punctuation, and the zero-width space is invisible.
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(`\*_~`+"`"+`|><[]#-+.`, s[i+1]) >= 0 {
			i++
		}
		b.WriteByte(s[i])
	}
	return strings.ReplaceAll(b.String(), "@\u200b", "@")
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"**x**", "@everyone", "<@1>", "[a](https://b)", "# h\n- l\n1. o", `\`, "https://x.y/_*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.Contains(s, "\u200b") {
			return
		}
		e := Escape(s)
		if got := unescape(e); got != s {
			t.Fatalf("Escape(%q) = %q shows as %q", s, e, got)
		}
		if strings.Contains(e, "@everyone") || strings.Contains(e, "@here") {
			t.Fatalf("Escape(%q) = %q can ping", s, e)
		}
		for i := 0; i < len(e); i++ {
			if e[i] == '<' && (i == 0 || e[i-1] != '\\') {
				t.Fatalf("Escape(%q) = %q leaves mention syntax", s, e)
			}
			if e[i] == '\\' {
				i++ // skip the escaped byte
			}
		}
	})
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		n    int
		want string
	}{
		{"short", "abc", 5, "abc"},
		{"cut", "abcdef", 4, "abc…"},
		{"runes", "ééééé", 3, "éé…"},
		{"no dangling escape", `ab\*cd`, 4, "ab…"},
		{"escaped backslash kept", `a\\bcd`, 4, `a\\…`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := truncate(tt.in, tt.n); got != tt.want {
				t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
		})
	}
}

func buttons(n int) []bot.Button {
	var out []bot.Button
	for i := range n {
		out = append(out, bot.Button{Label: fmt.Sprint("B", i), Value: fmt.Sprint("/v ", i)})
	}
	return out
}

func rowSizes(cs []discordgo.MessageComponent) []int {
	var out []int
	for _, c := range cs {
		out = append(out, len(c.(discordgo.ActionsRow).Components))
	}
	return out
}

func TestRenderButtons(t *testing.T) {
	t.Run("rows of five", func(t *testing.T) {
		got := renderButtons(buttons(7))
		if diff := cmp.Diff([]int{5, 2}, rowSizes(got)); diff != "" {
			t.Errorf("rows (-want +got):\n%s", diff)
		}
		b := got[1].(discordgo.ActionsRow).Components[1].(discordgo.Button)
		if b.CustomID != "/v 6" || b.Label != "B6" {
			t.Errorf("last button = %+v", b)
		}
	})
	t.Run("styles and labels are not escaped", func(t *testing.T) {
		got := renderButtons([]bot.Button{
			{Label: "*Publish*", Value: "yes", Style: "primary"},
			{Label: "Cancel", Value: "no", Style: "danger"},
			{Value: "skip"},
		})
		want := []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "*Publish*", Style: discordgo.PrimaryButton, CustomID: "yes"},
			discordgo.Button{Label: "Cancel", Style: discordgo.DangerButton, CustomID: "no"},
			discordgo.Button{Label: "skip", Style: discordgo.SecondaryButton, CustomID: "skip"},
		}}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("components (-want +got):\n%s", diff)
		}
	})
	t.Run("duplicates and empty values dropped", func(t *testing.T) {
		got := renderButtons([]bot.Button{{Label: "A", Value: "x"}, {Label: "B", Value: "x"}, {Label: "C"}})
		if diff := cmp.Diff([]int{1}, rowSizes(got)); diff != "" {
			t.Errorf("rows (-want +got):\n%s", diff)
		}
	})
	t.Run("more than 25 become select menus", func(t *testing.T) {
		got := renderButtons(buttons(30))
		if len(got) != 2 {
			t.Fatalf("rows = %d, want 2 selects", len(got))
		}
		var opts []int
		for _, row := range got {
			sm := row.(discordgo.ActionsRow).Components[0].(discordgo.SelectMenu)
			if !strings.HasPrefix(sm.CustomID, selectPrefix) {
				t.Errorf("select custom_id %q", sm.CustomID)
			}
			opts = append(opts, len(sm.Options))
		}
		if diff := cmp.Diff([]int{25, 5}, opts); diff != "" {
			t.Errorf("options (-want +got):\n%s", diff)
		}
	})
	t.Run("at most five rows of selects", func(t *testing.T) {
		if got := renderButtons(buttons(200)); len(got) != maxRows {
			t.Errorf("rows = %d, want %d", len(got), maxRows)
		}
	})
}

func TestRenderCards(t *testing.T) {
	got := renderCards([]bot.Card{{
		Title:  "Fix my *site* @everyone",
		Fields: []bot.Field{{Label: "Budget", Value: "$200"}, {Label: "Skills", Value: ""}},
	}})
	want := []*discordgo.MessageEmbed{{
		Title: `Fix my \*site\* @` + "\u200b" + `everyone`,
		Fields: []*discordgo.MessageEmbedField{
			{Name: "Budget", Value: "$200", Inline: true},
			{Name: "Skills", Value: "—", Inline: true},
		},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("embeds (-want +got):\n%s", diff)
	}
}

func TestModal(t *testing.T) {
	f := &bot.Form{ID: "post", Title: "Post a job that is far too long for a modal title", Fields: []bot.FormField{
		{ID: "notes", Label: "Notes", Optional: true, Multiline: true},
		{ID: "title", Label: "Title", Placeholder: "Landing page fix", Value: "Fix"},
		{ID: "extra", Label: "Extra", Optional: true},
		{ID: "scope", Label: "Scope and deliverables", Multiline: true},
		{ID: "skills", Label: "Skills"},
		{ID: "budget", Label: "Budget"},
	}}
	got := modal(f)
	if got.CustomID != "post" || utf8.RuneCountInString(got.Title) > maxModalTitle {
		t.Errorf("custom_id %q title %q", got.CustomID, got.Title)
	}
	var ids []string
	for _, row := range got.Components {
		r := row.(discordgo.ActionsRow)
		if len(r.Components) != 1 {
			t.Fatalf("row with %d components", len(r.Components))
		}
		in := r.Components[0].(discordgo.TextInput)
		ids = append(ids, in.CustomID)
		if in.CustomID == "title" && (in.Value != "Fix" || in.Placeholder != "Landing page fix" || !in.Required || in.Style != discordgo.TextInputShort) {
			t.Errorf("title input = %+v", in)
		}
		if in.CustomID == "scope" && in.Style != discordgo.TextInputParagraph {
			t.Errorf("scope is not a paragraph")
		}
		if in.CustomID == "notes" && in.Required {
			t.Errorf("optional notes required")
		}
	}
	if diff := cmp.Diff([]string{"title", "scope", "skills", "budget", "notes"}, ids); diff != "" {
		t.Errorf("inputs: required first, at most five (-want +got):\n%s", diff)
	}
}

func TestRenderFormErrors(t *testing.T) {
	a := &Adapter{forms: newFormCache(10, time.Minute)}
	f := &bot.Form{ID: "post", Fields: []bot.FormField{{ID: "title", Label: "Title"}, {ID: "budget", Label: "Budget"}},
		Errors: map[string]string{"budget": "Write an amount like $200.", "title": "Too *long*."}}
	m := a.render(bot.Reply{Form: f}) // errors are ephemeral even when the reply is not Private
	want := "Please fix the form:\n• Title: Too \\*long\\*.\n• Budget: Write an amount like $200."
	if m.content != want || !m.ephemeral {
		t.Errorf("content = %q (ephemeral %v), want %q", m.content, m.ephemeral, want)
	}
	btn := m.components[0].(discordgo.ActionsRow).Components[0].(discordgo.Button)
	key, ok := strings.CutPrefix(btn.CustomID, formButtonPrefix)
	if !ok {
		t.Fatalf("button %+v does not open the form", btn)
	}
	kept, ok := a.forms.get(key)
	if !ok || kept.ID != "post" || kept.Errors != nil {
		t.Errorf("kept form = %+v, %v", kept, ok)
	}
}

func TestRenderEmpty(t *testing.T) {
	a := &Adapter{forms: newFormCache(10, time.Minute)}
	if m := a.render(bot.Reply{}); m.content == "" {
		t.Error("an empty reply renders as an empty message, which Discord refuses")
	}
}
