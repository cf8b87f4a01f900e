package web

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"sync/atomic"

	"github.com/hirebot/hirebot/bot"
)

// Replies are rendered here, on the server, by html/template: every text
// is escaped by the template engine, and the page only inserts the result.
// Buttons are <button>s, links <a>s, forms <form>s with labelled inputs,
// so the chat works with the keyboard and a screen reader as any page does.
var replyTemplate = template.Must(template.New("reply").Funcs(template.FuncMap{
	"link": isLink,
}).Parse(`<div class="msg bot{{if .Private}} private{{end}}">
{{- with .Text}}<p>{{.}}</p>{{end}}
{{- range .Cards}}<section class="card">{{with .Title}}<h3>{{.}}</h3>{{end}}<dl>
{{- range .Fields}}<div><dt>{{.Label}}</dt><dd>{{.Value}}</dd></div>{{end}}</dl></section>{{end}}
{{- with .Form}}{{$f := .}}<form class="form" data-form="{{.ID}}" aria-labelledby="{{$.Prefix}}-title" novalidate>
<h3 id="{{$.Prefix}}-title">{{.Title}}</h3>
{{- range $i, $x := .Fields}}{{$id := printf "%s-%d" $.Prefix $i}}{{$err := index $f.Errors $x.ID}}<div class="field">
<label for="{{$id}}">{{$x.Label}}{{if $x.Optional}} <span class="opt">(optional)</span>{{end}}</label>
{{- if $x.Multiline}}<textarea id="{{$id}}" name="{{$x.ID}}" rows="3" maxlength="4000" placeholder="{{$x.Placeholder}}"{{if not $x.Optional}} required{{end}}{{if $err}} aria-invalid="true" aria-describedby="{{$id}}-err"{{end}}>{{$x.Value}}</textarea>
{{- else}}<input id="{{$id}}" name="{{$x.ID}}" type="text" maxlength="4000" value="{{$x.Value}}" placeholder="{{$x.Placeholder}}"{{if not $x.Optional}} required{{end}}{{if $err}} aria-invalid="true" aria-describedby="{{$id}}-err"{{end}}>{{end}}
{{- with $err}}<p class="err" id="{{$id}}-err">{{.}}</p>{{end}}</div>{{end}}
<button type="submit" class="primary">{{or .Submit "Send"}}</button></form>{{end}}
{{- if .Buttons}}<div class="buttons" role="group" aria-label="Choices">
{{- range .Buttons}}{{if link .Value}}<a class="button" href="{{.Value}}" target="_blank" rel="noopener noreferrer">{{.Label}}</a>
{{- else}}<button type="button"{{with .Style}} class="{{.}}"{{end}} data-value="{{.Value}}">{{.Label}}</button>{{end}}{{end}}</div>{{end}}
</div>`))

// isLink reports whether a button's value is a web link to open rather
// than a value to send back.
func isLink(v string) bool {
	return strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://")
}

// renderer numbers forms, so the inputs of every form on a page have ids
// of their own.
type renderer struct{ forms atomic.Int64 }

// Render returns one reply as HTML.
func (rd *renderer) Render(r bot.Reply) (string, error) {
	var b bytes.Buffer
	err := replyTemplate.Execute(&b, struct {
		bot.Reply
		Prefix string
	}{r, fmt.Sprintf("f%d", rd.forms.Add(1))})
	return b.String(), err
}
