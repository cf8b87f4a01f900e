package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hirebot/hirebot/conversation"
)

// HelpText lists every command; platforms show it for /help and for an
// unknown command.
const HelpText = `Here is what I can do:

For freelancers
  /profile — build your profile by chatting, or see it
  /edit <field> — change one field (name, headline, skills, years_experience, rate, availability, available_from, timezone, work_types, location, portfolio, bio)
  /pause and /resume — stop or start appearing in matches
  /jobs — open jobs that match you, best first; /job <job> shows one
  /saved — the gigs you saved from a gig board (/save <job> saves one)
  /apply <job> [note] — apply to an open job
  /accept, /decline or /counter <invite> — answer an invite (or use its buttons)
  /available — answer "still available?" (Yes keeps you in matches)
  /alerts on|daily|off — hear of new jobs that match you, as they come or once a day
  /privacy [hide here | show here | everyone] — who can find you (hide from your employer's workspace)
  /link — one code to join your accounts on two platforms; /unlink separates them
  /reviews [person] — reviews received; /review <engagement> <1-5> [comment] after the work
  /reportreview <review> — ask the moderators to look at a review's comment
  /delete — erase everything I keep about you

For employers
  /post — describe a micro job and get the best-matched freelancers
  /jobs — your jobs
  /matches <job> — the ranking for one of your jobs again
  /close <job> — close a job
  /invite <person> <job> — invite someone (the Invite button under a match does it for you)
  /applicants <job> — who was invited or applied, and who answered
  /shortlist <application> — keep an applicant in mind; /reject <application> — turn one down
  /engage <invite> [trial] [milestone, …] — start the work after an acceptance
  /fill <job> — mark a job filled; everyone else involved hears it
  /pool [name] — this workspace's talent pools (the Save button under a card adds to them);
      /pool add <person> [pool], /pool remove <person's name or number> [pool]
  /view <person> — one freelancer's card
  /search <keywords and filters> — find freelancers yourself, e.g.
      /search go postgres rate<60 tz:Europe/Berlin available
    Filters: skill:<name>  rate<N  rate>N (USD per hour unless you add a currency, e.g. rate<50eur)
    tz:<zone or city>  tz:+1..+3  available  type:gig|part-time|full-time  remote  "exact phrase"
    page:2 (the next page of results)

After an acceptance
  Whatever you write to me is passed to the other side when you are on different platforms; /end stops it
  /share <handle or email> — give the other side a way to reach you
  /done <engagement> <milestone> — tick off a milestone

For communities
  /setup — (moderators, in a server or group) where gigs are posted and the rules for posting
  /report <job> — tell a board's moderators about a gig; they answer with /remove or /keep <job>
  /hidereview and /showreview <review> — (moderators) hide a reported review comment, or show it again
  /home — your overview: profile and open jobs

In a dialog, say back, skip (optional questions), cancel or help at any time (or /back, /skip, /cancel, /help).`

