package slack

import (
	"os"
	"strings"
	"testing"
)

// The app manifest asks for exactly the scopes and events the adapter uses.
func TestManifestMatchesAdapter(t *testing.T) {
	b, err := os.ReadFile("../../deploy/slack/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		l, _, _ = strings.Cut(l, "#")
		lines[strings.TrimSpace(l)] = true
	}
	var want []string
	for _, s := range BotScopes {
		want = append(want, "- "+s)
	}
	want = append(want,
		"- app_home_opened", "- app_mention", "- message.im",
		"- command: /hire",
		"url: https://hirebot.example.com/slack/commands",
		"request_url: https://hirebot.example.com/slack/events",
		"request_url: https://hirebot.example.com/slack/interactions",
		"- https://hirebot.example.com/slack/oauth/callback",
		"home_tab_enabled: true", "messages_tab_enabled: true",
		"socket_mode_enabled: false",
	)
	for _, w := range want {
		if !lines[w] {
			t.Errorf("manifest lacks %q", w)
		}
	}
}
