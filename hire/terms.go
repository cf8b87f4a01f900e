package hire

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
	c "github.com/hirebot/hirebot/parse"
)

// FlowInvite is the dialog of an invite with terms.
const FlowInvite = "invite"

// The questions of terms, shared by the invite and the counter offer
// dialogs so both read and show them alike.
func rateStep(prompt string, optional bool) conversation.Step {
	return conversation.Step{ID: "rate", Label: "Rate", Prompt: prompt, Help: "Hourly or a fixed price: $50/h, 450 EUR a day, $2,000 fixed.", Optional: optional, Parse: c.RateAnswer}
}

var (
	hoursStep = conversation.Step{ID: "hours", Label: "Hours per week", Prompt: "How many hours a week?", Help: "For example: 20 hours a week, full time.", Optional: true, Parse: c.HoursAnswer}
	startStep = conversation.Step{ID: "start", Label: "Start", Prompt: "From when?", Help: "For example: next Monday, March 3, immediately.", Optional: true, Parse: c.DateAnswer, Echo: c.DateEcho}
)

// InviteFlow asks an employer for the terms of an invite. Its session Ref
// is "<freelancer account> <job>".
var InviteFlow = &conversation.Flow{
	Name:         FlowInvite,
	Title:        "your invite",
	Intro:        "The terms of your offer; skip any you'd rather agree later.",
	ConfirmText:  "Your invite:",
	ConfirmLabel: "Send invite",
	Steps: []conversation.Step{
		rateStep("What rate do you offer?", true), hoursStep, startStep,
		{ID: "note", Label: "Note", Prompt: "A short note for the freelancer?", Help: "For example: fixed scope, tests included.", Optional: true, Parse: c.TextAnswer(2, 500)},
	},
}

// termsFromAnswers reads the answers of a terms dialog (stored in the
// canonical forms its parsers give).
func termsFromAnswers(a map[string]string) bot.Terms {
	t := bot.Terms{Rate: a["rate"], Note: a["note"]}
	if h, err := c.ReadHours(a["hours"]); err == nil {
		t.Hours = h
	}
	if d, err := c.ReadDate(a["start"]); err == nil {
		t.Start = d
	}
	return t
}

// parenthesized is " (s)", or "" for an empty s.
func parenthesized(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// termWindow is the most words one term takes ("from the 3rd of March",
// "1,200 USD per project").
const termWindow = 6

// startWords open a start date in the one-line form.
var startWords = map[string]bool{"from": true, "starting": true, "start": true, "start:": true, "begins": true, "beginning": true}

// ParseTerms reads the terms of a one-line /invite: a rate ("$50/h",
// "$2,000 fixed"), weekly hours ("20h/week"), a start ("from next
// Monday") in any order, then a note, which is everything from the first
// words that are none of these. A term never ends in a lone number: "$50/h
// 20" leaves "20" to the note rather than guess, and "20 hours a week 45
// EUR/h" is not 20¾ hours. A money amount that needs a
// question ("$2000": per hour or for the project?) is refused with it.
func ParseTerms(in string, now time.Time) (bot.Terms, error) {
	words := strings.Fields(in)
	var t bot.Terms
	i := 0
	for i < len(words) {
		n, ok, err := readTerm(&t, words[i:], now)
		if err != nil {
			return bot.Terms{}, err
		}
		if !ok {
			break
		}
		i += n
	}
	if i < len(words) {
		note, err := c.ParseText(strings.Join(words[i:], " "), 2, 500)
		if err != nil {
			if ie, ok := c.AsInputError(err); ok {
				return bot.Terms{}, bot.Errorf(bot.EINVALID, "The note: %s", ie.Msg)
			}
			return bot.Terms{}, err
		}
		t.Note = note
	}
	return t, nil
}

// readTerm reads the longest term not yet set at the start of words and
// reports how many words it took.
func readTerm(t *bot.Terms, words []string, now time.Time) (int, bool, error) {
	var ask error // a question about money at this place, if nothing else fits
	for n := min(termWindow, len(words)); n > 0; n-- {
		s := strings.Join(words[:n], " ")
		if loneNumber(words[n-1]) {
			continue // a number at the end starts the next term: "20 hours a week 45 EUR/h"
		}
		if slices.ContainsFunc(words[1:n], func(w string) bool { return startWords[strings.ToLower(w)] }) {
			continue // "from" starts the next term: "$50/h from 2026-12-07" is a rate, then a start
		}
		if t.Rate == "" {
			r, err := c.ParseRate(s)
			if err == nil {
				t.Rate = r.String()
				return n, true, nil
			}
			if ie, ok := c.AsInputError(err); ok && n == 1 && len(ie.Suggest) > 0 && looksLikeMoney(s) {
				ask = bot.Errorf(bot.EINVALID, "%s For example /invite … $50/h, or $2,000 fixed.", ie.Msg)
			}
		}
		if t.Hours == 0 {
			if h, err := c.ParseHoursPerWeek(s); err == nil {
				t.Hours = h
				return n, true, nil
			}
		}
		if t.Start.IsZero() && n > 1 && startWords[strings.ToLower(words[0])] {
			if d, err := c.ParseDate(strings.Join(words[1:n], " "), now); err == nil {
				t.Start = d
				return n, true, nil
			}
		}
	}
	return 0, false, ask
}

// loneNumber reports whether s is only a number ("20", "1,200").
func loneNumber(s string) bool {
	_, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	return err == nil
}

// looksLikeMoney reports whether a word holds a currency sign and a digit.
func looksLikeMoney(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Sc, r) }) >= 0 &&
		strings.IndexFunc(s, unicode.IsDigit) >= 0
}

