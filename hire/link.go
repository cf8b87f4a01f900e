package hire

import (
	"context"
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"

	"github.com/hirebot/hirebot/bot"
)

// linkAlphabet leaves out letters and digits that read alike (0/O, 1/I).
const linkAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// newLinkCode returns an 8-character code (40 bits), written "ABCD-EFGH".
func newLinkCode() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	out := make([]byte, 0, 9)
	for i, c := range b {
		if i == 4 {
			out = append(out, '-')
		}
		out = append(out, linkAlphabet[int(c)%len(linkAlphabet)])
	}
	return string(out)
}

// link handles /link: without arguments it gives a code; "/link CODE" on
// another platform joins the two accounts; "/link CODE keep <account>"
// is the choice of profile when both accounts have one.
func (t *turn) link(ctx context.Context, args string) ([]bot.Reply, error) {
	f := strings.Fields(args)
	now := t.b.now()
	if len(f) == 0 {
		var code string
		for attempt := 0; ; attempt++ {
			code = newLinkCode()
			err := t.b.store.CreateLinkCode(ctx, bot.LinkCode{Code: code, AccountID: t.acct.ID, ExpiresAt: now.Add(bot.LinkCodeTTL)})
			if err == nil {
				break
			}
			if bot.ErrorCode(err) != bot.ECONFLICT || attempt == 3 {
				return nil, err
			}
		}
		return []bot.Reply{{Private: true, Text: fmt.Sprintf("Your link code is %s. Within 10 minutes, on your other platform, "+
			"say /link %s to make both one account with one profile. It works once; don't share it.", code, code)}}, nil
	}
	if len(f) != 1 && !(len(f) == 3 && strings.EqualFold(f[1], "keep")) {
		return nil, bot.Errorf(bot.EINVALID, "Say /link to get a code, then /link <code> on your other platform.")
	}
	c, err := t.b.store.LinkCode(ctx, f[0], now)
	if err != nil {
		return nil, err
	}
	if c.AccountID == t.acct.ID {
		return nil, bot.Errorf(bot.EINVALID, "That code is for this very account: type it on your other platform.")
	}
	var keep int64
	if len(f) == 3 {
		if keep, err = strconv.ParseInt(f[2], 10, 64); err != nil || (keep != c.AccountID && keep != t.acct.ID) {
			return nil, bot.Errorf(bot.EINVALID, "Use the Keep buttons to choose a profile.")
		}
	} else {
		theirs, err1 := t.b.store.Profile(ctx, c.AccountID)
		mine, err2 := t.b.store.Profile(ctx, t.acct.ID)
		for _, err := range []error{err1, err2} {
			if err != nil && bot.ErrorCode(err) != bot.ENOTFOUND {
				return nil, err
			}
		}
		if err1 == nil && err2 == nil {
			return []bot.Reply{{
				Text:  "Both accounts have a profile, and one account keeps one. Which should I keep? The other is deleted.",
				Cards: []bot.Card{profileChoice("Profile A (the account that made the code)", theirs), profileChoice("Profile B (this account)", mine)},
				Buttons: []bot.Button{
					{Label: "Keep A", Value: fmt.Sprintf("/link %s keep %d", c.Code, c.AccountID)},
					{Label: "Keep B", Value: fmt.Sprintf("/link %s keep %d", c.Code, t.acct.ID)},
				},
			}}, nil
		}
	}
	joined, err := t.b.store.LinkAccounts(ctx, f[0], now, t.acct.ID, keep)
	if err != nil {
		return nil, err
	}
	if err := t.b.forget(ctx, t.acct.ID); err != nil {
		t.b.log.Warn("cannot drop the joined account's session", "account", t.acct.ID, "err", err)
	}
	if p, err := t.b.store.Profile(ctx, joined.ID); err == nil {
		t.b.index.Put(p)
	}
	if jobs, err := t.b.store.Jobs(ctx, bot.JobFilter{OwnerID: joined.ID, Status: bot.JobOpen}); err == nil {
		for _, j := range jobs { // moved over: their owner changed
			t.b.index.PutJob(j)
		}
	}
	if err := t.b.trust.refresh(ctx, t.b.store, now, true); err != nil {
		t.b.log.Warn("cannot reload ratings", "err", err)
	}
	names := make([]string, 0, len(joined.Identities))
	for _, id := range joined.Identities {
		names = append(names, bot.PlatformName(id.Platform))
	}
	return say(fmt.Sprintf("Linked: your accounts on %s are one now, with one profile, one set of jobs and one history. "+
		"/unlink separates this one again.", strings.Join(names, ", "))), nil
}

func profileChoice(title string, p bot.Profile) bot.Card {
	return bot.Card{Title: title, Fields: []bot.Field{{Label: p.Name, Value: p.Headline}, {Label: "Skills", Value: strings.Join(p.Skills, ", ")}, {Label: "Status", Value: p.Status}}}
}

// unlink handles /unlink: the identity this is written from leaves the
// account and starts one of its own; the profile and the history stay
// with the other identities.
func (t *turn) unlink(ctx context.Context) ([]bot.Reply, error) {
	if len(t.acct.Identities) < 2 {
		return say("This account is not linked to another one. /link joins your accounts on different platforms."), nil
	}
	name := t.ev.Name
	if name == "" {
		name = t.acct.Name
	}
	if _, err := t.b.store.UnlinkIdentity(ctx, t.ev.From, name); err != nil {
		return nil, err
	}
	return say(fmt.Sprintf("Unlinked: this %s account is on its own again, with no profile; your profile and history stay with your other account. "+
		"/link joins them again.", bot.PlatformName(t.ev.From.Platform))), nil
}
