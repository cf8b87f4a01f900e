package hire_test

import (
	"context"
	"fmt"
	"sort"

	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
)

// metricsLog is a bot.Metrics that writes down every call.
type metricsLog struct {
	mu    sync.Mutex
	calls map[string]int
}

func (r *metricsLog) add(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.calls == nil {
		r.calls = map[string]int{}
	}
	r.calls[fmt.Sprintf(format, args...)]++
}

func (r *metricsLog) EventReceived(platform, kind string) { r.add("received %s %s", platform, kind) }
func (r *metricsLog) EventHandled(platform, kind, result string, took time.Duration) {
	if took < 0 {
		r.add("negative time")
	}
	r.add("handled %s %s %s", platform, kind, result)
}
func (r *metricsLog) EventRefused(platform, reason string) { r.add("refused %s %s", platform, reason) }
func (r *metricsLog) ReplyDelivered(platform, code string) { r.add("delivered %s %q", platform, code) }
func (r *metricsLog) PaceWaited(platform string, wait time.Duration) {
	if wait <= 0 {
		r.add("paced without a wait")
	}
	r.add("paced %s", platform)
}
func (r *metricsLog) DialogStarted(flow string)   { r.add("started %s", flow) }
func (r *metricsLog) DialogCompleted(flow string) { r.add("completed %s", flow) }

// take returns the calls so far, sorted, and forgets them.
func (r *metricsLog) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for k, n := range r.calls {
		out = append(out, fmt.Sprintf("%s ×%d", k, n))
	}
	sort.Strings(out)
	r.calls = nil
	return out
}

func TestObserveCountsEventsAndDuplicates(t *testing.T) {
	rec := &metricsLog{}
	fail := false
	h := bot.Chain(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		if fail {
			return nil, bot.Unavailable(fmt.Errorf("redis down"))
		}
		return []bot.Reply{{Text: "hi"}}, nil
	}, hire.Observe(rec), hire.Dedupe(memory.NewDeduper(memory.DedupeOptions{}), nil))
	ev := bot.Event{ID: "u1", Kind: bot.KindMessage, Chat: bot.Recipient{Platform: bot.Telegram, ChatID: "5"}}
	for range 2 { // the platform delivers it twice
		if _, err := h(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
	}
	fail = true
	ev.ID, ev.Kind = "u2", bot.KindCommand
	if _, err := h(context.Background(), ev); bot.ErrorCode(err) != bot.EUNAVAILABLE {
		t.Fatalf("err = %v", err)
	}
	want := []string{
		"handled telegram command unavailable ×1",
		"handled telegram message ok ×1",
		"received telegram command ×1",
		"received telegram message ×2",
		"refused telegram duplicate ×1",
	}
	if diff := cmp.Diff(want, rec.take()); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
}

// TestBotCountsDialogsDeliveriesAndPacing: the funnel of a profile and a
// job, the outbox's deliveries and refusals, and the waits pacing imposes.
func TestBotCountsDialogsDeliveriesAndPacing(t *testing.T) {
	h := newCrossPlatform(t)
	rec := &metricsLog{}
	h.limiter = memory.NewLimiter(memory.LimitOptions{Now: h.clock})
	var err error
	h.bot, err = hire.New(hire.Config{Store: h.db, Sessions: memory.NewSessions(memory.SessionOptions{}), Now: h.clock, Metrics: rec})
	if err != nil {
		t.Fatal(err)
	}
	h.slack.limiter, h.telegram.limiter = h.limiter, h.limiter
	h.bot.Register(h.slack)
	h.bot.Register(h.telegram)

	h.as(empS, "/post")
	h.as(empS, "/cancel")
	h.script(empS, append(invoiceJob, "Post")...)
	for job := 1; job <= 2; job++ {
		h.as(empS, fmt.Sprintf("/invite 1 %d", job))
	}
	for range 3 {
		h.script(empS, append(invoiceJob, "Post")...)
	}
	for job := 3; job <= 5; job++ {
		h.as(empS, fmt.Sprintf("/invite 1 %d", job))
	}
	h.runTask("outbox")
	got := rec.take()
	// Five invites for one Telegram chat: the burst of three is sent, two
	// wait for their turn.
	for _, w := range []string{"started post ×5", "completed post ×4", `delivered telegram "" ×3`, "paced telegram ×2"} {
		if !contains(got, w) {
			t.Errorf("no %q in %v", w, got)
		}
	}

	h.telegram.refuse[flTG.UserID] = true
	h.now = h.now.Add(time.Minute)
	h.runTask("outbox")
	if got := rec.take(); !contains(got, `delivered telegram "refused" ×2`) {
		t.Errorf("refusals not counted: %v", got)
	}
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}
