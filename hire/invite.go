package hire

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
	c "github.com/hirebot/hirebot/parse"
)

// DefaultInviteTTL is how long an invite waits for an answer when
// Config.InviteTTL is zero. A reminder goes out halfway.
const DefaultInviteTTL = 48 * time.Hour

// FlowCounter is the dialog of a counter offer.
const FlowCounter = "counter"

// CounterFlow asks a freelancer for the terms of a counter offer: a rate
// and a note, and the hours and start of the invite, which it starts with
// (terms.go) and which Edit changes. Its session Ref is the invite ID.
var CounterFlow = &conversation.Flow{
	Name:         FlowCounter,
	Title:        "your counter offer",
	ConfirmText:  "Your counter offer:",
	ConfirmLabel: "Send",
	Steps: []conversation.Step{
		rateStep("What rate do you propose?", false),
		{ID: "note", Label: "Note", Prompt: "A short note for the employer?", Help: "For example: I can start Monday; the rate includes tests.", Optional: true, Parse: c.TextAnswer(2, 500)},
		hoursStep, startStep,
	},
}

// parseID reads a record number ("7" or "#7") for the command noun.
func parseID(s, noun, usage string) (int64, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if s == "" {
		return 0, bot.Errorf(bot.EINVALID, "Which %s? %s", noun, usage)
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, bot.Errorf(bot.EINVALID, "%q is not a %s number. %s", truncate(s, 20), noun, usage)
	}
	return id, nil
}

// splitNote splits "<number> [note]" and reads the note, when there is
// one, as a short text for the other side.
func splitNote(arg string) (string, string, error) {
	num, rest, _ := strings.Cut(strings.TrimSpace(arg), " ")
	if rest = strings.TrimSpace(rest); rest == "" {
		return num, "", nil
	}
	note, err := c.ParseText(rest, 2, 500)
	if ie, ok := c.AsInputError(err); ok {
		return "", "", bot.Errorf(bot.EINVALID, "The note: %s", ie.Msg)
	}
	return num, note, err
}

// quoted is " <who>: “note”", or "" without a note.
func quoted(who, note string) string {
	if note == "" {
		return ""
	}
	return " " + who + ": “" + note + "”"
}

// displayName is what others see of an account: the profile name when
// there is one, else the platform's display name, else where the person
// is ("someone on Slack"), never an internal number.
func (b *Bot) displayName(ctx context.Context, id int64) string {
	if p, err := b.store.Profile(ctx, id); err == nil && p.Name != "" {
		return p.Name
	}
	a, err := b.store.Account(ctx, id)
	switch {
	case err != nil:
		return "someone"
	case a.Name != "":
		return a.Name
	case home(a).Platform == "":
		return "someone"
	}
	return "someone on " + bot.PlatformName(home(a).Platform)
}

// home is the identity an account is reached at: its first one.
func home(a bot.Account) bot.Identity {
	if len(a.Identities) == 0 {
		return bot.Identity{}
	}
	return a.Identities[0]
}

// asker says who is asking without giving a way to reach them: a name and
// where they are.
func asker(name string, id bot.Identity) string {
	where := bot.PlatformName(id.Platform)
	if id.Workspace != "" {
		where += " workspace " + id.Workspace
	}
	return name + " (" + where + ")"
}

func (t *turn) inviteTTL() time.Duration {
	if t.b.inviteTTL > 0 {
		return t.b.inviteTTL
	}
	return DefaultInviteTTL
}

// invite handles /invite <person> <job>. The person is an account ID (from
// the buttons under cards) or, on the terminal, a user ID there ("@12"
// forces a user ID that is all digits). With only a person, it offers the
// employer's open jobs.
//
// Terms may follow the job, in one line ("/invite 12 3 $50/h 20h/week from
// Monday, fixed scope": ParseTerms), or "terms" asks for them in a form or
// a dialog.
func (t *turn) invite(ctx context.Context, args string) ([]bot.Reply, error) {
	fields := strings.Fields(args)
	if len(fields) == 0 {
		return nil, bot.Errorf(bot.EINVALID, "Whom, and to which job? %s", inviteUsage)
	}
	who, err := t.person(ctx, fields[0])
	if err != nil {
		return nil, err
	}
	if len(fields) == 1 {
		return t.pickJobFor(ctx, who, fields[0])
	}
	j, err := t.invitableJob(ctx, fields[1])
	if err != nil {
		return nil, err
	}
	rest := fields[2:]
	if len(rest) == 1 && strings.EqualFold(rest[0], "terms") {
		return t.askTerms(ctx, who, j) // terms.go
	}
	terms, err := ParseTerms(strings.Join(rest, " "), t.b.now())
	if err != nil {
		return nil, err
	}
	return t.sendInvite(ctx, who, j, terms)
}

