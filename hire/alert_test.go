package hire_test

import (
	"context"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
)

func TestAlertsCapsAndDigests(t *testing.T) {
	h := newRH(t, func(c *hire.Config) { c.Retention.AlertsPerDay = 2 })
	ctx := context.Background()
	alerts := task(t, h.bot, "alerts")
	run := func() {
		t.Helper()
		if err := alerts.Run(ctx, h.clock); err != nil {
			t.Fatal(err)
		}
	}
	deliver := func() {
		t.Helper()
		if _, err := h.bot.DeliverOutbox(ctx, h.clock); err != nil {
			t.Fatal(err)
		}
	}
	ann, carol, dan := tgID("ann"), tgID("carol"), tgID("dan")
	bob := slackID("T1", "bob")
	a := h.publish(ann, "Ann Smith")
	h.publish(carol, "Carol Diaz")
	h.publish(dan, "Dan Wu") // never opts in
	h.post(bob)              // before anyone opted in: never alerted
	run()

	mustContain(t, h.say(ann, "/alerts on"), "Alerts on", "at most 2 a day")
	mustContain(t, h.say(carol, "/alerts daily"), "one digest a day")
	mustContain(t, h.say(ann, "/alerts"), "Job alerts are on")
	h.post(bob)
	h.post(bob)
	h.post(bob)
	run()
	run() // a second run (another replica, a restart) adds nothing
	got := h.sinks[bot.Telegram].to("ann")
	if n := count(got, "A new job matches you"); n != 1 {
		t.Fatalf("alerts delivered at once: %d, want 1 (the next waits its turn): %q", n, got)
	}
	h.clock = h.clock.Add(2 * time.Second)
	deliver()
	h.clock = h.clock.Add(time.Minute)
	run()
	deliver()
	got = h.sinks[bot.Telegram].to("ann")
	if n := count(got, "A new job matches you"); n != 2 {
		t.Fatalf("alerts to Ann: %d, want the cap of 2:\n%q", n, got)
	}
	for _, id := range []string{"carol", "dan", "bob"} {
		if n := count(append(h.sinks[bot.Telegram].to(id), h.sinks[bot.Slack].to(id)...), "matches you"); n != 0 {
			t.Errorf("%s got %d alerts", id, n)
		}
	}
	items, err := h.db.AlertItems(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, it := range items {
		states[it.State]++
	}
	if states[bot.AlertSent] != 2 || states[bot.AlertDropped] != 1 || len(items) != 3 {
		t.Errorf("Ann's alert items %v, want 2 sent and 1 dropped", states)
	}

	h.clock = h.clock.Add(day)
	run()
	deliver()
	digests := h.sinks[bot.Telegram].to("carol")
	if n := count(digests, "Your daily job alert: 2 new job(s)"); n != 1 {
		t.Fatalf("Carol's digests: %q, want one with the 2 best jobs", digests)
	}
	h.post(bob) // a new day: Ann hears again
	run()
	h.clock = h.clock.Add(5 * time.Second)
	deliver()
	if n := count(h.sinks[bot.Telegram].to("ann"), "A new job matches you"); n != 3 {
		t.Errorf("alerts to Ann the next day: %d in all, want 3", n)
	}
	mustContain(t, h.say(ann, "/alerts off"), "Alerts off")
	h.post(bob)
	h.clock = h.clock.Add(day)
	run()
	deliver()
	if n := count(h.sinks[bot.Telegram].to("ann"), "A new job matches you"); n != 3 {
		t.Errorf("alerts after /alerts off: %d in all, want still 3", n)
	}
	if n := count(h.sinks[bot.Telegram].to("carol"), "Your daily job alert"); n != 2 {
		t.Errorf("Carol's digests after two days: %d, want 2", n)
	}
}

func TestAlertsNeverComeFromAWorkspaceThePersonHidesFrom(t *testing.T) {
	h := newRH(t)
	ctx := context.Background()
	alerts := task(t, h.bot, "alerts")
	ann := slackID("T-EMP", "ann")
	h.publish(ann, "Ann Smith")
	h.say(ann, "/alerts on")
	h.say(ann, "/privacy hide here")
	if err := alerts.Run(ctx, h.clock); err != nil {
		t.Fatal(err)
	}
	h.post(slackID("T-EMP", "boss"))
	h.post(slackID("T-OTHER", "eve"))
	if err := alerts.Run(ctx, h.clock); err != nil {
		t.Fatal(err)
	}
	got := h.sinks[bot.Slack].to("ann")
	if n := count(got, "A new job matches you: #2"); n != 1 || count(got, "#1") != 0 {
		t.Errorf("alerts to Ann: %q; want job #2 only", got)
	}
}
