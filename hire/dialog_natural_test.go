package hire_test

import (
	"context"
	"strings"
	"testing"
)

// A person answering the way people write publishes a profile in at most
// twelve answers: answers that carry several facts fill several fields,
// what follows from the others is inferred and shown, and "none" skips an
// optional question.
func TestProfileInFewNaturalAnswers(t *testing.T) {
	h := newHarness(t)
	mustContain(t, h.say("maria", "hi! I want to build my freelancer profile"), "Let's build your profile") // no command needed
	answers := []string{
		"I'm Maria Santos, a product designer in Lisbon",
		"I do figma, illustrator and some webflow",
		"about 6 years",
		"€50 an hour",
		"20 hrs a week, starting next monday",
		"remote pls, or on site in lisbon",
		"github.com/maria and my site maria.design",
		"none",
	}
	var last string
	given := 0 // answers until the summary shows
	for _, a := range answers {
		last, given = h.say("maria", a), given+1
		if strings.Contains(last, "Here is your profile:") {
			break
		}
	}
	mustContain(t, last, "Here is your profile:", "Name: Maria Santos", "Headline: Product designer in Lisbon",
		"Skills: Figma, Adobe Illustrator, Webflow", "Experience (years): 6", "Rate: 50 EUR/hour",
		"Hours per week: 20 h/week", "Available from: Monday 23 November 2026", "Work types: gig, part-time",
		"Where: remote or on-site in Lisbon", "Time zone: Europe/Lisbon", "Portfolio: https://github.com/maria, https://maria.design", "Bio: —")
	mustContain(t, h.say("maria", "Publish"), "Your profile is published.")
	if n := given + 1; n > 12 {
		t.Errorf("publishing took %d answers, want at most 12", n)
	}
	t.Logf("published in %d answers", given+1)
	p, err := h.db.Profile(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Maria Santos" || p.Timezone != "Europe/Lisbon" || len(p.Skills) != 3 || p.Bio != "" {
		t.Errorf("stored profile = %+v", p)
	}
}

// "Did you mean TypeScript?" — yes takes the suggestion, no keeps the
// word as typed; the rest of the list is never lost.
func TestDidYouMeanYesAndNo(t *testing.T) {
	for _, tt := range []struct{ answer, want string }{
		{"yes", "Got it: React, Node.js, TypeScript."},
		{"y", "Got it: React, Node.js, TypeScript."},
		{"ok", "Got it: React, Node.js, TypeScript."},
		{"no", "Got it: React, Node.js, typescrpt."},
		{"keep", "Got it: React, Node.js, typescrpt."},
	} {
		t.Run(tt.answer, func(t *testing.T) {
			h := newHarness(t)
			h.script("dev", "/profile", "Dev Eloper", "Frontend developer for shops")
			mustContain(t, h.say("dev", "reactjs, nodejs, typescrpt"), "Did you mean TypeScript?")
			got := h.say("dev", tt.answer)
			mustContain(t, got, tt.want)
			if strings.Contains(got, "Got it: "+tt.answer+".") {
				t.Errorf("the answer %q replaced the skill list:\n%s", tt.answer, got)
			}
		})
	}
}
