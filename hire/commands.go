package hire

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
)

// The command table: every command, declared once. The router below,
// HelpText and the platforms' menus are made from it (command.go).
func init() {
	job := bot.Arg{Name: "job", Summary: "Job number", Kind: bot.ArgNumber, Required: true, Min: 1}
	person := bot.Arg{Name: "person", Summary: "The number on their card", Kind: bot.ArgNumber, Required: true, Min: 1}
	invite := bot.Arg{Name: "invite", Summary: "Invite number", Kind: bot.ArgNumber, Required: true, Min: 1}
	application := bot.Arg{Name: "application", Summary: "Application number", Kind: bot.ArgNumber, Required: true, Min: 1}
	engagement := bot.Arg{Name: "engagement", Summary: "Engagement number", Kind: bot.ArgNumber, Required: true, Min: 1}
	review := bot.Arg{Name: "review", Summary: "Review number", Kind: bot.ArgNumber, Required: true, Min: 1}
	text := func(name, summary string, required bool) bot.Arg {
		return bot.Arg{Name: name, Summary: summary, Kind: bot.ArgText, Required: required}
	}
	noArgs := func(f func(*turn, context.Context) ([]bot.Reply, error)) func(*turn, context.Context, string) ([]bot.Reply, error) {
		return func(t *turn, ctx context.Context, _ string) ([]bot.Reply, error) { return f(t, ctx) }
	}
	bot.SetCommands([]bot.Command{
		// For freelancers
		{Name: "profile", Section: bot.SectionFreelancers, Menu: true, Run: noArgs((*turn).profile),
			Summary: "Build or edit your freelancer profile", Help: "build your profile by chatting, or see it"},
		{Name: "edit", Section: bot.SectionFreelancers, Menu: true, Run: (*turn).edit,
			Args:    []bot.Arg{text("field", "e.g. rate, skills, timezone", true)},
			Summary: "Change one field of your profile",
			Help:    "change one field (name, headline, skills, years_experience, rate, availability, available_from, timezone, work_types, location, portfolio, bio)"},
		{Name: "pause", Section: bot.SectionFreelancers, Menu: true, Summary: "Stop appearing in matches",
			Run: func(t *turn, ctx context.Context, _ string) ([]bot.Reply, error) {
				return t.setStatus(ctx, bot.ProfilePaused)
			}},
		{Name: "resume", Section: bot.SectionFreelancers, Menu: true, Summary: "Appear in matches again",
			Run: func(t *turn, ctx context.Context, _ string) ([]bot.Reply, error) {
				return t.setStatus(ctx, bot.ProfilePublished)
			}},
		{Name: "jobs", Section: bot.SectionFreelancers, Menu: true, Run: noArgs((*turn).jobs),
			Summary: "Open jobs that match you, or the jobs you posted",
			Help:    "open jobs that match you, best first (an employer sees their own jobs)"},
		{Name: "job", Section: bot.SectionFreelancers, Args: []bot.Arg{job}, Run: (*turn).showJob, Summary: "One job in full"},
		{Name: "saved", Section: bot.SectionFreelancers, Menu: true, Run: noArgs((*turn).saved), Summary: "Gigs you saved from a gig board"},
		{Name: "save", Section: bot.SectionFreelancers, Args: []bot.Arg{job}, Run: (*turn).save, Summary: "Save a gig from a gig board"},
		{Name: "apply", Section: bot.SectionFreelancers, Menu: true, Run: (*turn).applyJob,
			Args:    []bot.Arg{job, text("note", "A short note for the poster", false)},
			Summary: "Apply to a job", Help: "apply to an open job"},
		{Name: "accept", Section: bot.SectionFreelancers, Args: []bot.Arg{invite}, Run: (*turn).accept,
			Summary: "Accept an invite", Help: "accept an invite (or use its buttons)"},
		{Name: "decline", Section: bot.SectionFreelancers, Args: []bot.Arg{invite, text("note", "Why, in a sentence, if you like", false)}, Run: (*turn).decline,
			Summary: "Decline an invite", Help: "decline an invite, with a short note if you like"},
		{Name: "counter", Section: bot.SectionFreelancers, Args: []bot.Arg{invite}, Run: (*turn).counter,
			Summary: "Answer an invite with your own terms"},
		{Name: "available", Section: bot.SectionFreelancers, Run: (*turn).available,
			Args:    []bot.Arg{{Name: "answer", Kind: bot.ArgText, Choices: []bot.ArgChoice{{Label: "yes", Value: "yes"}, {Label: "pause", Value: "pause"}}}},
			Summary: "Answer \"still available?\"", Help: "answer \"still available?\" (yes keeps you in matches)"},
		{Name: "alerts", Section: bot.SectionFreelancers, Menu: true, Run: (*turn).alerts,
			Args: []bot.Arg{{Name: "mode", Summary: "As they come, once a day, or never", Kind: bot.ArgText, Required: true,
				Choices: []bot.ArgChoice{{Label: "as they come", Value: "on"}, {Label: "daily digest", Value: "daily"}, {Label: "off", Value: "off"}}}},
			Summary: "Hear of new jobs that match you", Help: "hear of new jobs that match you, as they come or once a day"},
		{Name: "privacy", Section: bot.SectionFreelancers, Menu: true, Run: (*turn).privacy,
			Args:    []bot.Arg{text("rule", "hide here, show here or everyone", false)},
			Summary: "Who can find you", Help: "who can find you: hide here, show here or everyone (hide from your employer's workspace)"},
		{Name: "link", Section: bot.SectionFreelancers, Menu: true, Run: (*turn).link,
			Args:    []bot.Arg{text("code", "The code you got on the other platform", false)},
			Summary: "Join your accounts on two platforms", Help: "one code to join your accounts on two platforms"},
		{Name: "unlink", Section: bot.SectionFreelancers, Menu: true, Run: noArgs((*turn).unlink),
			Summary: "Separate this account from the linked one"},
		{Name: "reviews", Section: bot.SectionFreelancers, Args: []bot.Arg{text("person", "Whose reviews", false)}, Run: (*turn).reviews,
			Summary: "Reviews received"},
		{Name: "review", Section: bot.SectionFreelancers, Run: (*turn).review,
			Args:    []bot.Arg{engagement, {Name: "stars", Summary: "1 to 5", Kind: bot.ArgNumber, Required: true, Min: 1, Max: 5}, text("comment", "What it was like", false)},
			Summary: "Review the other side after the work"},
		{Name: "reportreview", Section: bot.SectionFreelancers, Args: []bot.Arg{review}, Run: (*turn).reportReview,
			Summary: "Ask the moderators to look at a review's comment"},
		{Name: "delete", Section: bot.SectionFreelancers, Menu: true, Summary: "Erase everything hirebot keeps about you",
			Run: func(t *turn, ctx context.Context, _ string) ([]bot.Reply, error) {
				return t.start(ctx, DeleteFlow, "", nil, "")
			}},

		// For employers
		{Name: "post", Section: bot.SectionEmployers, Menu: true, Summary: "Post a micro job",
			Help: "describe a micro job and get the best-matched freelancers",
			Run:  func(t *turn, ctx context.Context, _ string) ([]bot.Reply, error) { return t.post(ctx, nil) }}, // greeting.go
		{Name: "matches", Section: bot.SectionEmployers, Menu: true, Args: []bot.Arg{job}, Run: (*turn).matches,
			Summary: "Freelancers who match a job", Help: "the ranking for one of your jobs again"},
		{Name: "close", Section: bot.SectionEmployers, Menu: true, Args: []bot.Arg{job}, Run: (*turn).closeJob, Summary: "Close a job",
			Rights: true}, // a moderator closes a gig of the board
		{Name: "invite", Section: bot.SectionEmployers, Menu: true,
			Args:    []bot.Arg{person, job, text("terms", "Rate, hours, start, note: $50/h 20h/week from Monday fixed scope; or \"terms\" for a form", false)},
			Summary: "Invite a freelancer to one of your jobs", Help: "invite someone (the Invite button under a match does it for you)",
			More: "with terms in one line: /invite 12 3 $50/h 20h/week from Monday, fixed scope — or \"terms\" for a form",
			Run: func(t *turn, ctx context.Context, args string) ([]bot.Reply, error) {
				if err := t.guardPerson(ctx, args); err != nil { // privacy.go
					return nil, err
				}
				return t.invite(ctx, args)
			}},
		{Name: "applicants", Section: bot.SectionEmployers, Menu: true, Args: []bot.Arg{job}, Run: (*turn).applicants,
			Summary: "Who was invited to or applied for a job", Help: "who was invited or applied, and who answered"},
		{Name: "shortlist", Section: bot.SectionEmployers, Args: []bot.Arg{application, text("note", "A word for them, if you like", false)}, Run: (*turn).shortlist,
			Summary: "Keep an applicant in mind"},
		{Name: "reject", Section: bot.SectionEmployers, Args: []bot.Arg{application, text("note", "Why, in a sentence; without one they get a polite default", false)}, Run: (*turn).reject,
			Summary: "Turn an applicant down", Help: "turn an applicant down, with a note for them if you like: /reject 3 Sorry, we need more PostgreSQL experience"},
		{Name: "engage", Section: bot.SectionEmployers, Run: (*turn).engage,
			Args:    []bot.Arg{invite, text("trial", "trial, for a trial first", false), text("milestones", "Up to 5, separated by commas", false)},
			Summary: "Start the work after an acceptance"},
		{Name: "fill", Section: bot.SectionEmployers, Menu: true, Args: []bot.Arg{job}, Run: (*turn).fill,
			Summary: "Mark a job filled", Help: "mark a job filled; everyone else involved hears it"},
		{Name: "pool", Aliases: []string{"pools"}, Section: bot.SectionEmployers, Menu: true, Run: (*turn).pool,
			Args:    []bot.Arg{text("name", "A pool's name", false)},
			Summary: "This community's talent pools", Help: "this workspace's talent pools (the Save button under a card adds to them)",
			More: "/pool add <person> [pool], /pool remove <person's name or number> [pool]"},
		{Name: "view", Section: bot.SectionEmployers, Args: []bot.Arg{person}, Run: (*turn).view, Summary: "One freelancer's card"},
		{Name: "search", Section: bot.SectionEmployers, Menu: true, Run: (*turn).search,
			Args: []bot.Arg{text("query", "Words to look for, e.g. react native", false),
				{Name: "skill", Summary: "A skill", Kind: bot.ArgText, Suggest: true}},
			Summary: "Search freelancers", Help: "find freelancers yourself by keywords and filters, e.g.",
			More: "/search go postgres rate<60 tz:Europe/Berlin available\n" +
				"Filters: skill:<name>  rate<N  rate>N (USD per hour unless you add a currency, e.g. rate<50eur)\n" +
				"tz:<zone or city>  tz:+1..+3  available  type:gig|part-time|full-time  remote  \"exact phrase\"\n" +
				"page:2 (the next page of results)"},

		// After an acceptance
		{Name: "end", Section: bot.SectionAfter, Args: []bot.Arg{{Name: "conversation", Summary: "Which one, when you have several", Kind: bot.ArgNumber, Min: 1}},
			Run: (*turn).endRelay, Summary: "Stop passing messages to the other side"},
		{Name: "to", Section: bot.SectionAfter, Run: (*turn).to,
			Args:    []bot.Arg{{Name: "conversation", Summary: "Which one", Kind: bot.ArgNumber, Required: true, Min: 1}, text("message", "What to pass on", false)},
			Summary: "Pick the conversation your messages go to, when you have several",
			Help:    "pick the conversation your messages go to when several are open (the buttons I show then do it)"},
		{Name: "share", Section: bot.SectionAfter, Args: []bot.Arg{text("contact", "A handle or an email", true)}, Run: (*turn).share,
			Summary: "Give the other side a way to reach you"},
		{Name: "done", Section: bot.SectionAfter, Args: []bot.Arg{engagement, {Name: "milestone", Summary: "Milestone number", Kind: bot.ArgNumber, Required: true, Min: 1}},
			Run: (*turn).doneAndAsk, Summary: "Tick off a milestone"}, // review.go: the last milestone asks for reviews

		// For communities
		{Name: "setup", Section: bot.SectionCommunities, Menu: true, Keyed: true, Community: true, Who: bot.Managers, Run: (*turn).setup,
			Args: []bot.Arg{
				{Name: "channel", Summary: "Channel where gigs are posted", Kind: bot.ArgChannel, Required: true},
				{Name: "moderators", Summary: "Channel where reported gigs go", Kind: bot.ArgChannel},
				{Name: "cooldown", Summary: "Minutes a member waits between posts", Kind: bot.ArgNumber, Max: 10080},
				{Name: "min_age", Summary: "Minimum account age in days to post", Kind: bot.ArgNumber, Max: 3650},
			},
			Summary: "Set up this community's gig board",
			Help:    "(the server's or group's managers) where gigs are posted and the rules for posting"},
		{Name: "report", Section: bot.SectionCommunities, Args: []bot.Arg{job}, Run: (*turn).report,
			Summary: "Tell a board's moderators about a gig"},
		{Name: "remove", Section: bot.SectionCommunities, Args: []bot.Arg{job}, Who: bot.Moderators, Summary: "Remove a reported gig from the board",
			Help: "(moderators) remove a reported gig from the board and close it",
			Run: func(t *turn, ctx context.Context, args string) ([]bot.Reply, error) {
				return t.moderate(ctx, args, true)
			}},
		{Name: "keep", Section: bot.SectionCommunities, Args: []bot.Arg{job}, Who: bot.Moderators, Summary: "Keep a reported gig on the board",
			Help: "(moderators) keep a reported gig on the board",
			Run: func(t *turn, ctx context.Context, args string) ([]bot.Reply, error) {
				return t.moderate(ctx, args, false)
			}},
		{Name: "hidereview", Section: bot.SectionCommunities, Args: []bot.Arg{review}, Who: bot.Staff, Summary: "Hide a reported review comment",
			Help: "(hirebot's moderators) hide a reported review comment",
			Run: func(t *turn, ctx context.Context, args string) ([]bot.Reply, error) {
				return t.moderateReview(ctx, args, true)
			}},
		{Name: "showreview", Section: bot.SectionCommunities, Args: []bot.Arg{review}, Who: bot.Staff, Summary: "Show a hidden review comment again",
			Help: "(hirebot's moderators) show a hidden review comment again",
			Run: func(t *turn, ctx context.Context, args string) ([]bot.Reply, error) {
				return t.moderateReview(ctx, args, false)
			}},
		{Name: "home", Section: bot.SectionCommunities, Run: noArgs((*turn).home), Summary: "Your overview: profile and open jobs"},

		// At any time
		{Name: "help", Section: bot.SectionAnytime, Menu: true, Summary: "What hirebot can do",
			Args: []bot.Arg{{Name: "topic", Summary: "A command, or freelancers, employers, after, communities or dialogs"}},
			Run: func(t *turn, ctx context.Context, args string) ([]bot.Reply, error) {
				return t.welcome(ctx, "help", args)
			}},
		{Name: "start", Summary: "Start here, or open a link to hirebot",
			Run: func(t *turn, ctx context.Context, args string) ([]bot.Reply, error) {
				return t.welcome(ctx, "start", args)
			}},
		{Name: "cancel", Section: bot.SectionAnytime, Menu: true, Summary: "Stop the current dialog",
			Run: func(t *turn, ctx context.Context, _ string) ([]bot.Reply, error) { return t.inDialog(ctx, "cancel") }},
		{Name: "back", Section: bot.SectionAnytime, Summary: "Go back to the previous question of a dialog",
			Run: func(t *turn, ctx context.Context, _ string) ([]bot.Reply, error) { return t.inDialog(ctx, "back") }},
		{Name: "skip", Section: bot.SectionAnytime, Summary: "Skip an optional question of a dialog",
			Run: func(t *turn, ctx context.Context, _ string) ([]bot.Reply, error) { return t.inDialog(ctx, "skip") }},
	})
}

