package web

import (
	"strings"
	"testing"

	"github.com/hirebot/hirebot/bot"
)

func TestRenderEscapesEveryText(t *testing.T) {
	var rd renderer
	evil := `<script>alert(1)</script>"'&`
	html, err := rd.Render(bot.Reply{
		Text:    evil,
		Cards:   []bot.Card{{Title: evil, Fields: []bot.Field{{Label: evil, Value: evil}}}},
		Buttons: []bot.Button{{Label: evil, Value: `"><img src=x onerror=alert(1)>`}, {Label: "link", Value: "https://x.example/?a=<b>"}},
		Form:    &bot.Form{ID: "post", Title: evil, Fields: []bot.FormField{{ID: "title", Label: evil, Value: evil, Placeholder: evil}}, Errors: map[string]string{"title": evil}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "<img", `"><img`, "onerror=alert(1)>"} {
		if strings.Contains(html, bad) {
			t.Errorf("rendered HTML holds %q:\n%s", bad, html)
		}
	}
	if !strings.Contains(html, "&lt;script&gt;") {
		t.Errorf("text not escaped as text:\n%s", html)
	}
}

func TestRenderControls(t *testing.T) {
	var rd renderer
	html, err := rd.Render(bot.Reply{
		Text:    "Pick one",
		Buttons: []bot.Button{{Label: "Publish", Value: "confirm", Style: "primary"}, {Label: "Open", Value: "javascript:alert(1)"}, {Label: "Docs", Value: "https://hirebot.example/docs"}},
		Form:    &bot.Form{ID: "post", Title: "Post a job", Fields: []bot.FormField{{ID: "title", Label: "Title"}, {ID: "description", Label: "Scope", Multiline: true, Optional: true}}, Errors: map[string]string{"title": "Please fill this in."}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<button type="button" class="primary" data-value="confirm">Publish</button>`,
		`data-value="javascript:alert(1)"`, // a value to send back, never a link
		`<a class="button" href="https://hirebot.example/docs" target="_blank" rel="noopener noreferrer">Docs</a>`,
		`<form class="form" data-form="post"`,
		`<input id="f1-0" name="title" type="text" maxlength="4000" value="" placeholder="" required aria-invalid="true" aria-describedby="f1-0-err">`,
		`<p class="err" id="f1-0-err">Please fill this in.</p>`,
		`<label for="f1-1">Scope <span class="opt">(optional)</span></label><textarea id="f1-1" name="description"`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("rendered HTML lacks %s:\n%s", want, html)
		}
	}
	// Every form gets ids of its own.
	again, _ := rd.Render(bot.Reply{Form: &bot.Form{ID: "post", Fields: []bot.FormField{{ID: "title", Label: "Title"}}}})
	if !strings.Contains(again, `id="f2-0"`) {
		t.Errorf("second form reuses ids:\n%s", again)
	}
}
