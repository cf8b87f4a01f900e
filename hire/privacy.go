package hire

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/match"
)

// viewerScope is the workspace an event is seen from: the Slack team or
// Discord server, or a Telegram group; a private chat on Telegram or the
// terminal has none (nobody there to hide from).
func viewerScope(ev bot.Event) bot.Scope {
	switch {
	case ev.From.Workspace != "":
		return bot.Scope{Platform: ev.From.Platform, Workspace: ev.From.Workspace}
	case !ev.Private && ev.Chat.ChatID != "":
		return bot.Scope{Platform: ev.From.Platform, Workspace: "chat:" + ev.Chat.ChatID}
	}
	return bot.Scope{}
}

// hiddenFrom returns the accounts that hide from the event's workspace.
func (t *turn) hiddenFrom(ctx context.Context) (map[int64]bool, error) {
	return t.b.hiddenFromScopes(ctx, viewerScope(t.ev))
}

func (b *Bot) hiddenFromScopes(ctx context.Context, scopes ...bot.Scope) (map[int64]bool, error) {
	var hidden map[int64]bool
	for _, s := range scopes {
		if s.Workspace == "" {
			continue
		}
		ids, err := b.store.HiddenFrom(ctx, s)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			if hidden == nil {
				hidden = map[int64]bool{}
			}
			hidden[id] = true
		}
	}
	return hidden, nil
}

// ownerScopes are the workspaces a job's owner is in: where the job is
// seen from.
func (b *Bot) ownerScopes(ctx context.Context, ownerID int64) ([]bot.Scope, error) {
	a, err := b.store.Account(ctx, ownerID)
	if err != nil {
		return nil, err
	}
	var out []bot.Scope
	for _, id := range a.Identities {
		if id.Workspace != "" {
			out = append(out, bot.Scope{Platform: id.Platform, Workspace: id.Workspace})
		}
	}
	return out, nil
}

// matchJob ranks freelancers for a job as seen from the event's
// workspace, with fresh trust signals. When the privacy rules cannot be
// read it shows nobody rather than someone who hides.
func (t *turn) matchJob(ctx context.Context, j bot.Job, limit int) []match.Match {
	t.b.refreshTrust(ctx)
	hidden, err := t.hiddenFrom(ctx)
	if err != nil {
		t.b.log.Warn("cannot read privacy rules; showing no matches", "err", err)
		return nil
	}
	return t.b.index.MatchJobHiding(j, limit, hidden)
}

// searchIndex is Index.Search as seen from the event's workspace.
func (t *turn) searchIndex(ctx context.Context, q match.SearchQuery, text []int64, offset, limit int) ([]match.Match, int, error) {
	t.b.refreshTrust(ctx)
	hidden, err := t.hiddenFrom(ctx)
	if err != nil {
		return nil, 0, err
	}
	results, total := t.b.index.SearchHiding(q, text, offset, limit, hidden)
	return results, total, nil
}

// visible reports whether the person accountID may be shown where the
// event comes from.
func (t *turn) visible(ctx context.Context, accountID int64) (bool, error) {
	t.b.refreshTrust(ctx) // the caller usually shows a card with ratings next
	if accountID == t.acct.ID {
		return true, nil
	}
	hidden, err := t.hiddenFrom(ctx)
	return !hidden[accountID], err
}

func (b *Bot) refreshTrust(ctx context.Context) {
	if err := b.trust.refresh(ctx, b.store, b.now(), false); err != nil {
		b.log.Warn("cannot read ratings and stale profiles; scores use the last copy", "err", err)
	}
}

// PrivacyCommand is a parsed /privacy.
type PrivacyCommand struct {
	// Verb is "", "hide", "show" or "everyone".
	Verb string
	// Here is true for "here": the workspace the command is sent from.
	Here  bool
	Scope bot.Scope
}