const inviteUsage = "Use the Invite button under a match, or /invite <person> <job>, with terms if you like: /invite 12 3 $50/h 20h/week from Monday, fixed scope."

// invitableJob reads the job an /invite names and checks that the actor
// may invite people to it now.
func (t *turn) invitableJob(ctx context.Context, arg string) (bot.Job, error) {
	jobID, err := parseJobID(arg)
	if err != nil {
		return bot.Job{}, err
	}
	j, err := t.b.store.Job(ctx, jobID)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return bot.Job{}, bot.Errorf(bot.ENOTFOUND, "There is no job #%d.", jobID)
	}
	if err != nil {
		return bot.Job{}, err
	}
	if j.OwnerID != t.acct.ID {
		return bot.Job{}, bot.Errorf(bot.EUNAUTHORIZED, "Only the person who posted job #%d can invite people to it.", j.ID)
	}
	if j.Status != bot.JobOpen {
		return bot.Job{}, bot.Errorf(bot.ECONFLICT, "Job #%d is %s, so it is no longer open.", j.ID, j.Status)
	}
	return j, nil
}

// sendInvite creates the invite with its terms and tells the freelancer.
func (t *turn) sendInvite(ctx context.Context, who bot.Account, j bot.Job, terms bot.Terms) ([]bot.Reply, error) {
	from := asker(t.b.displayName(ctx, t.acct.ID), t.ev.From)
	name := t.b.displayName(ctx, who.ID)
	inv, err := t.b.store.CreateInvite(ctx, bot.Invite{
		JobID: j.ID, FreelancerID: who.ID, EmployerID: t.acct.ID, Terms: terms, ExpiresAt: t.b.now().Add(t.inviteTTL()),
	}, func(inv bot.Invite, j bot.Job) bot.Effects {
		r := inviteReply(inv, j, from)
		r.Text = fmt.Sprintf("%s invites you to job #%d. Please answer by %s.", from, j.ID, formatWhen(inv.ExpiresAt))
		return bot.Effects{Notify: []bot.Notification{{AccountID: who.ID, SenderID: t.acct.ID, InviteID: inv.ID, Reply: r}}}
	})
	if err != nil {
		return nil, err
	}
	t.notified = true
	t.markApplication(ctx, j.ID, who.ID)
	offered := ""
	if s := inv.Terms.String(); s != "" {
		offered = " offering " + s
	}
	return say(fmt.Sprintf("Invite %d sent to %s for #%d %s%s. It expires %s. /applicants %d shows where everyone stands.",
		inv.ID, name, j.ID, j.Title, offered, formatWhen(inv.ExpiresAt), j.ID)), nil
}

// markApplication moves an application of the invited person to invited.
// It is bookkeeping for /applicants, so a failure is only logged.
func (t *turn) markApplication(ctx context.Context, jobID, freelancerID int64) {
	apps, err := t.b.store.Applications(ctx, jobID)
	if err != nil {
		return
	}
	for _, a := range apps {
		if a.FreelancerID == freelancerID && a.State != bot.ApplicationInvited {
			_, err := t.b.store.UpdateApplication(ctx, a.ID, func(a *bot.Application, _ bot.Job) (bot.Effects, error) {
				a.State = bot.ApplicationInvited
				return bot.Effects{}, nil
			})
			if err != nil {
				t.b.log.Warn("cannot mark application invited", "application", a.ID, "err", err)
			}
		}
	}
}

