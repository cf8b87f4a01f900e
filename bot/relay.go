package bot

import (
	"context"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// RelayMark starts every relayed message, so nobody mistakes it for the
// bot's own words.
const RelayMark = "↪ relayed from "

// direct reports whether two people can write to each other on their own
// platform: the same platform and workspace, and not the terminal or the
// web chat (where people have no way to reach each other but hirebot).
func direct(a, b Identity) bool {
	return a.Platform == b.Platform && a.Workspace == b.Workspace && a.Platform != Console && a.Platform != Web
}

// contactOf is a way to open a conversation with someone on their platform,
// shown only to the other side of an accepted invite.
func contactOf(id Identity) string {
	switch id.Platform {
	case Slack:
		return fmt.Sprintf("slack://user?team=%s&id=%s", url.QueryEscape(id.Workspace), url.QueryEscape(id.UserID))
	case Discord:
		return "https://discord.com/users/" + url.PathEscape(id.UserID)
	case Telegram:
		return "tg://user?id=" + url.QueryEscape(id.UserID)
	}
	return platformName(id.Platform) + " user " + id.UserID
}

// introduce says who the other side is after an acceptance: directly when
// both can write to each other, else through a relay.
func introduce(p parties, j Job) Effects {
	ei, fi := home(p.emp), home(p.fl)
	if direct(ei, fi) {
		return Effects{Notify: []Notification{
			{AccountID: p.emp.ID, Reply: Reply{Text: fmt.Sprintf("Meet %s, who will work on #%d %s. Write to them directly: %s",
				p.flName, j.ID, j.Title, contactOf(fi))}},
			{AccountID: p.fl.ID, Reply: Reply{Text: fmt.Sprintf("Meet %s, who posted #%d %s. Write to them directly: %s",
				p.empName, j.ID, j.Title, contactOf(ei))}},
		}}
	}
	relay := func(other string, where Identity) string {
		return fmt.Sprintf("You're now connected with %s about #%d %s. They are on %s, so I'll pass messages along: "+
			"whatever you write to me here (outside a dialog) goes to them, until either of you says /end. "+
			"Say /share followed by a handle or email to give them a way to reach you directly.",
			other, j.ID, j.Title, platformName(where.Platform))
	}
	return Effects{
		Relay: &Relay{AID: p.emp.ID, BID: p.fl.ID, JobID: j.ID},
		Notify: []Notification{
			{AccountID: p.emp.ID, Reply: Reply{Text: relay(p.flName, fi)}},
			{AccountID: p.fl.ID, Reply: Reply{Text: relay(p.empName, ei)}},
		},
	}
}

// relay passes free text typed outside a dialog to the other side of the
// person's newest open relay. It reports false when there is none.
func (t *turn) relay(ctx context.Context, text string) ([]Reply, bool, error) {
	if t.ev.Kind != KindMessage || !t.ev.Private || text == "" {
		return nil, false, nil
	}
	rs, err := t.b.store.OpenRelays(ctx, t.acct.ID)
	if err != nil || len(rs) == 0 {
		return nil, false, err
	}
	other := rs[0].Other(t.acct.ID)
	name := t.b.displayName(ctx, t.acct.ID)
	if err := t.b.store.Enqueue(ctx, []Notification{{AccountID: other, SenderID: t.acct.ID,
		Reply: Reply{Text: RelayMark + name + ":\n" + text}}}); err != nil {
		return nil, true, err
	}
	t.notified = true
	return say("↪ passed on to " + t.b.displayName(ctx, other) + ". Say /end to stop relaying."), true, nil
}

// endRelay handles /end: it ends the person's newest open relay.
func (t *turn) endRelay(ctx context.Context) ([]Reply, error) {
	rs, err := t.b.store.OpenRelays(ctx, t.acct.ID)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return say("You have no open relay to end."), nil
	}
	r := rs[0]
	name := t.b.displayName(ctx, t.acct.ID)
	other := r.Other(t.acct.ID)
	_, err = t.b.store.UpdateRelay(ctx, r.ID, func(r *Relay) (Effects, error) {
		if r.State != RelayOpen {
			return Effects{}, Errorf(ECONFLICT, "That relay has already ended.")
		}
		r.State = RelayEnded
		return Effects{Notify: []Notification{{AccountID: other, Reply: Reply{
			Text: fmt.Sprintf("%s ended the relay about #%d. I no longer pass messages between you.", name, r.JobID)}}}}, nil
	})
	if err != nil {
		return refusal(err)
	}
	t.notified = true
	return say(fmt.Sprintf("Relay with %s ended. I no longer pass your messages on.", t.b.displayName(ctx, other))), nil
}

// share handles /share <handle or email>: it gives the other side of an
// accepted invite a way to reach the person directly.
func (t *turn) share(ctx context.Context, arg string) ([]Reply, error) {
	contact, err := ParseContact(arg)
	if err != nil {
		return nil, err
	}
	other, job, err := t.counterpart(ctx)
	if err != nil {
		return nil, err
	}
	name := t.b.displayName(ctx, t.acct.ID)
	if err := t.b.store.Enqueue(ctx, []Notification{{AccountID: other, Reply: Reply{
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
	var best Invite
	for _, f := range []InviteFilter{{FreelancerID: t.acct.ID}, {EmployerID: t.acct.ID}} {
		f.States = []string{InviteAccepted}
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
		return 0, 0, Errorf(EINVALID, "You can share your contact once an invite between you and someone is accepted.")
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
		return "", Errorf(EINVALID, "What should I share? %s", usage)
	}
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > 120 || strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '<' || r == '>'
	}) >= 0 {
		return "", Errorf(EINVALID, "That doesn't look like a handle or an email. %s", usage)
	}
	switch {
	case strings.HasPrefix(s, "@"):
		h := s[1:]
		if h == "" || strings.IndexFunc(h, func(r rune) bool {
			return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._-", r))
		}) >= 0 {
			return "", Errorf(EINVALID, "A handle is @ and letters, digits, dots, dashes or underscores. %s", usage)
		}
		return s, nil
	case strings.Contains(s, "@"):
		a, err := mail.ParseAddress(s)
		if err != nil || a.Name != "" || a.Address != s {
			return "", Errorf(EINVALID, "That email doesn't look right. %s", usage)
		}
		return s, nil
	case strings.HasPrefix(strings.ToLower(s), "https://"):
		u, err := url.Parse(s)
		if err != nil || u.Host == "" || u.User != nil {
			return "", Errorf(EINVALID, "That link doesn't look right. %s", usage)
		}
		return s, nil
	}
	return "", Errorf(EINVALID, "That doesn't look like a handle or an email. %s", usage)
}
