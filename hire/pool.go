package hire

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hirebot/hirebot/bot"
)

// poolScope is the workspace a pool command is about: the Slack team or
// Discord server, a Telegram group, or the person alone where the
// platform has no workspace (a private chat on Telegram, the terminal).
func poolScope(ev bot.Event, accountID int64) bot.Scope {
	if s := viewerScope(ev); s.Workspace != "" {
		return s
	}
	return bot.Scope{Platform: ev.From.Platform, Workspace: fmt.Sprintf("acct:%d", accountID)}
}

// pool handles /pool: "" lists the pools here, "<name>" shows one, "add
// <person> [pool]" saves someone ([Save] under a card), "remove <person>
// [pool]" takes them out, the person named by number or by name.
func (t *turn) pool(ctx context.Context, args string) ([]bot.Reply, error) {
	const usage = "Use the Save button under a card, or /pool add <person> [pool name]."
	verb, rest, _ := strings.Cut(strings.TrimSpace(args), " ")
	scope := poolScope(t.ev, t.acct.ID)
	switch strings.ToLower(verb) {
	case "add", "save", "remove":
		first, name, _ := strings.Cut(strings.TrimSpace(rest), " ")
		id, err := parseID(first, "person", usage)
		if err != nil && strings.EqualFold(verb, "remove") {
			id, name, err = t.poolMemberNamed(ctx, scope, rest)
		}
		if err != nil {
			return nil, err
		}
		name = strings.Join(strings.Fields(name), " ")
		if name == "" {
			name = bot.DefaultPool
		}
		if utf8.RuneCountInString(name) > 40 {
			return nil, bot.Errorf(bot.EINVALID, "Please keep pool names under 40 characters.")
		}
		who := t.b.displayName(ctx, id)
		if strings.EqualFold(verb, "remove") {
			if err := t.b.store.RemoveFromPool(ctx, scope, name, id); err != nil {
				return nil, err
			}
			return say(fmt.Sprintf("%s is out of the pool %q.", who, name)), nil
		}
		if ok, err := t.visible(ctx, id); err != nil {
			return nil, err
		} else if !ok {
			return nil, bot.Errorf(bot.ENOTFOUND, "That profile is not available any more.")
		}
		if _, err := t.b.store.Profile(ctx, id); bot.ErrorCode(err) == bot.ENOTFOUND {
			return nil, bot.Errorf(bot.ENOTFOUND, "That profile is not available any more.")
		} else if err != nil {
			return nil, err
		}
		p, err := t.b.store.AddToPool(ctx, scope, name, id, t.acct.ID)
		if err != nil {
			return nil, err
		}
		return []bot.Reply{{Text: fmt.Sprintf("Saved %s to the pool %q (%d people). Everyone here sees it with /pool.", who, p.Name, len(p.Members)),
			Buttons: []bot.Button{{Label: "Show pool", Value: truncateValue("/pool " + p.Name)}}}}, nil
	}
	pools, err := t.b.store.Pools(ctx, scope)
	if err != nil {
		return nil, err
	}
	if name := strings.TrimSpace(args); name != "" {
		var keep []bot.Pool
		for _, p := range pools {
			if strings.EqualFold(p.Name, strings.Join(strings.Fields(name), " ")) {
				keep = append(keep, p)
			}
		}
		if len(keep) == 0 {
			return nil, bot.Errorf(bot.ENOTFOUND, "There is no pool %q here. Say /pool to see the pools.", truncate(name, 40))
		}
		pools = keep
	}
	if len(pools) == 0 {
		return say("There are no talent pools here yet. " + usage), nil
	}
	hidden, err := t.hiddenFrom(ctx)
	if err != nil {
		return nil, err
	}
	var replies []bot.Reply
	for _, p := range pools {
		r := bot.Reply{Text: fmt.Sprintf("Pool %q:", p.Name)}
		card := bot.Card{Title: p.Name}
		for _, m := range p.Members {
			if hidden[m.AccountID] {
				continue
			}
			prof, err := t.b.store.Profile(ctx, m.AccountID)
			if err != nil {
				continue // no profile any more
			}
			line := prof.Headline
			if f, ok := t.b.ratingField(m.AccountID); ok {
				line += " · " + f.Value
			}
			if prof.Status != bot.ProfilePublished {
				line += " (" + prof.Status + ")"
			}
			card.Fields = append(card.Fields, bot.Field{Label: prof.Name, Value: line})
			if len(r.Buttons) < 8 {
				r.Buttons = append(r.Buttons, bot.Button{Label: "Invite " + truncate(prof.Name, 20), Value: fmt.Sprintf("/invite %d", m.AccountID)})
			}
		}
		if len(card.Fields) == 0 {
			r.Text = fmt.Sprintf("Pool %q has nobody available right now.", p.Name)
		} else {
			r.Cards = []bot.Card{card}
		}
		replies = append(replies, r)
	}
	return replies, nil
}