// person finds the account an /invite names.
func (t *turn) person(ctx context.Context, arg string) (bot.Account, error) {
	forced := strings.HasPrefix(arg, "@")
	arg = strings.TrimPrefix(arg, "@")
	if id, err := strconv.ParseInt(arg, 10, 64); err == nil && id > 0 && !forced {
		a, err := t.b.store.Account(ctx, id)
		if bot.ErrorCode(err) == bot.ENOTFOUND {
			return bot.Account{}, bot.Errorf(bot.ENOTFOUND, "There is no person %d. Use the Invite button under a match.", id)
		}
		return a, err
	}
	// Where people are named by a handle (the terminal: their user ID),
	// someone who never opened a chat gets an account now and reads the
	// invite when they do.
	var id bot.Identity
	d, ok := t.b.adapters[t.ev.From.Platform].(bot.Directory)
	if ok {
		id, ok = d.Lookup(arg)
	}
	if !ok {
		return bot.Account{}, bot.Errorf(bot.EINVALID, "Use the Invite button under a match or a search result to invite someone.")
	}
	return t.b.store.ResolveAccount(ctx, id, arg)
}

// pickJobFor offers the employer's open jobs to invite a person to.
func (t *turn) pickJobFor(ctx context.Context, who bot.Account, arg string) ([]bot.Reply, error) {
	jobs, err := t.b.store.Jobs(ctx, bot.JobFilter{OwnerID: t.acct.ID, Status: bot.JobOpen})
	if err != nil {
		return nil, err
	}
	if len(jobs) == 0 {
		return say("You have no open job to invite anyone to. Say /post to post one."), nil
	}
	r := bot.Reply{Text: fmt.Sprintf("Invite %s to which job? To offer terms, add them after the job, like /invite %s <job> $50/h 20h/week from Monday, or end with \"terms\" for a form.",
		t.b.displayName(ctx, who.ID), arg)}
	for _, j := range jobs {
		if len(r.Buttons) == 5 {
			break
		}
		v := fmt.Sprintf("/invite %d %d", who.ID, j.ID)
		if !strings.HasPrefix(arg, "@") && arg != strconv.FormatInt(who.ID, 10) {
			v = fmt.Sprintf("/invite @%s %d", arg, j.ID)
		}
		if len(v) > 64 {
			continue
		}
		r.Buttons = append(r.Buttons, bot.Button{Label: fmt.Sprintf("#%d %s", j.ID, truncate(j.Title, 30)), Value: v})
	}
	return []bot.Reply{r}, nil
}

// inviteReply is the request card a freelancer gets.
func inviteReply(inv bot.Invite, j bot.Job, from string) bot.Reply {
	card := bot.Card{Title: fmt.Sprintf("#%d %s", j.ID, j.Title), Fields: []bot.Field{
		{Label: "Scope", Value: j.Description},
	}}
	if j.Deliverables != "" {
		card.Fields = append(card.Fields, bot.Field{Label: "Deliverables", Value: j.Deliverables})
	}
	card.Fields = append(card.Fields,
		bot.Field{Label: "Budget", Value: j.Budget.String()},
		bot.Field{Label: "Deadline", Value: c.FormatDate(j.Deadline)},
	)
	card.Fields = append(card.Fields, inv.Terms.Fields()...)
	card.Fields = append(card.Fields,
		bot.Field{Label: "Asking", Value: from},
		bot.Field{Label: "Answer by", Value: formatWhen(inv.ExpiresAt)},
	)
	return bot.Reply{Cards: []bot.Card{card}, Buttons: []bot.Button{
		{Label: "Accept", Value: fmt.Sprintf("/accept %d", inv.ID), Style: "primary"},
		{Label: "Decline", Value: fmt.Sprintf("/decline %d", inv.ID), Style: "danger"},
		{Label: "Counter", Value: fmt.Sprintf("/counter %d", inv.ID)},
	}}
}

