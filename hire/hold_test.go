package hire_test

import (
	"context"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/memory"
)

// A held lease keeps others out until it is stopped, and stop releases it.
func TestHoldReleasesOnStop(t *testing.T) {
	ctx := context.Background()
	locker := memory.NewLocker(memory.LockOptions{})
	l, ok, err := locker.Acquire(ctx, "poll", time.Minute)
	if err != nil || !ok {
		t.Fatalf("Acquire: %v %v", ok, err)
	}
	stop := bot.Hold(l, time.Minute, func(err error) { t.Errorf("lost: %v", err) })
	if _, ok, _ := locker.Acquire(ctx, "poll", time.Minute); ok {
		t.Fatal("a second holder took a held lease")
	}
	stop()
	if _, ok, err := locker.Acquire(ctx, "poll", time.Minute); err != nil || !ok {
		t.Fatalf("the lease was not released by stop: %v %v", ok, err)
	}
}
