package bot

import (
	"strings"

	"github.com/hirebot/hirebot/parse"
)

// CompleteSkill offers up to 25 skill names for what a person has typed so
// far (Discord's autocomplete limit): names that start with it first, then
// names or aliases that contain it.
func CompleteSkill(prefix string) []string {
	const limit = 25
	p := strings.ToLower(strings.TrimSpace(prefix))
	var starts, contains []string
	for _, s := range parse.Skills().All() {
		name := strings.ToLower(s.Name)
		switch {
		case strings.HasPrefix(name, p):
			starts = append(starts, s.Name)
		case strings.Contains(name, p) || aliasContains(s.Aliases, p):
			contains = append(contains, s.Name)
		}
		if len(starts) >= limit {
			break
		}
	}
	out := append(starts, contains...)
	return out[:min(len(out), limit)]
}

func aliasContains(aliases []string, p string) bool {
	for _, a := range aliases {
		if strings.Contains(strings.ToLower(a), p) {
			return true
		}
	}
	return false
}
