package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hirebot/hirebot/conversation"
)

// The command table: every command, declared once. The router below,
// HelpText and the platforms' menus are made from it (command.go).
func init() {
	job := Arg{Name: "job", Summary: "Job number", Kind: ArgNumber, Required: true, Min: 1}
	person := Arg{Name: "person", Summary: "The number on their card", Kind: ArgNumber, Required: true, Min: 1}
	invite := Arg{Name: "invite", Summary: "Invite number", Kind: ArgNumber, Required: true, Min: 1}
	application := Arg{Name: "application", Summary: "Application number", Kind: ArgNumber, Required: true, Min: 1}
	engagement := Arg{Name: "engagement", Summary: "Engagement number", Kind: ArgNumber, Required: true, Min: 1}
	review := Arg{Name: "review", Summary: "Review number", Kind: ArgNumber, Required: true, Min: 1}
	text := func(name, summary string, required bool) Arg {
		return Arg{Name: name, Summary: summary, Kind: ArgText, Required: required}
	}
	noArgs := func(f func(*turn, context.Context) ([]Reply, error)) func(*turn, context.Context, string) ([]Reply, error) {
		return func(t *turn, ctx context.Context, _ string) ([]Reply, error) { return f(t, ctx) }
	}
	indexCommands([]Command{
		// For freelancers
		{Name: "profile", Section: SectionFreelancers, Menu: true, run: noArgs((*turn).profile),
			Summary: "Build or edit your freelancer profile", Help: "build your profile by chatting, or see it"},
		{Name: "edit", Section: SectionFreelancers, Menu: true, run: (*turn).edit,
			Args:    []Arg{text("field", "e.g. rate, skills, timezone", true)},
			Summary: "Change one field of your profile",
			Help:    "change one field (name, headline, skills, years_experience, rate, availability, available_from, timezone, work_types, location, portfolio, bio)"},
		{Name: "pause", Section: SectionFreelancers, Menu: true, Summary: "Stop appearing in matches",
			run: func(t *turn, ctx context.Context, _ string) ([]Reply, error) { return t.setStatus(ctx, ProfilePaused) }},
		{Name: "resume", Section: SectionFreelancers, Menu: true, Summary: "Appear in matches again",
			run: func(t *turn, ctx context.Context, _ string) ([]Reply, error) {
				return t.setStatus(ctx, ProfilePublished)
			}},
		{Name: "jobs", Section: SectionFreelancers, Menu: true, run: noArgs((*turn).jobs),
			Summary: "Open jobs that match you, or the jobs you posted",
			Help:    "open jobs that match you, best first (an employer sees their own jobs)"},
		{Name: "job", Section: SectionFreelancers, Args: []Arg{job}, run: (*turn).showJob, Summary: "One job in full"},
		{Name: "saved", Section: SectionFreelancers, Menu: true, run: noArgs((*turn).saved), Summary: "Gigs you saved from a gig board"},
		{Name: "save", Section: SectionFreelancers, Args: []Arg{job}, run: (*turn).save, Summary: "Save a gig from a gig board"},
		{Name: "apply", Section: SectionFreelancers, Menu: true, run: (*turn).applyJob,
			Args:    []Arg{job, text("note", "A short note for the poster", false)},
			Summary: "Apply to a job", Help: "apply to an open job"},
		{Name: "accept", Section: SectionFreelancers, Args: []Arg{invite}, run: (*turn).accept,
			Summary: "Accept an invite", Help: "accept an invite (or use its buttons)"},
		{Name: "decline", Section: SectionFreelancers, Args: []Arg{invite, text("note", "Why, in a sentence, if you like", false)}, run: (*turn).decline,
			Summary: "Decline an invite", Help: "decline an invite, with a short note if you like"},
		{Name: "counter", Section: SectionFreelancers, Args: []Arg{invite}, run: (*turn).counter,
			Summary: "Answer an invite with your own terms"},
		{Name: "available", Section: SectionFreelancers, run: (*turn).available,
			Args:    []Arg{{Name: "answer", Kind: ArgText, Choices: []ArgChoice{{"yes", "yes"}, {"pause", "pause"}}}},
			Summary: "Answer \"still available?\"", Help: "answer \"still available?\" (yes keeps you in matches)"},
		{Name: "alerts", Section: SectionFreelancers, Menu: true, run: (*turn).alerts,
			Args: []Arg{{Name: "mode", Summary: "As they come, once a day, or never", Kind: ArgText, Required: true,
				Choices: []ArgChoice{{"as they come", "on"}, {"daily digest", "daily"}, {"off", "off"}}}},
			Summary: "Hear of new jobs that match you", Help: "hear of new jobs that match you, as they come or once a day"},
		{Name: "privacy", Section: SectionFreelancers, Menu: true, run: (*turn).privacy,
			Args:    []Arg{text("rule", "hide here, show here or everyone", false)},
			Summary: "Who can find you", Help: "who can find you: hide here, show here or everyone (hide from your employer's workspace)"},
		{Name: "link", Section: SectionFreelancers, Menu: true, run: (*turn).link,
			Args:    []Arg{text("code", "The code you got on the other platform", false)},
			Summary: "Join your accounts on two platforms", Help: "one code to join your accounts on two platforms"},
		{Name: "unlink", Section: SectionFreelancers, Menu: true, run: noArgs((*turn).unlink),
			Summary: "Separate this account from the linked one"},
		{Name: "reviews", Section: SectionFreelancers, Args: []Arg{text("person", "Whose reviews", false)}, run: (*turn).reviews,
			Summary: "Reviews received"},
		{Name: "review", Section: SectionFreelancers, run: (*turn).review,
			Args:    []Arg{engagement, {Name: "stars", Summary: "1 to 5", Kind: ArgNumber, Required: true, Min: 1, Max: 5}, text("comment", "What it was like", false)},
			Summary: "Review the other side after the work"},
		{Name: "reportreview", Section: SectionFreelancers, Args: []Arg{review}, run: (*turn).reportReview,
			Summary: "Ask the moderators to look at a review's comment"},
		{Name: "delete", Section: SectionFreelancers, Menu: true, Summary: "Erase everything hirebot keeps about you",
			run: func(t *turn, ctx context.Context, _ string) ([]Reply, error) {
				return t.start(ctx, DeleteFlow, "", nil, "")
			}},

		// For employers
		{Name: "post", Section: SectionEmployers, Menu: true, Summary: "Post a micro job",
			Help: "describe a micro job and get the best-matched freelancers",
			run:  func(t *turn, ctx context.Context, _ string) ([]Reply, error) { return t.post(ctx, nil) }}, // greeting.go
		{Name: "matches", Section: SectionEmployers, Menu: true, Args: []Arg{job}, run: (*turn).matches,
			Summary: "Freelancers who match a job", Help: "the ranking for one of your jobs again"},
		{Name: "close", Section: SectionEmployers, Menu: true, Args: []Arg{job}, run: (*turn).closeJob, Summary: "Close a job",
			Rights: true}, // a moderator closes a gig of the board
		{Name: "invite", Section: SectionEmployers, Menu: true,
			Args:    []Arg{person, job, text("terms", "Rate, hours, start, note: $50/h 20h/week from Monday fixed scope; or \"terms\" for a form", false)},
			Summary: "Invite a freelancer to one of your jobs", Help: "invite someone (the Invite button under a match does it for you)",
			More: "with terms in one line: /invite 12 3 $50/h 20h/week from Monday, fixed scope — or \"terms\" for a form",
			run: func(t *turn, ctx context.Context, args string) ([]Reply, error) {
				if err := t.guardPerson(ctx, args); err != nil { // privacy.go
					return nil, err
				}
				return t.invite(ctx, args)
			}},
		{Name: "applicants", Section: SectionEmployers, Menu: true, Args: []Arg{job}, run: (*turn).applicants,
			Summary: "Who was invited to or applied for a job", Help: "who was invited or applied, and who answered"},
		{Name: "shortlist", Section: SectionEmployers, Args: []Arg{application, text("note", "A word for them, if you like", false)}, run: (*turn).shortlist,
			Summary: "Keep an applicant in mind"},
		{Name: "reject", Section: SectionEmployers, Args: []Arg{application, text("note", "Why, in a sentence; without one they get a polite default", false)}, run: (*turn).reject,
			Summary: "Turn an applicant down", Help: "turn an applicant down, with a note for them if you like: /reject 3 Sorry, we need more PostgreSQL experience"},
		{Name: "engage", Section: SectionEmployers, run: (*turn).engage,
			Args:    []Arg{invite, text("trial", "trial, for a trial first", false), text("milestones", "Up to 5, separated by commas", false)},
			Summary: "Start the work after an acceptance"},
		{Name: "fill", Section: SectionEmployers, Menu: true, Args: []Arg{job}, run: (*turn).fill,
			Summary: "Mark a job filled", Help: "mark a job filled; everyone else involved hears it"},
		{Name: "pool", Aliases: []string{"pools"}, Section: SectionEmployers, Menu: true, run: (*turn).pool,
			Args:    []Arg{text("name", "A pool's name", false)},
			Summary: "This community's talent pools", Help: "this workspace's talent pools (the Save button under a card adds to them)",
			More: "/pool add <person> [pool], /pool remove <person's name or number> [pool]"},
		{Name: "view", Section: SectionEmployers, Args: []Arg{person}, run: (*turn).view, Summary: "One freelancer's card"},
		{Name: "search", Section: SectionEmployers, Menu: true, run: (*turn).search,
			Args: []Arg{text("query", "Words to look for, e.g. react native", false),
				{Name: "skill", Summary: "A skill", Kind: ArgText, Suggest: true}},
			Summary: "Search freelancers", Help: "find freelancers yourself by keywords and filters, e.g.",
			More: "/search go postgres rate<60 tz:Europe/Berlin available\n" +
				"Filters: skill:<name>  rate<N  rate>N (USD per hour unless you add a currency, e.g. rate<50eur)\n" +
				"tz:<zone or city>  tz:+1..+3  available  type:gig|part-time|full-time  remote  \"exact phrase\"\n" +
				"page:2 (the next page of results)"},

		// After an acceptance
		{Name: "end", Section: SectionAfter, Args: []Arg{{Name: "conversation", Summary: "Which one, when you have several", Kind: ArgNumber, Min: 1}},
			run: (*turn).endRelay, Summary: "Stop passing messages to the other side"},
		{Name: "to", Section: SectionAfter, run: (*turn).to,
			Args:    []Arg{{Name: "conversation", Summary: "Which one", Kind: ArgNumber, Required: true, Min: 1}, text("message", "What to pass on", false)},
			Summary: "Pick the conversation your messages go to, when you have several",
			Help:    "pick the conversation your messages go to when several are open (the buttons I show then do it)"},
		{Name: "share", Section: SectionAfter, Args: []Arg{text("contact", "A handle or an email", true)}, run: (*turn).share,
			Summary: "Give the other side a way to reach you"},
		{Name: "done", Section: SectionAfter, Args: []Arg{engagement, {Name: "milestone", Summary: "Milestone number", Kind: ArgNumber, Required: true, Min: 1}},
			run: (*turn).doneAndAsk, Summary: "Tick off a milestone"}, // review.go: the last milestone asks for reviews

		// For communities
		{Name: "setup", Section: SectionCommunities, Menu: true, Keyed: true, Community: true, Who: Managers, run: (*turn).setup,
			Args: []Arg{
				{Name: "channel", Summary: "Channel where gigs are posted", Kind: ArgChannel, Required: true},
				{Name: "moderators", Summary: "Channel where reported gigs go", Kind: ArgChannel},
				{Name: "cooldown", Summary: "Minutes a member waits between posts", Kind: ArgNumber, Max: 10080},
				{Name: "min_age", Summary: "Minimum account age in days to post", Kind: ArgNumber, Max: 3650},
			},
			Summary: "Set up this community's gig board",
			Help:    "(the server's or group's managers) where gigs are posted and the rules for posting"},
		{Name: "report", Section: SectionCommunities, Args: []Arg{job}, run: (*turn).report,
			Summary: "Tell a board's moderators about a gig"},
		{Name: "remove", Section: SectionCommunities, Args: []Arg{job}, Who: Moderators, Summary: "Remove a reported gig from the board",
			Help: "(moderators) remove a reported gig from the board and close it",
			run:  func(t *turn, ctx context.Context, args string) ([]Reply, error) { return t.moderate(ctx, args, true) }},
		{Name: "keep", Section: SectionCommunities, Args: []Arg{job}, Who: Moderators, Summary: "Keep a reported gig on the board",
			Help: "(moderators) keep a reported gig on the board",
			run:  func(t *turn, ctx context.Context, args string) ([]Reply, error) { return t.moderate(ctx, args, false) }},
		{Name: "hidereview", Section: SectionCommunities, Args: []Arg{review}, Who: Staff, Summary: "Hide a reported review comment",
			Help: "(hirebot's moderators) hide a reported review comment",
			run: func(t *turn, ctx context.Context, args string) ([]Reply, error) {
				return t.moderateReview(ctx, args, true)
			}},
		{Name: "showreview", Section: SectionCommunities, Args: []Arg{review}, Who: Staff, Summary: "Show a hidden review comment again",
			Help: "(hirebot's moderators) show a hidden review comment again",
			run: func(t *turn, ctx context.Context, args string) ([]Reply, error) {
				return t.moderateReview(ctx, args, false)
			}},
		{Name: "home", Section: SectionCommunities, run: noArgs((*turn).home), Summary: "Your overview: profile and open jobs"},

		// At any time
		{Name: "help", Section: SectionAnytime, Menu: true, Summary: "What hirebot can do",
			run: func(t *turn, ctx context.Context, args string) ([]Reply, error) { return t.welcome(ctx, "help", args) }},
		{Name: "start", Summary: "Start here, or open a link to hirebot",
			run: func(t *turn, ctx context.Context, args string) ([]Reply, error) { return t.welcome(ctx, "start", args) }},
		{Name: "cancel", Section: SectionAnytime, Menu: true, Summary: "Stop the current dialog",
			run: func(t *turn, ctx context.Context, _ string) ([]Reply, error) { return t.inDialog(ctx, "cancel") }},
		{Name: "back", Section: SectionAnytime, Summary: "Go back to the previous question of a dialog",
			run: func(t *turn, ctx context.Context, _ string) ([]Reply, error) { return t.inDialog(ctx, "back") }},
		{Name: "skip", Section: SectionAnytime, Summary: "Skip an optional question of a dialog",
			run: func(t *turn, ctx context.Context, _ string) ([]Reply, error) { return t.inDialog(ctx, "skip") }},
	})
}