func formatWhen(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// notOpen explains why an invite can no longer be answered, or returns nil.
func notOpen(inv bot.Invite, j bot.Job, now time.Time) error {
	switch {
	case j.Status != bot.JobOpen:
		return bot.Errorf(bot.ECONFLICT, "Job #%d is %s, so invite %d is no longer open.", j.ID, j.Status, inv.ID)
	case !inv.Open():
		return bot.Errorf(bot.ECONFLICT, "Invite %d is no longer open: it was %s.", inv.ID, inv.State)
	case !now.Before(inv.ExpiresAt):
		return bot.Errorf(bot.ECONFLICT, "Invite %d is no longer open: it expired.", inv.ID)
	}
	return nil
}

// parties reads both sides of an invite, for names and introductions.
type parties struct {
	emp, fl         bot.Account
	empName, flName string
}

func (t *turn) parties(ctx context.Context, inv bot.Invite) (parties, error) {
	var p parties
	var err error
	if p.emp, err = t.b.store.Account(ctx, inv.EmployerID); err != nil {
		return p, err
	}
	if p.fl, err = t.b.store.Account(ctx, inv.FreelancerID); err != nil {
		return p, err
	}
	p.empName, p.flName = t.b.displayName(ctx, p.emp.ID), t.b.displayName(ctx, p.fl.ID)
	return p, nil
}

// loadInvite reads an invite named by a command argument.
func (t *turn) loadInvite(ctx context.Context, arg, verb string) (bot.Invite, parties, error) {
	id, err := parseID(arg, "invite", "Use the buttons under the invite.")
	if err != nil {
		return bot.Invite{}, parties{}, err
	}
	inv, err := t.b.store.Invite(ctx, id)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return bot.Invite{}, parties{}, bot.Errorf(bot.ENOTFOUND, "There is no invite %d.", id)
	}
	if err != nil {
		return bot.Invite{}, parties{}, err
	}
	if t.acct.ID != inv.FreelancerID && t.acct.ID != inv.EmployerID {
		return bot.Invite{}, parties{}, bot.Errorf(bot.EUNAUTHORIZED, "Invite %d is not yours to %s.", id, verb)
	}
	p, err := t.parties(ctx, inv)
	return inv, p, err
}

// accept handles /accept: the invitee accepts an invite, or the employer
// accepts a counter offer. Both sides are then introduced.
func (t *turn) accept(ctx context.Context, arg string) ([]bot.Reply, error) {
	inv, j, p, err := t.answer(ctx, arg, "accept", func(inv *bot.Invite, job bot.Job, p parties) bot.Effects {
		var e bot.Effects
		if inv.State == bot.InviteSent {
			e.Notify = append(e.Notify, bot.Notification{AccountID: inv.EmployerID, Reply: bot.Reply{
				Text: fmt.Sprintf("%s accepted your invite to #%d %s%s.", p.flName, job.ID, job.Title, parenthesized(inv.Terms.String())),
				Buttons: []bot.Button{
					{Label: "Start engagement", Value: fmt.Sprintf("/engage %d", inv.ID), Style: "primary"},
					{Label: "Paid trial", Value: fmt.Sprintf("/engage %d trial", inv.ID)},
					{Label: "Mark filled", Value: fmt.Sprintf("/fill %d", job.ID)},
				},
			}})
		} else {
			e.Notify = append(e.Notify, bot.Notification{AccountID: inv.FreelancerID, Reply: bot.Reply{
				Text: fmt.Sprintf("%s accepted your counter offer%s for #%d %s.", p.empName, parenthesized(inv.Counter.String()), job.ID, job.Title),
			}})
		}
		inv.State = bot.InviteAccepted
		intro := t.b.introduce(p, job)
		e.Notify, e.Relay = append(e.Notify, intro.Notify...), intro.Relay
		return e
	})
	if err != nil {
		return nil, err
	}
	other := p.empName
	if t.acct.ID == inv.EmployerID {
		other = p.flName
	}
	r := bot.Reply{Text: fmt.Sprintf("Accepted: you and %s are working together on #%d %s. I'm introducing you now.", other, j.ID, j.Title)}
	if t.acct.ID == inv.EmployerID {
		r.Buttons = []bot.Button{
			{Label: "Start engagement", Value: fmt.Sprintf("/engage %d", inv.ID), Style: "primary"},
			{Label: "Paid trial", Value: fmt.Sprintf("/engage %d trial", inv.ID)},
		}
	}
	return []bot.Reply{r}, nil
}

// answer applies the actor's answer to an open invite in one store
// transaction: it checks that the invite and its job are still open and
// that the answer is the actor's to give, then lets change set the new
// state and say whom to tell.
func (t *turn) answer(ctx context.Context, arg, verb string, change func(inv *bot.Invite, job bot.Job, p parties) bot.Effects) (bot.Invite, bot.Job, parties, error) {
	inv, p, err := t.loadInvite(ctx, arg, verb)
	if err != nil {
		return bot.Invite{}, bot.Job{}, p, err
	}
	now := t.b.now()
	var j bot.Job
	inv, err = t.b.store.UpdateInvite(ctx, inv.ID, func(inv *bot.Invite, job bot.Job) (bot.Effects, error) {
		j = job
		if err := notOpen(*inv, job, now); err != nil {
			return bot.Effects{}, err
		}
		if err := t.answering(*inv); err != nil {
			return bot.Effects{}, err
		}
		return change(inv, job, p), nil
	})
	if err == nil {
		t.notified = true
	}
	return inv, j, p, err
}

