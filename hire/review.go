package hire

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hirebot/hirebot/bot"
)

// reviewBatch bounds the engagements one run asks about.
const reviewBatch = 50

// requestReviews asks both parties of a done engagement for a review,
// once; asking again (the task after a /done that already asked) does
// nothing.
func (b *Bot) requestReviews(ctx context.Context, engagementID int64) error {
	e, err := b.store.Engagement(ctx, engagementID)
	if err != nil {
		return err
	}
	j, err := b.store.Job(ctx, e.JobID)
	if err != nil {
		return err
	}
	fl, emp := b.displayName(ctx, e.FreelancerID), b.displayName(ctx, e.EmployerID)
	err = b.store.RequestReviews(ctx, engagementID, func(e bot.Engagement) []bot.Notification {
		return []bot.Notification{
			{AccountID: e.FreelancerID, Reply: reviewRequest(e, j, emp)},
			{AccountID: e.EmployerID, Reply: reviewRequest(e, j, fl)},
		}
	})
	if bot.ErrorCode(err) == bot.ECONFLICT {
		return nil
	}
	return err
}

// reviewRequest asks one side for stars: one tap, or skip.
func reviewRequest(e bot.Engagement, j bot.Job, other string) bot.Reply {
	r := bot.Reply{Text: fmt.Sprintf("Engagement %d for #%d %s is done. How was working with %s? Tap the stars, or Skip. "+
		"To add a short comment, write /review %d <stars> <comment>.", e.ID, j.ID, j.Title, other, e.ID)}
	for n := 1; n <= 5; n++ {
		r.Buttons = append(r.Buttons, bot.Button{Label: strings.Repeat("★", n), Value: fmt.Sprintf("/review %d %d", e.ID, n)})
	}
	r.Buttons = append(r.Buttons, bot.Button{Label: "Skip", Value: fmt.Sprintf("/review %d skip", e.ID)})
	return r
}

// requestDueReviews asks about every done engagement not asked yet: a
// process that stopped between the last milestone and the request catches
// up here.
func (b *Bot) requestDueReviews(ctx context.Context) error {
	ids, err := b.store.UnrequestedEngagements(ctx, reviewBatch)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := b.requestReviews(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// doneAndAsk handles /done and, when that milestone was the last one,
// asks both sides for a review.
func (t *turn) doneAndAsk(ctx context.Context, args string) ([]bot.Reply, error) {
	replies, err := t.done(ctx, args) // engagement.go
	if err != nil {
		return replies, err
	}
	f := strings.Fields(args)
	id, perr := parseID(f[0], "engagement", "")
	if perr != nil {
		return replies, nil
	}
	if e, err := t.b.store.Engagement(ctx, id); err == nil && e.Done() {
		if err := t.b.requestReviews(ctx, id); err != nil {
			t.b.log.Warn("cannot ask for reviews; the task will", "engagement", id, "err", err)
		} else {
			t.notified = true
		}
	}
	return replies, nil
}

// ReviewCommand is a parsed /review.
type ReviewCommand struct {
	EngagementID int64
	Stars        int // 0: skip
	Comment      string
}

// ParseReview reads "/review <engagement> <1-5|skip> [comment]". Stars may
// be written "4", "4/5", "4*" or "★★★★".
func ParseReview(args string) (ReviewCommand, error) {
	const usage = "Use the star buttons, or /review <engagement> <1-5> [a short comment], or /review <engagement> skip."
	first, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	id, err := parseID(first, "engagement", usage)
	if err != nil {
		return ReviewCommand{}, err
	}
	rest = strings.TrimSpace(rest)
	word, comment, _ := strings.Cut(rest, " ")
	c := ReviewCommand{EngagementID: id, Comment: strings.Join(strings.Fields(comment), " ")}
	switch w := strings.ToLower(word); {
	case w == "skip":
		if c.Comment != "" {
			return ReviewCommand{}, bot.Errorf(bot.EINVALID, "A skip has no comment. %s", usage)
		}
		return c, nil
	case w != "" && strings.Trim(w, "★") == "":
		c.Stars = utf8.RuneCountInString(w)
	default:
		w = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(w, "/5"), "*"), "★")
		n, err := strconv.Atoi(w)
		if err != nil {
			return ReviewCommand{}, bot.Errorf(bot.EINVALID, "How many stars, 1 to 5? %s", usage)
		}
		c.Stars = n
	}
	if c.Stars < 1 || c.Stars > 5 {
		return ReviewCommand{}, bot.Errorf(bot.EINVALID, "Give 1 to 5 stars. %s", usage)
	}
	if utf8.RuneCountInString(c.Comment) > bot.MaxReviewComment {
		return ReviewCommand{}, bot.Errorf(bot.EINVALID, "Please keep the comment under %d characters.", bot.MaxReviewComment)
	}
	return c, nil
}

