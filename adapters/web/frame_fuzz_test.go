package web

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hirebot/hirebot/bot"
)

func FuzzTranslate(f *testing.F) {
	for _, s := range []string{
		`{"type":"message","id":"a1","text":"/post"}`,
		`{"type":"message","text":"Ann Smith"}`,
		`{"type":"button","value":"/apply 7"}`,
		`{"type":"form","form":"post","values":{"title":"Fix it","budget":"$500"}}`,
		`{"type":"message","text":"\u0000"}`,
		`{"type":"form","form":"review:1:5","values":{}}`,
		`{}`, `[]`, `null`, `{"type":"message"}{}`,
	} {
		f.Add([]byte(s))
	}
	who := visitorRef{Workspace: "acme", UserID: "0123456789abcdef0123456789abcdef", Name: "Web visitor"}
	f.Fuzz(func(t *testing.T, data []byte) {
		ev, err := Translate(data, who)
		if err != nil {
			if _, ok := err.(errFrame); !ok {
				t.Fatalf("error %v is not a bad-frame error", err)
			}
			return
		}
		if ev.From != who.identity() || ev.Chat.Platform != bot.Web || !ev.Private {
			t.Fatalf("event from elsewhere: %+v", ev)
		}
		switch ev.Kind {
		case bot.KindMessage, bot.KindCommand:
			if !utf8.ValidString(ev.Text) || utf8.RuneCountInString(ev.Text) > maxText || strings.ContainsRune(ev.Text, 0) {
				t.Fatalf("text passed the limits: %q", ev.Text)
			}
		case bot.KindButton:
			if ev.Text == "" || len(ev.Text) > maxButton {
				t.Fatalf("button value passed the limits: %q", ev.Text)
			}
		case bot.KindForm:
			if len(ev.Form) > maxFormFields || ev.Command == "" {
				t.Fatalf("form passed the limits: %+v", ev)
			}
		default:
			t.Fatalf("kind %q", ev.Kind)
		}
		if ev.ID != "" && !strings.HasPrefix(ev.ID, "web:"+who.identity().String()+":") {
			t.Fatalf("event ID %q is not the visitor's own", ev.ID)
		}
	})
}
