package bot

import (
	"context"
	"time"
)

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
