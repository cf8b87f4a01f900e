package hire_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
)

// lateClock reads clock a few milliseconds late, by a different amount
// each time, as a lease store does that reads the time a moment after the
// tick that asks it.
func lateClock(clock func() time.Time) func() time.Time {
	calls := 0
	return func() time.Time {
		calls++
		return clock().Add(time.Duration(1+calls%3) * time.Millisecond)
	}
}

// clockedScheduler runs h's bot tasks as `serve` does, with the lease
// clock late (lateClock), and advances the clock by the scheduler's own
// resolution.
type clockedScheduler struct {
	h *rh
	s *hire.Scheduler
}

func newClockedScheduler(h *rh) *clockedScheduler {
	locker := memory.NewLocker(memory.LockOptions{Now: lateClock(h.now)})
	return &clockedScheduler{h: h, s: hire.NewScheduler(locker, h.now, nil, h.bot.Tasks()...)}
}

// until ticks until cond holds or the clock passes limit; it returns the
// clock reading at which cond first held.
func (c *clockedScheduler) until(limit time.Time, cond func() bool) (time.Time, bool) {
	for !c.h.clock.After(limit) {
		c.s.Tick(context.Background(), c.h.clock)
		if cond() {
			return c.h.clock, true
		}
		c.h.clock = c.h.clock.Add(c.s.Resolution())
	}
	return c.h.clock, false
}

func TestSchedulerKeepsEveryPeriodWhenTheLeaseClockIsAhead(t *testing.T) {
	clock := now
	locker := memory.NewLocker(memory.LockOptions{Now: lateClock(func() time.Time { return clock })})
	runs := 0
	s := hire.NewScheduler(locker, nil, nil, hire.Task{Name: "sweep", Every: time.Minute, Run: func(context.Context, time.Time) error {
		runs++
		return nil
	}})
	for range 60 { // ten minutes of ticks every ten seconds
		s.Tick(context.Background(), clock)
		clock = clock.Add(10 * time.Second)
	}
	if runs != 10 {
		t.Errorf("a one-minute task ran %d times in ten minutes, want 10", runs)
	}
}

func TestSchedulerResolutionServesTheShortestTask(t *testing.T) {
	for _, tc := range []struct {
		every []time.Duration
		want  time.Duration
	}{
		{[]time.Duration{time.Hour}, 10 * time.Second},
		{[]time.Duration{time.Hour, 6 * time.Second}, 3 * time.Second},
		{[]time.Duration{time.Millisecond}, time.Second},
	} {
		var tasks []hire.Task
		for i, e := range tc.every {
			tasks = append(tasks, hire.Task{Name: fmt.Sprint(i), Every: e})
		}
		if got := hire.NewScheduler(memory.NewLocker(memory.LockOptions{}), nil, nil, tasks...).Resolution(); got != tc.want {
			t.Errorf("Resolution with periods %v = %v, want %v", tc.every, got, tc.want)
		}
	}
}

func TestInviteReminderComesAtHalfwayOfATwoMinuteInvite(t *testing.T) {
	const ttl = 2 * time.Minute
	h := newRH(t, func(c *hire.Config) { c.InviteTTL = ttl })
	ann := tgID("ann")
	a := h.publish(ann, "Ann Smith")
	bob := slackID("T1", "bob")
	h.post(bob)
	sent := h.clock
	mustContain(t, h.press(bob, fmt.Sprintf("/invite %d 1", a.ID)), "Invite 1 sent")
	c := newClockedScheduler(h)
	reminded := func() bool { return count(h.sinks[bot.Telegram].to("ann"), "Reminder:") > 0 }
	at, ok := c.until(sent.Add(ttl), reminded)
	if !ok {
		t.Fatalf("no reminder before the invite expired at %v", sent.Add(ttl))
	}
	if late := at.Sub(sent.Add(ttl / 2)); late < 0 || late > ttl/10 {
		t.Errorf("reminder %v after halfway, want within %v of it", late, ttl/10)
	}
	expired := func() bool { return count(h.sinks[bot.Telegram].to("ann"), "expired without an answer") > 0 }
	if at, ok := c.until(sent.Add(ttl+ttl/5), expired); !ok || at.Sub(sent) < ttl {
		t.Errorf("expiry told at %v after sending (%v), want just after %v", at.Sub(sent), ok, ttl)
	}
	if n := count(h.sinks[bot.Telegram].to("ann"), "Reminder:"); n != 1 {
		t.Errorf("%d reminders, want 1", n)
	}
}

func TestCheckinsRepeatAtTheirSettingAndTurnStaleAfterTheGrace(t *testing.T) {
	const every, grace = time.Minute, 30 * time.Second
	h := newRH(t, func(c *hire.Config) { c.Retention.CheckinEvery, c.Retention.CheckinGrace = every, grace })
	ann := tgID("ann")
	a := h.publish(ann, "Ann Smith")
	start := h.clock
	c := newClockedScheduler(h)
	asked := func(n int) func() bool {
		return func() bool { return count(h.sinks[bot.Telegram].to("ann"), "Still available for work?") >= n }
	}
	at, ok := c.until(start.Add(2*every), asked(1))
	if !ok || at.Sub(start) < every || at.Sub(start) > every+every/5 {
		t.Fatalf("first question at %v (asked %v), want just after %v", at.Sub(start), ok, every)
	}
	stale := func() bool {
		ck, err := h.db.Checkin(context.Background(), a.ID)
		return err == nil && ck.Stale
	}
	askedAt := at
	at, ok = c.until(askedAt.Add(2*grace), stale)
	if !ok || at.Sub(askedAt) < grace || at.Sub(askedAt) > grace+grace/5 {
		t.Fatalf("stale at %v after the question (%v), want just after %v", at.Sub(askedAt), ok, grace)
	}
	mustContain(t, h.press(ann, "/available yes"), "You stay in matches", "ask again in 1 minute")
	answered := h.clock
	at, ok = c.until(answered.Add(2*every), asked(2))
	if !ok || at.Sub(answered) < every || at.Sub(answered) > every+every/5 {
		t.Fatalf("second question at %v after the answer (%v), want just after %v", at.Sub(answered), ok, every)
	}
}

func TestDailyDigestComesAtThePersonsLocalMorning(t *testing.T) {
	h := newRH(t)
	carol := tgID("carol") // the profile's time zone is Europe/Berlin
	h.publish(carol, "Carol Diaz")
	// now is 10:00 UTC, 11:00 in Berlin: the first digest is tomorrow 09:00 there.
	mustContain(t, h.say(carol, "/alerts daily"), "09:00 your time", "starting 2026-11-23 09:00 Europe/Berlin")
	alerts := task(t, h.bot, "alerts")
	if err := alerts.Run(context.Background(), h.clock); err != nil {
		t.Fatal(err)
	}
	h.post(slackID("T1", "bob"))
	morning := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC) // 09:00 CET
	c := newClockedScheduler(h)
	digest := func() bool { return count(h.sinks[bot.Telegram].to("carol"), "Your daily job alert") > 0 }
	at, ok := c.until(morning.Add(time.Hour), digest)
	if !ok || at.Before(morning) || at.Sub(morning) > 2*time.Minute {
		t.Errorf("digest at %v (%v), want just after %v", at, ok, morning)
	}
}