// answering checks that the actor is the one whose answer the invite
// waits for: the freelancer on a sent invite, the employer on a counter.
func (t *turn) answering(inv bot.Invite) error {
	switch {
	case inv.State == bot.InviteSent && t.acct.ID != inv.FreelancerID:
		if t.acct.ID == inv.EmployerID {
			return bot.Errorf(bot.EUNAUTHORIZED, "Invite %d waits for the freelancer's answer, not yours.", inv.ID)
		}
		return bot.Errorf(bot.EUNAUTHORIZED, "Invite %d is not addressed to you.", inv.ID)
	case inv.State == bot.InviteCountered && t.acct.ID != inv.EmployerID:
		if t.acct.ID == inv.FreelancerID {
			return bot.Errorf(bot.EUNAUTHORIZED, "You countered invite %d; the employer answers now.", inv.ID)
		}
		return bot.Errorf(bot.EUNAUTHORIZED, "Invite %d is not addressed to you.", inv.ID)
	}
	return nil
}

// decline handles /decline: the invitee declines an invite, or the
// employer declines a counter offer.
// A note may follow the invite ("/decline 3 Booked until March"); it goes
// to the other side with the answer.
func (t *turn) decline(ctx context.Context, arg string) ([]bot.Reply, error) {
	arg, note, err := splitNote(arg)
	if err != nil {
		return nil, err
	}
	_, j, _, err := t.answer(ctx, arg, "decline", func(inv *bot.Invite, job bot.Job, p parties) bot.Effects {
		var n bot.Notification
		if inv.State == bot.InviteSent {
			n = bot.Notification{AccountID: inv.EmployerID, Reply: bot.Reply{Text: fmt.Sprintf("%s declined your invite to #%d %s.%s",
				p.flName, job.ID, job.Title, quoted("They wrote", note))}}
		} else {
			thanks := quoted("They wrote", note)
			if note == "" {
				thanks = " Thank you for your time."
			}
			n = bot.Notification{AccountID: inv.FreelancerID, Reply: bot.Reply{Text: fmt.Sprintf("%s declined your counter offer for #%d %s.%s",
				p.empName, job.ID, job.Title, thanks)}}
		}
		inv.State = bot.InviteDeclined
		return bot.Effects{Notify: []bot.Notification{n}}
	})
	if err != nil {
		return nil, err
	}
	return say(fmt.Sprintf("Declined. I've let them know about #%d %s.", j.ID, j.Title)), nil
}

// counter handles /counter: the invitee starts a counter offer dialog.
func (t *turn) counter(ctx context.Context, arg string) ([]bot.Reply, error) {
	inv, _, err := t.loadInvite(ctx, arg, "counter")
	if err != nil {
		return nil, err
	}
	j, err := t.b.store.Job(ctx, inv.JobID)
	if err != nil {
		return nil, err
	}
	if err := notOpen(inv, j, t.b.now()); err != nil {
		return nil, err
	}
	if t.acct.ID != inv.FreelancerID || inv.State != bot.InviteSent {
		return nil, bot.Errorf(bot.EUNAUTHORIZED, "Only the person invited can counter invite %d, once.", inv.ID)
	}
	// The offered hours and start are kept unless edited; the rate and the
	// note are the counter's own.
	prefill := inv.Terms.Answers()
	delete(prefill, "rate")
	delete(prefill, "note")
	for _, id := range []string{"hours", "start"} {
		if _, ok := prefill[id]; !ok {
			prefill[id] = ""
		}
	}
	replies, err := t.start(ctx, CounterFlow, strconv.FormatInt(inv.ID, 10), prefill, "")
	if s := inv.Terms.String(); s != "" && err == nil {
		replies = append(say(fmt.Sprintf("Invite %d offers %s. Propose your rate; Edit at the end changes the hours or the start.", inv.ID, s)), replies...)
	}
	return replies, err
}

