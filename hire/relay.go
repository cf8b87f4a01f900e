package hire

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
)

// RelayMark starts every relayed message, so nobody mistakes it for the
// bot's own words.
const RelayMark = "↪ relayed from "

// contactLink is the link that opens a private chat with id on their
// platform, from its adapter (bot.Contacter); "" when the platform has none.
func (b *Bot) contactLink(id bot.Identity) string {
	if c, ok := b.adapters[id.Platform].(bot.Contacter); ok {
		return c.ContactLink(id)
	}
	return ""
}

// introduce says who the other side is after an acceptance: directly when
// both can write to each other, else through a relay.
func (b *Bot) introduce(p parties, j bot.Job) bot.Effects {
	ei, fi := home(p.emp), home(p.fl)
	el, fl := b.contactLink(ei), b.contactLink(fi)
	if ei.Platform == fi.Platform && ei.Workspace == fi.Workspace && el != "" && fl != "" {
		return bot.Effects{Notify: []bot.Notification{
			{AccountID: p.emp.ID, Reply: bot.Reply{Text: fmt.Sprintf("Meet %s, who will work on #%d %s. Write to them directly: %s",
				p.flName, j.ID, j.Title, fl)}},
			{AccountID: p.fl.ID, Reply: bot.Reply{Text: fmt.Sprintf("Meet %s, who posted #%d %s. Write to them directly: %s",
				p.empName, j.ID, j.Title, el)}},
		}}
	}
	relay := func(other string, where bot.Identity) string {
		return fmt.Sprintf("You're now connected with %s about #%d %s. They are on %s, so I'll pass messages along: "+
			"whatever you write to me here (outside a dialog) goes to them, until either of you says /end. "+
			"Say /share followed by a handle or email to give them a way to reach you directly.",
			other, j.ID, j.Title, bot.PlatformName(where.Platform))
	}
	return bot.Effects{
		Relay: &bot.Relay{AID: p.emp.ID, BID: p.fl.ID, JobID: j.ID},
		Notify: []bot.Notification{
			{AccountID: p.emp.ID, Reply: bot.Reply{Text: relay(p.flName, fi)}},
			{AccountID: p.fl.ID, Reply: bot.Reply{Text: relay(p.empName, ei)}},
		},
	}
}

// relay passes free text typed outside a dialog to the other side of one
// of the person's open relays (see chooseRelay). It reports false when
// there is none.
func (t *turn) relay(ctx context.Context, text string) ([]bot.Reply, bool, error) {
	if t.ev.Kind != bot.KindMessage || !t.ev.Private || text == "" {
		return nil, false, nil
	}
	rs, err := t.b.store.OpenRelays(ctx, t.acct.ID)
	if err != nil || len(rs) == 0 {
		return nil, false, err
	}
	r, ok := chooseRelay(rs, t.acct.ID)
	if !ok {
		replies, err := t.askWhichRelay(ctx, rs, text)
		return replies, true, err
	}
	replies, err := t.pass(ctx, r, text)
	return replies, true, err
}

// chooseRelay picks the relay a message of id is for: the only one, or
// the one id last wrote through, unless another side has written (or a
// relay opened) since, when the message could be an answer to either and
// is asked about.
func chooseRelay(rs []bot.Relay, id int64) (bot.Relay, bool) {
	if len(rs) == 1 {
		return rs[0], true
	}
	var cur bot.Relay
	for _, r := range rs {
		if r.SaidAt(id).After(cur.SaidAt(id)) {
			cur = r
		}
	}
	if cur.ID == 0 {
		return bot.Relay{}, false
	}
	for _, r := range rs {
		if r.ID == cur.ID {
			continue
		}
		if heard := r.SaidAt(r.Other(id)); heard.After(cur.SaidAt(id)) || r.CreatedAt.After(cur.SaidAt(id)) {
			return bot.Relay{}, false
		}
	}
	return cur, true
}

// heldKey is where a message waits while its sender picks the relay.
func heldKey(key string) string { return key + "|relay" }

// askWhichRelay holds the message and asks whom it is for, a button per
// open relay naming the person and the job.
func (t *turn) askWhichRelay(ctx context.Context, rs []bot.Relay, text string) ([]bot.Reply, error) {
	key := heldKey(t.key)
	if err := t.b.sessions.Delete(ctx, key); err != nil {
		return nil, bot.Unavailable(err)
	}
	if _, err := t.b.sessions.Save(ctx, conversation.Session{Key: key, Ref: text, Started: t.b.now()}); err != nil {
		return nil, bot.Unavailable(err)
	}
	r := bot.Reply{Text: fmt.Sprintf("You're talking with %d people. Which conversation is this for?", len(rs))}
	for _, rel := range rs {
		if len(r.Buttons) == 5 {
			break
		}
		r.Buttons = append(r.Buttons, bot.Button{Label: truncate(t.relayLabel(ctx, rel), 60), Value: fmt.Sprintf("/to %d", rel.ID)})
	}
	return []bot.Reply{r}, nil
}

