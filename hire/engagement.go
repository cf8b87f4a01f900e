package hire

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hirebot/hirebot/bot"
)

// defaultMilestones is the checklist of an engagement started without one.
var defaultMilestones = []string{"Kick-off", "First delivery", "Final delivery"}

// ParseEngage reads the arguments of /engage: "<invite> [trial] [milestone,
// milestone, …]". At most 5 milestones of at most 80 characters each.
func ParseEngage(args string) (inviteID int64, trial bool, milestones []string, err error) {
	first, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	if inviteID, err = parseID(first, "invite", "Use the Start engagement button after an acceptance."); err != nil {
		return 0, false, nil, err
	}
	rest = strings.TrimSpace(rest)
	if word, after, _ := strings.Cut(rest, " "); strings.EqualFold(word, "trial") {
		trial, rest = true, strings.TrimSpace(after)
	}
	if rest == "" {
		return inviteID, trial, append([]string(nil), defaultMilestones...), nil
	}
	for _, m := range strings.Split(rest, ",") {
		m = strings.Join(strings.Fields(m), " ")
		if m == "" {
			continue
		}
		if utf8.RuneCountInString(m) > 80 {
			return 0, false, nil, bot.Errorf(bot.EINVALID, "Please keep each milestone under 80 characters.")
		}
		milestones = append(milestones, m)
	}
	if len(milestones) == 0 || len(milestones) > 5 {
		return 0, false, nil, bot.Errorf(bot.EINVALID, "Give 1 to 5 milestones, separated by commas.")
	}
	return inviteID, trial, milestones, nil
}

// engage handles /engage <invite> [trial] [milestones]: the employer
// starts the engagement of an accepted invite.
func (t *turn) engage(ctx context.Context, args string) ([]bot.Reply, error) {
	id, trial, titles, err := ParseEngage(args)
	if err != nil {
		return nil, err
	}
	inv, p, err := t.loadInvite(ctx, strconv.FormatInt(id, 10), "engage")
	if err != nil {
		return nil, err
	}
	if t.acct.ID != inv.EmployerID {
		return nil, bot.Errorf(bot.EUNAUTHORIZED, "Only the employer starts the engagement of invite %d.", inv.ID)
	}
	j, err := t.b.store.Job(ctx, inv.JobID)
	if err != nil {
		return nil, err
	}
	e := bot.Engagement{InviteID: inv.ID, Trial: trial}
	for _, m := range titles {
		e.Milestones = append(e.Milestones, bot.Milestone{Title: m})
	}
	e, err = t.b.store.CreateEngagement(ctx, e, func(e bot.Engagement) bot.Effects {
		kind := "an engagement"
		if e.Trial {
			kind = "a paid trial"
		}
		r := engagementReply(e, j)
		r.Text = fmt.Sprintf("%s started %s with you for #%d %s. Either of you can tick off milestones.", p.empName, kind, j.ID, j.Title)
		return bot.Effects{Notify: []bot.Notification{{AccountID: e.FreelancerID, Reply: r}}}
	})
	if err != nil {
		return nil, err
	}
	t.notified = true
	r := engagementReply(e, j)
	r.Text = fmt.Sprintf("Engagement %d with %s started for #%d.", e.ID, p.flName, j.ID)
	return []bot.Reply{r}, nil
}

// engagementReply shows the checklist with a Done button per open item.
func engagementReply(e bot.Engagement, j bot.Job) bot.Reply {
	title := fmt.Sprintf("Engagement %d — #%d %s", e.ID, j.ID, j.Title)
	if e.Trial {
		title += " (paid trial)"
	}
	card := bot.Card{Title: title}
	var buttons []bot.Button
	for i, m := range e.Milestones {
		mark := "☐"
		if m.Done {
			mark = "☑"
		} else {
			buttons = append(buttons, bot.Button{Label: fmt.Sprintf("Done %d", i+1), Value: fmt.Sprintf("/done %d %d", e.ID, i+1)})
		}
		card.Fields = append(card.Fields, bot.Field{Label: fmt.Sprintf("%d %s", i+1, mark), Value: m.Title})
	}
	return bot.Reply{Cards: []bot.Card{card}, Buttons: buttons}
}

