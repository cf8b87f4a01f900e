package hire_test

import (
	"context"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// BenchmarkHandleDialogStep is one answer inside a dialog, end to end
// through the router: resolve the account, load the session, parse the
// answer, save the session (SQLite file, memory sessions).
func BenchmarkHandleDialogStep(b *testing.B) {
	h := newHarness(b)
	ev := bot.Event{Kind: bot.KindMessage, From: bot.Identity{Platform: bot.Console, UserID: "ann"}, Name: "ann",
		Chat: bot.Recipient{Platform: bot.Console, ChatID: "ann"}, Private: true}
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			ev.Text = "/profile" // starts (or resumes) the dialog
		} else {
			ev.Text = "Ann " + strconv.Itoa(i) // answers the name question
		}
		if _, err := h.bot.Handle(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHandleSearch is /search through the router over a small store.
func BenchmarkHandleSearch(b *testing.B) {
	h := newHarness(b)
	for i := range 50 {
		h.script("p"+strconv.Itoa(i), append(annProfile, "Publish")...)
	}
	ev := bot.Event{Kind: bot.KindCommand, Command: "search", Text: "golang postgres rate<60",
		From: bot.Identity{Platform: bot.Console, UserID: "emp"}, Chat: bot.Recipient{Platform: bot.Console, ChatID: "emp"}, Private: true}
	ctx := context.Background()
	for b.Loop() {
		if _, err := h.bot.Handle(ctx, ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRelayTurn is a message Ann relays from Telegram to her
// employer on Slack: the turn records a notification for him. "turn" is
// what the platform's request waits for; "turn+delivery" adds the
// delivery round (claim, send to the fake Slack, settle) that ran inside
// the request until the delivery worker (RunDelivery) took it out of it.
// The figure is CPU time per turn (all goroutines), under load or not.
func BenchmarkRelayTurn(b *testing.B) {
	for _, inline := range []bool{false, true} {
		name := "turn"
		if inline {
			name = "turn+delivery"
		}
		b.Run(name, func(b *testing.B) {
			h := newCrossPlatform(b)
			h.as(empS, "/invite 1 1")
			h.as(flTG, "/accept 1")
			ctx, ev := context.Background(), h.event(flTG, "")
			start := cpuTime(b)
			for i := 0; b.Loop(); i++ {
				ev.Text = "Message " + strconv.Itoa(i)
				if _, err := h.bot.Handle(ctx, ev); err != nil {
					b.Fatal(err)
				}
				if inline {
					if _, err := h.bot.DeliverOutbox(ctx, h.now); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64((cpuTime(b)-start).Microseconds())/float64(b.N), "µs-cpu/op")
			if inline && !strings.Contains(h.slack.take(empS.UserID), "Message 0") {
				b.Fatal("the relayed messages did not reach Slack")
			}
		})
	}
}

// cpuTime is the CPU time the process has used so far, user and system.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
