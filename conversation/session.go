package conversation

import (
	"context"
	"errors"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/parse"
)

// Session is the position of one person in one dialog and the answers so far.
// It holds nothing durable: when a flow completes, its answers are written to
// the durable store and the session is deleted.
type Session struct {
	// Key identifies whose dialog this is (for example "acct:42"). Set by the
	// caller, kept by the store.
	Key string `json:"key"`
	// Version is the store's compare-and-set token: 0 for a session that has
	// never been saved. The store sets it; callers pass back what they loaded.
	Version int64 `json:"-"`

	Flow    string            `json:"flow"`
	Step    string            `json:"step"`
	Answers map[string]string `json:"answers,omitempty"`
	// History is the stack of steps answered, for "back".
	History []string `json:"history,omitempty"`
	// Pending holds suggestions a parser offered for the current step
	// ("did you mean Go?"); the next input may pick one of them.
	Pending []parse.Choice `json:"pending,omitempty"`
	// Editing means the current step was chosen from the summary: once it is
	// answered the dialog returns to the summary.
	Editing bool `json:"editing,omitempty"`
	// Ref is an identifier chosen when the flow starts. Completing the flow
	// twice with the same Ref must have one effect (it is the idempotency
	// key of the record the flow creates), and a flow that edits an existing
	// record keeps that record's ID here.
	Ref     string    `json:"ref,omitempty"`
	Started time.Time `json:"started"`
}

// Active reports whether the session is inside a flow.
func (s Session) Active() bool { return s.Flow != "" }

// Errors returned by a SessionStore.
var (
	// ErrNoSession is returned by Load when nothing is stored under the key
	// (never saved, deleted, or expired).
	ErrNoSession = errors.New("conversation: no session")
	// ErrConflict is returned by Save when the stored version is not the
	// version the caller loaded: someone else saved in between.
	ErrConflict = errors.New("conversation: session changed concurrently")
)

// SessionStore keeps sessions between messages. Implementations: store/redis
// (shared by replicas), store/sqlite (one machine, survives restarts) and
// store/memory (one process, tests). The conformance suite in store/storetest
// checks every rule written here.
type SessionStore interface {
	// Load returns the session stored under key with its Version set.
	// It returns ErrNoSession when there is none or it has expired.
	Load(ctx context.Context, key string) (Session, error)
	// Save stores s under s.Key if the stored version still equals
	// s.Version (0 meaning "nothing stored"), and returns the new version,
	// which is always greater than the old one. It returns ErrConflict,
	// storing nothing, when the versions differ. Each save renews the
	// session's time to live. A version handed out once is never handed
	// out again for the same key, even after Delete, so a replica holding
	// a session from before a delete cannot overwrite the next one.
	Save(ctx context.Context, s Session) (int64, error)
	// Delete removes the session under key. Deleting a missing session is
	// not an error.
	Delete(ctx context.Context, key string) error
}

// SessionClaimer is an optional ability of a Deduper that keeps dialog
// sessions on the same server (Redis): the claim of an event travels with
// the load of the session the event steps, and the save of that session
// carries the event's Done, so a dialog message costs two round trips
// instead of four.
type SessionClaimer interface {
	bot.Deduper
	// ClaimLoad is Claim(eventID) and the session store's Load(key) in one
	// round trip. err is the claim's (nothing was claimed); loadErr is the
	// load's, parse.ErrNoSession when there is no session. When
	// first is false the session is not meaningful.
	ClaimLoad(ctx context.Context, eventID, key string) (first bool, sess Session, loadErr, err error)
	// SaveDone is the session store's Save and Done(eventID) in one round
	// trip. done reports that the save succeeded and the event is marked;
	// otherwise the caller still calls Done or Release at the end (the mark
	// may hold even when the save returns parse.ErrConflict).
	SaveDone(ctx context.Context, sess Session, eventID string) (version int64, done bool, err error)
	// Shares reports whether s is the session store ClaimLoad reads and
	// SaveDone writes.
	Shares(s SessionStore) bool
}
