package bot

import (
	"context"
	"io"
	"log/slog"
	"time"
)

// Task is periodic work: expiring jobs and invites, reminders, digests,
// delivering the outbox. Run gets the scheduler's clock reading, so tests
// drive it with an injected clock.
type Task struct {
	Name  string
	Every time.Duration
	Run   func(ctx context.Context, now time.Time) error
}

// Scheduler runs tasks on one replica at a time: before each run it takes
// the task's lease for one period and does not release it, so whichever
// replica runs a task first in a period is the only one that does.
type Scheduler struct {
	locker Locker
	tasks  []Task
	now    func() time.Time
	log    *slog.Logger
	last   map[string]time.Time
}

// NewScheduler returns a scheduler of tasks under locker's leases.
func NewScheduler(locker Locker, now func() time.Time, log *slog.Logger, tasks ...Task) *Scheduler {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Scheduler{locker: locker, tasks: tasks, now: now, log: log.With("component", "scheduler"), last: map[string]time.Time{}}
}

// Tick runs every task that is due at now and whose lease this replica
// gets. A failing task is logged and tried again next period.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) {
	for _, t := range s.tasks {
		if ctx.Err() != nil {
			return // shutting down: nothing is due any more
		}
		if last, ok := s.last[t.Name]; ok && now.Sub(last) < t.Every {
			continue
		}
		_, ok, err := s.locker.Acquire(ctx, "task:"+t.Name, t.Every)
		if err != nil {
			s.log.Warn("task lease unavailable", "task", t.Name, "err", err)
			continue
		}
		s.last[t.Name] = now
		if !ok {
			continue // another replica runs it this period
		}
		if err := t.Run(ctx, now); err != nil && ctx.Err() == nil {
			s.log.Error("task failed", "task", t.Name, "err", err)
		}
	}
}

// Run ticks every resolution until ctx ends.
func (s *Scheduler) Run(ctx context.Context, resolution time.Duration) error {
	tick := time.NewTicker(resolution)
	defer tick.Stop()
	for {
		s.Tick(ctx, s.now())
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}
