package bot

import (
	"context"
	"time"
)

// Notification states.
const (
	// NotePending waits for delivery at NextAt.
	NotePending = "pending"
	// NoteHeld waits for its person to come back (the terminal cannot
	// reach someone who is not at it); it is taken by a claim for that
	// account only.
	NoteHeld = "held"
	// NoteSent was delivered.
	NoteSent = "sent"
	// NoteRefused was refused by the platform (the person blocked the bot
	// or never opened a DM with it); its sender was told.
	NoteRefused = "refused"
	// NoteFailed can never be delivered (the person has no identity left).
	NoteFailed = "failed"
)

// Notification is one message in the durable outbox, addressed to an
// account and delivered to that account's identity on its platform.
type Notification struct {
	ID int64 `json:"id"`
	// AccountID is who it is for.
	AccountID int64 `json:"account_id"`
	// To is where it goes. Left empty, the store fills it in at enqueue
	// time from the account's first identity (the adapter opens a DM).
	To    Recipient `json:"to"`
	Reply Reply     `json:"reply"`
	// SenderID is whom to tell when the platform refuses delivery (0:
	// nobody); InviteID is the invite the notification offers, so the
	// sender can be given a link that opens it instead.
	SenderID int64 `json:"sender_id,omitempty"`
	InviteID int64 `json:"invite_id,omitempty"`

	State     string    `json:"state"`
	Attempts  int       `json:"attempts"` // claims so far
	NextAt    time.Time `json:"next_at"`
	Claim     string    `json:"-"` // token of the current claim
	LastError string    `json:"last_error,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// ClaimRequest says which notifications to claim.
type ClaimRequest struct {
	Now time.Time
	// Lease is how long the claim keeps others off: a claim not settled
	// within it (the process died mid-delivery) lapses, and the
	// notification is claimed and delivered again.
	Lease time.Duration
	// Platforms limits the claim to recipients on these platforms; nil
	// means every platform.
	Platforms []string
	// AccountID, when set, claims that account's pending and held
	// notifications whatever their NextAt (the person is here now).
	// Otherwise only pending notifications due at Now are claimed.
	AccountID int64
	Limit     int
}

// Settlement is the outcome of one delivery attempt.
type Settlement struct {
	// State is NoteSent, NotePending (try again at NextAt), NoteHeld,
	// NoteRefused or NoteFailed.
	State     string
	NextAt    time.Time
	LastError string
	// Notify is enqueued in the same transaction (telling a sender that
	// delivery was refused).
	Notify []Notification
}

// OutboxStore is the durable outbox. Notifications are delivered at least
// once and, as long as each claim is settled within its lease, exactly
// once.
type OutboxStore interface {
	// Enqueue stores notifications in state pending, due now. ENOTFOUND
	// when an account without To has no identity (or does not exist).
	Enqueue(ctx context.Context, ns []Notification) error
	// Claim takes up to r.Limit notifications (oldest first) that are not
	// under an unexpired claim, counts an attempt on each and stamps them
	// with a fresh claim token until r.Now + r.Lease. A notification is
	// never returned by two claims whose leases overlap.
	Claim(ctx context.Context, r ClaimRequest) ([]Notification, error)
	// Waiting reports whether Claim(r) would take anything now, and
	// claims nothing. It is a read on an index, cheap enough to ask every
	// second for a person with a chat open.
	Waiting(ctx context.Context, r ClaimRequest) (bool, error)
	// Settle records the outcome of a delivery and ends the claim.
	// ECONFLICT when claim is not the notification's current claim (it
	// lapsed and was taken again) or the notification is already settled
	// as sent, refused or failed; ENOTFOUND if none; EINVALID for an
	// unknown state.
	Settle(ctx context.Context, id int64, claim string, s Settlement) error
}
