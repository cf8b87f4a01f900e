package bot

import "context"

// JobFilter selects jobs. Zero fields match everything.
type JobFilter struct {
	OwnerID int64
	Status  string
}

// TextQuery is the free-text part of a search: every term and every phrase
// must match (AND). Terms and phrases are user text; a store escapes them
// for its engine's query syntax.
type TextQuery struct {
	Terms   []string
	Phrases []string
	// AnyOf narrows the match: of each group, at least one term must match
	// too. It never makes a query match on its own.
	AnyOf [][]string
}

// Store keeps durable data. Implementations: store/sqlite, store/postgres.
// Every method is one transaction. Times are stored in UTC to the
// microsecond; dates (available_from, deadline) are reduced to the day.
// An unknown status is EINVALID. The conformance suite in store/storetest
// checks every rule written here.
type Store interface {
	BoardStore

	HiringStore    // invites, applications, engagements, relays, outbox: hiring.go
	RetentionStore // reviews, pools, check-ins, alerts, links, privacy: retention.go
	// ResolveAccount returns the account of an identity, creating the
	// account (named name) on first sight. It never returns ENOTFOUND.
	ResolveAccount(ctx context.Context, id Identity, name string) (Account, error)
	// Account returns an account with its identities; ENOTFOUND if none.
	Account(ctx context.Context, id int64) (Account, error)

	// Profile returns the profile of an account; ENOTFOUND if none.
	Profile(ctx context.Context, accountID int64) (Profile, error)
	// SaveProfile creates or replaces the profile of p.AccountID and sets
	// UpdatedAt. An empty Status means draft. ENOTFOUND if the account does
	// not exist.
	SaveProfile(ctx context.Context, p Profile) (Profile, error)
	// SetProfileStatus changes a profile's status and UpdatedAt; ENOTFOUND
	// if none.
	SetProfileStatus(ctx context.Context, accountID int64, status string) error
	// Profiles calls fn for every profile with one of the statuses (all
	// profiles when none are given), in account ID order, and stops at
	// fn's first error, returning it.
	Profiles(ctx context.Context, fn func(Profile) error, statuses ...string) error
	// SearchProfiles returns the account IDs of published profiles whose
	// skills, headline or bio match q, best match first, at most limit.
	// A query with no terms and no phrases matches nothing. User text
	// never causes a syntax error.
	SearchProfiles(ctx context.Context, q TextQuery, limit int) ([]int64, error)

	// CreateJob stores a new open job and returns it with ID and CreatedAt
	// set. When a job with the same non-empty Key exists, it returns that
	// job unchanged instead (so a retried confirmation creates one job).
	// ENOTFOUND if the owner does not exist.
	CreateJob(ctx context.Context, j Job) (Job, error)
	// Job returns a job; ENOTFOUND if none.
	Job(ctx context.Context, id int64) (Job, error)
	// Jobs returns the jobs matching f, newest first.
	Jobs(ctx context.Context, f JobFilter) ([]Job, error)
	// SetJobStatus changes a job's status; ENOTFOUND if none.
	SetJobStatus(ctx context.Context, id int64, status string) error

	// DeleteAccount erases an account, its identities, its profile and its
	// jobs. ENOTFOUND if none.
	DeleteAccount(ctx context.Context, id int64) error
	// Accounts calls fn for every account in ID order (for export), and
	// stops at fn's first error, returning it.
	Accounts(ctx context.Context, fn func(Account) error) error
}
