package hire_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
)

func TestSchedulerRunsOnOneReplicaPerPeriod(t *testing.T) {
	clock := now
	locker := memory.NewLocker(memory.LockOptions{Now: func() time.Time { return clock }})
	runs := map[string]int{}
	task := func(replica string) hire.Task {
		return hire.Task{Name: "expire", Every: time.Minute, Run: func(context.Context, time.Time) error {
			runs[replica]++
			return nil
		}}
	}
	a := hire.NewScheduler(locker, nil, nil, task("a"))
	b := hire.NewScheduler(locker, nil, nil, task("b"))
	ctx := context.Background()
	for i := 0; i < 10; i++ { // ten periods, each replica ticking twice per period
		for _, half := range []time.Duration{0, 30 * time.Second} {
			at := clock.Add(half)
			a.Tick(ctx, at)
			b.Tick(ctx, at)
		}
		clock = clock.Add(time.Minute)
	}
	if total := runs["a"] + runs["b"]; total != 10 {
		t.Errorf("the task ran %d times in 10 periods (a %d, b %d), want 10", total, runs["a"], runs["b"])
	}
}

func TestSchedulerKeepsGoingAfterAFailure(t *testing.T) {
	clock := now
	locker := memory.NewLocker(memory.LockOptions{Now: func() time.Time { return clock }})
	calls := 0
	s := hire.NewScheduler(locker, nil, nil, hire.Task{Name: "flaky", Every: time.Minute, Run: func(context.Context, time.Time) error {
		calls++
		return errors.New("platform down")
	}})
	for i := 0; i < 3; i++ {
		s.Tick(context.Background(), clock)
		clock = clock.Add(time.Minute)
	}
	if calls != 3 {
		t.Errorf("failing task ran %d times in 3 periods, want 3", calls)
	}
}
