package bot

import (
	"context"
	"time"
)

// Hidden is a rule that keeps a person out of a workspace's sight.
type Hidden struct {
	Scope     Scope     `json:"scope"`
	CreatedAt time.Time `json:"created_at"`
}

// PrivacyStore keeps who a person hides from.
type PrivacyStore interface {
	// HideFrom keeps accountID out of scope's sight (Platform "" means
	// that workspace ID on any platform). Hiding twice is not an error.
	// ENOTFOUND if the account does not exist; EINVALID for an empty
	// workspace.
	HideFrom(ctx context.Context, accountID int64, scope Scope) error
	// ShowTo removes a rule; ENOTFOUND when there was none.
	ShowTo(ctx context.Context, accountID int64, scope Scope) error
	// ShowToEveryone removes every rule of the account.
	ShowToEveryone(ctx context.Context, accountID int64) error
	// HiddenScopes returns an account's rules, oldest first.
	HiddenScopes(ctx context.Context, accountID int64) ([]Hidden, error)
	// HiddenFrom returns the accounts that hide from viewer: rules for
	// its platform and workspace, and rules for its workspace on any
	// platform. A viewer with an empty workspace sees everyone.
	HiddenFrom(ctx context.Context, viewer Scope) ([]int64, error)
}