// reviewFormPrefix starts the ID of the comment form a star button opens
// where the platform has forms: "review:<engagement>:<stars>".
const reviewFormPrefix = "review:"

// review handles /review <engagement> <stars|skip> [comment].
func (t *turn) review(ctx context.Context, args string) ([]bot.Reply, error) {
	c, err := ParseReview(args)
	if err != nil {
		return nil, err
	}
	if t.ev.Kind == bot.KindButton && t.ev.Forms && c.Stars > 0 && c.Comment == "" {
		// One more tap where the platform has forms: a comment, optional.
		if _, err := t.b.store.Engagement(ctx, c.EngagementID); err != nil {
			return nil, err
		}
		return []bot.Reply{{Form: &bot.Form{
			ID: fmt.Sprintf("%s%d:%d", reviewFormPrefix, c.EngagementID, c.Stars), Title: fmt.Sprintf("%d-star review", c.Stars), Submit: "Send",
			Fields: []bot.FormField{{ID: "comment", Label: "A short comment (optional)", Optional: true, Multiline: true}},
		}}}, nil
	}
	return t.saveReview(ctx, c)
}

// reviewForm handles the submitted comment form of a star button.
func (t *turn) reviewForm(ctx context.Context) ([]bot.Reply, error) {
	var id int64
	var stars int
	if _, err := fmt.Sscanf(strings.TrimPrefix(t.ev.Command, reviewFormPrefix), "%d:%d", &id, &stars); err != nil {
		return say("That form has expired. Use the star buttons again."), nil
	}
	c, err := ParseReview(fmt.Sprintf("%d %d %s", id, stars, t.ev.Form["comment"]))
	if err != nil {
		return nil, err
	}
	return t.saveReview(ctx, c)
}

func (t *turn) saveReview(ctx context.Context, c ReviewCommand) ([]bot.Reply, error) {
	r, err := t.b.store.AddReview(ctx, bot.Review{EngagementID: c.EngagementID, AuthorID: t.acct.ID, Stars: c.Stars, Comment: c.Comment})
	if err != nil {
		return nil, err
	}
	if r.Stars == 0 {
		return say("Skipped. Thanks all the same."), nil
	}
	if err := t.b.trust.refresh(ctx, t.b.store, t.b.now(), true); err != nil {
		t.b.log.Warn("cannot reload ratings", "err", err)
	}
	return say(fmt.Sprintf("Thanks! Your %d-star review of %s is saved.", r.Stars, t.b.displayName(ctx, r.SubjectID))), nil
}