// relayLabel names a relay for its reader: the other person and the job.
func (t *turn) relayLabel(ctx context.Context, r bot.Relay) string {
	return t.b.displayName(ctx, r.Other(t.acct.ID)) + " — " + t.jobName(ctx, r.JobID)
}

// jobName is "#3 Title", or "#3" when the job is gone.
func (t *turn) jobName(ctx context.Context, id int64) string {
	if j, err := t.b.store.Job(ctx, id); err == nil {
		return fmt.Sprintf("#%d %s", j.ID, j.Title)
	}
	return fmt.Sprintf("#%d", id)
}

// to handles /to <relay> [message]: the relay a message is for. The
// message given, else the one held while the person chose, goes through
// it; either way the person's next messages go there too.
func (t *turn) to(ctx context.Context, args string) ([]bot.Reply, error) {
	arg, text, _ := strings.Cut(strings.TrimSpace(args), " ")
	id, err := parseID(arg, "conversation", "Use the buttons that ask which conversation a message is for.")
	if err != nil {
		return nil, err
	}
	r, err := t.openRelay(ctx, id)
	if err != nil {
		return refusal(err)
	}
	if text = strings.TrimSpace(text); text == "" {
		held, err := t.b.sessions.Load(ctx, heldKey(t.key))
		switch {
		case err == nil:
			text = held.Ref
		case !errors.Is(err, conversation.ErrNoSession):
			return nil, bot.Unavailable(err)
		}
	}
	replies, err := t.pass(ctx, r, text)
	if err == nil && text != "" {
		if err := t.b.sessions.Delete(ctx, heldKey(t.key)); err != nil {
			t.b.log.Warn("cannot drop a relayed message", "err", err)
		}
	}
	return replies, err
}

// openRelay finds one of the person's open relays by its number.
func (t *turn) openRelay(ctx context.Context, id int64) (bot.Relay, error) {
	rs, err := t.b.store.OpenRelays(ctx, t.acct.ID)
	if err != nil {
		return bot.Relay{}, err
	}
	if i := slices.IndexFunc(rs, func(r bot.Relay) bool { return r.ID == id }); i >= 0 {
		return rs[i], nil
	}
	return bot.Relay{}, bot.Errorf(bot.ENOTFOUND, "You have no open conversation %d.", id)
}

// pass sends text through relay rel and marks it the one the person last
// answered, in one transaction; the relayed message names its job. An
// empty text only marks it.
func (t *turn) pass(ctx context.Context, rel bot.Relay, text string) ([]bot.Reply, error) {
	name := t.b.displayName(ctx, t.acct.ID)
	other, job := rel.Other(t.acct.ID), t.jobName(ctx, rel.JobID)
	_, err := t.b.store.UpdateRelay(ctx, rel.ID, func(r *bot.Relay) (bot.Effects, error) {
		if r.State != bot.RelayOpen {
			return bot.Effects{}, bot.Errorf(bot.ECONFLICT, "That conversation has ended; I no longer pass messages in it.")
		}
		r.SetSaidAt(t.acct.ID, t.b.now())
		if text == "" {
			return bot.Effects{}, nil
		}
		return bot.Effects{Notify: []bot.Notification{{AccountID: other, SenderID: t.acct.ID,
			Reply: bot.Reply{Text: RelayMark + name + " about " + job + ":\n" + text}}}}, nil
	})
	if err != nil {
		return refusal(err)
	}
	if text == "" {
		return say(fmt.Sprintf("Your messages now go to %s about %s.", t.b.displayName(ctx, other), job)), nil
	}
	t.notified = true
	return say(fmt.Sprintf("↪ passed on to %s about %s. Say /end to stop relaying.", t.b.displayName(ctx, other), job)), nil
}

