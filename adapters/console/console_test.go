package console

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hirebot/hirebot/bot"
)

func TestTranslate(t *testing.T) {
	buttons := []bot.Button{{Label: "Publish", Value: "confirm"}, {Label: "View Ann", Value: "/view 1"}}
	tests := []struct {
		line    string
		kind    string
		command string
		text    string
	}{
		{"hello", bot.KindMessage, "", "hello"},
		{"  45 USD per hour ", bot.KindMessage, "", "45 USD per hour"},
		{"1", bot.KindButton, "", "confirm"},
		{"2", bot.KindButton, "", "/view 1"},
		{"3", bot.KindMessage, "", "3"},
		{"0", bot.KindMessage, "", "0"},
		{"publish", bot.KindButton, "", "confirm"},
		{"/search go rate<60", bot.KindCommand, "search", "go rate<60"},
		{"/HELP", bot.KindCommand, "help", ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			ev := Translate(tt.line, buttons, "ann", "Ann")
			if ev.Kind != tt.kind || ev.Command != tt.command || ev.Text != tt.text {
				t.Errorf("got kind %q command %q text %q", ev.Kind, ev.Command, ev.Text)
			}
			want := bot.Identity{Platform: bot.Console, UserID: "ann"}
			if ev.From != want || !ev.Private || ev.Chat.ChatID != "ann" || ev.ID != "" {
				t.Errorf("event = %+v", ev)
			}
		})
	}
}

func TestRender(t *testing.T) {
	r := bot.Reply{
		Text:    "Here is your profile:",
		Cards:   []bot.Card{{Title: "Ann", Fields: []bot.Field{{Label: "Rate", Value: "45 USD/hour"}}}},
		Buttons: []bot.Button{{Label: "Publish", Value: "confirm"}, {Label: "Edit", Value: "edit"}},
	}
	want := "Here is your profile:\n── Ann ──\n  Rate: 45 USD/hour\n[3] Publish  [4] Edit\n\n"
	if diff := cmp.Diff(want, Render(r, false, 2)); diff != "" {
		t.Errorf("plain render (-want +got):\n%s", diff)
	}
	if got := Render(r, true, 0); !strings.Contains(got, "\033[1m") {
		t.Errorf("colour render has no bold: %q", got)
	}
}

func TestRunNumbersButtonsAcrossReplies(t *testing.T) {
	var seen []bot.Event
	h := func(_ context.Context, ev bot.Event) ([]bot.Reply, error) {
		seen = append(seen, ev)
		return []bot.Reply{
			{Text: "a", Buttons: []bot.Button{{Label: "One", Value: "v1"}}},
			{Text: "b", Buttons: []bot.Button{{Label: "Two", Value: "v2"}}},
		}, nil
	}
	var out bytes.Buffer
	a := New(Config{In: strings.NewReader("hi\n2\n\n" + strings.Repeat("x", MaxLine+10)), Out: &out, User: "ann"}, h, nil)
	if err := a.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 4 {
		t.Fatalf("handler saw %d events, want 4 (a blank line is answered too)", len(seen))
	}
	if seen[1].Kind != bot.KindButton || seen[1].Text != "v2" {
		t.Errorf("second line = %+v, want the button v2", seen[1])
	}
	if seen[2].Kind != bot.KindMessage || seen[2].Text != "" {
		t.Errorf("blank line = %+v, want an empty message", seen[2])
	}
	if n := len(seen[3].Text); n != MaxLine {
		t.Errorf("long line kept %d bytes, want %d", n, MaxLine)
	}
	if !strings.Contains(out.String(), "[1] One") || !strings.Contains(out.String(), "[2] Two") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestRunShowsErrors(t *testing.T) {
	h := func(context.Context, bot.Event) ([]bot.Reply, error) {
		return nil, &bot.Error{Code: bot.EUNAVAILABLE, Message: bot.UnavailableMessage}
	}
	var out bytes.Buffer
	if err := New(Config{In: strings.NewReader("hi"), Out: &out, User: "ann"}, h, nil).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), bot.UnavailableMessage) {
		t.Errorf("output = %q", out.String())
	}
}
