package bot

import (
	"regexp"
	"strings"
)

// Commands are written in replies once, as "/profile", and shown the way
// they are typed on the platform that shows them: Slack and Discord deliver
// only hirebot's own slash command there, /hire, so "/profile" reads
// "/hire profile"; Telegram, the terminal and the web chat take "/profile"
// as it is.

// commandHint is a command written in text: "/profile" at the start, after
// a space or an opening quote or bracket (never "EUR/hour" or a URL path).
var commandHint = regexp.MustCompile(`(^|[\s(“"'‘«,])/([a-z]+)\b`)

// hintCommands are the commands HelpText lists: the ones a reply may name.
var hintCommands = func() map[string]bool {
	m := map[string]bool{}
	for _, sm := range commandHint.FindAllStringSubmatch(HelpText, -1) {
		m[sm[2]] = true
	}
	return m
}()

// CommandPrefix is how a command starts on platform: "/hire " on Slack and
// Discord, "/" elsewhere.
func CommandPrefix(platform string) string {
	switch platform {
	case Slack, Discord:
		return "/hire "
	}
	return "/"
}

// ForPlatform returns r with the commands its text and cards name written
// the way they are typed on platform. Button values are left alone: they
// come back as they are, never typed.
func ForPlatform(platform string, r Reply) Reply {
	prefix := CommandPrefix(platform)
	if prefix == "/" {
		return r
	}
	r.Text = hintsFor(r.Text, prefix)
	if len(r.Cards) > 0 {
		cards := make([]Card, len(r.Cards))
		for i, c := range r.Cards {
			c.Fields = append([]Field(nil), c.Fields...)
			for j := range c.Fields {
				c.Fields[j].Value = hintsFor(c.Fields[j].Value, prefix)
			}
			cards[i] = c
		}
		r.Cards = cards
	}
	return r
}

func hintsFor(text, prefix string) string {
	if !strings.Contains(text, "/") {
		return text
	}
	return commandHint.ReplaceAllStringFunc(text, func(m string) string {
		i := strings.LastIndexByte(m, '/')
		if !hintCommands[m[i+1:]] {
			return m
		}
		return m[:i] + prefix + m[i+1:]
	})
}
