package hire_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/memory"
)

// TestOutboxKeepsTheChatPace: five invites for one Telegram chat go out
// three at once (the burst) and then one a second, none dropped.
func TestOutboxKeepsTheChatPace(t *testing.T) {
	h := newCrossPlatform(t)
	h.limiter = memory.NewLimiter(memory.LimitOptions{Now: h.clock})
	h.slack.limiter, h.telegram.limiter = h.limiter, h.limiter
	h.bot.Register(h.slack)
	h.bot.Register(linkingAdapter{h.telegram})
	h.as(empS, "/invite 1 1")
	for range 4 { // four more jobs, an invite each
		h.script(empS, append(invoiceJob, "Post")...)
	}
	for job := 2; job <= 5; job++ {
		h.as(empS, "/invite 1 "+string(rune('0'+job)))
	}
	count := func() int { return strings.Count(h.telegram.take(flTG.UserID), "invites you to job") }
	got := count() // what went out during the turns
	h.runTask("outbox")
	got += count()
	if got != 3 {
		t.Fatalf("%d invites went out at once, want the burst of 3", got)
	}
	for second := 1; second <= 2; second++ {
		h.now = h.now.Add(time.Second)
		h.runTask("outbox")
		if n := count(); n != 1 {
			t.Fatalf("second %d: %d invites went out, want 1", second, n)
		}
	}
	h.now = h.now.Add(time.Minute)
	h.runTask("outbox")
	if n := count(); n != 0 {
		t.Errorf("%d more went out; all five were already delivered", n)
	}
}

var _ bot.Limiter = (*memory.Limiter)(nil)
