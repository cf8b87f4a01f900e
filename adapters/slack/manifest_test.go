package slack

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v2"

	"github.com/hirebot/hirebot/bot"
)

func manifest(t *testing.T, host string) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteManifest(&b, host); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The app manifest asks for exactly the scopes and events the adapter uses.
func TestManifestMatchesAdapter(t *testing.T) {
	lines := map[string]bool{}
	for _, l := range strings.Split(manifest(t, ExampleHost), "\n") {
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

// /hire's usage hint is the command table's menu: every menu command that
// runs outside a community, with its required arguments, in order.
func TestManifestUsageHintIsTheTable(t *testing.T) {
	var m struct {
		Features struct {
			SlashCommands []struct {
				Command   string `yaml:"command"`
				URL       string `yaml:"url"`
				UsageHint string `yaml:"usage_hint"`
			} `yaml:"slash_commands"`
		} `yaml:"features"`
	}
	if err := yaml.Unmarshal([]byte(manifest(t, "jobs.example.org")), &m); err != nil {
		t.Fatalf("the manifest is not YAML: %v", err)
	}
	cmds := m.Features.SlashCommands
	if len(cmds) != 1 || cmds[0].Command != "/hire" || cmds[0].URL != "https://jobs.example.org/slack/commands" {
		t.Fatalf("slash commands = %+v", cmds)
	}
	verbs := strings.Split(cmds[0].UsageHint, " | ")
	var want []string
	for _, c := range bot.MenuCommands() {
		if !c.Community {
			want = append(want, c.Name)
		}
	}
	if len(verbs) != len(want) {
		t.Fatalf("usage hint %q names %d verbs, the table's menu %d", cmds[0].UsageHint, len(verbs), len(want))
	}
	for i, v := range verbs {
		if name, _, _ := strings.Cut(v, " "); name != want[i] {
			t.Errorf("verb %d of the usage hint is %q, want /%s", i, v, want[i])
		}
	}
	if !strings.Contains(cmds[0].UsageHint, "matches <job>") {
		t.Errorf("usage hint %q lacks the required argument of matches", cmds[0].UsageHint)
	}
}

// deploy/slack/manifest.yaml is what `hirebot slack manifest` prints.
func TestCheckedInManifestIsPrinted(t *testing.T) {
	b, err := os.ReadFile("../../deploy/slack/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if got := manifest(t, ExampleHost); string(b) != got {
		t.Errorf("deploy/slack/manifest.yaml is stale: run hirebot slack manifest > deploy/slack/manifest.yaml")
	}
}

func TestManifestRefusesWhatIsNotAHost(t *testing.T) {
	for _, host := range []string{"", "https://hirebot.example.com", "hirebot.example.com/slack", "user@hirebot.example.com", "a b"} {
		if err := WriteManifest(&bytes.Buffer{}, host); err == nil {
			t.Errorf("WriteManifest(%q) took it as a host", host)
		}
	}
}