func (t *turn) command(ctx context.Context, name, args string) ([]Reply, error) {
	switch name {
	case "help", "start":
		if strings.HasPrefix(args, "gig_") { // the Apply link of a group gig
			return t.applyJob(ctx, strings.TrimPrefix(args, "gig_"))
		}
		if strings.HasPrefix(args, "inv_") { // the link offered when a DM was refused
			return t.showInvite(ctx, strings.TrimPrefix(args, "inv_"))
		}
		if strings.HasPrefix(args, "apply_") {
			return t.applyJob(ctx, strings.TrimPrefix(args, "apply_"))
		}
		if name == "start" && args == "post" {
			return t.resumePost(ctx)
		}
		if name == "start" && args == "resume" && t.sess.Active() { // the link offered when a dialog moved to a private chat
			if f, ok := flows[t.sess.Flow]; ok {
				return fromMessages(conversation.Resume(f, t.sess)), nil
			}
		}
		if t.sess.Active() && name == "help" {
			return t.advance(ctx, "help")
		}
		return say(HelpText), nil
	case "cancel", "back", "skip":
		if !t.sess.Active() {
			return say("There is no conversation running. Say /help to see what I can do."), nil
		}
		return t.advance(ctx, name)
	case "profile":
		return t.profile(ctx)
	case "edit":
		return t.edit(ctx, args)
	case "pause":
		return t.setStatus(ctx, ProfilePaused)
	case "resume":
		return t.setStatus(ctx, ProfilePublished)
	case "delete":
		return t.start(ctx, DeleteFlow, "", nil, "")
	case "post":
		return t.post(ctx, nil) // greeting.go
	case "jobs":
		return t.jobs(ctx)
	case "matches":
		return t.matches(ctx, args)
	case "close":
		return t.closeJob(ctx, args)
	case "search":
		return t.search(ctx, args)
	case "view":
		return t.view(ctx, args)
	case "job":
		return t.showJob(ctx, args)
	case "home":
		return t.home(ctx)
	case "setup":
		return t.setup(ctx, args)
	case "report":
		return t.report(ctx, args)
	case "remove", "keep":
		return t.moderate(ctx, args, name == "remove")
	case "save":
		return t.save(ctx, args)
	case "saved":
		return t.saved(ctx)
	case "invite":
		if err := t.guardPerson(ctx, args); err != nil { // privacy.go
			return nil, err
		}
		return t.invite(ctx, args)
	case "accept":
		return t.accept(ctx, args)
	case "decline":
		return t.decline(ctx, args)
	case "counter":
		return t.counter(ctx, args)
	case "apply":
		return t.applyJob(ctx, args)
	case "shortlist":
		return t.shortlist(ctx, args)
	case "reject":
		return t.reject(ctx, args)
	case "applicants":
		return t.applicants(ctx, args)
	case "fill":
		return t.fill(ctx, args)
	case "engage":
		return t.engage(ctx, args)
	case "done":
		return t.doneAndAsk(ctx, args) // review.go: the last milestone asks for reviews
	case "end":
		return t.endRelay(ctx)
	case "share":
		return t.share(ctx, args)
	case "review":
		return t.review(ctx, args)
	case "reviews":
		return t.reviews(ctx, args)
	case "reportreview":
		return t.reportReview(ctx, args)
	case "hidereview", "showreview":
		return t.moderateReview(ctx, args, name == "hidereview")
	case "pool", "pools":
		return t.pool(ctx, args)
	case "available":
		return t.available(ctx, args)
	case "alerts":
		return t.alerts(ctx, args)
	case "link":
		return t.link(ctx, args)
	case "unlink":
		return t.unlink(ctx)
	case "privacy":
		return t.privacy(ctx, args)
	}
	return say(fmt.Sprintf("I don't know /%s.\n\n%s", truncate(name, 30), HelpText)), nil
}

func (t *turn) profile(ctx context.Context) ([]Reply, error) {
	if t.sess.Active() && t.sess.Flow == FlowProfile {
		return fromMessages(conversation.Resume(ProfileFlow, t.sess)), nil
	}
	p, err := t.b.store.Profile(ctx, t.acct.ID)
	if ErrorCode(err) == ENOTFOUND {
		return t.start(ctx, ProfileFlow, "", nil, "")
	}
	if err != nil {
		return nil, err
	}
	toggle := Button{Label: "Pause", Value: "/pause"}
	if p.Status == ProfilePaused {
		toggle = Button{Label: "Resume", Value: "/resume"}
	}
	return []Reply{{
		Text:    "Your profile (" + p.Status + "):",
		Cards:   []Card{ProfileCard(p)},
		Buttons: []Button{{Label: "Edit", Value: "/edit"}, toggle, {Label: "Delete", Value: "/delete", Style: "danger"}},
	}}, nil
}

// home is a person's overview: profile status and open jobs, with the
// actions that fit (Slack shows it as the App Home tab).
func (t *turn) home(ctx context.Context) ([]Reply, error) {
	r := Reply{Text: "Welcome to hirebot."}
	p, err := t.b.store.Profile(ctx, t.acct.ID)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		r.Text += " You have no freelancer profile yet."
		r.Buttons = append(r.Buttons, Button{Label: "Build my profile", Value: "/profile", Style: "primary"})
	case err != nil:
		return nil, err
	default:
		r.Text += " Your profile is " + p.Status + "."
		r.Cards = append(r.Cards, ProfileCard(p))
		r.Buttons = append(r.Buttons, Button{Label: "Edit profile", Value: "/edit"})
		if p.Status == ProfilePaused {
			r.Buttons = append(r.Buttons, Button{Label: "Resume", Value: "/resume"})
		} else {
			r.Buttons = append(r.Buttons, Button{Label: "Pause", Value: "/pause"})
		}
	}
	jobs, err := t.b.store.Jobs(ctx, JobFilter{OwnerID: t.acct.ID, Status: JobOpen})
	if err != nil {
		return nil, err
	}
	for _, j := range jobs {
		r.Cards = append(r.Cards, JobCard(j))
	}
	r.Buttons = append(r.Buttons, Button{Label: "Post a job", Value: "/post"})
	return []Reply{r}, nil
}

