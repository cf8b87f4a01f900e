package hire

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/match"
	"github.com/hirebot/hirebot/parse"
)

// How many results one message shows.
const (
	matchesShown = 5
	searchPage   = 5
)

func (t *turn) postJob(ctx context.Context, key string, answers map[string]string) ([]bot.Reply, error) {
	j, err := jobFromAnswers(t.acct.ID, key, answers)
	if err != nil {
		return nil, fmt.Errorf("bot: job answers: %w", err)
	}
	board, onBoard, refusal, err := t.boardForPost(ctx, key)
	if err != nil || refusal != nil {
		return refusal, err
	}
	j, err = t.b.store.CreateJob(ctx, j)
	if err != nil {
		return nil, err
	}
	t.b.index.PutJob(j)
	replies := []bot.Reply{{Text: fmt.Sprintf("Your job #%d is posted.", j.ID), Cards: []bot.Card{JobCard(j)}}}
	replies = append(replies, t.matchReplies(ctx, j)...)
	if onBoard {
		return t.postToBoard(ctx, board, j, replies)
	}
	return replies, nil
}

// form handles a submitted modal: a job, a review comment or the terms of
// an invite.
func (t *turn) form(ctx context.Context) ([]bot.Reply, error) {
	if strings.HasPrefix(t.ev.Command, reviewFormPrefix) {
		return t.reviewForm(ctx) // review.go
	}
	if strings.HasPrefix(t.ev.Command, inviteFormPrefix) {
		return t.submitInviteForm(ctx) // terms.go
	}
	if t.ev.Command != FlowJob {
		return say("That form has expired. Say /help to see what I can do."), nil
	}
	answers, errs := parseForm(JobFlow, t.ev.Form, t.b.now())
	if errs != nil {
		f := JobForm()
		f.Errors = errs
		for i := range f.Fields {
			f.Fields[i].Value = t.ev.Form[f.Fields[i].ID]
		}
		return []bot.Reply{{Form: f, Private: true}}, nil
	}
	key := t.ev.ID
	if key == "" {
		key = newRef()
	}
	return t.postJob(ctx, key, answers)
}

func (t *turn) matchReplies(ctx context.Context, j bot.Job) []bot.Reply {
	ms := t.matchJob(ctx, j, matchesShown) // privacy.go: hides who hides from here
	if len(ms) == 0 {
		return say(fmt.Sprintf("No published profile matches job #%d yet. Say /matches %d later to look again.", j.ID, j.ID))
	}
	r := bot.Reply{Text: fmt.Sprintf("The best matches for #%d %s:", j.ID, j.Title)}
	for i, m := range ms {
		p, err := t.b.store.Profile(ctx, m.AccountID)
		if err != nil {
			continue // deleted since the index saw it
		}
		r.Cards = append(r.Cards, bot.Card{
			Title:  fmt.Sprintf("%d. %s — %s", i+1, p.Name, p.Headline),
			Fields: t.b.withRating([]bot.Field{{Label: "Why", Value: m.Reason}}, p.AccountID),
		})
		r.Buttons = append(r.Buttons, bot.Button{Label: "View " + truncate(p.Name, 20), Value: fmt.Sprintf("/view %d", p.AccountID)},
			bot.Button{Label: "Invite " + truncate(p.Name, 20), Value: fmt.Sprintf("/invite %d %d", p.AccountID, j.ID)}, // invite.go
			bot.Button{Label: "Save " + truncate(p.Name, 20), Value: fmt.Sprintf("/pool add %d", p.AccountID)})          // pool.go
	}
	return []bot.Reply{r}
}

func (t *turn) ownJob(ctx context.Context, arg string) (bot.Job, error) {
	id, err := parseJobID(arg)
	if err != nil {
		return bot.Job{}, err
	}
	j, err := t.b.store.Job(ctx, id)
	if bot.ErrorCode(err) == bot.ENOTFOUND || (err == nil && j.OwnerID != t.acct.ID) {
		return bot.Job{}, bot.Errorf(bot.ENOTFOUND, "You have no job #%d. Say /jobs to see yours.", id)
	}
	return j, err
}

func (t *turn) matches(ctx context.Context, arg string) ([]bot.Reply, error) {
	j, err := t.ownJob(ctx, arg)
	if err != nil {
		return nil, err
	}
	if j.Status != bot.JobOpen {
		return say(fmt.Sprintf("Job #%d is %s, so I no longer match it.", j.ID, j.Status)), nil
	}
	return t.matchReplies(ctx, j), nil
}