// ParsePrivacy reads the arguments of /privacy: nothing (show the
// rules), "everyone", "hide here", "hide <platform>:<workspace>", "hide
// <workspace>" (any platform), and "show" with the same forms.
func ParsePrivacy(args string) (PrivacyCommand, error) {
	const usage = "Say /privacy hide here (inside the workspace or server), /privacy show here, or /privacy everyone."
	f := strings.Fields(args)
	if len(f) == 0 {
		return PrivacyCommand{}, nil
	}
	verb := strings.ToLower(f[0])
	switch verb {
	case "everyone", "all", "reset":
		if len(f) != 1 {
			return PrivacyCommand{}, bot.Errorf(bot.EINVALID, "%s", usage)
		}
		return PrivacyCommand{Verb: "everyone"}, nil
	case "hide", "show", "unhide":
	default:
		return PrivacyCommand{}, bot.Errorf(bot.EINVALID, "I don't know /privacy %s. %s", truncate(f[0], 20), usage)
	}
	if verb == "unhide" {
		verb = "show"
	}
	if len(f) != 2 {
		return PrivacyCommand{}, bot.Errorf(bot.EINVALID, "%s", usage)
	}
	c := PrivacyCommand{Verb: verb}
	w := f[1]
	if strings.EqualFold(w, "here") {
		c.Here = true
		return c, nil
	}
	if len(w) > 100 {
		return PrivacyCommand{}, bot.Errorf(bot.EINVALID, "That workspace name is too long. %s", usage)
	}
	if p, rest, ok := strings.Cut(w, ":"); ok {
		if pl, ok := bot.PlatformByID(strings.ToLower(p)); ok && pl.Workspaces {
			c.Scope = bot.Scope{Platform: pl.ID, Workspace: rest}
		} else {
			c.Scope = bot.Scope{Workspace: w}
		}
	} else {
		c.Scope = bot.Scope{Workspace: w}
	}
	if c.Scope.Workspace == "" {
		return PrivacyCommand{}, bot.Errorf(bot.EINVALID, "%s", usage)
	}
	return c, nil
}

// privacy handles /privacy.
func (t *turn) privacy(ctx context.Context, args string) ([]bot.Reply, error) {
	c, err := ParsePrivacy(args)
	if err != nil {
		return nil, err
	}
	if c.Here {
		c.Scope = viewerScope(t.ev)
		if c.Scope.Workspace == "" {
			return nil, bot.Errorf(bot.EINVALID, "Say this inside the workspace, server or group you mean; a private chat here has no workspace to hide from.")
		}
	}
	switch c.Verb {
	case "hide":
		if err := t.b.store.HideFrom(ctx, t.acct.ID, c.Scope); err != nil {
			return nil, err
		}
		return []bot.Reply{{Text: fmt.Sprintf("Done: people in %s no longer find you in search, matches or talent pools. /privacy everyone undoes it.", scopeName(c.Scope)), Private: true}}, nil
	case "show":
		if err := t.b.store.ShowTo(ctx, t.acct.ID, c.Scope); err != nil {
			return nil, err
		}
		return []bot.Reply{{Text: fmt.Sprintf("People in %s can find you again.", scopeName(c.Scope)), Private: true}}, nil
	case "everyone":
		if err := t.b.store.ShowToEveryone(ctx, t.acct.ID); err != nil {
			return nil, err
		}
		return []bot.Reply{{Text: "Everyone can find you now.", Private: true}}, nil
	}
	rules, err := t.b.store.HiddenScopes(ctx, t.acct.ID)
	if err != nil {
		return nil, err
	}
	r := bot.Reply{Private: true}
	if len(rules) == 0 {
		r.Text = "Everyone can find you. To hide from a workspace or server (say, your current employer's), say /privacy hide here inside it."
	} else {
		names := make([]string, 0, len(rules))
		for _, h := range rules {
			names = append(names, scopeName(h.Scope))
		}
		r.Text = "Everyone can find you except people in: " + strings.Join(names, ", ") + ".\n/privacy show <workspace> or /privacy everyone lifts it."
		r.Buttons = []bot.Button{{Label: "Visible to everyone", Value: "/privacy everyone"}}
	}
	if s := viewerScope(t.ev); s.Workspace != "" {
		r.Buttons = append(r.Buttons, bot.Button{Label: "Hide from here", Value: "/privacy hide here"})
	}
	return []bot.Reply{r}, nil
}

func scopeName(s bot.Scope) string {
	if s.Platform == "" {
		return "workspace " + s.Workspace
	}
	return bot.PlatformName(s.Platform) + " " + s.Workspace
}

// guardPerson refuses a command that names (by account number) someone
// who hides from the event's workspace, as if they did not exist.
func (t *turn) guardPerson(ctx context.Context, args string) error {
	first, _, _ := strings.Cut(strings.TrimSpace(args), " ")
	id, err := strconv.ParseInt(strings.TrimPrefix(first, "#"), 10, 64)
	if err != nil || id <= 0 {
		return nil // not an account number: the command explains itself
	}
	ok, err := t.visible(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return bot.Errorf(bot.ENOTFOUND, "There is no person %d. Use the Invite button under a match.", id)
	}
	return nil
}