// command runs the command name by the table; an unknown one gets /help.
func (t *turn) command(ctx context.Context, name, args string) ([]Reply, error) {
	c, ok := commandByName[name]
	if !ok {
		return say(fmt.Sprintf("I don't know /%s.\n\n%s", truncate(name, 30), HelpText)), nil
	}
	if err := t.allowed(c); err != nil {
		return nil, err
	}
	return c.run(t, ctx, args)
}

// allowed is the one rule of where a command runs and who may run it, as
// the table declares: platforms only say what the person's rights are.
func (t *turn) allowed(c *Command) error {
	if _, _, ok := eventCommunity(t.ev); c.Community && !ok {
		return Errorf(EINVALID, "Run /%s in the server or group it is for.", c.Name)
	}
	switch {
	case c.Who == Moderators && !t.ev.Moderator:
		return Errorf(EUNAUTHORIZED, "Only the moderators of this community can use /%s.", c.Name)
	case c.Who == Managers && !t.ev.Manager:
		return Errorf(EUNAUTHORIZED, "Only the people who manage this server or group can use /%s.", c.Name)
	case c.Who == Staff && !t.isModerator(): // review.go
		return Errorf(EUNAUTHORIZED, "Only hirebot's moderators can use /%s.", c.Name)
	}
	return nil
}

// welcome answers /help and /start, and the links that open a chat with
// hirebot carrying what to do (/start gig_7).
func (t *turn) welcome(ctx context.Context, name, args string) ([]Reply, error) {
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
}

// inDialog passes cancel, back or skip to the running dialog.
func (t *turn) inDialog(ctx context.Context, input string) ([]Reply, error) {
	if !t.sess.Active() {
		return say("There is no conversation running. Say /help to see what I can do."), nil
	}
	return t.advance(ctx, input)
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
