package metrics

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// dashboardExprs reads the queries of every panel of the Grafana
// dashboard in deploy/grafana.
func dashboardExprs(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../deploy/grafana/hirebot.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("hirebot.json: %v", err)
	}
	var out []string
	for _, p := range d.Panels {
		for _, tg := range p.Targets {
			if tg.Expr == "" {
				t.Errorf("panel %q has a target without a query", p.Title)
			}
			out = append(out, tg.Expr)
		}
	}
	return out
}

// TestDashboardShowsEveryMetric: the dashboard asks only for metrics
// serve exposes (a histogram through its _bucket, _sum or _count series),
// and shows each of hirebot's own. The queries' syntax is checked with
// Prometheus's parser in deploy/validate.
func TestDashboardShowsEveryMetric(t *testing.T) {
	families, err := sampled(t).reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	exposed := map[string]bool{}
	for _, f := range families {
		exposed[f.GetName()] = true
	}
	shown := map[string]bool{}
	name := regexp.MustCompile(`\b(?:hirebot|go|process)_[a-z_]+\b`)
	for _, expr := range dashboardExprs(t) {
		for _, n := range name.FindAllString(expr, -1) {
			base := n
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				if b, ok := strings.CutSuffix(n, suffix); ok && exposed[b] {
					base = b
				}
			}
			if !exposed[base] {
				t.Errorf("the dashboard asks for %s, which /metrics does not expose (in %s)", n, expr)
			}
			shown[base] = true
		}
	}
	var missing []string
	for n := range exposed {
		if strings.HasPrefix(n, "hirebot_") && !shown[n] {
			missing = append(missing, n)
		}
	}
	if slices.Sort(missing); len(missing) > 0 {
		t.Errorf("the dashboard shows none of %v", missing)
	}
}
