package hire

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// Bounds of the posting rules /setup accepts.
const (
	maxCooldownMinutes = 7 * 24 * 60
	maxMinAgeDays      = 3650
)

// SetupArgs are the settings of /setup: "channel=<id> moderators=<id>
// cooldown=<minutes> min_age=<days>", every part optional.
type SetupArgs struct {
	Channel    string
	Moderators string
	Cooldown   time.Duration
	MinAge     time.Duration
}

// ParseSetup reads the arguments of /setup. A channel may be written as
// a mention (<#123>). Unknown keys and bad numbers are EINVALID.
func ParseSetup(text string) (SetupArgs, error) {
	var a SetupArgs
	for _, part := range strings.Fields(text) {
		key, value, ok := strings.Cut(part, "=")
		if !ok || value == "" {
			return SetupArgs{}, bot.Errorf(bot.EINVALID, "I don't understand %q. Write key=value, e.g. cooldown=60.", truncate(part, 30))
		}
		switch strings.ToLower(key) {
		case "channel", "moderators":
			id := strings.TrimSuffix(strings.TrimPrefix(value, "<#"), ">")
			if id == "" || len(id) > 64 || strings.ContainsAny(id, "<>#:") {
				return SetupArgs{}, bot.Errorf(bot.EINVALID, "%q is not a channel.", truncate(value, 30))
			}
			if key == "channel" {
				a.Channel = id
			} else {
				a.Moderators = id
			}
		case "cooldown":
			n, err := boundedInt(value, maxCooldownMinutes)
			if err != nil {
				return SetupArgs{}, bot.Errorf(bot.EINVALID, "The cooldown is a number of minutes from 0 to %d.", maxCooldownMinutes)
			}
			a.Cooldown = time.Duration(n) * time.Minute
		case "min_age":
			n, err := boundedInt(value, maxMinAgeDays)
			if err != nil {
				return SetupArgs{}, bot.Errorf(bot.EINVALID, "The minimum account age is a number of days from 0 to %d.", maxMinAgeDays)
			}
			a.MinAge = time.Duration(n) * 24 * time.Hour
		default:
			return SetupArgs{}, bot.Errorf(bot.EINVALID, "I don't know the setting %q. Settings: channel, moderators, cooldown, min_age.", truncate(key, 30))
		}
	}
	return a, nil
}

func boundedInt(s string, most int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > most {
		return 0, fmt.Errorf("out of range")
	}
	return n, nil
}

// setup makes the community's gig board: run by a moderator in the
// community itself. On Telegram the group is the board unless a channel
// is given.
func (t *turn) setup(ctx context.Context, args string) ([]bot.Reply, error) {
	platform, community, _ := eventCommunity(t.ev) // in a community, by a manager: commands.go
	a, err := ParseSetup(args)
	if err != nil {
		return nil, err
	}
	if a.Channel == "" {
		// A community that is one chat (a Telegram group) posts its gigs
		// there; one with channels (a Discord server) must name one.
		if community != t.ev.Chat.ChatID {
			return nil, bot.Errorf(bot.EINVALID, "Which channel should gigs go to? Give channel=<channel>.")
		}
		a.Channel = t.ev.Chat.ChatID
	}
	b, err := t.b.store.SaveBoard(ctx, bot.Board{Platform: platform, Community: community, ChannelID: a.Channel,
		ModChannelID: a.Moderators, Cooldown: a.Cooldown, MinAccountAge: a.MinAge})
	if err != nil {
		return nil, err
	}
	return []bot.Reply{{Text: boardSummary(b), Private: true}}, nil
}

func boardSummary(b bot.Board) string {
	var s strings.Builder
	s.WriteString("The gig board is set up. Gigs are posted in channel " + b.ChannelID + ".")
	if b.ModChannelID != "" {
		s.WriteString(" Reported gigs go to channel " + b.ModChannelID + ".")
	} else {
		s.WriteString(" There is no moderator channel, so reports cannot be passed on.")
	}
	if b.Cooldown > 0 {
		s.WriteString(" Members can post one gig every " + span(b.Cooldown) + ".")
	}
	if b.MinAccountAge > 0 {
		s.WriteString(" Accounts must be at least " + span(b.MinAccountAge) + " old to post.")
	}
	return s.String()
}