// endRelay handles /end [relay]: it ends the relay the person's messages
// go to, or asks which when that is not clear.
func (t *turn) endRelay(ctx context.Context, arg string) ([]bot.Reply, error) {
	rs, err := t.b.store.OpenRelays(ctx, t.acct.ID)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return say("You have no open relay to end."), nil
	}
	var r bot.Relay
	if arg = strings.TrimSpace(arg); arg != "" {
		id, err := parseID(arg, "conversation", "Use the buttons under /end.")
		if err != nil {
			return nil, err
		}
		if r, err = t.openRelay(ctx, id); err != nil {
			return refusal(err)
		}
	} else if c, ok := chooseRelay(rs, t.acct.ID); ok {
		r = c
	} else {
		reply := bot.Reply{Text: "Which conversation do you want to end?"}
		for _, rel := range rs[:min(len(rs), 5)] {
			reply.Buttons = append(reply.Buttons, bot.Button{Label: truncate(t.relayLabel(ctx, rel), 60), Value: fmt.Sprintf("/end %d", rel.ID)})
		}
		return []bot.Reply{reply}, nil
	}
	name := t.b.displayName(ctx, t.acct.ID)
	other := r.Other(t.acct.ID)
	_, err = t.b.store.UpdateRelay(ctx, r.ID, func(r *bot.Relay) (bot.Effects, error) {
		if r.State != bot.RelayOpen {
			return bot.Effects{}, bot.Errorf(bot.ECONFLICT, "That relay has already ended.")
		}
		r.State = bot.RelayEnded
		return bot.Effects{Notify: []bot.Notification{{AccountID: other, Reply: bot.Reply{
			Text: fmt.Sprintf("%s ended the relay about #%d. I no longer pass messages between you.", name, r.JobID)}}}}, nil
	})
	if err != nil {
		return refusal(err)
	}
	t.notified = true
	return say(fmt.Sprintf("Relay with %s about %s ended. I no longer pass your messages on.", t.b.displayName(ctx, other), t.jobName(ctx, r.JobID))), nil
}

// share handles /share <handle or email>: it gives the other side of an
// accepted invite a way to reach the person directly.
func (t *turn) share(ctx context.Context, arg string) ([]bot.Reply, error) {
	contact, err := ParseContact(arg)
	if err != nil {
		return nil, err
	}
	other, job, err := t.counterpart(ctx)
	if err != nil {
		return nil, err
	}
	name := t.b.displayName(ctx, t.acct.ID)
	if err := t.b.store.Enqueue(ctx, []bot.Notification{{AccountID: other, Reply: bot.Reply{
		Text: fmt.Sprintf("%s (#%d) shares how to reach them: %s", name, job, contact)}}}); err != nil {
		return nil, err
	}
	t.notified = true
	return say("Shared with " + t.b.displayName(ctx, other) + "."), nil
}

// counterpart is the other side of the person's newest open relay, else of
// their newest accepted invite. Nothing is shared before an acceptance.
func (t *turn) counterpart(ctx context.Context) (int64, int64, error) {
	rs, err := t.b.store.OpenRelays(ctx, t.acct.ID)
	if err != nil {
		return 0, 0, err
	}
	if len(rs) > 0 {
		return rs[0].Other(t.acct.ID), rs[0].JobID, nil
	}
	var best bot.Invite
	for _, f := range []bot.InviteFilter{{FreelancerID: t.acct.ID}, {EmployerID: t.acct.ID}} {
		f.States = []string{bot.InviteAccepted}
		invs, err := t.b.store.Invites(ctx, f)
		if err != nil {
			return 0, 0, err
		}
		for _, inv := range invs {
			if inv.ID > best.ID {
				best = inv
			}
		}
	}
	if best.ID == 0 {
		return 0, 0, bot.Errorf(bot.EINVALID, "You can share your contact once an invite between you and someone is accepted.")
	}
	if best.FreelancerID == t.acct.ID {
		return best.EmployerID, best.JobID, nil
	}
	return best.FreelancerID, best.JobID, nil
}

// ParseContact reads what /share gives: an email address, a @handle or an
// https link, at most 120 characters, on one line.
func ParseContact(s string) (string, error) {
	s = strings.TrimSpace(s)
	const usage = "Share a handle or an email, e.g. /share ann@example.com or /share @ann."
	if s == "" {
		return "", bot.Errorf(bot.EINVALID, "What should I share? %s", usage)
	}
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > 120 || strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '<' || r == '>'
	}) >= 0 {
		return "", bot.Errorf(bot.EINVALID, "That doesn't look like a handle or an email. %s", usage)
	}
	switch {
	case strings.HasPrefix(s, "@"):
		h := s[1:]
		if h == "" || strings.IndexFunc(h, func(r rune) bool {
			return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-", r))
		}) >= 0 {
			return "", bot.Errorf(bot.EINVALID, "A handle is @ and letters, digits, dots, dashes or underscores. %s", usage)
		}
		return s, nil
	case strings.Contains(s, "@"):
		a, err := mail.ParseAddress(s)
		if err != nil || a.Name != "" || a.Address != s {
			return "", bot.Errorf(bot.EINVALID, "That email doesn't look right. %s", usage)
		}
		return s, nil
	case strings.HasPrefix(strings.ToLower(s), "https://"):
		u, err := url.Parse(s)
		if err != nil || u.Host == "" || u.User != nil {
			return "", bot.Errorf(bot.EINVALID, "That link doesn't look right. %s", usage)
		}
		return s, nil
	}
	return "", bot.Errorf(bot.EINVALID, "That doesn't look like a handle or an email. %s", usage)
}
