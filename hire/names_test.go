package hire_test

import (
	"fmt"
	"testing"

	"github.com/hirebot/hirebot/bot"
)

// TestNamelessAccountsAreNeverANumber: a Slack user whose events carry no
// name (the adapter could not look it up) is shown to the other side by
// platform and workspace, never as "person N".
func TestNamelessAccountsAreNeverANumber(t *testing.T) {
	h := newRH(t)
	ann := tgID("ann")
	a := h.publish(ann, "Ann Smith")
	boss := slackID("T1", "U11")
	say := func(line string) string {
		t.Helper()
		ev := h.event(boss, bot.KindMessage, line)
		ev.Name = ""
		if line[0] == '/' {
			ev.Kind = bot.KindButton
		}
		replies, err := handle(h.bot, ev, h.clock)
		if err != nil {
			t.Fatal(err)
		}
		return flatten(replies)
	}
	for _, l := range append(invoiceJob, "Post") {
		say(l)
	}
	mustContain(t, say(fmt.Sprintf("/invite %d 1", a.ID)), "Invite 1 sent to Ann Smith")
	got := h.sinks[bot.Telegram].to("ann")
	mustContain(t, fmt.Sprint(got), "someone on Slack (Slack workspace T1) invites you to job #1")
	mustContain(t, h.press(ann, "/accept 1"), "you and someone on Slack are working together")
	mustNotContain(t, fmt.Sprint(h.sinks[bot.Telegram].to("ann")), "person ")
}