// done handles /done <engagement> <milestone#>: either side ticks off a
// milestone and the other hears about it.
func (t *turn) done(ctx context.Context, args string) ([]bot.Reply, error) {
	const usage = "Use the Done buttons under the checklist, or /done <engagement> <milestone number>."
	f := strings.Fields(args)
	if len(f) != 2 {
		return nil, bot.Errorf(bot.EINVALID, "Which milestone? %s", usage)
	}
	id, err := parseID(f[0], "engagement", usage)
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(f[1])
	if err != nil || n <= 0 {
		return nil, bot.Errorf(bot.EINVALID, "%q is not a milestone number. %s", truncate(f[1], 10), usage)
	}
	name := t.b.displayName(ctx, t.acct.ID)
	var j bot.Job
	cur, err := t.b.store.Engagement(ctx, id)
	if err == nil {
		j, err = t.b.store.Job(ctx, cur.JobID)
	}
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return nil, bot.Errorf(bot.ENOTFOUND, "There is no engagement %d.", id)
	}
	if err != nil {
		return nil, err
	}
	e, err := t.b.store.UpdateEngagement(ctx, id, func(e *bot.Engagement) (bot.Effects, error) {
		if t.acct.ID != e.FreelancerID && t.acct.ID != e.EmployerID {
			return bot.Effects{}, bot.Errorf(bot.EUNAUTHORIZED, "Engagement %d is not yours.", e.ID)
		}
		if n > len(e.Milestones) {
			return bot.Effects{}, bot.Errorf(bot.EINVALID, "Engagement %d has %d milestones.", e.ID, len(e.Milestones))
		}
		if e.Milestones[n-1].Done {
			return bot.Effects{}, bot.Errorf(bot.ECONFLICT, "Milestone %d is already done.", n)
		}
		e.Milestones[n-1].Done = true
		other := e.EmployerID
		if t.acct.ID == e.EmployerID {
			other = e.FreelancerID
		}
		r := engagementReply(*e, j)
		r.Text = fmt.Sprintf("%s marked milestone %d (%s) done.", name, n, e.Milestones[n-1].Title)
		return bot.Effects{Notify: []bot.Notification{{AccountID: other, Reply: r}}}, nil
	})
	if err != nil {
		return nil, err
	}
	t.notified = true
	r := engagementReply(e, j)
	r.Text = fmt.Sprintf("Milestone %d done.", n)
	if len(r.Buttons) == 0 {
		r.Text += " Every milestone is done."
		if t.acct.ID == e.EmployerID && j.Status == bot.JobOpen {
			r.Buttons = []bot.Button{{Label: "Mark job filled", Value: fmt.Sprintf("/fill %d", j.ID), Style: "primary"}}
		}
	}
	return []bot.Reply{r}, nil
}

// fill handles /fill <job>: the owner marks the job filled.
func (t *turn) fill(ctx context.Context, arg string) ([]bot.Reply, error) {
	j, err := t.ownJob(ctx, arg)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return nil, bot.Errorf(bot.EUNAUTHORIZED, "Only the person who posted a job can mark it filled. Say /jobs to see yours.")
	}
	if err != nil {
		return nil, err
	}
	return t.finishJob(ctx, j, bot.JobFilled)
}

// finishJob ends an open job and tells everyone who applied or was
// invited, once.
func (t *turn) finishJob(ctx context.Context, j bot.Job, status string) ([]bot.Reply, error) {
	j, err := t.b.finish(ctx, j.ID, status)
	if err != nil {
		return refusal(err)
	}
	t.notified = true
	return say(fmt.Sprintf("Job #%d %s is %s. I've told everyone who applied or was invited.", j.ID, j.Title, status)), nil
}

// finish moves a job to status and enqueues the outcome for its people:
// the owner (on expiry), every applicant and every invitee, each once.
func (b *Bot) finish(ctx context.Context, jobID int64, status string) (bot.Job, error) {
	j, err := b.store.FinishJob(ctx, jobID, status, func(j bot.Job, apps []bot.Application, invs []bot.Invite) bot.Effects {
		told := map[int64]bool{j.OwnerID: true}
		var ns []bot.Notification
		add := func(id int64, text string) {
			if !told[id] {
				told[id] = true
				ns = append(ns, bot.Notification{AccountID: id, Reply: bot.Reply{Text: text}})
			}
		}
		for _, inv := range invs { // hired first, so they get their own words
			if inv.State == bot.InviteAccepted && status == bot.JobFilled {
				add(inv.FreelancerID, fmt.Sprintf("Job #%d %s is now marked filled. Thank you for your work!", j.ID, j.Title))
			}
		}
		outcome := map[string]string{
			bot.JobFilled:  "has been filled",
			bot.JobClosed:  "was closed by its poster",
			bot.JobExpired: "passed its deadline and is closed",
		}[status]
		text := fmt.Sprintf("Job #%d %s %s. Thank you for your interest; I'll keep matching you with new jobs.", j.ID, j.Title, outcome)
		for _, inv := range invs {
			add(inv.FreelancerID, text)
		}
		for _, a := range apps {
			add(a.FreelancerID, text)
		}
		if status == bot.JobExpired {
			ns = append(ns, bot.Notification{AccountID: j.OwnerID, Reply: bot.Reply{
				Text: fmt.Sprintf("Your job #%d %s passed its deadline, so I marked it expired and told the people involved.", j.ID, j.Title)}})
		}
		return bot.Effects{Notify: ns}
	})
	if err != nil {
		return j, err
	}
	b.index.RemoveJob(j.ID)
	return j, nil
}

// expiryBatch is how many due jobs one pass of expireJobs reads at a time.
const expiryBatch = 100

// expireJobs marks expired every open job whose deadline day has passed,
// tells its people, and says so on the boards it was posted to.
func (b *Bot) expireJobs(ctx context.Context, now time.Time) error {
	for {
		jobs, err := b.store.DueJobs(ctx, now, expiryBatch)
		if err != nil {
			return err
		}
		for _, j := range jobs {
			j, err := b.finish(ctx, j.ID, bot.JobExpired)
			if err != nil {
				if bot.ErrorCode(err) != bot.ECONFLICT {
					return err
				}
				continue
			}
			b.editPosts(ctx, j, bot.PostGig, "This gig has expired.")
			b.editPosts(ctx, j, bot.PostReport, "This gig has expired.")
		}
		if len(jobs) < expiryBatch {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

// hiringTasks is the periodic work of the hiring loop.
func (b *Bot) hiringTasks() []Task {
	return []Task{
		b.outboxTask(),
		b.inviteTask(),
		{Name: "finish-jobs", Every: time.Minute, Run: func(ctx context.Context, now time.Time) error {
			if err := b.expireJobs(ctx, now); err != nil {
				return err
			}
			_, err := b.DeliverOutbox(ctx, now)
			return err
		}},
	}
}
