package hire

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hirebot/hirebot/bot"
)

// maxNote is the longest application note, in characters.
const maxNote = 500

// applyJob handles /apply <job> [note].
func (t *turn) applyJob(ctx context.Context, args string) ([]bot.Reply, error) {
	arg, note, _ := strings.Cut(strings.TrimSpace(args), " ")
	jobID, err := parseJobID(arg)
	if err != nil {
		return nil, err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > maxNote {
		return nil, bot.Errorf(bot.EINVALID, "Please keep the note under %d characters.", maxNote)
	}
	name := t.b.displayName(ctx, t.acct.ID)
	profile, perr := t.b.store.Profile(ctx, t.acct.ID)
	if bot.ErrorCode(perr) == bot.ENOTFOUND {
		return t.profileFirst(ctx, jobID, args)
	}
	if perr != nil {
		return nil, perr
	}
	a, err := t.b.store.CreateApplication(ctx, bot.Application{JobID: jobID, FreelancerID: t.acct.ID, Note: note},
		func(a bot.Application, j bot.Job) bot.Effects {
			return bot.Effects{Notify: []bot.Notification{{AccountID: j.OwnerID, Reply: applicantReply(a, j, name, profile)}}}
		})
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return nil, bot.Errorf(bot.ENOTFOUND, "There is no job #%d.", jobID)
	}
	if err != nil {
		return nil, err
	}
	t.notified = true
	return say(fmt.Sprintf("You applied to job #%d. I've sent the poster your application %d; you'll hear back here.", jobID, a.ID)), nil
}

// applyRef marks a profile dialog started by applying: when the profile is
// published, the application goes out.
const applyRef = "apply:"

// profileFirst answers an application from someone with no profile: it
// starts the profile dialog (in a private chat when the button was pressed
// in a community) and applies once the profile is published.
func (t *turn) profileFirst(ctx context.Context, jobID int64, args string) ([]bot.Reply, error) {
	j, err := t.b.store.Job(ctx, jobID)
	switch {
	case bot.ErrorCode(err) == bot.ENOTFOUND:
		return nil, bot.Errorf(bot.ENOTFOUND, "There is no job #%d.", jobID)
	case err != nil:
		return nil, err
	case j.OwnerID == t.acct.ID:
		return nil, bot.Errorf(bot.EINVALID, "You cannot apply to your own job.")
	case j.Status != bot.JobOpen:
		return nil, bot.Errorf(bot.ECONFLICT, "Job #%d is %s, so it is no longer open.", j.ID, j.Status)
	}
	// The session keeps the application (job and note) until the profile is
	// published.
	replies, err := t.start(ctx, ProfileFlow, applyRef+strings.TrimSpace(args), nil, "")
	if err != nil {
		return nil, err
	}
	intro := bot.Reply{Text: fmt.Sprintf("To apply to #%d %s you need a profile first — a few questions. I'll send your application as soon as it is published.", j.ID, j.Title)}
	replies = append([]bot.Reply{intro}, replies...)
	if !t.ev.Private {
		dm := bot.Recipient{Platform: t.ev.Chat.Platform, Workspace: t.ev.Chat.Workspace, UserID: t.ev.From.UserID}
		for i := range replies {
			replies[i].To = dm
		}
		replies = append(replies, bot.Reply{Text: "I've written to you privately to build your profile first.", Private: true})
	}
	return replies, nil
}

// applyAfterProfile sends the application a profile dialog was started
// for (see profileFirst).
func (t *turn) applyAfterProfile(ctx context.Context, ref string) []bot.Reply {
	args, ok := strings.CutPrefix(ref, applyRef)
	if !ok {
		return nil
	}
	replies, err := t.applyJob(ctx, args)
	if err != nil {
		return []bot.Reply{{Text: bot.ErrorMessage(err)}}
	}
	return replies
}

// applicantReply is the card a poster gets for an application.
func applicantReply(a bot.Application, j bot.Job, name string, p bot.Profile) bot.Reply {
	card := ProfileCard(p)
	if a.Note != "" {
		card.Fields = append([]bot.Field{{Label: "Note", Value: a.Note}}, card.Fields...)
	}
	return bot.Reply{
		Text:  fmt.Sprintf("%s applied to #%d %s.", name, j.ID, j.Title),
		Cards: []bot.Card{card},
		Buttons: []bot.Button{
			{Label: "Shortlist", Value: fmt.Sprintf("/shortlist %d", a.ID)},
			{Label: "Invite", Value: fmt.Sprintf("/invite %d %d", a.FreelancerID, j.ID), Style: "primary"},
			{Label: "Decline", Value: fmt.Sprintf("/reject %d", a.ID), Style: "danger"},
		},
	}
}

// shortlist handles /shortlist <application>; reject handles
// /reject <application> (the applicant card's Decline).
func (t *turn) shortlist(ctx context.Context, arg string) ([]bot.Reply, error) {
	return t.judge(ctx, arg, bot.ApplicationShortlisted)
}

func (t *turn) reject(ctx context.Context, arg string) ([]bot.Reply, error) {
	return t.judge(ctx, arg, bot.ApplicationDeclined)
}

