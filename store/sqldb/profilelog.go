package sqldb

import (
	"context"
	"time"

	"github.com/hirebot/hirebot/bot"
)

var _ bot.ProfileLog = (*DB)(nil)

// indexProfile makes the search entry of each account match its stored
// profile and adds the account to the profile log, inside tx: every
// change of a profile goes through here, so neither can miss one.
func indexProfile(ctx context.Context, tx *Tx, now time.Time, ids ...int64) error {
	for _, id := range ids {
		if err := tx.d.IndexProfile(ctx, tx, id); err != nil {
			return internal("index profile", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO profile_log (account_id, changed_at) VALUES (?, ?)`, id, tx.d.Time(now)); err != nil {
			return internal("log profile change", err)
		}
	}
	return nil
}

// ProfileLogPosition returns the position of the newest change logged
// before t, 0 when there is none.
func (db *DB) ProfileLogPosition(ctx context.Context, before time.Time) (int64, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM profile_log WHERE changed_at < ?`, tx.d.Time(before.UTC())).Scan(&seq); err != nil {
		return 0, internal("read profile log", err)
	}
	return seq, nil
}

// ProfileLogSpan returns the positions of the oldest and the newest change
// the log holds, 0 and 0 when it holds none.
func (db *DB) ProfileLogSpan(ctx context.Context) (oldest, newest int64, err error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MIN(seq), 0), COALESCE(MAX(seq), 0) FROM profile_log`).Scan(&oldest, &newest); err != nil {
		return 0, 0, internal("read profile log", err)
	}
	return oldest, newest, nil
}

// ProfileChanges calls fn with the account of every change after position
// after, in order, and stops at fn's first error. It reads one snapshot
// of the log; fn may call the store.
func (db *DB) ProfileChanges(ctx context.Context, after int64, fn func(accountID int64) error) error {
	var ids []int64
	err := func() error {
		tx, err := db.beginRead(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		rows, err := tx.QueryContext(ctx, `SELECT account_id FROM profile_log WHERE seq > ? ORDER BY seq`, after)
		if err != nil {
			return internal("read profile log", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return internal("read profile log", err)
			}
			ids = append(ids, id)
		}
		return rows.Err()
	}()
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := fn(id); err != nil {
			return err
		}
	}
	return nil
}

// PruneProfileLog deletes the changes logged before t, always keeping the
// newest, so positions are never handed out twice.
func (db *DB) PruneProfileLog(ctx context.Context, before time.Time) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM profile_log WHERE changed_at < ? AND seq < (SELECT MAX(seq) FROM profile_log)`, tx.d.Time(before.UTC())); err != nil {
		return internal("prune profile log", err)
	}
	return commit(tx)
}
