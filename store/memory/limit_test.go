package memory

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
)

func TestLimiterForgetsFullBuckets(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(LimitOptions{Now: func() time.Time { return now }})
	limit := bot.Limit{Rate: 1, Burst: 1}
	for i := range 1023 {
		if _, err := l.Reserve(context.Background(), fmt.Sprint(i), limit); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(time.Minute) // every bucket is full again
	if _, err := l.Reserve(context.Background(), "new", limit); err != nil {
		t.Fatal(err)
	}
	if n := len(l.buckets); n != 1 {
		t.Errorf("%d buckets kept, want only the one just used", n)
	}
}

func TestLimiterFollowsAChangedLimit(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(LimitOptions{Now: func() time.Time { return now }})
	ctx := context.Background()
	l.Reserve(ctx, "k", bot.Limit{Rate: 1, Burst: 1})
	// Ten times faster now: the next token comes in 100ms, not a second.
	d, err := l.Reserve(ctx, "k", bot.Limit{Rate: 10, Burst: 1})
	if err != nil || d != 100*time.Millisecond {
		t.Errorf("Reserve = %v, %v; want 100ms", d, err)
	}
}
