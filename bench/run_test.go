package bench

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hirebot/hirebot/store/sqlite"
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

// TestRunWithStore fills a real SQLite store, rebuilds from it and compares
// with its plain text search.
func TestRunWithStore(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "bench.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var out bytes.Buffer
	err = Run(ctx, &out, Config{Profiles: 300, Jobs: 20, Queries: 30, Seed: 1, Store: db, DBPath: "bench.db", Now: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"store fill", "rebuild from store", "for 300 profiles", "search ours", "search plain store text"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	t.Log("\n" + out.String())
}