// truncateValue keeps a button value within the 64 bytes platforms allow.
func truncateValue(v string) string {
	for len(v) > 64 {
		_, size := utf8.DecodeLastRuneInString(v)
		v = v[:len(v)-size]
	}
	return v
}

// poolMemberNamed reads "<person's name> [pool]" for /pool remove: the
// longest profile name of a pool member here that starts rest, and the
// pool named after it. Without a pool name, it is the one pool the person
// is in, or the default pool among several.
func (t *turn) poolMemberNamed(ctx context.Context, scope bot.Scope, rest string) (int64, string, error) {
	const usage = "Say /pool remove <person's name or number> [pool name]."
	words := strings.Fields(rest)
	if len(words) == 0 {
		return 0, "", bot.Errorf(bot.EINVALID, "Whom? %s", usage)
	}
	pools, err := t.b.store.Pools(ctx, scope)
	if err != nil {
		return 0, "", err
	}
	type found struct {
		id       int64
		pool     string
		nameLen  int
		explicit bool
	}
	var hits []found
	names := map[int64][]string{} // profile names split into words, read once
	for _, p := range pools {
		for _, m := range p.Members {
			if _, ok := names[m.AccountID]; !ok {
				names[m.AccountID] = strings.Fields(t.b.displayName(ctx, m.AccountID))
			}
			n := names[m.AccountID]
			if len(n) == 0 || len(n) > len(words) || !sameWords(n, words[:len(n)]) {
				continue
			}
			poolName := strings.Join(words[len(n):], " ")
			if poolName != "" && !strings.EqualFold(poolName, p.Name) {
				continue
			}
			hits = append(hits, found{id: m.AccountID, pool: p.Name, nameLen: len(n), explicit: poolName != ""})
		}
	}
	if len(hits) == 0 {
		return 0, "", bot.Errorf(bot.ENOTFOUND, "Nobody called %q is in a pool here. %s", truncate(rest, 40), usage)
	}
	longest := 0
	for _, h := range hits {
		longest = max(longest, h.nameLen)
	}
	people := map[int64]bool{}
	var best []found
	for _, h := range hits {
		if h.nameLen == longest {
			best = append(best, h)
			people[h.id] = true
		}
	}
	if len(people) > 1 {
		return 0, "", bot.Errorf(bot.ECONFLICT, "More than one person here is called %s; use the number from /pool instead.", strings.Join(words[:longest], " "))
	}
	if len(best) == 1 {
		return best[0].id, best[0].pool, nil
	}
	var in []string
	for _, h := range best {
		if strings.EqualFold(h.pool, bot.DefaultPool) {
			return h.id, h.pool, nil
		}
		in = append(in, fmt.Sprintf("%q", h.pool))
	}
	return 0, "", bot.Errorf(bot.EINVALID, "%s is in the pools %s; add the pool's name: /pool remove %s <pool>.",
		strings.Join(words[:longest], " "), strings.Join(in, ", "), strings.Join(words[:longest], " "))
}

// sameWords compares two lists of words, case-insensitively.
func sameWords(a, b []string) bool {
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return len(a) == len(b)
}
