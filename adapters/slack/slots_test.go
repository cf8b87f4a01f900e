package slack

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/memory"
)

// Slack allows an app 10 Socket Mode connections: replicas sharing a
// Locker hold one slot each, and the eleventh start is refused with a
// message that names the HTTP Events API.
func TestSocketModeRefusesAnEleventhConnection(t *testing.T) {
	f := newFakeSlack(t)
	b := newFakeBot(func(context.Context, bot.Event) ([]bot.Reply, error) { return nil, nil })
	cfg := Config{AppToken: "xapp-1-test", Locker: memory.NewLocker(memory.LockOptions{})}
	a, _ := newTestAdapter(t, f, b, cfg, time.Minute)
	ctx := context.Background()

	var stops []func()
	for i := range socketSlots {
		stop, err := a.takeSocketSlot(ctx)
		if err != nil || stop == nil {
			t.Fatalf("connection %d refused: %v", i+1, err)
		}
		stops = append(stops, stop)
	}
	err := a.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "10 connections") || !strings.Contains(err.Error(), "HTTP Events API") {
		t.Fatalf("an eleventh start: %v; want a refusal naming the limit and the HTTP Events API", err)
	}
	if bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("error code %q, want %q", bot.ErrorCode(err), bot.EINVALID)
	}

	stops[3]() // a replica stops: its slot is free again
	stop, err := a.takeSocketSlot(ctx)
	if err != nil || stop == nil {
		t.Fatalf("a start after one stopped was refused: %v", err)
	}
	stop()
	for i, s := range stops {
		if i != 3 {
			s()
		}
	}
}
