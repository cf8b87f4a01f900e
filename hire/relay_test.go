package hire_test

import (
	"testing"
	"time"
)

// TestSeveralRelays: an employer talking with two freelancers about two
// jobs is asked which conversation a message is for until they answer
// one; then their messages go there, until the other side speaks. Every
// relayed message and every acknowledgement names the person and the job.
func TestSeveralRelays(t *testing.T) {
	h := newHiringHarness(t)
	h.script(bobT, append(invoiceJob, "Post")...)
	h.script(bobT, "/post", "Fix the billing dashboard", "A React dashboard whose charts show the wrong totals.",
		"golang, postgres", "$40/h", "in 2 weeks", "skip", "skip", "remote", "Berlin", "Post")
	h.script(annT, profileOf("ann")...)
	h.script(zedT, profileOf("zed")...)
	h.as(bobT, "/invite ann 1")
	h.as(bobT, "/invite zed 2")
	h.as(annT, "/accept 1")
	h.as(zedT, "/accept 2")
	h.inbox(bobT)
	h.inbox(annT)
	h.inbox(zedT)
	later := func() { h.now = h.now.Add(time.Minute) }
	const job1, job2 = "#1 Build a Go API for invoices", "#2 Fix the billing dashboard"

	later()
	mustContain(t, h.as(bobT, "Hello there"), "Which conversation is this for?",
		"[ann — "+job1+"=/to 1]", "[zed — "+job2+"=/to 2]")
	if got := h.inbox(annT) + h.inbox(zedT); got != "" {
		t.Fatalf("a message whose conversation was asked went out:\n%s", got)
	}
	mustContain(t, h.as(bobT, "/to 2"), "passed on to zed about "+job2)
	mustContain(t, h.inbox(zedT), "↪ relayed from bob about "+job2+":\nHello there")

	later()
	mustContain(t, h.as(bobT, "Second message"), "passed on to zed about "+job2)
	mustContain(t, h.inbox(zedT), "↪ relayed from bob about "+job2+":\nSecond message")
	if got := h.inbox(annT); got != "" {
		t.Fatalf("Ann got what was for Zed:\n%s", got)
	}

	// Ann writes: Bob's next message could answer her, so it is asked.
	later()
	mustContain(t, h.as(annT, "Hi Bob"), "passed on to bob about "+job1)
	mustContain(t, h.inbox(bobT), "↪ relayed from ann about "+job1+":\nHi Bob")
	later()
	mustContain(t, h.as(bobT, "Welcome aboard"), "Which conversation is this for?")
	mustContain(t, h.as(bobT, "/to 1"), "passed on to ann about "+job1)
	mustContain(t, h.inbox(annT), "↪ relayed from bob about "+job1+":\nWelcome aboard")
	if got := h.inbox(zedT); got != "" {
		t.Fatalf("Zed got what was for Ann:\n%s", got)
	}

	// A message can name its conversation; /end ends the one answered last.
	later()
	mustContain(t, h.as(bobT, "/to 2 Any questions?"), "passed on to zed about "+job2)
	mustContain(t, h.inbox(zedT), "about "+job2+":\nAny questions?")
	mustContain(t, h.as(zedT, "/to 1 sneaky"), "You have no open conversation 1.")
	later()
	mustContain(t, h.as(bobT, "/end"), "Relay with zed about "+job2+" ended.")
	later()
	mustContain(t, h.as(bobT, "Just us now"), "passed on to ann about "+job1)
	mustContain(t, h.inbox(annT), "about "+job1+":\nJust us now")
}
