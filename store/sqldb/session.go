package sqldb

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"database/sql"

	"github.com/hirebot/hirebot/conversation"
)

// SessionStore keeps dialog sessions in the database, so a person can
// leave and come back to the same step on any replica, with no Redis.
type SessionStore struct {
	db  *DB
	ttl time.Duration
}

var _ conversation.SessionStore = (*SessionStore)(nil)

// Sessions returns the session store of db; each save keeps a session for
// ttl (24 hours when ttl <= 0).
func (db *DB) Sessions(ttl time.Duration) *SessionStore {
	if ttl <= 0 {
		ttl = 24 * time.Hour
	}
	return &SessionStore{db: db, ttl: ttl}
}

// Load returns the session stored under key with its Version set;
// parse.ErrNoSession when there is none or it has expired.
func (s *SessionStore) Load(ctx context.Context, key string) (conversation.Session, error) {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return conversation.Session{}, err
	}
	defer tx.Rollback()

	var (
		version int64
		data    string
	)
	err = tx.QueryRowContext(ctx, `SELECT version, data FROM sessions WHERE key = ? AND expires_at > ?`,
		key, tx.d.Time(s.db.stamp())).Scan(&version, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return conversation.Session{}, conversation.ErrNoSession
	}
	if err != nil {
		return conversation.Session{}, internal("load session", err)
	}
	var sess conversation.Session
	if err := json.Unmarshal([]byte(data), &sess); err != nil {
		return conversation.Session{}, internal("decode session", err)
	}
	sess.Key, sess.Version = key, version
	return sess, nil
}

// Save stores sess if the stored version still equals sess.Version (0 for
// "nothing stored"; an expired or deleted row counts as nothing) and
// returns the new version; parse.ErrConflict, storing nothing,
// otherwise. Versions come from one sequence, so a version handed out
// once is never handed out again: not after expiry, Delete or
// PurgeExpired.
//
// The compare and the set are one UPDATE (PostgreSQL re-checks its WHERE
// on the locked row when a replica saved first) or, for a key never
// stored, one INSERT that does nothing if a replica inserted first. The
// dialect supplies the versions (NextSessionVersion).
func (s *SessionStore) Save(ctx context.Context, sess conversation.Session) (int64, error) {
	data, err := json.Marshal(sess)
	if err != nil {
		return 0, internal("encode session", err)
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()

	now := s.db.stamp()
	expires := now.Add(s.ttl)
	next, err := s.db.d.NextSessionVersion(ctx, tx)
	if err != nil {
		return 0, internal("next session version", err)
	}
	var saved int64
	err = tx.QueryRowContext(ctx, `UPDATE sessions SET version = ?, data = ?, expires_at = ?
		WHERE key = ? AND (CASE WHEN expires_at > ? THEN version ELSE 0 END) = ?
		RETURNING version`, next, string(data), tx.d.Time(expires), sess.Key, tx.d.Time(now), sess.Version).Scan(&saved)
	if errors.Is(err, sql.ErrNoRows) && sess.Version == 0 {
		err = tx.QueryRowContext(ctx, `INSERT INTO sessions (key, version, data, expires_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (key) DO NOTHING RETURNING version`, sess.Key, next, string(data), tx.d.Time(expires)).Scan(&saved)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return 0, conversation.ErrConflict
	}
	if err != nil {
		return 0, internal("save session", err)
	}
	if err := commit(tx); err != nil {
		return 0, err
	}
	return next, nil
}

// Delete removes the session under key; a missing session is not an error.
// The row stays behind, empty and expired, so the key's next session
// continues its versions and a stale save from before the delete conflicts.
func (s *SessionStore) Delete(ctx context.Context, key string) error {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET data = '', expires_at = ? WHERE key = ?`, tx.d.Time(time.Time{}), key); err != nil {
		return internal("delete session", err)
	}
	return commit(tx)
}

// PurgeExpired deletes expired sessions and returns how many; Load already
// ignores them, this only reclaims space.
func (s *SessionStore) PurgeExpired(ctx context.Context) (int64, error) {
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, tx.d.Time(s.db.stamp()))
	if err != nil {
		return 0, internal("purge sessions", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, internal("purge sessions", err)
	}
	return n, commit(tx)
}
