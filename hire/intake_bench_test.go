package hire_test

import (
	"context"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/hirebot/hirebot/bench"
	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
)

// BenchmarkIntakeEvent is the inbox's share of one message under load:
// 50 people's events at once go through the intake on a SQLite file
// (record, a lease held while a stand-in core answers, done with the
// reply waiting, the adapter's confirmation of delivery), with Run
// taking over in the background as in serve. cpu-ns/op is the process's
// CPU time per event, the steadier figure on a shared machine.
func BenchmarkIntakeEvent(b *testing.B) {
	db := openInboxDB(b, filepath.Join(b.TempDir(), "hirebot.db"))
	core, err := hire.New(hire.Config{Store: db, Sessions: memory.NewSessions(memory.SessionOptions{})})
	if err != nil {
		b.Fatal(err)
	}
	in := core.Intake(db, hire.IntakeConfig{Owner: "bench"})
	answer := func(_ context.Context, ev bot.Event) ([]bot.Reply, error) {
		return []bot.Reply{{To: ev.Chat, Text: "What is your headline?"}}, nil
	}
	h := bot.Chain(answer, in.Middleware)
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- in.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-ran; err != nil {
			b.Error(err)
		}
	}()

	var users, seq atomic.Int64
	b.SetParallelism(25) // 50 goroutines on 2 cores
	b.ReportAllocs()
	cpu := bench.CPUTime()
	b.RunParallel(func(pb *testing.PB) {
		user := "U" + strconv.FormatInt(users.Add(1), 10)
		for pb.Next() {
			ev := slackDM("Ev"+strconv.FormatInt(seq.Add(1), 10), user, "Ada Lovelace")
			actx, _ := bot.WithAccept(ctx)
			replies, err := h(actx, ev)
			if err != nil || len(replies) != 1 {
				b.Fatalf("%d replies, %v", len(replies), err)
			}
			bot.Delivered(actx)
		}
	})
	b.ReportMetric(float64(bench.CPUTime()-cpu)/float64(b.N), "cpu-ns/op")
}
