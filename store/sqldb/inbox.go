package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// The inbox lives in the database of the data its events change, not in a
// Redis Stream: one machine without Redis gets it too, a recorded event is
// as durable as a profile (SQLite's WAL, PostgreSQL's commit), and a
// restart forgets neither the events in hand nor the ones already handled.

var _ bot.Inbox = (*DB)(nil)

// inboxReserve is how many write connections are kept from handlers for
// the inbox's own work (recording events, renewing leases).
const inboxReserve = 4

// Workers is how many events may be handled at once so that handlers
// never hold every connection the inbox needs (hire.IntakeConfig.Workers):
// the write pool less a reserve, or 0 (no bound) on a single writer
// (SQLite), where handlers take the writer only for their commits.
func (db *DB) Workers() int {
	n := db.write.Stats().MaxOpenConnections
	if n <= 1 {
		return 0
	}
	return max(1, n-inboxReserve)
}

// inboxNow is the inbox clock, in Unix milliseconds.
func (db *DB) inboxNow() int64 { return db.now().UnixMilli() }

// Record stores an event leased to owner, or finds it stored (bot.Inbox).
// A new event costs one statement, which also decides whether it waits
// for an earlier one of its conversation; a known one is read and leased
// in a transaction.
func (db *DB) Record(ctx context.Context, e bot.InboxEntry, owner string, ttl time.Duration) (bot.InboxState, error) {
	body, err := json.Marshal(e.Event)
	if err != nil {
		return 0, internal("encode event", err)
	}
	now := db.inboxNow()
	var got string
	err = db.queryRowOne(ctx, []any{&got}, `INSERT INTO inbox (event_id, conversation, event, owner, lease_ms, attempts, received_ms)
		SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), w.owner, w.lease_ms, w.attempts, CAST(? AS BIGINT) FROM (
			SELECT CAST(? AS TEXT) AS owner, CAST(? AS BIGINT) AS lease_ms, 1 AS attempts
			WHERE NOT EXISTS (SELECT 1 FROM inbox WHERE conversation = ? AND done_ms = 0)
			UNION ALL
			SELECT '', CAST(0 AS BIGINT), 0
			WHERE EXISTS (SELECT 1 FROM inbox WHERE conversation = ? AND done_ms = 0)) w
		WHERE true
		ON CONFLICT (event_id) DO NOTHING RETURNING owner`,
		e.ID, e.Conversation, string(body), now, owner, now+ttl.Milliseconds(), e.Conversation, e.Conversation)
	switch {
	case err == nil && got == "":
		return bot.InboxQueued, nil
	case err == nil:
		return bot.InboxLeased, nil
	case !errors.Is(err, sql.ErrNoRows):
		return 0, internal("record event", err)
	}
	return db.recordAgain(ctx, e, owner, ttl)
}