// command runs the command name by the table; an unknown one gets /help.
func (t *turn) command(ctx context.Context, name, args string) ([]bot.Reply, error) {
	c, ok := bot.LookupCommand(name)
	if !ok {
		return say(fmt.Sprintf("I don't know /%s.\n\n%s", truncate(name, 30), bot.HelpText)), nil
	}
	if err := t.allowed(&c); err != nil {
		return nil, err
	}
	return c.Run.(handler)(t, ctx, args)
}

// handler is the type of every Command.Run in the table.
type handler = func(t *turn, ctx context.Context, args string) ([]bot.Reply, error)

// allowed is the one rule of where a command runs and who may run it, as
// the table declares: platforms only say what the person's rights are.
func (t *turn) allowed(c *bot.Command) error {
	if _, _, ok := eventCommunity(t.ev); c.Community && !ok {
		return bot.Errorf(bot.EINVALID, "Run /%s in the server or group it is for.", c.Name)
	}
	switch {
	case c.Who == bot.Moderators && !t.ev.Moderator:
		return bot.Errorf(bot.EUNAUTHORIZED, "Only the moderators of this community can use /%s.", c.Name)
	case c.Who == bot.Managers && !t.ev.Manager:
		return bot.Errorf(bot.EUNAUTHORIZED, "Only the people who manage this server or group can use /%s.", c.Name)
	case c.Who == bot.Staff && !t.isModerator(): // review.go
		return bot.Errorf(bot.EUNAUTHORIZED, "Only hirebot's moderators can use /%s.", c.Name)
	}
	return nil
}