// judge moves an application to state and tells the applicant, with the
// employer's note when there is one ("/reject 3 Sorry, we need more
// PostgreSQL experience"); a decline without one gets a polite default.
func (t *turn) judge(ctx context.Context, arg, state string) ([]bot.Reply, error) {
	arg, note, err := splitNote(arg)
	if err != nil {
		return nil, err
	}
	id, err := parseID(arg, "application", "Use the buttons under the applicant's card.")
	if err != nil {
		return nil, err
	}
	var (
		j    bot.Job
		name string
	)
	if a, err := t.b.store.Application(ctx, id); err == nil {
		name = t.b.displayName(ctx, a.FreelancerID)
	}
	a, err := t.b.store.UpdateApplication(ctx, id, func(a *bot.Application, job bot.Job) (bot.Effects, error) {
		j = job
		switch {
		case job.OwnerID != t.acct.ID:
			return bot.Effects{}, bot.Errorf(bot.EUNAUTHORIZED, "Only the person who posted job #%d can do that.", job.ID)
		case job.Status != bot.JobOpen:
			return bot.Effects{}, bot.Errorf(bot.ECONFLICT, "Job #%d is %s, so it is no longer open.", job.ID, job.Status)
		case a.State == state:
			return bot.Effects{}, bot.Errorf(bot.ECONFLICT, "That application is already %s.", state)
		case a.State == bot.ApplicationDeclined:
			return bot.Effects{}, bot.Errorf(bot.ECONFLICT, "You already declined that application.")
		}
		a.State = state
		text := fmt.Sprintf("Good news: you're on the shortlist for #%d %s.", job.ID, job.Title) + quoted("The poster adds", note)
		switch {
		case state == bot.ApplicationDeclined && note != "":
			text = fmt.Sprintf("Thank you for applying to #%d %s. The poster has decided to go another way this time.%s\nI'll keep matching you with new jobs.",
				job.ID, job.Title, quoted("They wrote", note))
		case state == bot.ApplicationDeclined:
			text = fmt.Sprintf("Thank you for applying to #%d %s. The poster has decided to go another way this time; I'll keep matching you with new jobs.", job.ID, job.Title)
		}
		return bot.Effects{Notify: []bot.Notification{{AccountID: a.FreelancerID, Reply: bot.Reply{Text: text}}}}, nil
	})
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return nil, bot.Errorf(bot.ENOTFOUND, "There is no application %d.", id)
	}
	if err != nil {
		return nil, err
	}
	t.notified = true
	if state == bot.ApplicationDeclined && note != "" {
		return say(fmt.Sprintf("Declined %s for #%d; I sent them your note.", name, j.ID)), nil
	}
	if state == bot.ApplicationDeclined {
		return say(fmt.Sprintf("Declined %s for #%d; I sent them a polite note. To say why, add a note: /reject %d <note>.", name, j.ID, id)), nil
	}
	return []bot.Reply{{Text: fmt.Sprintf("%s is on your shortlist for #%d.", name, j.ID), Buttons: []bot.Button{
		{Label: "Invite " + truncate(name, 20), Value: fmt.Sprintf("/invite %d %d", a.FreelancerID, j.ID), Style: "primary"},
	}}}, nil
}

// responded reports whether an invitee has answered (or countered).
func responded(inv bot.Invite) bool {
	return inv.State == bot.InviteAccepted || inv.State == bot.InviteDeclined || inv.State == bot.InviteCountered
}

// applicants handles /applicants <job>: per job, each invitee's and
// applicant's state, and how many invitees responded.
func (t *turn) applicants(ctx context.Context, arg string) ([]bot.Reply, error) {
	j, err := t.ownJob(ctx, arg)
	if err != nil {
		return nil, err
	}
	invs, err := t.b.store.Invites(ctx, bot.InviteFilter{JobID: j.ID})
	if err != nil {
		return nil, err
	}
	apps, err := t.b.store.Applications(ctx, j.ID)
	if err != nil {
		return nil, err
	}
	if len(invs) == 0 && len(apps) == 0 {
		return say(fmt.Sprintf("Nobody has been invited to or applied for #%d %s yet.", j.ID, j.Title)), nil
	}
	r := bot.Reply{Text: fmt.Sprintf("#%d %s (%s)", j.ID, j.Title, j.Status)}
	if len(invs) > 0 {
		n := 0
		card := bot.Card{}
		for _, inv := range invs {
			if responded(inv) {
				n++
			}
			state := inv.State
			if inv.State == bot.InviteCountered {
				state += " at " + inv.Counter.String()
			}
			card.Fields = append(card.Fields, bot.Field{Label: t.b.displayName(ctx, inv.FreelancerID), Value: state})
			if inv.State == bot.InviteCountered && len(r.Buttons) < 10 {
				r.Buttons = append(r.Buttons, bot.Button{Label: "See counter " + truncate(card.Fields[len(card.Fields)-1].Label, 15), Value: fmt.Sprintf("/start inv_%d", inv.ID)})
			}
		}
		card.Title = fmt.Sprintf("Invites: %d of %d responded", n, len(invs))
		r.Cards = append(r.Cards, card)
	}
	if len(apps) > 0 {
		card := bot.Card{Title: fmt.Sprintf("Applications: %d", len(apps))}
		for _, a := range apps {
			name := t.b.displayName(ctx, a.FreelancerID)
			v := a.State
			if a.Note != "" {
				v += " — " + truncate(a.Note, 80)
			}
			card.Fields = append(card.Fields, bot.Field{Label: name, Value: v})
			if (a.State == bot.ApplicationApplied || a.State == bot.ApplicationShortlisted) && j.Status == bot.JobOpen && len(r.Buttons) < 10 {
				r.Buttons = append(r.Buttons, bot.Button{Label: "Invite " + truncate(name, 20), Value: fmt.Sprintf("/invite %d %d", a.FreelancerID, j.ID)})
			}
		}
		r.Cards = append(r.Cards, card)
	}
	return []bot.Reply{r}, nil
}
