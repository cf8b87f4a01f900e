package validate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"
)

// grafanaVars stand for the dashboard's variables in its queries, as
// Grafana fills them in before it sends a query.
var grafanaVars = strings.NewReplacer("$__rate_interval", "1m", "$__range", "6h", "$job", "hirebot")

// TestDashboardQueries parses every query of the Grafana dashboard with
// Prometheus's own PromQL parser. (Which metrics they name is checked
// against /metrics in package metrics.)
func TestDashboardQueries(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "grafana", "hirebot.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d any
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("hirebot.json: %v", err)
	}
	// Every "expr" wherever it is: in panels, in rows' panels, in variables.
	n := 0
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if expr, ok := v["expr"].(string); ok {
				n++
				if _, err := parser.NewParser(parser.Options{}).ParseExpr(grafanaVars.Replace(expr)); err != nil {
					t.Errorf("%s: %v", expr, err)
				}
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(d)
	if n < 10 {
		t.Errorf("the dashboard holds %d queries", n)
	}
}