func (t *turn) edit(ctx context.Context, field string) ([]Reply, error) {
	p, err := t.b.store.Profile(ctx, t.acct.ID)
	if ErrorCode(err) == ENOTFOUND {
		return say("You have no profile yet. Say /profile to build one."), nil
	}
	if err != nil {
		return nil, err
	}
	field = strings.ToLower(strings.TrimSpace(field))
	if alias, ok := editAliases[field]; ok {
		field = alias
	}
	replies, err := t.start(ctx, ProfileFlow, "", profileAnswers(p), field)
	if err != nil || field != "" {
		return replies, err
	}
	return t.advance(ctx, "edit") // no field named: offer the menu
}

func (t *turn) setStatus(ctx context.Context, status string) ([]Reply, error) {
	p, err := t.b.store.Profile(ctx, t.acct.ID)
	if ErrorCode(err) == ENOTFOUND {
		return say("You have no profile yet. Say /profile to build one."), nil
	}
	if err != nil {
		return nil, err
	}
	if p.Status == status {
		return say("Your profile is already " + status + "."), nil
	}
	if err := t.b.store.SetProfileStatus(ctx, p.AccountID, status); err != nil {
		return nil, err
	}
	p.Status = status
	t.b.index.Put(p)
	if status == ProfilePaused {
		return say("Paused: you no longer appear in matches or searches. Say /resume to come back."), nil
	}
	return say("Welcome back: your profile appears in matches and searches again."), nil
}

func (t *turn) saveProfile(ctx context.Context, answers map[string]string) ([]Reply, error) {
	p, err := profileFromAnswers(t.acct.ID, answers)
	if err != nil {
		return nil, fmt.Errorf("bot: profile answers: %w", err)
	}
	p.Status = ProfilePublished
	verb := "published. Employers can find you now"
	if old, err := t.b.store.Profile(ctx, t.acct.ID); err == nil {
		verb = "updated"
		if old.Status == ProfilePaused {
			p.Status = ProfilePaused
			verb = "updated (still paused; say /resume to appear in matches)"
		}
	} else if ErrorCode(err) != ENOTFOUND {
		return nil, err
	}
	p, err = t.b.store.SaveProfile(ctx, p)
	if err != nil {
		return nil, err
	}
	t.b.index.Put(p)
	return []Reply{{Text: "Your profile is " + verb + ".", Cards: []Card{ProfileCard(p)}}}, nil
}

func (t *turn) deleteAccount(ctx context.Context) ([]Reply, error) {
	jobs, err := t.b.store.Jobs(ctx, JobFilter{OwnerID: t.acct.ID})
	if err != nil {
		return nil, err
	}
	// The session first (through the session store, Redis included): if
	// that fails nothing is erased yet and /delete can simply be repeated.
	if err := t.b.forget(ctx, t.acct.ID); err != nil { // retention.go
		return nil, err
	}
	if err := t.b.store.DeleteAccount(ctx, t.acct.ID); err != nil {
		return nil, err
	}
	t.b.index.Remove(t.acct.ID)
	for _, j := range jobs {
		t.b.index.RemoveJob(j.ID)
	}
	return say("Done. I erased your profile, your jobs, your reviews, your place in every talent pool, your alerts and privacy settings, " +
		"every message waiting for you, your linked accounts and our conversations. If you write again, I'll start fresh."), nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// parseJobID reads "12" or "#12".
func parseJobID(s string) (int64, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if s == "" {
		return 0, Errorf(EINVALID, "Which job? Give its number, e.g. /matches 12. Say /jobs to see yours.")
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, Errorf(EINVALID, "%q is not a job number. Say /jobs to see yours.", truncate(s, 20))
	}
	return id, nil
}
