package bench

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/hirebot/hirebot/store/postgres/pgtest"
	"github.com/hirebot/hirebot/store/redis/redistest"
)

func TestMain(m *testing.M) { os.Exit(redistest.Run(m)) }

// TestScaleAnswersEveryEventOnce builds hirebot, runs it as three replicas
// on a PostgreSQL schema and a Redis, drives all three platforms at once
// for a short while with some events delivered twice, and checks that
// every event was answered exactly once. It prints the figures but asserts
// no speed.
func TestScaleAnswersEveryEventOnce(t *testing.T) {
	pg, redisURL := pgtest.URL(t), redistest.URL(t)
	bin := filepath.Join(t.TempDir(), "hirebot")
	if out, err := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "github.com/hirebot/hirebot/cmd/hirebot").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	var out, logs bytes.Buffer
	fig, err := Scale(t.Context(), &out, ScaleConfig{
		Binary: bin, Postgres: pg, RedisURL: redisURL,
		Users: 3, Duration: 3 * time.Second, TwicePercent: 30, Settle: 3 * time.Second, Logs: &logs,
	})
	t.Log("\n" + out.String())
	if err != nil {
		t.Fatalf("%v\nlogs:\n%s", err, tail(logs.String(), 4000))
	}
	if len(fig.Platforms) != 3 {
		t.Fatalf("figures for %d platforms, want 3", len(fig.Platforms))
	}
	for _, p := range fig.Platforms {
		if p.Sent == 0 || p.Lost != 0 || p.Duplicates != 0 || p.Answered != p.Sent {
			t.Errorf("%s: %d events, %d answered, %d lost, %d duplicates; want every event answered once", p.Platform, p.Sent, p.Answered, p.Lost, p.Duplicates)
		}
	}
	if fig.All.Twice == 0 {
		t.Errorf("no event was delivered twice: the run did not test dedupe across replicas")
	}
	if !fig.OK() {
		t.Errorf("figures not OK: %+v\nlogs:\n%s", fig.All, tail(logs.String(), 4000))
	}
}
