package hire_test

import "testing"

// TestDeclineNotes: a decline carries the employer's or the freelancer's
// note to the other side; without one the polite default stays.
func TestDeclineNotes(t *testing.T) {
	h := newHiringHarness(t)
	h.script(bobT, append(invoiceJob, "Post")...)
	h.script(annT, profileOf("ann")...)
	h.script(zedT, profileOf("zed")...)
	h.as(annT, "/apply 1")
	h.as(zedT, "/apply 1")
	h.inbox(bobT)

	mustContain(t, h.as(bobT, "/reject 1 Sorry, we need more PostgreSQL experience"), "Declined ann for #1; I sent them your note.")
	got := h.inbox(annT)
	mustContain(t, got, "Thank you for applying to #1", "They wrote: “Sorry, we need more PostgreSQL experience”", "keep matching you")
	mustContain(t, h.as(bobT, "/reject 2"), "Declined zed for #1; I sent them a polite note.", "/reject 2 <note>")
	got = h.inbox(zedT)
	mustContain(t, got, "Thank you for applying to #1", "go another way this time; I'll keep matching you")
	mustNotContain(t, got, "They wrote")
	mustContain(t, h.as(bobT, "/reject 1 x"), "The note:") // too short to be a note: refused, not sent
	if again := h.inbox(annT); again != "" {
		t.Errorf("a refused note reached the applicant:\n%s", again)
	}

	// The freelancer's side: a note with a declined invite, and the
	// employer's with a declined counter.
	h.as(bobT, "/invite ann 1")
	h.as(bobT, "/invite zed 1")
	h.inbox(annT)
	h.inbox(zedT)
	mustContain(t, h.as(annT, "/decline 1 Booked until March, sorry"), "Declined.")
	mustContain(t, h.inbox(bobT), "ann declined your invite to #1", "They wrote: “Booked until March, sorry”")
	h.script(zedT, "/counter 2", "$90/h", "skip", "Send")
	h.inbox(bobT)
	mustContain(t, h.as(bobT, "/decline 2 Above our budget"), "Declined.")
	got = h.inbox(zedT)
	mustContain(t, got, "declined your counter offer for #1", "They wrote: “Above our budget”")
	mustNotContain(t, got, "Thank you for your time")
	mustContain(t, h.as(bobT, "/decline 2"), "no longer open")
}