// welcome answers /help and /start, and the links that open a chat with
// hirebot carrying what to do (/start gig_7).
func (t *turn) welcome(ctx context.Context, name, args string) ([]bot.Reply, error) {
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
	if name == "help" && args != "" {
		if text, ok := bot.Help(args); ok {
			return say(text), nil
		}
		return say(fmt.Sprintf("I have no help on “%s”.\n\n%s", truncate(args, 30), bot.HelpText)), nil
	}
	if t.sess.Active() && name == "help" {
		return t.advance(ctx, "help")
	}
	return say(bot.HelpText), nil
}

// inDialog passes cancel, back or skip to the running dialog.
func (t *turn) inDialog(ctx context.Context, input string) ([]bot.Reply, error) {
	if !t.sess.Active() {
		return say("There is no conversation running. Say /help to see what I can do."), nil
	}
	return t.advance(ctx, input)
}

func (t *turn) profile(ctx context.Context) ([]bot.Reply, error) {
	if t.sess.Active() && t.sess.Flow == FlowProfile {
		return fromMessages(conversation.Resume(ProfileFlow, t.sess)), nil
	}
	p, err := t.b.store.Profile(ctx, t.acct.ID)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return t.start(ctx, ProfileFlow, "", nil, "")
	}
	if err != nil {
		return nil, err
	}
	toggle := bot.Button{Label: "Pause", Value: "/pause"}
	if p.Status == bot.ProfilePaused {
		toggle = bot.Button{Label: "Resume", Value: "/resume"}
	}
	return []bot.Reply{{
		Text:    "Your profile (" + p.Status + "):",
		Cards:   []bot.Card{ProfileCard(p)},
		Buttons: []bot.Button{{Label: "Edit", Value: "/edit"}, toggle, {Label: "Delete", Value: "/delete", Style: "danger"}},
	}}, nil
}