// recordAgain is Record of an event already in the inbox.
func (db *DB) recordAgain(ctx context.Context, e bot.InboxEntry, owner string, ttl time.Duration) (bot.InboxState, error) {
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
		// Forgotten between the two statements: a fresh start.
		return 0, bot.Unavailable(errors.New("sql store: event forgotten while recorded; deliver it again"))
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

// earlierOpen reports whether conversation has an event not done yet that
// was recorded before seq.
func earlierOpen(ctx context.Context, tx *Tx, conversation string, seq int64) (bool, error) {
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM inbox WHERE conversation = ? AND done_ms = 0 AND seq < ? LIMIT 1`,
		conversation, seq).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, internal("find earlier events", err)
	}
	return true, nil
}

// Take leases the next event whose lease ran out: one handled whose
// replies were not delivered, else one whose turn has come (bot.Inbox).
func (db *DB) Take(ctx context.Context, owner string, ttl time.Duration) (bot.InboxEntry, bool, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.InboxEntry{}, false, err
	}
	defer tx.Rollback()
	now := db.inboxNow()
	var (
		e             bot.InboxEntry
		seq           int64
		body, replies string
	)
	err = tx.QueryRowContext(ctx, `SELECT seq, event_id, conversation, event, attempts, replies FROM inbox
		WHERE replies IS NOT NULL AND lease_ms <= ? ORDER BY seq LIMIT 1`+tx.lock(` FOR UPDATE SKIP LOCKED`), now).
		Scan(&seq, &e.ID, &e.Conversation, &body, &e.Attempts, &replies)
	if errors.Is(err, sql.ErrNoRows) {
		// Among the open events (inbox_open, the few in hand and waiting):
		// ordered by seq itself, SQLite would walk the whole table in seq
		// order, every event of the window, to find them (+seq keeps it
		// from ordering by the table).
		err = tx.QueryRowContext(ctx, `SELECT seq, event_id, conversation, event, attempts, '' FROM inbox i
			WHERE done_ms = 0 AND lease_ms <= ?
			AND NOT EXISTS (SELECT 1 FROM inbox p WHERE p.conversation = i.conversation AND p.done_ms = 0 AND p.seq < i.seq)
			ORDER BY +seq LIMIT 1`+tx.lock(` FOR UPDATE SKIP LOCKED`), now).Scan(&seq, &e.ID, &e.Conversation, &body, &e.Attempts, &replies)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return bot.InboxEntry{}, false, nil
	}
	if err != nil {
		return bot.InboxEntry{}, false, internal("take event", err)
	}
	if err := json.Unmarshal([]byte(body), &e.Event); err != nil {
		return bot.InboxEntry{}, false, internal("decode event "+e.ID, err)
	}
	if replies != "" {
		if err := json.Unmarshal([]byte(replies), &e.Replies); err != nil {
			return bot.InboxEntry{}, false, internal("decode replies of "+e.ID, err)
		}
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

// Done marks id handled, keeping pending for delivery under owner's lease
// for ttl (bot.Inbox).
func (db *DB) Done(ctx context.Context, id, owner string, pending []bot.Reply, ttl time.Duration) error {
	now := db.inboxNow()
	var replies any // NULL: nothing to deliver
	lease := int64(0)
	if len(pending) > 0 {
		body, err := json.Marshal(pending)
		if err != nil {
			return internal("encode replies", err)
		}
		replies, lease = string(body), now+ttl.Milliseconds()
	}
	err := db.inboxUpdate(ctx, "mark event done", `UPDATE inbox SET done_ms = ?, replies = ?, lease_ms = ?
		WHERE event_id = ? AND owner = ? AND done_ms = 0`, now, replies, lease, id, owner)
	if !errors.Is(err, bot.ErrLeaseLost) {
		return err
	}
	if uerr := db.inboxUpdate(ctx, "mark event done", `UPDATE inbox SET done_ms = ? WHERE event_id = ? AND done_ms = 0`,
		now, id); uerr != nil && !errors.Is(uerr, bot.ErrLeaseLost) {
		return uerr
	}
	return err
}

// Delivered drops the pending replies of ids that owner delivered
// (bot.Inbox).
func (db *DB) Delivered(ctx context.Context, owner string, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	args := make([]any, 0, len(ids)+1)
	args = append(args, owner)
	marks := make([]string, len(ids))
	for i, id := range ids {
		args, marks[i] = append(args, id), "?"
	}
	_, err := db.execOne(ctx, `UPDATE inbox SET replies = NULL, lease_ms = 0
		WHERE owner = ? AND replies IS NOT NULL AND event_id IN (`+strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return internal("mark replies delivered", err)
	}
	return nil
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

// inboxUpdate runs one statement, in a commit of its own or one it shares
// (execOne); bot.ErrLeaseLost when it changed no row.
func (db *DB) inboxUpdate(ctx context.Context, op, query string, args ...any) error {
	n, err := db.execOne(ctx, query, args...)
	if err != nil {
		return internal(op, err)
	}
	if n == 0 {
		return bot.ErrLeaseLost
	}
	return nil
}