func (t *turn) closeJob(ctx context.Context, arg string) ([]bot.Reply, error) {
	j, err := t.closableJob(ctx, arg)
	if err != nil {
		return nil, err
	}
	if j.Status != bot.JobOpen {
		return say(fmt.Sprintf("Job #%d is already %s.", j.ID, j.Status)), nil
	}
	j, err = t.b.finish(ctx, j.ID, bot.JobClosed) // tells applicants and invitees once (engagement.go)
	if err != nil {
		return refusal(err)
	}
	t.notified = true
	t.b.editPosts(ctx, j, bot.PostGig, "This gig is closed.")
	return say(fmt.Sprintf("Job #%d %s is closed.", j.ID, j.Title)), nil
}

func (t *turn) jobs(ctx context.Context) ([]bot.Reply, error) {
	var replies []bot.Reply
	own, err := t.b.store.Jobs(ctx, bot.JobFilter{OwnerID: t.acct.ID})
	if err != nil {
		return nil, err
	}
	if len(own) > 0 {
		r := bot.Reply{Text: "Your jobs:"}
		for _, j := range own {
			r.Cards = append(r.Cards, JobCard(j))
			if j.Status == bot.JobOpen && len(r.Buttons) < 10 {
				r.Buttons = append(r.Buttons, bot.Button{Label: fmt.Sprintf("Matches #%d", j.ID), Value: fmt.Sprintf("/matches %d", j.ID)})
			}
		}
		replies = append(replies, r)
	}
	p, err := t.b.store.Profile(ctx, t.acct.ID)
	switch {
	case err == nil && p.Status == bot.ProfilePublished:
		ms := t.b.index.MatchProfile(p, matchesShown)
		if len(ms) == 0 {
			replies = append(replies, say("No open job matches your profile right now.")...)
			break
		}
		r := bot.Reply{Text: "Open jobs that match you, best first:"}
		for _, m := range ms {
			j, err := t.b.store.Job(ctx, m.JobID)
			if err != nil {
				continue
			}
			card := JobCard(j)
			card.Fields = append([]bot.Field{{Label: "Why", Value: m.Reason}}, card.Fields...)
			r.Cards = append(r.Cards, card)
			r.Buttons = append(r.Buttons, bot.Button{Label: fmt.Sprintf("Apply #%d", j.ID), Value: fmt.Sprintf("/apply %d", j.ID)}) // apply.go
		}
		replies = append(replies, r)
	case err == nil:
		replies = append(replies, say("Your profile is paused, so I don't match you to jobs. Say /resume to start again.")...)
	case bot.ErrorCode(err) != bot.ENOTFOUND:
		return nil, err
	}
	if len(replies) == 0 {
		return say("You have no jobs and no profile yet. Say /post to post a job or /profile to build your profile."), nil
	}
	return replies, nil
}

var pageToken = regexp.MustCompile(`(?i)(^|\s)page:(\d{1,4})\b`)

func (t *turn) search(ctx context.Context, args string) ([]bot.Reply, error) {
	if strings.TrimSpace(args) == "" {
		return say(searchAsk), nil // greeting.go
	}
	q, err := match.ParseSearch(args)
	if err != nil {
		return nil, err
	}
	page := max(q.Page, 1)
	args = strings.TrimSpace(pageToken.ReplaceAllString(args, " ")) // for the More button
	// The free text too is matched in memory (textindex.go).
	results, total, err := t.searchIndex(ctx, q, nil, (page-1)*searchPage, searchPage) // privacy.go
	if err != nil {
		return nil, err
	}
	if total == 0 {
		return say("Nobody matches that yet. Try fewer filters, or other words."), nil
	}
	if len(results) == 0 {
		return say(fmt.Sprintf("That's all: %d found.", total)), nil
	}
	first := (page-1)*searchPage + 1
	r := bot.Reply{Text: fmt.Sprintf("%d–%d of %d:", first, first+len(results)-1, total)}
	for _, m := range results {
		p, err := t.b.store.Profile(ctx, m.AccountID)
		if err != nil {
			continue
		}
		r.Cards = append(r.Cards, bot.Card{Title: p.Name + " — " + p.Headline, Fields: t.b.withRating([]bot.Field{{Label: "Why", Value: m.Reason}}, p.AccountID)})
		r.Buttons = append(r.Buttons, bot.Button{Label: "View " + truncate(p.Name, 20), Value: fmt.Sprintf("/view %d", p.AccountID)},
			bot.Button{Label: "Invite " + truncate(p.Name, 20), Value: fmt.Sprintf("/invite %d", p.AccountID)}, // asks which job: invite.go
			bot.Button{Label: "Save " + truncate(p.Name, 20), Value: fmt.Sprintf("/pool add %d", p.AccountID)}) // pool.go
	}
	if more := fmt.Sprintf("/search %s page:%d", args, page+1); first+len(results)-1 < total {
		if len(more) <= 64 {
			r.Buttons = append(r.Buttons, bot.Button{Label: "More", Value: more})
		} else {
			r.Text += fmt.Sprintf("\nFor more, add page:%d to your search.", page+1)
		}
	}
	return []bot.Reply{r}, nil
}

