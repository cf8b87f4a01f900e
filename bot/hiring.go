package bot

import (
	"context"
	"time"
)

// Invite states.
const (
	InviteSent      = "sent"
	InviteAccepted  = "accepted"
	InviteDeclined  = "declined"
	InviteCountered = "countered"
	InviteExpired   = "expired"
)

// Invite is an employer's request that a freelancer take a job.
type Invite struct {
	ID           int64  `json:"id"`
	JobID        int64  `json:"job_id"`
	FreelancerID int64  `json:"freelancer_id"`
	EmployerID   int64  `json:"employer_id"`
	State        string `json:"state"`
	// Terms are what the employer offers; Counter what a counter offer
	// proposes instead. Once a counter is accepted, its terms are agreed.
	Terms   Terms `json:"terms"`
	Counter Terms `json:"counter"`
	// ExpiresAt is when an unanswered invite expires; Reminded is set once
	// the halfway reminder went out.
	ExpiresAt time.Time `json:"expires_at"`
	Reminded  bool      `json:"reminded"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Terms are the conditions an invite offers or a counter offer proposes,
// the way a marketplace offer carries them. Each may be left out.
type Terms struct {
	// Rate is a canonical parse.Rate: "50 USD/hour" or, for a fixed
	// price, "2000 USD/project".
	Rate  string    `json:"rate,omitempty"`
	Hours int       `json:"hours,omitempty"` // a week
	Start time.Time `json:"start,omitzero"`  // a date at midnight UTC
	Note  string    `json:"note,omitempty"`
}

// Empty reports whether no term is set.
func (t Terms) Empty() bool { return t.Equal(Terms{}) }

// Open reports whether the invite still waits for an answer.
func (i Invite) Open() bool { return i.State == InviteSent || i.State == InviteCountered }

// Application states.
const (
	ApplicationApplied     = "applied"
	ApplicationShortlisted = "shortlisted"
	ApplicationDeclined    = "declined"
	ApplicationInvited     = "invited"
)

// Application is a freelancer's offer to take an open job.
type Application struct {
	ID           int64     `json:"id"`
	JobID        int64     `json:"job_id"`
	FreelancerID int64     `json:"freelancer_id"`
	Note         string    `json:"note"`
	State        string    `json:"state"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Milestone is one item of an engagement's checklist.
type Milestone struct {
	Title string `json:"title"`
	Done  bool   `json:"done"`
}

// Engagement is the work that follows an accepted invite, optionally a
// paid trial, with a short checklist either side may tick off.
type Engagement struct {
	ID           int64       `json:"id"`
	JobID        int64       `json:"job_id"`
	InviteID     int64       `json:"invite_id"`
	FreelancerID int64       `json:"freelancer_id"`
	EmployerID   int64       `json:"employer_id"`
	Trial        bool        `json:"trial"`
	Milestones   []Milestone `json:"milestones"`
	CreatedAt    time.Time   `json:"created_at"`
	UpdatedAt    time.Time   `json:"updated_at"`
}

// Relay states.
const (
	RelayOpen  = "open"
	RelayEnded = "ended"
)

// Relay carries free text between two people who cannot write to each
// other directly (different platforms or workspaces, or the terminal).
type Relay struct {
	ID        int64
	AID, BID  int64 // the two accounts
	JobID     int64
	State     string
	CreatedAt time.Time
	// ASaidAt and BSaidAt are when each side last wrote through the relay
	// or chose it for their next messages; zero for never.
	ASaidAt, BSaidAt time.Time
}

// SaidAt is when id last wrote through the relay.
func (r Relay) SaidAt(id int64) time.Time {
	if r.AID == id {
		return r.ASaidAt
	}
	return r.BSaidAt
}

// setSaidAt records that id wrote through the relay at t.
func (r *Relay) SetSaidAt(id int64, t time.Time) {
	if r.AID == id {
		r.ASaidAt = t
	} else {
		r.BSaidAt = t
	}
}

// Other returns the account on the other side of the relay from id.
func (r Relay) Other(id int64) int64 {
	if r.AID == id {
		return r.BID
	}
	return r.AID
}

// Effects is what a state change causes, committed in its transaction.
type Effects struct {
	// Notify is enqueued in the outbox.
	Notify []Notification
	// Relay, when set, is opened (its ID, State and CreatedAt are set by
	// the store).
	Relay *Relay
}

// InviteFilter selects invites. Zero fields match everything.
type InviteFilter struct {
	JobID        int64
	FreelancerID int64
	EmployerID   int64
	States       []string
	// ExpiresBefore selects invites whose ExpiresAt is before it.
	ExpiresBefore time.Time
}

// HiringStore keeps invites, applications, engagements, relays and the
// outbox. Every method is one transaction. A change function passed to a
// method runs inside the transaction on the current rows: it must do no
// I/O; an error it returns is returned unchanged and nothing is written.
// The conformance suite in store/storetest checks every rule written here.
type HiringStore interface {
	// CreateInvite stores inv in state sent with CreatedAt and UpdatedAt
	// set, and the effects notify returns for the stored invite, in one
	// transaction. ENOTFOUND if the job or an account does not exist;
	// EUNAUTHORIZED unless inv.EmployerID owns the job; EINVALID when the
	// owner invites themself; ECONFLICT when the job is not open or the
	// freelancer already has an open (sent or countered) invite to it.
	CreateInvite(ctx context.Context, inv Invite, notify func(Invite, Job) Effects) (Invite, error)
	// Invite returns an invite; ENOTFOUND if none.
	Invite(ctx context.Context, id int64) (Invite, error)
	// Invites returns the invites matching f, oldest first.
	Invites(ctx context.Context, f InviteFilter) ([]Invite, error)
	// UpdateInvite reads the invite and its job under the write lock and
	// calls change, which may modify State, Counter, ExpiresAt and
	// Reminded (the offered Terms are kept as created); the store sets UpdatedAt, writes the invite
	// and commits the effects. An unknown state is EINVALID; ENOTFOUND if
	// there is no such invite.
	UpdateInvite(ctx context.Context, id int64, change func(*Invite, Job) (Effects, error)) (Invite, error)

	// CreateApplication stores a in state applied and the effects notify
	// returns. ENOTFOUND if the job or the account does not exist;
	// EINVALID when the owner applies to their own job; ECONFLICT when the
	// job is not open or the freelancer already applied to it.
	CreateApplication(ctx context.Context, a Application, notify func(Application, Job) Effects) (Application, error)
	// Application returns an application; ENOTFOUND if none.
	Application(ctx context.Context, id int64) (Application, error)
	// Applications returns the applications to a job, oldest first.
	Applications(ctx context.Context, jobID int64) ([]Application, error)
	// UpdateApplication is UpdateInvite for applications: change may
	// modify State. EINVALID for an unknown state; ENOTFOUND if none.
	UpdateApplication(ctx context.Context, id int64, change func(*Application, Job) (Effects, error)) (Application, error)

	// FinishJob moves an open job to status (filled, closed or expired),
	// expires its open invites and commits the effects notify returns
	// given the job (with its new status) and its applications and
	// invites as they were before. ECONFLICT when the job is not open, so
	// its people hear the outcome once; EINVALID for another status;
	// ENOTFOUND if there is no such job.
	FinishJob(ctx context.Context, jobID int64, status string, notify func(Job, []Application, []Invite) Effects) (Job, error)

	// CreateEngagement stores e for an accepted invite (JobID,
	// FreelancerID and EmployerID are taken from the invite) and the
	// effects notify returns. ENOTFOUND if the invite does not exist;
	// ECONFLICT when it is not accepted or already has an engagement.
	CreateEngagement(ctx context.Context, e Engagement, notify func(Engagement) Effects) (Engagement, error)
	// Engagement returns an engagement; ENOTFOUND if none.
	Engagement(ctx context.Context, id int64) (Engagement, error)
	// UpdateEngagement is UpdateInvite for engagements: change may modify
	// Milestones and Trial. ENOTFOUND if none.
	UpdateEngagement(ctx context.Context, id int64, change func(*Engagement) (Effects, error)) (Engagement, error)

	// OpenRelays returns the open relays an account is part of, newest
	// first.
	OpenRelays(ctx context.Context, accountID int64) ([]Relay, error)
	// UpdateRelay is UpdateInvite for relays: change may modify State,
	// ASaidAt and BSaidAt.
	// ENOTFOUND if none; EINVALID for an unknown state.
	UpdateRelay(ctx context.Context, id int64, change func(*Relay) (Effects, error)) (Relay, error)

	OutboxStore
}