// reviews handles /reviews [person]: the reviews someone received.
func (t *turn) reviews(ctx context.Context, args string) ([]bot.Reply, error) {
	who := t.acct.ID
	if s := strings.TrimSpace(args); s != "" {
		id, err := parseID(s, "person", "Use the Reviews line on a profile card.")
		if err != nil {
			return nil, err
		}
		who = id
	}
	if ok, err := t.visible(ctx, who); err != nil {
		return nil, err
	} else if !ok {
		return nil, bot.Errorf(bot.ENOTFOUND, "That profile is not available any more.")
	}
	rs, err := t.b.store.Reviews(ctx, who)
	if err != nil {
		return nil, err
	}
	name := t.b.displayName(ctx, who)
	if len(rs) == 0 {
		return say(name + " has no reviews yet."), nil
	}
	sum := 0
	for _, r := range rs {
		sum += r.Stars
	}
	r := bot.Reply{Text: fmt.Sprintf("Reviews of %s: %s", name, strings.TrimPrefix(ratingPhrase(bot.Rating{Average: float64(sum) / float64(len(rs)), Count: len(rs)}), "rated "))}
	card := bot.Card{}
	for i, rv := range rs {
		if i == 10 {
			break
		}
		text := rv.Comment
		switch {
		case rv.Hidden:
			text = "(comment hidden by a moderator)"
		case text == "":
			text = "(no comment)"
		}
		card.Fields = append(card.Fields, bot.Field{Label: fmt.Sprintf("%s %s", strings.Repeat("★", rv.Stars), rv.CreatedAt.Format("2006-01-02")), Value: text})
		if rv.Comment != "" && !rv.Hidden && rv.AuthorID != t.acct.ID && len(r.Buttons) < 5 {
			r.Buttons = append(r.Buttons, bot.Button{Label: fmt.Sprintf("Report %d", i+1), Value: fmt.Sprintf("/reportreview %d", rv.ID)})
		}
	}
	r.Cards = []bot.Card{card}
	return []bot.Reply{r}, nil
}

// isModerator reports whether the person may hide review comments.
func (t *turn) isModerator() bool {
	for _, m := range t.b.ret.Moderators {
		for _, id := range t.acct.Identities {
			if m == id {
				return true
			}
		}
		if m == t.ev.From {
			return true
		}
	}
	return false
}

// reportReview handles /reportreview <review>: the moderators hear of it;
// with none configured, a comment enough people report is hidden.
func (t *turn) reportReview(ctx context.Context, args string) ([]bot.Reply, error) {
	id, err := parseID(args, "review", "Use the Report button under a review.")
	if err != nil {
		return nil, err
	}
	var mods []int64
	for _, m := range t.b.ret.Moderators {
		a, err := t.b.store.ResolveAccount(ctx, m, m.UserID)
		if err != nil {
			return nil, err
		}
		mods = append(mods, a.ID)
	}
	r, err := t.b.store.ReportReview(ctx, id, t.acct.ID, func(r bot.Review) []bot.Notification {
		var ns []bot.Notification
		for _, m := range mods {
			ns = append(ns, bot.Notification{AccountID: m, Reply: bot.Reply{
				Text:    fmt.Sprintf("Review %d was reported (%d report(s)): %d stars, %q", r.ID, r.Reports, r.Stars, r.Comment),
				Buttons: []bot.Button{{Label: "Hide comment", Value: fmt.Sprintf("/hidereview %d", r.ID), Style: "danger"}, {Label: "Keep", Value: fmt.Sprintf("/showreview %d", r.ID)}},
			}})
		}
		return ns
	})
	if err != nil {
		return nil, err
	}
	t.notified = len(mods) > 0
	if len(mods) == 0 && r.Reports >= bot.ReportsToHide && !r.Hidden {
		if _, err := t.b.store.SetReviewHidden(ctx, r.ID, true); err != nil {
			return nil, err
		}
	}
	return []bot.Reply{{Text: "Thanks, I passed it on to the moderators.", Private: true}}, nil
}

// moderateReview handles /hidereview and /showreview (Staff only, by the
// command table).
func (t *turn) moderateReview(ctx context.Context, args string, hide bool) ([]bot.Reply, error) {
	id, err := parseID(args, "review", "Use the buttons under the report.")
	if err != nil {
		return nil, err
	}
	if _, err := t.b.store.SetReviewHidden(ctx, id, hide); err != nil {
		return nil, err
	}
	if hide {
		return say(fmt.Sprintf("The comment of review %d is hidden; its stars still count.", id)), nil
	}
	return say(fmt.Sprintf("Review %d is shown.", id)), nil
}

// withRating adds the Reviews line of a freelancer's card, when they have
// reviews.
func (b *Bot) withRating(fields []bot.Field, accountID int64) []bot.Field {
	if f, ok := b.ratingField(accountID); ok {
		return append(fields, f)
	}
	return fields
}