func (t *turn) view(ctx context.Context, arg string) ([]bot.Reply, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(arg), 10, 64)
	if err != nil {
		return nil, bot.Errorf(bot.EINVALID, "Whose profile? Use the View button under a match or a search result.")
	}
	p, err := t.b.store.Profile(ctx, id)
	if bot.ErrorCode(err) == bot.ENOTFOUND || (err == nil && p.Status != bot.ProfilePublished && id != t.acct.ID) {
		return nil, bot.Errorf(bot.ENOTFOUND, "That profile is not available any more.")
	}
	if err != nil {
		return nil, err
	}
	if ok, err := t.visible(ctx, id); err != nil { // privacy.go
		return nil, err
	} else if !ok {
		return nil, bot.Errorf(bot.ENOTFOUND, "That profile is not available any more.")
	}
	card := ProfileCard(p)
	card.Fields = t.b.withRating(card.Fields, id)
	return []bot.Reply{{Cards: []bot.Card{card}, Private: true,
		Buttons: []bot.Button{{Label: "Save", Value: fmt.Sprintf("/pool add %d", id)}}}}, nil
}

func (t *turn) showJob(ctx context.Context, arg string) ([]bot.Reply, error) {
	id, err := parseJobID(arg)
	if err != nil {
		return nil, err
	}
	j, err := t.b.store.Job(ctx, id)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return nil, bot.Errorf(bot.ENOTFOUND, "There is no job #%d.", id)
	}
	if err != nil {
		return nil, err
	}
	r := bot.Reply{Cards: []bot.Card{JobCard(j)}}
	if j.Status == bot.JobOpen && j.OwnerID != t.acct.ID {
		r.Buttons = []bot.Button{{Label: "Apply", Value: fmt.Sprintf("/apply %d", j.ID), Style: "primary"}} // apply.go
	}
	return []bot.Reply{r}, nil
}

// ProfileCard shows a profile.
func ProfileCard(p bot.Profile) bot.Card {
	avail := parse.HoursString(p.Availability.HoursPerWeek) + " from " + parse.FormatDate(p.Availability.AvailableFrom)
	fields := []bot.Field{
		{Label: "Skills", Value: parse.ListString(p.Skills)},
		{Label: "Experience", Value: fmt.Sprintf("%d years", p.YearsExperience)},
		{Label: "Rate", Value: p.Rate.String()},
		{Label: "Availability", Value: avail},
		{Label: "Time zone", Value: p.Timezone},
		{Label: "Work types", Value: parse.ListString(p.WorkTypes)},
		{Label: "Where", Value: p.Location.String()},
	}
	if len(p.Portfolio) > 0 {
		fields = append(fields, bot.Field{Label: "Portfolio", Value: strings.Join(p.Portfolio, " ")})
	}
	if p.Bio != "" {
		fields = append(fields, bot.Field{Label: "Bio", Value: p.Bio})
	}
	return bot.Card{Title: p.Name + " — " + p.Headline, Fields: fields}
}

// JobCard shows a job.
func JobCard(j bot.Job) bot.Card {
	fields := []bot.Field{
		{Label: "Budget", Value: j.Budget.String()},
		{Label: "Deadline", Value: parse.FormatDate(j.Deadline)},
		{Label: "Skills", Value: parse.ListString(j.Skills)},
		{Label: "Where", Value: j.Location.String()},
	}
	if len(j.NiceSkills) > 0 {
		fields = append(fields, bot.Field{Label: "Nice to have", Value: parse.ListString(j.NiceSkills)})
	}
	if j.Timezone != "" {
		fields = append(fields, bot.Field{Label: "Time zone", Value: j.Timezone})
	}
	fields = append(fields, bot.Field{Label: "Status", Value: j.Status}, bot.Field{Label: "Scope", Value: j.Description})
	if j.Deliverables != "" {
		fields = append(fields, bot.Field{Label: "Deliverables", Value: j.Deliverables})
	}
	return bot.Card{Title: fmt.Sprintf("#%d %s", j.ID, j.Title), Fields: fields}
}
