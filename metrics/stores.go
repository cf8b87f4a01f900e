package metrics

import (
	"context"
	"errors"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
)

// failed reports whether err is a failure of the store rather than one of
// its ordinary answers (no session, a version conflict, not found, a
// refused or invalid request).
func failed(err error) bool {
	if err == nil || errors.Is(err, conversation.ErrNoSession) || errors.Is(err, conversation.ErrConflict) || errors.Is(err, bot.ErrLeaseLost) {
		return false
	}
	switch bot.ErrorCode(err) {
	case bot.ENOTFOUND, bot.ECONFLICT, bot.EINVALID, bot.EUNAUTHORIZED, bot.EREFUSED:
		return false
	}
	return true
}

func (m *Metrics) count(store, op string, err error) {
	if failed(err) {
		m.storeError(store, op)
	}
}

// Sessions counts the failures of a parse.SessionStore.
func (m *Metrics) Sessions(s conversation.SessionStore) conversation.SessionStore {
	return sessions{s, m}
}

// unwrapSessions is the store under a sessions wrapper.
func unwrapSessions(s conversation.SessionStore) conversation.SessionStore {
	if w, ok := s.(sessions); ok {
		return w.next
	}
	return s
}

type sessions struct {
	next conversation.SessionStore
	m    *Metrics
}

func (s sessions) Load(ctx context.Context, key string) (conversation.Session, error) {
	v, err := s.next.Load(ctx, key)
	s.m.count("sessions", "load", err)
	return v, err
}

func (s sessions) Save(ctx context.Context, sess conversation.Session) (int64, error) {
	v, err := s.next.Save(ctx, sess)
	s.m.count("sessions", "save", err)
	return v, err
}

func (s sessions) Delete(ctx context.Context, key string) error {
	err := s.next.Delete(ctx, key)
	s.m.count("sessions", "delete", err)
	return err
}

// Deduper counts the failures of a bot.Deduper. A conversation.SessionClaimer
// stays one, sharing the sessions it shared before they were wrapped.
func (m *Metrics) Deduper(d bot.Deduper) bot.Deduper {
	if sc, ok := d.(conversation.SessionClaimer); ok {
		return claimer{deduper{d, m}, sc}
	}
	return deduper{d, m}
}

type deduper struct {
	next bot.Deduper
	m    *Metrics
}

func (d deduper) Claim(ctx context.Context, id string) (bool, error) {
	first, err := d.next.Claim(ctx, id)
	d.m.count("dedupe", "claim", err)
	return first, err
}

func (d deduper) Done(ctx context.Context, id string) error {
	err := d.next.Done(ctx, id)
	d.m.count("dedupe", "done", err)
	return err
}

func (d deduper) Release(ctx context.Context, id string) error {
	err := d.next.Release(ctx, id)
	d.m.count("dedupe", "release", err)
	return err
}

type claimer struct {
	deduper
	sc conversation.SessionClaimer
}

func (c claimer) ClaimLoad(ctx context.Context, eventID, key string) (bool, conversation.Session, error, error) {
	first, sess, loadErr, err := c.sc.ClaimLoad(ctx, eventID, key)
	c.m.count("dedupe", "claim", err)
	c.m.count("sessions", "load", loadErr)
	return first, sess, loadErr, err
}

func (c claimer) SaveDone(ctx context.Context, sess conversation.Session, eventID string) (int64, bool, error) {
	v, done, err := c.sc.SaveDone(ctx, sess, eventID)
	c.m.count("sessions", "save", err)
	return v, done, err
}

func (c claimer) Shares(s conversation.SessionStore) bool { return c.sc.Shares(unwrapSessions(s)) }

// Store counts the failures of the calls every event and every delivery
// makes to the SQL store: resolving the account, and the outbox's enqueue,
// claim and settle. Its other methods pass through uncounted.
func (m *Metrics) Store(s bot.Store) bot.Store { return store{s, m} }

type store struct {
	bot.Store
	m *Metrics
}

func (s store) ResolveAccount(ctx context.Context, id bot.Identity, name string) (bot.Account, error) {
	a, err := s.Store.ResolveAccount(ctx, id, name)
	s.m.count("sql", "resolve_account", err)
	return a, err
}

func (s store) Enqueue(ctx context.Context, ns []bot.Notification) error {
	err := s.Store.Enqueue(ctx, ns)
	s.m.count("sql", "outbox_enqueue", err)
	return err
}

func (s store) Claim(ctx context.Context, r bot.ClaimRequest) ([]bot.Notification, error) {
	ns, err := s.Store.Claim(ctx, r)
	s.m.count("sql", "outbox_claim", err)
	return ns, err
}

func (s store) Settle(ctx context.Context, id int64, claim string, st bot.Settlement) error {
	err := s.Store.Settle(ctx, id, claim, st)
	s.m.count("sql", "outbox_settle", err)
	return err
}