// home is a person's overview: profile status and open jobs, with the
// actions that fit (Slack shows it as the App Home tab).
func (t *turn) home(ctx context.Context) ([]bot.Reply, error) {
	r := bot.Reply{Text: "Welcome to hirebot."}
	p, err := t.b.store.Profile(ctx, t.acct.ID)
	switch {
	case bot.ErrorCode(err) == bot.ENOTFOUND:
		r.Text += " You have no freelancer profile yet."
		r.Buttons = append(r.Buttons, bot.Button{Label: "Build my profile", Value: "/profile", Style: "primary"})
	case err != nil:
		return nil, err
	default:
		r.Text += " Your profile is " + p.Status + "."
		r.Cards = append(r.Cards, ProfileCard(p))
		r.Buttons = append(r.Buttons, bot.Button{Label: "Edit profile", Value: "/edit"})
		if p.Status == bot.ProfilePaused {
			r.Buttons = append(r.Buttons, bot.Button{Label: "Resume", Value: "/resume"})
		} else {
			r.Buttons = append(r.Buttons, bot.Button{Label: "Pause", Value: "/pause"})
		}
	}
	jobs, err := t.b.store.Jobs(ctx, bot.JobFilter{OwnerID: t.acct.ID, Status: bot.JobOpen})
	if err != nil {
		return nil, err
	}
	for _, j := range jobs {
		r.Cards = append(r.Cards, JobCard(j))
	}
	r.Buttons = append(r.Buttons, bot.Button{Label: "Post a job", Value: "/post"})
	return []bot.Reply{r}, nil
}

