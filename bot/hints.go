package bot

import (
	"regexp"
	"strings"
)

// CommandTyper is an adapter that knows how each command is typed on its
// platform. TypedCommand returns it ("/hire profile"), or "/"+name for a
// command its slash command does not carry, which is then typed as text.
// On a platform whose adapter is not one, a command is typed "/name".
type CommandTyper interface {
	TypedCommand(name string) string
}

// commandHint is a command written in text: "/profile" at the start, after
// a space or an opening quote or bracket (never "EUR/hour" or a URL path).
var commandHint = regexp.MustCompile(`(^|[\s(“"'‘«,])/([a-z]+)\b`)

// WriteCommands returns r with the commands its text and cards name
// written by typed. Button values are left alone: they come back as they
// are, never typed.
func WriteCommands(r Reply, typed func(name string) string) Reply {
	r.Text = writeCommands(r.Text, typed)
	if len(r.Cards) > 0 {
		cards := make([]Card, len(r.Cards))
		for i, c := range r.Cards {
			c.Fields = append([]Field(nil), c.Fields...)
			for j := range c.Fields {
				c.Fields[j].Value = writeCommands(c.Fields[j].Value, typed)
			}
			cards[i] = c
		}
		r.Cards = cards
	}
	return r
}

func writeCommands(text string, typed func(name string) string) string {
	if !strings.Contains(text, "/") {
		return text
	}
	return commandHint.ReplaceAllStringFunc(text, func(m string) string {
		i := strings.LastIndexByte(m, '/')
		if !hintCommands[m[i+1:]] {
			return m
		}
		return m[:i] + typed(m[i+1:])
	})
}
