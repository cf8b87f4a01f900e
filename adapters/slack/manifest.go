package slack

import (
	_ "embed"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"text/template"

	"github.com/hirebot/hirebot/bot"
)

// ExampleHost is the host the checked-in manifest
// (deploy/slack/manifest.yaml) names.
const ExampleHost = "hirebot.example.com"

//go:embed manifest.yaml.tmpl
var manifestText string

var manifestTemplate = template.Must(template.New("manifest").Parse(manifestText))

// WriteManifest writes hirebot's Slack app manifest for host, the public
// HTTPS host that serves `hirebot serve`: the /hire slash command with a
// usage hint made from the command table (UsageHint), the scopes in
// BotScopes, the events and request URLs the adapter serves.
func WriteManifest(w io.Writer, host string) error {
	if u, err := url.Parse("https://" + host); err != nil || host == "" || u.Host != host || u.User != nil {
		return fmt.Errorf("slack: %q is not a host name (give it without https:// or a path, e.g. %s)", host, ExampleHost)
	}
	return manifestTemplate.Execute(w, struct{ Host, UsageHint string }{host, strconv.Quote(UsageHint())})
}

// UsageHint is what Slack shows under /hire: the verbs of the platforms'
// menus (bot.MenuCommands) with their required arguments, but those that
// run only in a community: a Slack workspace has no gig board.
func UsageHint() string {
	var verbs []string
	for _, c := range bot.MenuCommands() {
		if c.Community {
			continue
		}
		v := c.Name
		for _, a := range c.Args {
			if a.Required {
				v += " <" + a.Name + ">"
			}
		}
		verbs = append(verbs, v)
	}
	return strings.Join(verbs, " | ")
}
