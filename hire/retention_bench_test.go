package hire_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bench"
	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/match"
	"github.com/hirebot/hirebot/store/memory"
	"github.com/hirebot/hirebot/store/sqlite"
)

// BenchmarkMatchJobTrust measures what trust and retention add to ranking
// 100,000 profiles: the bot's two signals (ratings, staleness) and a
// workspace's privacy exclusions (1,000 people hiding from it).
func BenchmarkMatchJobTrust(b *testing.B) {
	const n = 100_000
	g := bench.NewGenerator(1, benchNow)
	clock := func() time.Time { return benchNow }
	build := func() *match.Index {
		ix := match.NewIndex(match.IndexConfig{Now: clock})
		for id := int64(1); id <= n; id++ {
			ix.Put(g.Profile(id))
		}
		return ix
	}
	jobs := make([]bot.Job, 256)
	for i := range jobs {
		jobs[i] = g.Job(int64(10_000 + i))
	}
	plain := build()
	withSignals := build()
	db, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{Now: clock})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := hire.New(hire.Config{Store: db, Sessions: memory.NewSessions(memory.SessionOptions{}), Index: withSignals, Now: clock}); err != nil {
		b.Fatal(err)
	}
	hidden := map[int64]bool{}
	for id := int64(1); id <= n; id += n / 1000 {
		hidden[id] = true
	}
	b.Run("plain", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			plain.MatchJob(jobs[i%len(jobs)], 20)
		}
	})
	b.Run("signals", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			withSignals.MatchJob(jobs[i%len(jobs)], 20)
		}
	})
	b.Run("signals+hidden", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			withSignals.MatchJobHiding(jobs[i%len(jobs)], 20, hidden)
		}
	})
}