// gig reads the job named in arg.
func (t *turn) gig(ctx context.Context, arg string) (bot.Job, error) {
	id, err := parseJobID(arg)
	if err != nil {
		return bot.Job{}, err
	}
	j, err := t.b.store.Job(ctx, id)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return bot.Job{}, bot.Errorf(bot.ENOTFOUND, "There is no gig #%d.", id)
	}
	return j, err
}

// boardPostHere returns the gig post of j in the community of the event
// (any of its gig posts when the event is private).
func (t *turn) boardPostHere(posts []bot.BoardPost) (bot.BoardPost, bool) {
	platform, community, inCommunity := eventCommunity(t.ev)
	for _, p := range posts {
		if p.Kind != bot.PostGig {
			continue
		}
		if !inCommunity || (p.Platform == platform && p.Community == community) {
			return p, true
		}
	}
	return bot.BoardPost{}, false
}

// report passes a gig to the moderators of the board it is on, once per
// reporter and with one moderator card per gig.
func (t *turn) report(ctx context.Context, arg string) ([]bot.Reply, error) {
	j, err := t.gig(ctx, arg)
	if err != nil {
		return nil, err
	}
	if j.Status != bot.JobOpen {
		return []bot.Reply{{Text: fmt.Sprintf("Gig #%d is already %s.", j.ID, j.Status), Private: true}}, nil
	}
	posts, err := t.b.store.BoardPosts(ctx, j.ID)
	if err != nil {
		return nil, err
	}
	gig, ok := t.boardPostHere(posts)
	if !ok {
		return []bot.Reply{{Text: fmt.Sprintf("Gig #%d is not on a gig board here, so there is nobody to report it to.", j.ID), Private: true}}, nil
	}
	first, err := t.b.store.AddReport(ctx, j.ID, t.acct.ID)
	if err != nil {
		return nil, err
	}
	if !first {
		return []bot.Reply{{Text: fmt.Sprintf("You already reported gig #%d; the moderators have it.", j.ID), Private: true}}, nil
	}
	b, err := t.b.store.Board(ctx, gig.Platform, gig.Community)
	if err != nil && bot.ErrorCode(err) != bot.ENOTFOUND {
		return nil, err
	}
	if b.ModChannelID == "" {
		return []bot.Reply{{Text: "Thanks. This community has no moderator channel set up, so please tell a moderator yourself.", Private: true}}, nil
	}
	thanks := bot.Reply{Text: fmt.Sprintf("Thanks, I passed gig #%d to the moderators.", j.ID), Private: true}
	for _, p := range posts {
		if p.Kind == bot.PostReport && p.Platform == b.Platform && p.ChatID == b.ModChannelID {
			return []bot.Reply{thanks}, nil // the moderators have its card already
		}
	}
	id := fmt.Sprint(j.ID)
	card := bot.Reply{
		To:    bot.Recipient{Platform: b.Platform, ChatID: b.ModChannelID},
		Text:  fmt.Sprintf("%s reported gig #%d. Remove it from the board, or keep it?", cmp.Or(t.ev.Name, "A member"), j.ID),
		Cards: []bot.Card{JobCard(j)},
		Buttons: []bot.Button{
			{Label: "Remove", Value: "/remove " + id, Style: "danger", Shared: true},
			{Label: "Keep", Value: "/keep " + id, Shared: true},
		},
	}
	ref, delivered, err := t.b.postBoard(ctx, card)
	if err != nil {
		t.b.log.Warn("report not delivered to the moderators", "job", j.ID, "err", err)
		return []bot.Reply{{Text: "Thanks. I couldn't reach the moderator channel, so please tell a moderator yourself.", Private: true}}, nil
	}
	if _, err := t.b.store.AddBoardPost(ctx, bot.BoardPost{JobID: j.ID, Kind: bot.PostReport, Platform: b.Platform,
		Community: b.Community, ChatID: b.ModChannelID, Ref: ref, AccountID: t.acct.ID}); err != nil {
		return nil, err
	}
	if !delivered {
		return []bot.Reply{thanks, card}, nil
	}
	return []bot.Reply{thanks}, nil
}

