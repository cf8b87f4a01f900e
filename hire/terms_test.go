package hire_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
	c "github.com/hirebot/hirebot/parse"
)

func TestParseTerms(t *testing.T) {
	monday, err := c.ParseDate("next monday", now)
	if err != nil {
		t.Fatal(err)
	}
	dec7 := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want bot.Terms
		code string // a refusal
	}{
		{in: "", want: bot.Terms{}},
		{in: "$50/h 20h/week from next monday Fixed scope, tests included",
			want: bot.Terms{Rate: "50 USD/hour", Hours: 20, Start: monday, Note: "Fixed scope, tests included"}},
		{in: "fixed scope", want: bot.Terms{Note: "fixed scope"}},
		{in: "$2,000 fixed", want: bot.Terms{Rate: "2000 USD/project"}},
		{in: "starting 2026-12-07 20 hours a week 45 EUR per hour", want: bot.Terms{Rate: "45 EUR/hour", Hours: 20, Start: dec7}},
		{in: "full time from 2026-12-07", want: bot.Terms{Hours: 40, Start: dec7}},
		{in: "$50/h 20", want: bot.Terms{Rate: "50 USD/hour", Note: "20"}},                     // a lone number is no term
		{in: "$50/h Monday works", want: bot.Terms{Rate: "50 USD/hour", Note: "Monday works"}}, // a date needs "from"
		{in: "$50/h $60/h", want: bot.Terms{Rate: "50 USD/hour", Note: "$60/h"}},
		{in: "400 EUR/day from 2026-12-07", want: bot.Terms{Rate: "400 EUR/day", Start: dec7}}, // the rate stops at "from"
		{in: "$2000 and a bonus", code: bot.EINVALID},                                          // per hour or for the project? asked
		{in: "$50/h x", code: bot.EINVALID},                                                    // a note of one letter
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, err := hire.ParseTerms(tt.in, now)
			if tt.code != "" {
				if bot.ErrorCode(err) != tt.code {
					t.Fatalf("ParseTerms(%q) = %+v, %v; want %s", tt.in, got, err, tt.code)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) {
				t.Fatalf("ParseTerms(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

func FuzzParseTerms(f *testing.F) {
	for _, s := range []string{"$50/h 20h/week from next monday Fixed scope", "$2000", "from from from", "20 20 20",
		"€1.200/day part time starting March 3 ok", "full time", "start: tomorrow", "$5 $6 $7 7h 8h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := hire.ParseTerms(in, now)
		if err != nil {
			if bot.ErrorCode(err) != bot.EINVALID {
				t.Fatalf("ParseTerms(%q) failed with %v, want EINVALID", in, err)
			}
			return
		}
		if got.Rate != "" {
			if _, err := c.ReadRate(got.Rate); err != nil {
				t.Fatalf("ParseTerms(%q) rate %q does not read back: %v", in, got.Rate, err)
			}
		}
		if got.Hours < 0 || got.Hours > 168 || !got.Start.IsZero() && got.Start.Before(now.Truncate(24*time.Hour)) {
			t.Fatalf("ParseTerms(%q) = %+v: hours or start out of range", in, got)
		}
		if utf8.RuneCountInString(got.Note) > 500 || strings.ContainsAny(got.Note, "\x00") {
			t.Fatalf("ParseTerms(%q) note %q", in, got.Note)
		}
		// What was read is said back in a form that reads the same.
		line := strings.TrimSpace(strings.Join([]string{got.Rate, hoursWords(got.Hours), startWords(got.Start)}, " "))
		again, err := hire.ParseTerms(line, now)
		if err != nil || again.Rate != got.Rate || again.Hours != got.Hours || !again.Start.Equal(got.Start) {
			t.Fatalf("ParseTerms(%q) = %+v, but its terms %q read %+v, %v", in, got, line, again, err)
		}
	})
}

func hoursWords(h int) string {
	if h == 0 {
		return ""
	}
	return c.HoursString(h)
}

func startWords(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	return "from " + c.FormatDate(d)
}

// TestInviteTerms: an employer offers terms in one line; the freelancer's
// card shows them; a counter keeps what it does not change and edits the
// rest; the acceptance names what was agreed. All through the real core
// on a SQLite file.
func TestInviteTerms(t *testing.T) {
	h := newHiringHarness(t)
	h.script(annT, append(annProfile, "Publish")...)
	h.script(bobT, append(invoiceJob, "Post")...)
	monday, err := c.ParseDate("next monday", now)
	if err != nil {
		t.Fatal(err)
	}
	mondayEcho := c.DateEcho(c.FormatDate(monday))

	mustContain(t, h.as(bobT, "/invite ann 1 $50/h 20h/week from next monday Fixed scope, tests included"),
		"Invite 1 sent to Ann Smith for #1 Build a Go API for invoices offering 50 USD/hour, 20 h/week, from "+mondayEcho)
	if inv := h.invite(1); inv.Terms.Rate != "50 USD/hour" || inv.Terms.Hours != 20 || !inv.Terms.Start.Equal(monday) || inv.Terms.Note != "Fixed scope, tests included" {
		t.Fatalf("stored terms = %+v", inv.Terms)
	}
	mustContain(t, h.inbox(annT), "bob (the terminal) invites you to job #1", "Budget: 30–60 USD/hour",
		"Rate: 50 USD/hour", "Hours: 20 h/week", "Start: "+mondayEcho, "Note: Fixed scope, tests included", "[Counter=/counter 1]")

	// The counter asks the rate, keeps the offered hours and start, and
	// Edit changes the hours.
	mustContain(t, h.as(annT, "/counter 1"), "Invite 1 offers 50 USD/hour, 20 h/week, from "+mondayEcho, "What rate do you propose?")
	mustContain(t, h.as(annT, "$60/h"), "A short note")
	mustContain(t, h.as(annT, "skip"), "Your counter offer:", "Rate: 60 USD/hour", "Hours per week: 20 h/week", "Start: "+mondayEcho)
	h.as(annT, "Edit")
	mustContain(t, h.as(annT, "hours"), "How many hours a week?")
	mustContain(t, h.as(annT, "10 hours a week"), "Hours per week: 10 h/week", "[Send=confirm]")
	mustContain(t, h.as(annT, "Send"), "Counter offer sent for #1 Build a Go API for invoices: 60 USD/hour, 10 h/week, from "+mondayEcho)

	mustContain(t, h.as(bobT, "/start inv_1"), "Ann Smith countered your invite to #1", "Rate: 60 USD/hour", "Hours: 10 h/week",
		"Start: "+mondayEcho, "You offered: 50 USD/hour, 20 h/week, from "+mondayEcho, "[Accept counter=/accept 1]")
	h.as(bobT, "/accept 1")
	mustContain(t, h.inbox(annT), "bob accepted your counter offer (60 USD/hour, 10 h/week, from "+mondayEcho+")")
	if inv := h.invite(1); inv.Counter.Hours != 10 || inv.Terms.Hours != 20 {
		t.Errorf("after the counter: terms %+v, counter %+v", inv.Terms, inv.Counter)
	}

	// Without terms, an invite is what it was; an unclear amount is asked.
	h.script(zedT, "/profile", "Zed Zee", "Go developer for APIs", "golang", "3 years", "$40/h", "10 hours a week", "immediately", "remote", "Berlin", "skip", "skip", "Publish")
	mustContain(t, h.as(bobT, "/invite zed 1 $2000 and a bonus"), "per hour, per day or per project?")
	mustContain(t, h.as(bobT, "/invite zed 1"), "Invite 2 sent to Zed Zee for #1 Build a Go API for invoices. It expires")
	if inv := h.invite(2); !inv.Terms.Empty() {
		t.Errorf("an invite without terms stored %+v", inv.Terms)
	}
}

// TestInviteTermsDialogAndForm: "terms" after the job asks for them, in a
// dialog on the terminal and in a form where the platform has forms.
func TestInviteTermsDialogAndForm(t *testing.T) {
	h := newHiringHarness(t)
	h.script(annT, append(annProfile, "Publish")...)
	h.script(bobT, append(invoiceJob, "Post")...)

	mustContain(t, h.as(bobT, "/invite ann"), "Invite Ann Smith to which job?", "/invite ann <job> $50/h", "[#1 Build a Go API for invoices=/invite @ann 1]")
	mustContain(t, h.as(bobT, "/invite ann 1 terms"), "What rate do you offer?")
	mustContain(t, h.as(bobT, "$2,000 fixed"), "How many hours a week?")
	mustContain(t, h.as(bobT, "skip"), "From when?")
	mustContain(t, h.as(bobT, "2026-12-07"), "A short note for the freelancer?")
	mustContain(t, h.as(bobT, "Two milestones"), "Your invite:", "Rate: 2000 USD/project", "Hours per week: —", "Start: Monday 7 December 2026", "[Send invite=confirm]")
	mustContain(t, h.as(bobT, "Send invite"), "Invite 1 sent to Ann Smith", "offering 2000 USD/project, from Monday 7 December 2026")
	mustContain(t, h.inbox(annT), "Rate: 2000 USD/project", "Start: Monday 7 December 2026", "Note: Two milestones")

	// A form, as a Slack or Discord modal would submit it.
	zed := mustResolveAccount(t, h, zedT, "Zed")
	ctx := context.Background()
	ev := bot.Event{Kind: bot.KindButton, From: bobT, Name: "bob", Private: true, Forms: true, Text: "/invite @zed 1 terms",
		Chat: bot.Recipient{Platform: bot.Console, ChatID: "dm-bob", UserID: "bob"}}
	replies, err := h.bot.Handle(ctx, ev)
	if err != nil || len(replies) != 1 || replies[0].Form == nil {
		t.Fatalf("/invite … terms with forms = %+v, %v; want a form", replies, err)
	}
	form := replies[0].Form
	if len(form.Fields) != 4 || form.Submit != "Send invite" {
		t.Errorf("terms form = %+v", form)
	}
	ev.Kind, ev.Text, ev.Command = bot.KindForm, "", form.ID
	ev.Form = map[string]string{"rate": "$2000", "hours": "20"}
	replies, err = h.bot.Handle(ctx, ev)
	if err != nil || len(replies) != 1 || replies[0].Form == nil || replies[0].Form.Errors["rate"] == "" || replies[0].Form.Fields[0].Value != "$2000" {
		t.Fatalf("a form with an unclear rate = %+v, %v; want it back with the rate's question", replies, err)
	}
	ev.Form = map[string]string{"rate": "$45/h", "hours": "20", "note": "Start small"}
	replies, err = h.bot.Handle(ctx, ev)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, flatten(replies), "Invite 2 sent to Zed for #1", "offering 45 USD/hour, 20 h/week")
	if inv := h.invite(2); inv.FreelancerID != zed || inv.Terms.Rate != "45 USD/hour" || inv.Terms.Hours != 20 || inv.Terms.Note != "Start small" {
		t.Errorf("the form's invite = %+v", inv)
	}
	replies, err = h.bot.Handle(ctx, ev) // the same form again: the open invite refuses it
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, flatten(replies), "already has an open invite")
}

func mustResolveAccount(t *testing.T, h *hiringHarness, id bot.Identity, name string) int64 {
	t.Helper()
	a, err := h.db.ResolveAccount(context.Background(), id, name)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}
