package adaptertest

import (
	"context"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/memory"
)

// Pace checks a platform's bot.Pacer on an in-memory limiter whose clock
// stands still: a burst of burst messages to to's chat goes at once, the
// next one waits, and a message to another chat goes at once.
func Pace(t *testing.T, newPacer func(bot.Limiter) bot.Pacer, to bot.Recipient, burst int) {
	t.Helper()
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	p := newPacer(memory.NewLimiter(memory.LimitOptions{Now: func() time.Time { return now }}))
	ctx := context.Background()
	for i := range burst {
		if wait, err := p.Pace(ctx, to); err != nil || wait != 0 {
			t.Fatalf("message %d of the burst waits %v (err %v)", i+1, wait, err)
		}
	}
	if wait, err := p.Pace(ctx, to); err != nil || wait <= 0 {
		t.Errorf("the message past the burst waits %v (err %v), want a wait", wait, err)
	}
	other := to
	other.ChatID += "0"
	if wait, err := p.Pace(ctx, other); err != nil || wait != 0 {
		t.Errorf("another chat waits %v (err %v)", wait, err)
	}
}