func (t *turn) edit(ctx context.Context, field string) ([]bot.Reply, error) {
	p, err := t.b.store.Profile(ctx, t.acct.ID)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
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

func (t *turn) setStatus(ctx context.Context, status string) ([]bot.Reply, error) {
	p, err := t.b.store.Profile(ctx, t.acct.ID)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
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
	if status == bot.ProfilePaused {
		return say("Paused: you no longer appear in matches or searches. Say /resume to come back."), nil
	}
	return say("Welcome back: your profile appears in matches and searches again."), nil
}

func (t *turn) saveProfile(ctx context.Context, answers map[string]string) ([]bot.Reply, error) {
	p, err := profileFromAnswers(t.acct.ID, answers)
	if err != nil {
		return nil, fmt.Errorf("bot: profile answers: %w", err)
	}
	p.Status = bot.ProfilePublished
	verb := "published. Employers can find you now"
	if old, err := t.b.store.Profile(ctx, t.acct.ID); err == nil {
		verb = "updated"
		if old.Status == bot.ProfilePaused {
			p.Status = bot.ProfilePaused
			verb = "updated (still paused; say /resume to appear in matches)"
		}
	} else if bot.ErrorCode(err) != bot.ENOTFOUND {
		return nil, err
	}
	p, err = t.b.store.SaveProfile(ctx, p)
	if err != nil {
		return nil, err
	}
	t.b.index.Put(p)
	return []bot.Reply{{Text: "Your profile is " + verb + ".", Cards: []bot.Card{ProfileCard(p)}}}, nil
}

func (t *turn) deleteAccount(ctx context.Context) ([]bot.Reply, error) {
	jobs, err := t.b.store.Jobs(ctx, bot.JobFilter{OwnerID: t.acct.ID})
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
		return 0, bot.Errorf(bot.EINVALID, "Which job? Give its number, e.g. /matches 12. Say /jobs to see yours.")
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, bot.Errorf(bot.EINVALID, "%q is not a job number. Say /jobs to see yours.", truncate(s, 20))
	}
	return id, nil
}