// completeCounter records a confirmed counter offer. A refusal (the invite
// closed meanwhile) is said, not returned, so the finished dialog ends.
func (t *turn) completeCounter(ctx context.Context, ref string, answers map[string]string) ([]bot.Reply, error) {
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("bot: counter ref %q: %w", ref, err)
	}
	counter := termsFromAnswers(answers)
	inv, err := t.b.store.Invite(ctx, id)
	if err != nil {
		return refusal(err)
	}
	p, err := t.parties(ctx, inv)
	if err != nil {
		return nil, err
	}
	now := t.b.now()
	var j bot.Job
	errSame := errors.New("already countered")
	_, err = t.b.store.UpdateInvite(ctx, id, func(inv *bot.Invite, job bot.Job) (bot.Effects, error) {
		j = job
		if inv.State == bot.InviteCountered && inv.Counter.Equal(counter) {
			return bot.Effects{}, errSame // the same confirmation twice
		}
		if err := notOpen(*inv, job, now); err != nil {
			return bot.Effects{}, err
		}
		if t.acct.ID != inv.FreelancerID || inv.State != bot.InviteSent {
			return bot.Effects{}, bot.Errorf(bot.EUNAUTHORIZED, "Only the person invited can counter invite %d, once.", inv.ID)
		}
		inv.State, inv.Counter = bot.InviteCountered, counter
		inv.ExpiresAt, inv.Reminded = now.Add(t.inviteTTL()), false
		return bot.Effects{Notify: []bot.Notification{{AccountID: inv.EmployerID, SenderID: inv.FreelancerID, Reply: counterReply(*inv, job, p.flName)}}}, nil
	})
	switch {
	case errors.Is(err, errSame):
	case err != nil:
		return refusal(err)
	default:
		t.notified = true
	}
	return say(fmt.Sprintf("Counter offer sent for #%d %s: %s. I'll tell you what they say.", j.ID, j.Title, counter)), nil
}

// counterReply is what the employer gets for a counter offer.
func counterReply(inv bot.Invite, j bot.Job, name string) bot.Reply {
	fields := inv.Counter.Fields()
	if s := inv.Terms.String(); s != "" {
		fields = append(fields, bot.Field{Label: "You offered", Value: s})
	}
	fields = append(fields, bot.Field{Label: "Your budget", Value: j.Budget.String()}, bot.Field{Label: "Answer by", Value: formatWhen(inv.ExpiresAt)})
	return bot.Reply{
		Text:  fmt.Sprintf("%s countered your invite to #%d %s.", name, j.ID, j.Title),
		Cards: []bot.Card{{Title: "Counter offer", Fields: fields}},
		Buttons: []bot.Button{
			{Label: "Accept counter", Value: fmt.Sprintf("/accept %d", inv.ID), Style: "primary"},
			{Label: "Decline", Value: fmt.Sprintf("/decline %d", inv.ID), Style: "danger"},
		},
	}
}

// refusal turns a domain refusal into a reply and passes other errors on.
func refusal(err error) ([]bot.Reply, error) {
	switch bot.ErrorCode(err) {
	case bot.EINVALID, bot.ENOTFOUND, bot.EUNAUTHORIZED, bot.ECONFLICT:
		return say(bot.ErrorMessage(err)), nil
	}
	return nil, err
}

// showInvite shows an invite to one of its two sides (the Telegram deep
// link inv_<id> opens it), with the buttons that still apply.
func (t *turn) showInvite(ctx context.Context, arg string) ([]bot.Reply, error) {
	inv, p, err := t.loadInvite(ctx, arg, "see")
	if err != nil {
		return nil, err
	}
	j, err := t.b.store.Job(ctx, inv.JobID)
	if err != nil {
		return nil, err
	}
	if err := notOpen(inv, j, t.b.now()); err != nil {
		return refusal(err)
	}
	if t.acct.ID == inv.EmployerID && inv.State == bot.InviteCountered {
		return []bot.Reply{counterReply(inv, j, p.flName)}, nil
	}
	if t.acct.ID == inv.EmployerID {
		return say(fmt.Sprintf("Invite %d to %s for #%d waits for their answer until %s.", inv.ID, p.flName, j.ID, formatWhen(inv.ExpiresAt))), nil
	}
	if inv.State == bot.InviteCountered {
		return say(fmt.Sprintf("You countered invite %d; %s answers by %s.", inv.ID, p.empName, formatWhen(inv.ExpiresAt))), nil
	}
	r := inviteReply(inv, j, asker(p.empName, home(p.emp)))
	r.Text = fmt.Sprintf("%s invites you to job #%d.", p.empName, j.ID)
	return []bot.Reply{r}, nil
}

