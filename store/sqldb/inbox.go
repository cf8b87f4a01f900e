package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// The inbox lives in the database of the data its events change, not in a
// Redis Stream: one machine without Redis gets it too, a recorded event is
// as durable as a profile (SQLite's WAL, PostgreSQL's commit), and a
// restart forgets neither the events in hand nor the ones already handled.

var _ bot.Inbox = (*DB)(nil)

// inboxNow is the inbox clock, in Unix milliseconds.
func (db *DB) inboxNow() int64 { return db.now().UnixMilli() }

// Record stores an event leased to owner, or finds it stored (bot.Inbox).
func (db *DB) Record(ctx context.Context, e bot.InboxEntry, owner string, ttl time.Duration) (bot.InboxState, error) {
	body, err := json.Marshal(e.Event)
	if err != nil {
		return 0, internal("encode event", err)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	now := db.inboxNow()
	var seq, lease, done int64
	err = tx.QueryRowContext(ctx, `SELECT seq, lease_ms, done_ms FROM inbox WHERE event_id = ?`+tx.forUpdate(), e.ID).
		Scan(&seq, &lease, &done)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return db.recordNew(ctx, tx, e, body, owner, now, now+ttl.Milliseconds())
	case err != nil:
		return 0, internal("find event", err)
	case done > 0 || lease > now:
		return bot.InboxSeen, nil
	}
	// Recorded before, and its worker stopped: this delivery takes it over,
	// unless an earlier event of the person still waits.
	if waiting, err := earlierOpen(ctx, tx, e.Conversation, seq); err != nil || waiting {
		return bot.InboxQueued, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE inbox SET owner = ?, lease_ms = ?, attempts = attempts + 1 WHERE seq = ?`,
		owner, now+ttl.Milliseconds(), seq); err != nil {
		return 0, internal("lease event", err)
	}
	return bot.InboxLeased, commit(tx)
}

func (db *DB) recordNew(ctx context.Context, tx *Tx, e bot.InboxEntry, body []byte, owner string, now, until int64) (bot.InboxState, error) {
	waiting, err := earlierOpen(ctx, tx, e.Conversation, 0)
	if err != nil {
		return 0, err
	}
	state, attempts := bot.InboxLeased, 1
	if waiting {
		state, owner, until, attempts = bot.InboxQueued, "", 0, 0
	}
	var seq int64
	err = tx.QueryRowContext(ctx, `INSERT INTO inbox (event_id, conversation, event, owner, lease_ms, attempts, received_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING RETURNING seq`,
		e.ID, e.Conversation, string(body), owner, until, attempts, now).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		// Recorded at this moment by another replica, which holds it.
		return bot.InboxSeen, nil
	}
	if err != nil {
		return 0, internal("record event", err)
	}
	return state, commit(tx)
}

// earlierOpen reports whether conversation has an event not done yet that
// was recorded before seq (before any, when seq is 0).
func earlierOpen(ctx context.Context, tx *Tx, conversation string, seq int64) (bool, error) {
	q := `SELECT 1 FROM inbox WHERE conversation = ? AND done_ms = 0 LIMIT 1`
	args := []any{conversation}
	if seq > 0 {
		q = `SELECT 1 FROM inbox WHERE conversation = ? AND done_ms = 0 AND seq < ? LIMIT 1`
		args = append(args, seq)
	}
	var one int
	err := tx.QueryRowContext(ctx, q, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, internal("find earlier events", err)
	}
	return true, nil
}

// Take leases the next event whose lease ran out and whose turn has come
// (bot.Inbox).
func (db *DB) Take(ctx context.Context, owner string, ttl time.Duration) (bot.InboxEntry, bool, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.InboxEntry{}, false, err
	}
	defer tx.Rollback()
	now := db.inboxNow()
	var (
		e    bot.InboxEntry
		seq  int64
		body string
	)
	err = tx.QueryRowContext(ctx, `SELECT seq, event_id, conversation, event, attempts FROM inbox i
		WHERE done_ms = 0 AND lease_ms <= ?
		AND NOT EXISTS (SELECT 1 FROM inbox p WHERE p.conversation = i.conversation AND p.done_ms = 0 AND p.seq < i.seq)
		ORDER BY seq LIMIT 1`+tx.lock(` FOR UPDATE SKIP LOCKED`), now).Scan(&seq, &e.ID, &e.Conversation, &body, &e.Attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.InboxEntry{}, false, nil
	}
	if err != nil {
		return bot.InboxEntry{}, false, internal("take event", err)
	}
	if err := json.Unmarshal([]byte(body), &e.Event); err != nil {
		return bot.InboxEntry{}, false, internal("decode event "+e.ID, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE inbox SET owner = ?, lease_ms = ?, attempts = attempts + 1 WHERE seq = ?`,
		owner, now+ttl.Milliseconds(), seq); err != nil {
		return bot.InboxEntry{}, false, internal("lease event", err)
	}
	e.Attempts++
	return e, true, commit(tx)
}

// Renew extends owner's lease (bot.Inbox).
func (db *DB) Renew(ctx context.Context, id, owner string, ttl time.Duration) error {
	return db.inboxUpdate(ctx, "renew lease", `UPDATE inbox SET lease_ms = ? WHERE event_id = ? AND owner = ? AND done_ms = 0`,
		db.inboxNow()+ttl.Milliseconds(), id, owner)
}

// Done marks id handled (bot.Inbox).
func (db *DB) Done(ctx context.Context, id, owner string) error {
	now := db.inboxNow()
	err := db.inboxUpdate(ctx, "mark event done", `UPDATE inbox SET done_ms = ?, owner = '', lease_ms = 0
		WHERE event_id = ? AND owner = ? AND done_ms = 0`, now, id, owner)
	if !errors.Is(err, bot.ErrLeaseLost) {
		return err
	}
	if uerr := db.inboxUpdate(ctx, "mark event done", `UPDATE inbox SET done_ms = ? WHERE event_id = ? AND done_ms = 0`,
		now, id); uerr != nil && !errors.Is(uerr, bot.ErrLeaseLost) {
		return uerr
	}
	return err
}

// Release frees owner's lease from at (bot.Inbox).
func (db *DB) Release(ctx context.Context, id, owner string, at time.Time) error {
	var from int64
	if !at.IsZero() {
		from = at.UnixMilli()
	}
	return db.inboxUpdate(ctx, "release event", `UPDATE inbox SET owner = '', lease_ms = ? WHERE event_id = ? AND owner = ? AND done_ms = 0`,
		from, id, owner)
}

// Forget drops an event owner holds (bot.Inbox).
func (db *DB) Forget(ctx context.Context, id, owner string) error {
	return db.inboxUpdate(ctx, "forget event", `DELETE FROM inbox WHERE event_id = ? AND owner = ? AND done_ms = 0`, id, owner)
}

// Purge drops events done before t (bot.Inbox).
func (db *DB) Purge(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.write.ExecContext(ctx, db.d.Rebind(`DELETE FROM inbox WHERE done_ms > 0 AND done_ms < ?`), before.UnixMilli())
	if err != nil {
		return 0, internal("purge inbox", classify(db.d, err))
	}
	return res.RowsAffected()
}

// inboxUpdate runs one statement on its own; bot.ErrLeaseLost when it
// changed no row.
func (db *DB) inboxUpdate(ctx context.Context, op, query string, args ...any) error {
	res, err := db.write.ExecContext(ctx, db.d.Rebind(query), args...)
	if err != nil {
		return internal(op, classify(db.d, err))
	}
	if n, err := res.RowsAffected(); err != nil {
		return internal(op, err)
	} else if n == 0 {
		return bot.ErrLeaseLost
	}
	return nil
}