// inviteFormPrefix starts the ID of an invite's terms form:
// "invite:<freelancer account>:<job>".
const inviteFormPrefix = "invite:"

// askTerms asks an employer for the terms of an invite: a form where the
// platform has them, else the dialog.
func (t *turn) askTerms(ctx context.Context, who bot.Account, j bot.Job) ([]bot.Reply, error) {
	if t.ev.Forms {
		return []bot.Reply{{Form: inviteForm(who.ID, j.ID), Private: true}}, nil
	}
	return t.start(ctx, InviteFlow, fmt.Sprintf("%d %d", who.ID, j.ID), nil, "")
}

// inviteForm is the form of InviteFlow's questions.
func inviteForm(who, job int64) *bot.Form {
	f := &bot.Form{ID: fmt.Sprintf("%s%d:%d", inviteFormPrefix, who, job), Title: fmt.Sprintf("Invite to #%d", job), Submit: "Send invite"}
	for _, st := range InviteFlow.Steps {
		f.Fields = append(f.Fields, bot.FormField{ID: st.ID, Label: st.Label, Placeholder: st.Help, Optional: st.Optional, Multiline: st.ID == "note"})
	}
	return f
}

// submitInviteForm sends the invite of a submitted terms form, or sends the
// form back with what to correct.
func (t *turn) submitInviteForm(ctx context.Context) ([]bot.Reply, error) {
	var who, job int64
	if _, err := fmt.Sscanf(strings.TrimPrefix(t.ev.Command, inviteFormPrefix), "%d:%d", &who, &job); err != nil {
		return say("That form has expired. Say /help to see what I can do."), nil
	}
	answers, errs := parseForm(InviteFlow, t.ev.Form, t.b.now())
	if errs != nil {
		f := inviteForm(who, job)
		f.Errors = errs
		for i := range f.Fields {
			f.Fields[i].Value = t.ev.Form[f.Fields[i].ID]
		}
		return []bot.Reply{{Form: f, Private: true}}, nil
	}
	return t.inviteWithTerms(ctx, who, job, termsFromAnswers(answers))
}

// completeInvite sends the invite of a confirmed terms dialog.
func (t *turn) completeInvite(ctx context.Context, ref string, answers map[string]string) ([]bot.Reply, error) {
	var who, job int64
	if _, err := fmt.Sscanf(ref, "%d %d", &who, &job); err != nil {
		return nil, fmt.Errorf("bot: invite ref %q: %w", ref, err)
	}
	return t.inviteWithTerms(ctx, who, job, termsFromAnswers(answers))
}

// inviteWithTerms checks again what may have changed while the terms were
// asked (the job closed, the person left), then sends. A refusal is said,
// so a finished dialog ends.
func (t *turn) inviteWithTerms(ctx context.Context, who, job int64, terms bot.Terms) ([]bot.Reply, error) {
	a, err := t.b.store.Account(ctx, who)
	if err != nil {
		return refusal(err)
	}
	j, err := t.invitableJob(ctx, strconv.FormatInt(job, 10))
	if err != nil {
		return refusal(err)
	}
	replies, err := t.sendInvite(ctx, a, j, terms)
	if err != nil {
		return refusal(err)
	}
	return replies, nil
}
