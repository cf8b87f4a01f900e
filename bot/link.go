package bot

import (
	"context"
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// One identity: /link gives a one-time code valid LinkCodeTTL; typed on
// another platform (/link CODE) it joins both identities into one account
// with one profile. When both accounts have a profile the person chooses
// which to keep. /unlink gives an identity its own account again.

// LinkCodeTTL is how long a link code can be used.
const LinkCodeTTL = 10 * time.Minute

// LinkCode is a one-time code that joins another identity to AccountID.
type LinkCode struct {
	Code      string    `json:"code"`
	AccountID int64     `json:"account_id"`
	ExpiresAt time.Time `json:"expires_at"`
	UsedAt    time.Time `json:"used_at,omitzero"`
	CreatedAt time.Time `json:"created_at"`
}

// LinkStore joins and splits accounts.
type LinkStore interface {
	// CreateLinkCode stores a new code (CreatedAt is set by the store).
	// ECONFLICT when the code exists; ENOTFOUND if the account does not.
	CreateLinkCode(ctx context.Context, c LinkCode) error
	// LinkCode returns a code that can be used at now: ENOTFOUND when
	// there is no such code, EINVALID when it expired, ECONFLICT when it
	// was used. Codes are compared case-insensitively.
	LinkCode(ctx context.Context, code string, now time.Time) (LinkCode, error)
	// LinkAccounts uses code (the rules of LinkCode apply) to join the
	// account of redeemer into the code's account, in one transaction:
	// redeemer's identities, jobs, invites, reviews, pools and every other
	// record move over and redeemer's account is deleted. The joined
	// account keeps the profile of keep (the code's account or redeemer);
	// keep may be 0 when at most one of them has a profile, and EINVALID
	// otherwise. EINVALID when redeemer already is the code's account.
	// It returns the joined account.
	LinkAccounts(ctx context.Context, code string, now time.Time, redeemer, keep int64) (Account, error)
	// FindAccount returns the account of an identity without creating
	// one; ENOTFOUND if none.
	FindAccount(ctx context.Context, id Identity) (Account, error)
	// UnlinkIdentity moves an identity out of its account into a new
	// account of its own (no profile, no records) and returns the new
	// account. ENOTFOUND if the identity is unknown; EINVALID when it is
	// its account's only identity.
	UnlinkIdentity(ctx context.Context, id Identity, name string) (Account, error)
}

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
func (t *turn) link(ctx context.Context, args string) ([]Reply, error) {
	f := strings.Fields(args)
	now := t.b.now()
	if len(f) == 0 {
		var code string
		for attempt := 0; ; attempt++ {
			code = newLinkCode()
			err := t.b.store.CreateLinkCode(ctx, LinkCode{Code: code, AccountID: t.acct.ID, ExpiresAt: now.Add(LinkCodeTTL)})
			if err == nil {
				break
			}
			if ErrorCode(err) != ECONFLICT || attempt == 3 {
				return nil, err
			}
		}
		return []Reply{{Private: true, Text: fmt.Sprintf("Your link code is %s. Within 10 minutes, on your other platform, "+
			"say /link %s to make both one account with one profile. It works once; don't share it.", code, code)}}, nil
	}
	if len(f) != 1 && !(len(f) == 3 && strings.EqualFold(f[1], "keep")) {
		return nil, Errorf(EINVALID, "Say /link to get a code, then /link <code> on your other platform.")
	}
	c, err := t.b.store.LinkCode(ctx, f[0], now)
	if err != nil {
		return nil, err
	}
	if c.AccountID == t.acct.ID {
		return nil, Errorf(EINVALID, "That code is for this very account: type it on your other platform.")
	}
	var keep int64
	if len(f) == 3 {
		if keep, err = strconv.ParseInt(f[2], 10, 64); err != nil || (keep != c.AccountID && keep != t.acct.ID) {
			return nil, Errorf(EINVALID, "Use the Keep buttons to choose a profile.")
		}
	} else {
		theirs, err1 := t.b.store.Profile(ctx, c.AccountID)
		mine, err2 := t.b.store.Profile(ctx, t.acct.ID)
		for _, err := range []error{err1, err2} {
			if err != nil && ErrorCode(err) != ENOTFOUND {
				return nil, err
			}
		}
		if err1 == nil && err2 == nil {
			return []Reply{{
				Text:  "Both accounts have a profile, and one account keeps one. Which should I keep? The other is deleted.",
				Cards: []Card{profileChoice("Profile A (the account that made the code)", theirs), profileChoice("Profile B (this account)", mine)},
				Buttons: []Button{
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
	if jobs, err := t.b.store.Jobs(ctx, JobFilter{OwnerID: joined.ID, Status: JobOpen}); err == nil {
		for _, j := range jobs { // moved over: their owner changed
			t.b.index.PutJob(j)
		}
	}
	if err := t.b.trust.refresh(ctx, t.b.store, now, true); err != nil {
		t.b.log.Warn("cannot reload ratings", "err", err)
	}
	names := make([]string, 0, len(joined.Identities))
	for _, id := range joined.Identities {
		names = append(names, platformName(id.Platform))
	}
	return say(fmt.Sprintf("Linked: your accounts on %s are one now, with one profile, one set of jobs and one history. "+
		"/unlink separates this one again.", strings.Join(names, ", "))), nil
}

func profileChoice(title string, p Profile) Card {
	return Card{Title: title, Fields: []Field{{Label: p.Name, Value: p.Headline}, {Label: "Skills", Value: strings.Join(p.Skills, ", ")}, {Label: "Status", Value: p.Status}}}
}

// unlink handles /unlink: the identity this is written from leaves the
// account and starts one of its own; the profile and the history stay
// with the other identities.
func (t *turn) unlink(ctx context.Context) ([]Reply, error) {
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
		"/link joins them again.", platformName(t.ev.From.Platform))), nil
}
