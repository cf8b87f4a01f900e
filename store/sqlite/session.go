package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/hirebot/hirebot/conversation"
)

// SessionStore keeps dialog sessions in the database file, so a person can
// leave and come back to the same step after a restart, with no Redis.
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
// conversation.ErrNoSession when there is none or it has expired.
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
		key, formatTime(s.db.stamp())).Scan(&version, &data)
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
// "nothing stored"; an expired row counts as nothing) and returns the new
// version; conversation.ErrConflict, storing nothing, otherwise. The new
// version continues from the stored row even when it has expired, so a
// version handed out before the expiry is never handed out again.
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
	var (
		stored  int64
		expires string
	)
	err = tx.QueryRowContext(ctx, `SELECT version, expires_at FROM sessions WHERE key = ?`, sess.Key).Scan(&stored, &expires)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return 0, internal("load session", err)
	}
	current := stored
	if expires <= formatTime(now) {
		current = 0 // missing or expired
	}
	if current != sess.Version {
		return 0, conversation.ErrConflict
	}
	next := max(stored, sess.Version) + 1
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (key, version, data, expires_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET version = excluded.version, data = excluded.data, expires_at = excluded.expires_at`,
		sess.Key, next, string(data), formatTime(now.Add(s.ttl))); err != nil {
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
	if _, err := tx.ExecContext(ctx, `UPDATE sessions SET data = '', expires_at = '' WHERE key = ?`, key); err != nil {
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
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, formatTime(s.db.stamp()))
	if err != nil {
		return 0, internal("purge sessions", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, internal("purge sessions", err)
	}
	return n, commit(tx)
}