// moderates reports whether the person moderates a community j is posted
// in: the adapter says they are a moderator, and the event comes from that
// community or from its moderator channel.
func (t *turn) moderates(ctx context.Context, posts []bot.BoardPost) (bool, error) {
	if !t.ev.Moderator {
		return false, nil
	}
	platform, community, ok := eventCommunity(t.ev)
	if !ok {
		return false, nil
	}
	for _, p := range posts {
		if p.Kind != bot.PostGig || p.Platform != platform {
			continue
		}
		if p.Community == community {
			return true, nil
		}
		b, err := t.b.store.Board(ctx, p.Platform, p.Community)
		if err != nil && bot.ErrorCode(err) != bot.ENOTFOUND {
			return false, err
		}
		if b.ModChannelID != "" && b.ModChannelID == t.ev.Chat.ChatID {
			return true, nil
		}
	}
	return false, nil
}

// moderate is a moderator's answer to a report: remove closes the gig and
// says so on the board; keep leaves it. Either way the moderator cards
// show the decision and lose their buttons.
func (t *turn) moderate(ctx context.Context, arg string, remove bool) ([]bot.Reply, error) {
	j, err := t.gig(ctx, arg)
	if err != nil {
		return nil, err
	}
	posts, err := t.b.store.BoardPosts(ctx, j.ID)
	if err != nil {
		return nil, err
	}
	ok, err := t.moderates(ctx, posts)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, bot.Errorf(bot.EUNAUTHORIZED, "Only the moderators of this community can remove or keep a reported gig.")
	}
	who := cmp.Or(t.ev.Name, "a moderator")
	if !remove {
		t.b.editPosts(ctx, j, bot.PostReport, "Kept by "+who+".")
		return []bot.Reply{{Text: fmt.Sprintf("Gig #%d stays on the board.", j.ID), Private: true}}, nil
	}
	if j.Status == bot.JobOpen {
		closed, err := t.b.finish(ctx, j.ID, bot.JobClosed) // tells applicants and invitees
		if err != nil && bot.ErrorCode(err) != bot.ECONFLICT {
			return nil, err
		}
		if err == nil {
			j, t.notified = closed, true
		}
	}
	t.b.editPosts(ctx, j, bot.PostGig, "This gig was removed by the moderators.")
	t.b.editPosts(ctx, j, bot.PostReport, "Removed by "+who+".")
	return []bot.Reply{{Text: fmt.Sprintf("Gig #%d is removed from the board and closed.", j.ID), Private: true}}, nil
}

// closableJob is the job /close may close: the person's own, or a board
// gig in a community they moderate.
func (t *turn) closableJob(ctx context.Context, arg string) (bot.Job, error) {
	own, err := t.ownJob(ctx, arg)
	if bot.ErrorCode(err) != bot.ENOTFOUND || !t.ev.Moderator {
		return own, err
	}
	id, _ := parseJobID(arg) // ownJob parsed it already
	j, jerr := t.b.store.Job(ctx, id)
	if jerr != nil {
		return bot.Job{}, err
	}
	posts, perr := t.b.store.BoardPosts(ctx, id)
	if perr != nil {
		return bot.Job{}, perr
	}
	ok, merr := t.moderates(ctx, posts)
	switch {
	case merr != nil:
		return bot.Job{}, merr
	case !ok:
		return bot.Job{}, err
	}
	return j, nil
}

// save bookmarks a gig for the person.
func (t *turn) save(ctx context.Context, arg string) ([]bot.Reply, error) {
	j, err := t.gig(ctx, arg)
	if err != nil {
		return nil, err
	}
	if err := t.b.store.SaveGig(ctx, t.acct.ID, j.ID); err != nil {
		return nil, err
	}
	return []bot.Reply{{Text: fmt.Sprintf("Saved gig #%d %s. Say /saved to see the gigs you saved.", j.ID, j.Title), Private: true}}, nil
}

// saved lists the person's bookmarked gigs.
func (t *turn) saved(ctx context.Context) ([]bot.Reply, error) {
	jobs, err := t.b.store.SavedGigs(ctx, t.acct.ID)
	if err != nil {
		return nil, err
	}
	if len(jobs) == 0 {
		return []bot.Reply{{Text: "You have no saved gigs. Press Save under a gig to keep it here.", Private: true}}, nil
	}
	r := bot.Reply{Text: "Your saved gigs:", Private: true}
	for _, j := range jobs {
		r.Cards = append(r.Cards, JobCard(j))
		if j.Status == bot.JobOpen && len(r.Buttons) < 10 {
			r.Buttons = append(r.Buttons, bot.Button{Label: fmt.Sprintf("Apply #%d", j.ID), Value: fmt.Sprintf("/apply %d", j.ID)})
		}
	}
	return []bot.Reply{r}, nil
}
