package web

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// profileAnswers are typed (or pressed) one by one in the profile dialog.
var profileAnswers = []struct{ kind, value string }{
	{"message", "Ann Smith"},
	{"message", "Backend developer, Go and PostgreSQL"},
	{"message", "golang, postgres"},
	{"message", "6"},
	{"message", "$45/h"},
	{"button", "full time"},
	{"button", "immediately"},
	{"message", "Berlin"},
	{"button", "any"},
	{"button", "remote"},
	{"message", "skip"},
	{"message", "skip"},
}

// buildProfile goes through the whole profile dialog on p and publishes.
func buildProfile(t *testing.T, p *page) {
	t.Helper()
	p.say("/profile")
	p.until("What name")
	var f outFrame
	for _, a := range profileAnswers {
		if a.kind == "button" {
			p.press(a.value)
		} else {
			p.say(a.value)
		}
		if f = p.next(); f.Type != "reply" || strings.Contains(f.HTML, "Please") {
			t.Fatalf("answer %q: %+v", a.value, f)
		}
	}
	if !strings.Contains(f.HTML, "Publish") {
		f = p.until("Publish")
	}
	if !strings.Contains(f.HTML, "Ann Smith") || !strings.Contains(f.HTML, "<dt>") {
		t.Fatalf("the summary is not a card:\n%s", f.HTML)
	}
	p.press("confirm")
	p.until("published")
}

var inviteButton = regexp.MustCompile(`data-value="(/invite \d+ \d+)"`)

// postJob submits the job form on p and returns the Invite button of the
// first match.
func postJob(t *testing.T, p *page, title string) string {
	t.Helper()
	p.say("/post")
	f := p.until("<form")
	for _, want := range []string{`data-form="post"`, `name="title"`, `<label for=`, `<textarea`} {
		if !strings.Contains(f.HTML, want) {
			t.Fatalf("the job form lacks %s:\n%s", want, f.HTML)
		}
	}
	p.send(map[string]any{"type": "form", "form": "post", "values": map[string]string{
		"title": title, "description": "A small REST API in Go that stores invoices in PostgreSQL.",
		"skills": "golang, postgres", "budget": "$500", "deadline": "in 2 weeks",
	}})
	m := p.until("Invite Ann")
	if !strings.Contains(m.HTML, `class="card"`) {
		t.Fatalf("matches are not cards:\n%s", m.HTML)
	}
	inv := inviteButton.FindStringSubmatch(m.HTML)
	if inv == nil {
		t.Fatalf("no invite button:\n%s", m.HTML)
	}
	return inv[1]
}

func TestProfileJobMatchesAndInviteOverTheSocket(t *testing.T) {
	h := newHarness(t, Config{Sweep: 50 * time.Millisecond})
	browser := h.visitor()
	ann := h.open(browser, "as=ann")
	bob := h.open(browser, "as=bob")
	buildProfile(t, ann)

	bob.press(postJob(t, bob, "Build a Go invoices API"))
	bob.until("Invite")
	// Ann has the page open: the invite arrives live.
	f := ann.until("invites you")
	if !strings.Contains(f.HTML, "Build a Go invoices API") && !strings.Contains(f.HTML, "#1") {
		t.Errorf("invite without its job:\n%s", f.HTML)
	}
	if !strings.Contains(f.HTML, `data-value="/accept`) {
		t.Errorf("invite without an accept button:\n%s", f.HTML)
	}

	// Ann closes the page; a second invite waits for her and is shown
	// when she comes back.
	ann.ws.CloseNow()
	time.Sleep(100 * time.Millisecond) // the server notices the close
	bob.press(postJob(t, bob, "Add invoice PDF export"))
	bob.until("Invite")
	back := h.open(browser, "as=ann")
	back.until("While you were away")
	f = back.until("invites you")
	if !strings.Contains(f.HTML, "#2") {
		t.Errorf("the waiting invite is not the second job's:\n%s", f.HTML)
	}
	if _, ok := back.read(300 * time.Millisecond); ok {
		t.Error("something more arrived: the invite was shown twice?")
	}
}

func TestHeldMessageReachesAPageOpenOnAnotherReplica(t *testing.T) {
	// Two replicas share the database; Ann's page is open on the second.
	// The first holds what it cannot show, and the second's sweep shows it.
	h := newHarness(t, Config{Sweep: 50 * time.Millisecond})
	browser := h.visitor()
	ann := h.open(browser, "as=ann")
	buildProfile(t, ann)
	h.web.mu.Lock()
	conns := h.web.conns
	h.web.conns = map[string]map[*conn]bool{} // as if Ann were connected elsewhere
	h.web.mu.Unlock()
	bob := h.open(browser, "as=bob")
	bob.press(postJob(t, bob, "Build a Go invoices API"))
	bob.until("Invite")
	h.web.mu.Lock()
	for k, v := range conns {
		h.web.conns[k] = v
	}
	h.web.mu.Unlock()
	ann.until("invites you")
}