// inviteTask expires unanswered invites and reminds whoever must answer,
// once, halfway. It runs every twentieth of the invite's life (a minute at
// most), so the reminder of a two-minute invite comes within seconds of
// halfway, and delivers at once what it enqueued.
func (b *Bot) inviteTask() Task {
	return Task{Name: "invites", Every: every(b.ttl(), 20, time.Second, time.Minute), Run: func(ctx context.Context, now time.Time) error {
		if err := b.sweepInvites(ctx, now); err != nil {
			return err
		}
		_, err := b.DeliverOutbox(ctx, now)
		return err
	}}
}

func (b *Bot) ttl() time.Duration {
	if b.inviteTTL > 0 {
		return b.inviteTTL
	}
	return DefaultInviteTTL
}

func (b *Bot) sweepInvites(ctx context.Context, now time.Time) error {
	// Due for a reminder from exactly halfway (stored times are whole
	// microseconds, so one more makes the bound inclusive).
	halfway := now.Add(b.ttl()/2 + time.Microsecond)
	due, err := b.store.Invites(ctx, bot.InviteFilter{States: []string{bot.InviteSent, bot.InviteCountered}, ExpiresBefore: halfway})
	if err != nil {
		return err
	}
	for _, inv := range due {
		if inv.Reminded && now.Before(inv.ExpiresAt) {
			continue
		}
		t := &turn{b: b}
		p, err := t.parties(ctx, inv)
		if err != nil {
			b.log.Warn("invite sweep: cannot read parties", "invite", inv.ID, "err", err)
			continue
		}
		_, err = b.store.UpdateInvite(ctx, inv.ID, func(inv *bot.Invite, j bot.Job) (bot.Effects, error) {
			if !inv.Open() {
				return bot.Effects{}, errSkip
			}
			if !now.Before(inv.ExpiresAt) {
				return expireInvite(inv, j, p), nil
			}
			if inv.Reminded {
				return bot.Effects{}, errSkip
			}
			inv.Reminded = true
			return remindInvite(*inv, j, p), nil
		})
		if err != nil && !errors.Is(err, errSkip) {
			b.log.Warn("invite sweep failed", "invite", inv.ID, "err", err)
		}
	}
	return nil
}

var errSkip = errors.New("nothing to do")

func expireInvite(inv *bot.Invite, j bot.Job, p parties) bot.Effects {
	var ns []bot.Notification
	if inv.State == bot.InviteSent {
		ns = []bot.Notification{
			{AccountID: inv.FreelancerID, Reply: bot.Reply{Text: fmt.Sprintf("The invite to #%d %s expired without an answer.", j.ID, j.Title)}},
			{AccountID: inv.EmployerID, Reply: bot.Reply{Text: fmt.Sprintf("Your invite to %s for #%d %s expired without an answer.", p.flName, j.ID, j.Title)}},
		}
	} else {
		ns = []bot.Notification{
			{AccountID: inv.FreelancerID, Reply: bot.Reply{Text: fmt.Sprintf("Your counter offer for #%d %s expired without an answer.", j.ID, j.Title)}},
			{AccountID: inv.EmployerID, Reply: bot.Reply{Text: fmt.Sprintf("%s's counter offer for #%d %s expired without your answer.", p.flName, j.ID, j.Title)}},
		}
	}
	inv.State = bot.InviteExpired
	return bot.Effects{Notify: ns}
}

func remindInvite(inv bot.Invite, j bot.Job, p parties) bot.Effects {
	if inv.State == bot.InviteCountered {
		r := counterReply(inv, j, p.flName)
		r.Text = "Reminder: " + r.Text
		return bot.Effects{Notify: []bot.Notification{{AccountID: inv.EmployerID, Reply: r}}}
	}
	r := inviteReply(inv, j, asker(p.empName, home(p.emp)))
	r.Text = fmt.Sprintf("Reminder: %s invited you to #%d %s. The invite expires %s.", p.empName, j.ID, j.Title, formatWhen(inv.ExpiresAt))
	return bot.Effects{Notify: []bot.Notification{{AccountID: inv.FreelancerID, SenderID: inv.EmployerID, InviteID: inv.ID, Reply: r}}}
}
