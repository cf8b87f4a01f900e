package hire_test

import (
	"context"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
)

const day = 24 * time.Hour

func TestCheckinsStalenessAndTwoReplicas(t *testing.T) {
	h := newRH(t) // the defaults: every 14 days, stale after 7 more
	ctx := context.Background()
	start := h.clock
	ann := tgID("ann")
	a := h.publish(ann, "Ann Smith")
	replica := h.replica()
	locker := memory.NewLocker(memory.LockOptions{Now: h.now})
	schedulers := []*hire.Scheduler{
		hire.NewScheduler(locker, h.now, nil, h.bot.Tasks()...),
		hire.NewScheduler(locker, h.now, nil, replica.Tasks()...),
	}
	until := func(at time.Time) {
		t.Helper()
		for h.clock.Before(at) {
			h.clock = h.clock.Add(min(3*time.Hour, at.Sub(h.clock)))
			for _, s := range schedulers {
				s.Tick(ctx, h.clock)
			}
		}
	}
	asked := func() int { return count(h.sinks[bot.Telegram].to("ann"), "Still available for work?") }

	until(start.Add(14*day - time.Hour))
	if n := asked(); n != 0 {
		t.Fatalf("asked %d times before 14 days", n)
	}
	until(start.Add(14*day + 3*time.Hour))
	if n := asked(); n != 1 {
		t.Fatalf("asked %d times at 14 days by two replicas, want 1", n)
	}

	// A restart: new processes whose leases are gone run every task at
	// once; the question is not sent again.
	restarted := hire.NewScheduler(memory.NewLocker(memory.LockOptions{Now: h.now}), h.now, nil, h.replica().Tasks()...)
	restarted.Tick(ctx, h.clock)
	if n := asked(); n != 1 {
		t.Fatalf("asked %d times after a restart, want 1", n)
	}

	zoe := tgID("zoe")
	h.publish(zoe, "Zoe Kim") // same profile, asked later: ranks below Ann on the account ID tie
	mustContain(t, h.post(slackID("T1", "bob")), "1. Ann Smith")

	until(start.Add(21*day + 6*time.Hour))
	c, err := h.db.Checkin(ctx, a.ID)
	if err != nil || !c.Stale {
		t.Fatalf("Checkin after 7 days unanswered = %+v, %v; want stale", c, err)
	}
	got := h.post(slackID("T1", "bob"))
	mustContain(t, got, "1. Zoe Kim", "2. Ann Smith", "availability not confirmed lately")

	mustContain(t, h.press(ann, "/available yes"), "You stay in matches")
	mustContain(t, h.post(slackID("T1", "bob")), "1. Ann Smith")
	if c, _ := h.db.Checkin(ctx, a.ID); c.Stale || !c.AskedAt.IsZero() {
		t.Fatalf("after Yes: %+v", c)
	}

	answered := h.clock
	until(answered.Add(14*day - 3*time.Hour))
	if n := asked(); n != 1 {
		t.Fatalf("asked %d times before 14 days after the answer, want 1", n)
	}
	until(answered.Add(14*day + 3*time.Hour))
	if n := asked(); n != 2 {
		t.Fatalf("asked %d times by 14 days after the answer, want 2", n)
	}
	mustContain(t, h.press(ann, "/available pause"), "Paused")
	p, _ := h.db.Profile(ctx, a.ID)
	if p.Status != bot.ProfilePaused {
		t.Errorf("after Pause the profile is %s", p.Status)
	}
	until(h.clock.Add(30 * day))
	if n := asked(); n != 2 {
		t.Errorf("a paused profile was asked again (%d)", n)
	}
}
