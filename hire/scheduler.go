package hire

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/hirebot/hirebot/bot"
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
// the task's lease for most of one period and does not release it, so
// whichever replica runs a task first in a period is the only one that
// does. A replica that does not get the lease tries again at its next
// tick, so a period is never skipped because two clocks disagree by a
// hair about when the last lease ran out.
type Scheduler struct {
	locker bot.Locker
	tasks  []Task
	now    func() time.Time
	log    *slog.Logger
	last   map[string]time.Time
}

// NewScheduler returns a scheduler of tasks under locker's leases.
func NewScheduler(locker bot.Locker, now func() time.Time, log *slog.Logger, tasks ...Task) *Scheduler {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Scheduler{locker: locker, tasks: tasks, now: now, log: log.With("component", "scheduler"), last: map[string]time.Time{}}
}

// Scheduler resolution bounds: ticks come at least every maxResolution
// and at most every minResolution, half the shortest task period between.
const (
	minResolution = time.Second
	maxResolution = 10 * time.Second
)

// Resolution is how often Run ticks: half the shortest task period, within
// one and ten seconds, so the shortest configured interval is kept.
func (s *Scheduler) Resolution() time.Duration {
	r := maxResolution
	for _, t := range s.tasks {
		r = min(r, t.Every/2)
	}
	return max(r, minResolution)
}

// leaseFor is the lease a run takes: nine tenths of the period, so the
// lease has surely run out when the next period's tick comes.
func leaseFor(every time.Duration) time.Duration {
	return max(every-every/10, time.Millisecond)
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
		_, ok, err := s.locker.Acquire(ctx, "task:"+t.Name, leaseFor(t.Every))
		if err != nil {
			s.log.Warn("task lease unavailable", "task", t.Name, "err", err)
			continue
		}
		if !ok {
			continue // another replica runs it this period, or its lease is about to end: next tick
		}
		s.last[t.Name] = now
		if err := t.Run(ctx, now); err != nil && ctx.Err() == nil {
			s.log.Error("task failed", "task", t.Name, "err", err)
		}
	}
}

// Run ticks until ctx ends, every resolution or more often when the
// shortest task period needs it (Resolution).
func (s *Scheduler) Run(ctx context.Context, resolution time.Duration) error {
	if resolution <= 0 || resolution > s.Resolution() {
		resolution = s.Resolution()
	}
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

// every is a task period: part of the interval it serves, between lo and
// hi, so a short setting (a two-minute invite) is served as faithfully as
// the default.
func every(interval time.Duration, part int, lo, hi time.Duration) time.Duration {
	return min(max(interval/time.Duration(part), lo), hi)
}
