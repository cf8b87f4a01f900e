package sqldb

import (
	"context"
	"errors"
	"time"

	"database/sql"

	"github.com/hirebot/hirebot/bot"
)

// AskCheckins asks the published profiles that are due, once each.
func (db *DB) AskCheckins(ctx context.Context, now time.Time, every time.Duration, limit int, notify func(int64) bot.Notification) ([]int64, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	at := tx.d.Time(now)
	// Due: a question is not open and the next one is due; a profile
	// never asked is due every after it was last saved.
	ids, err := queryIDs(ctx, tx, `SELECT p.account_id FROM profiles p LEFT JOIN checkins c ON c.account_id = p.account_id
		WHERE p.status = ? AND (
			(c.account_id IS NULL AND p.updated_at <= ?) OR
			(c.asked_at IS NOT DISTINCT FROM ? AND c.next_at <= ?))
		ORDER BY p.account_id LIMIT ?`+tx.lock(` FOR UPDATE OF p SKIP LOCKED`),
		bot.ProfilePublished, tx.d.Time(now.Add(-every)), tx.d.OptTime(time.Time{}), at, limitOr(limit))
	if err != nil {
		return nil, err
	}
	next := tx.d.Time(now.Add(every))
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO checkins (account_id, asked_at, next_at) VALUES (?, ?, ?)
			ON CONFLICT (account_id) DO UPDATE SET asked_at = excluded.asked_at, next_at = excluded.next_at`, id, at, next); err != nil {
			return nil, internal("ask check-in", err)
		}
		if notify != nil {
			if err := db.enqueue(ctx, tx, []bot.Notification{notify(id)}); err != nil {
				return nil, err
			}
		}
	}
	return ids, commit(tx)
}

// MarkStale marks stale the questions left unanswered past grace.
func (db *DB) MarkStale(ctx context.Context, now time.Time, grace time.Duration) ([]int64, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ids, err := queryIDs(ctx, tx, `SELECT account_id FROM checkins WHERE asked_at IS DISTINCT FROM ? AND asked_at <= ? AND NOT stale
		ORDER BY account_id`+tx.forUpdate(), tx.d.OptTime(time.Time{}), tx.d.Time(now.Add(-grace)))
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE checkins SET stale = true WHERE account_id = ?`, id); err != nil {
			return nil, internal("mark stale", err)
		}
	}
	return ids, commit(tx)
}

// AnswerCheckin records an answer: nothing open, not stale.
func (db *DB) AnswerCheckin(ctx context.Context, accountID int64, now, next time.Time) (bot.Checkin, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Checkin{}, err
	}
	defer tx.Rollback()
	if err := accountExists(ctx, tx, accountID); err != nil {
		return bot.Checkin{}, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO checkins (account_id, asked_at, answered_at, next_at, stale) VALUES (?, ?, ?, ?, false)
		ON CONFLICT (account_id) DO UPDATE SET asked_at = excluded.asked_at, answered_at = excluded.answered_at, next_at = excluded.next_at, stale = false`,
		accountID, tx.d.OptTime(time.Time{}), tx.d.Time(now), tx.d.Time(next)); err != nil {
		return bot.Checkin{}, internal("answer check-in", err)
	}
	c, err := checkinIn(ctx, tx, accountID)
	if err != nil {
		return bot.Checkin{}, err
	}
	return c, commit(tx)
}

// Checkin returns an account's check-in state.
func (db *DB) Checkin(ctx context.Context, accountID int64) (bot.Checkin, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return bot.Checkin{}, err
	}
	defer tx.Rollback()
	return checkinIn(ctx, tx, accountID)
}

func checkinIn(ctx context.Context, tx *Tx, accountID int64) (bot.Checkin, error) {
	c := bot.Checkin{AccountID: accountID}
	var asked, answered time.Time
	var next time.Time
	err := tx.QueryRowContext(ctx, `SELECT asked_at, answered_at, next_at, stale FROM checkins WHERE account_id = ?`, accountID).
		Scan(tm(&asked), tm(&answered), tm(&next), &c.Stale)
	if errors.Is(err, sql.ErrNoRows) {
		return c, bot.Errorf(bot.ENOTFOUND, "Account %d was never asked.", accountID)
	}
	if err != nil {
		return c, internal("read check-in", err)
	}
	c.AskedAt = asked
	c.AnsweredAt = answered
	c.NextAt = next
	return c, err
}

// StaleAccounts returns the stale accounts.
func (db *DB) StaleAccounts(ctx context.Context) ([]int64, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryIDs(ctx, tx, `SELECT account_id FROM checkins WHERE stale ORDER BY account_id`)
}
