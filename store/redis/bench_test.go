package redis_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/hirebot/hirebot/bench/cpu"
	"github.com/hirebot/hirebot/conversation"
	"github.com/hirebot/hirebot/store/redis"
)

// roundTrips counts commands sent to Redis: one per command, one per
// pipeline.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) DialHook(next goredis.DialHook) goredis.DialHook { return next }

func (r *roundTrips) ProcessHook(next goredis.ProcessHook) goredis.ProcessHook {
	return func(ctx context.Context, cmd goredis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmd)
	}
}

func (r *roundTrips) ProcessPipelineHook(next goredis.ProcessPipelineHook) goredis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []goredis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmds)
	}
}

// BenchmarkInboundMessage is the Redis work of one message inside a
// dialog: claim the event ID, load the session, save it back.
func BenchmarkInboundMessage(b *testing.B) {
	s := open(b, redis.Options{})
	counter := &roundTrips{}
	s.Client().AddHook(counter)
	sessions, deduper := s.Sessions(), s.Deduper()
	ctx := context.Background()
	key := "acct:bench"
	storeSession := conversation.Session{
		Key: key, Flow: "profile", Step: "rate",
		Answers: map[string]string{"title": "Go developer", "skills": "go,sql,redis", "years": "7"},
		History: []string{"title", "skills", "years"},
		Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	}
	if _, err := sessions.Save(ctx, storeSession); err != nil {
		b.Fatal(err)
	}
	counter.n.Store(0)
	b.ReportAllocs()
	b.ResetTimer()
	defer cpu.PerOp(b)()
	i := 0
	for b.Loop() {
		i++
		first, err := deduper.Claim(ctx, fmt.Sprintf("Ev%d", i))
		if err != nil || !first {
			b.Fatalf("claim: %v %v", first, err)
		}
		sess, err := sessions.Load(ctx, key)
		if err != nil {
			b.Fatal(err)
		}
		sess.Answers["rate"] = "USD 45/h"
		if _, err := sessions.Save(ctx, sess); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(counter.n.Load())/float64(i), "roundtrips/op")
}
