package bench

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestRunPrintsFigures(t *testing.T) {
	var out bytes.Buffer
	err := Run(context.Background(), &out, Config{Profiles: 2000, Jobs: 50, Queries: 50, Seed: 1, Now: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"index memory", "match job top-20", "match profile", "search skills+filters", "update one profile", "no store given"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	t.Log("\n" + out.String())
}
