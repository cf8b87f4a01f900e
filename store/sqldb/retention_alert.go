package sqldb

import (
	"context"
	"errors"
	"time"

	"database/sql"

	"github.com/hirebot/hirebot/bot"
)

const alertCursor = "alerts"

// alertsLock is the key of the advisory lock RecordAlerts holds.
const alertsLock = 0x616c65727473 // "alerts"

// SetAlerts stores a person's alert mode; off forgets them.
func (db *DB) SetAlerts(ctx context.Context, s bot.AlertSettings) error {
	switch s.Mode {
	case bot.AlertsOff, bot.AlertsInstant, bot.AlertsDaily:
	default:
		return bot.Errorf(bot.EINVALID, "%q is not an alert mode; say on, daily or off.", s.Mode)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := accountExists(ctx, tx, s.AccountID); err != nil {
		return err
	}
	if s.Mode == bot.AlertsOff {
		for _, q := range []string{`DELETE FROM alert_settings WHERE account_id = ?`,
			`DELETE FROM alert_items WHERE account_id = ? AND state = '` + bot.AlertQueued + `'`} {
			if _, err := tx.ExecContext(ctx, q, s.AccountID); err != nil {
				return internal("alerts off", err)
			}
		}
		return commit(tx)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO alert_settings (account_id, mode, next_digest_at, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET mode = excluded.mode, next_digest_at = excluded.next_digest_at, updated_at = excluded.updated_at`,
		s.AccountID, s.Mode, tx.d.OptTime(s.NextDigestAt), tx.d.Time(db.stamp())); err != nil {
		return internal("set alerts", err)
	}
	return commit(tx)
}

// Alerts returns a person's settings; mode off when none.
func (db *DB) Alerts(ctx context.Context, accountID int64) (bot.AlertSettings, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return bot.AlertSettings{}, err
	}
	defer tx.Rollback()
	s, err := alertSettingsIn(ctx, tx, accountID)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.AlertSettings{AccountID: accountID, Mode: bot.AlertsOff}, nil
	}
	return s, err
}

func alertSettingsIn(ctx context.Context, tx *Tx, accountID int64) (bot.AlertSettings, error) {
	rows, err := alertSettingsWhere(ctx, tx, `account_id = ?`, accountID)
	if err != nil {
		return bot.AlertSettings{}, err
	}
	if len(rows) == 0 {
		return bot.AlertSettings{}, sql.ErrNoRows
	}
	return rows[0], nil
}

func alertSettingsWhere(ctx context.Context, tx *Tx, where string, args ...any) ([]bot.AlertSettings, error) {
	rows, err := tx.QueryContext(ctx, `SELECT account_id, mode, next_digest_at, updated_at FROM alert_settings WHERE `+where+
		` ORDER BY account_id`, args...)
	if err != nil {
		return nil, internal("read alert settings", err)
	}
	defer rows.Close()
	var out []bot.AlertSettings
	for rows.Next() {
		var (
			s       bot.AlertSettings
			next    time.Time
			updated time.Time
		)
		if err := rows.Scan(&s.AccountID, &s.Mode, tm(&next), tm(&updated)); err != nil {
			return nil, internal("read alert settings", err)
		}
		s.NextDigestAt = next
		s.UpdatedAt = updated
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read alert settings", err)
	}
	return out, nil
}

// AlertSubscribers returns everyone with alerts on.
func (db *DB) AlertSubscribers(ctx context.Context) ([]bot.AlertSettings, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return alertSettingsWhere(ctx, tx, `1 = 1`)
}

// AlertCursor returns the newest job alerts looked at, starting at the
// newest job on first use.
func (db *DB) AlertCursor(ctx context.Context) (int64, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO cursors (name, value) SELECT ?, coalesce(max(id), 0) FROM jobs WHERE true ON CONFLICT (name) DO NOTHING`, alertCursor); err != nil {
		return 0, internal("start alert cursor", err)
	}
	var v int64
	if err := tx.QueryRowContext(ctx, `SELECT value FROM cursors WHERE name = ?`, alertCursor).Scan(&v); err != nil {
		return 0, internal("read alert cursor", err)
	}
	return v, commit(tx)
}

// NewJobs returns open jobs after afterID, oldest first.
func (db *DB) NewJobs(ctx context.Context, afterID int64, limit int) ([]bot.Job, error) {
	return db.queryJobs(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id > ? AND status = ? ORDER BY id LIMIT ?`,
		afterID, bot.JobOpen, limitOr(limit))
}

// RecordAlerts stores a run's matches and moves the cursor.
func (db *DB) RecordAlerts(ctx context.Context, b bot.AlertBatch) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := tx.d.Time(b.Now)
	dayAgo := tx.d.Time(b.Now.Add(-24 * time.Hour))
	// One run at a time records alerts (the scheduler runs it on one
	// replica; this keeps two from counting the same caps).
	if err := tx.d.Serialize(ctx, tx, alertsLock); err != nil {
		return internal("lock alerts", err)
	}
	for _, it := range b.Items {
		s, err := alertSettingsIn(ctx, tx, it.AccountID)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return err
		}
		var seen int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM alert_items WHERE account_id = ? AND job_id = ?`,
			it.AccountID, it.JobID).Scan(&seen); err != nil {
			return internal("find alert", err)
		}
		if seen > 0 {
			continue
		}
		it.State = bot.AlertQueued
		if s.Mode == bot.AlertsInstant {
			var sent int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM alert_items WHERE account_id = ? AND state = ? AND created_at > ?`,
				it.AccountID, bot.AlertSent, dayAgo).Scan(&sent); err != nil {
				return internal("count alerts", err)
			}
			it.State = bot.AlertDropped
			if sent < b.PerDay {
				it.State = bot.AlertSent
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO alert_items (account_id, job_id, title, score, reason, state, created_at)
			SELECT ?, j.id, ?, ?, ?, ?, ? FROM jobs j WHERE j.id = ?
			ON CONFLICT (account_id, job_id) DO NOTHING`, it.AccountID, it.Title, it.Score, it.Reason, it.State, now, it.JobID)
		if err != nil {
			return internal("insert alert", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			continue // the job is gone (the person is not: their settings are read above)
		}
		if it.State == bot.AlertSent && b.Notify != nil {
			if err := db.enqueue(ctx, tx, []bot.Notification{b.Notify(it)}); err != nil {
				return err
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO cursors (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = CASE WHEN excluded.value > cursors.value THEN excluded.value ELSE cursors.value END`, alertCursor, b.Cursor); err != nil {
		return internal("move alert cursor", err)
	}
	return commit(tx)
}

// SendDigests enqueues the daily digests that are due.
func (db *DB) SendDigests(ctx context.Context, now time.Time, perDay int, notify func(int64, []bot.AlertItem) bot.Notification) (int, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	due, err := alertSettingsWhere(ctx, tx, `mode = ? AND next_digest_at IS DISTINCT FROM ? AND next_digest_at <= ?`, bot.AlertsDaily, tx.d.OptTime(time.Time{}), tx.d.Time(now))
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, s := range due {
		items, err := alertItemsIn(ctx, tx, `a.account_id = ? AND a.state = ? AND j.status = ? ORDER BY a.score DESC, a.job_id`,
			s.AccountID, bot.AlertQueued, bot.JobOpen)
		if err != nil {
			return 0, err
		}
		if len(items) > perDay {
			items = items[:perDay]
		}
		for i := range items {
			items[i].State = bot.AlertSent
			if _, err := tx.ExecContext(ctx, `UPDATE alert_items SET state = ? WHERE account_id = ? AND job_id = ?`,
				bot.AlertSent, s.AccountID, items[i].JobID); err != nil {
				return 0, internal("send digest", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE alert_items SET state = ? WHERE account_id = ? AND state = ?`,
			bot.AlertDropped, s.AccountID, bot.AlertQueued); err != nil {
			return 0, internal("send digest", err)
		}
		next := s.NextDigestAt
		for !next.After(now) {
			next = next.Add(24 * time.Hour)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE alert_settings SET next_digest_at = ? WHERE account_id = ?`,
			tx.d.Time(next), s.AccountID); err != nil {
			return 0, internal("send digest", err)
		}
		if len(items) > 0 && notify != nil {
			if err := db.enqueue(ctx, tx, []bot.Notification{notify(s.AccountID, items)}); err != nil {
				return 0, err
			}
			sent++
		}
	}
	return sent, commit(tx)
}

// AlertItems returns a person's alert items, oldest first.
func (db *DB) AlertItems(ctx context.Context, accountID int64) ([]bot.AlertItem, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return alertItemsIn(ctx, tx, `a.account_id = ? ORDER BY a.created_at, a.job_id`, accountID)
}

func alertItemsIn(ctx context.Context, tx *Tx, where string, args ...any) ([]bot.AlertItem, error) {
	rows, err := tx.QueryContext(ctx, `SELECT a.account_id, a.job_id, a.title, a.score, a.reason, a.state, a.created_at
		FROM alert_items a JOIN jobs j ON j.id = a.job_id WHERE `+where, args...)
	if err != nil {
		return nil, internal("read alerts", err)
	}
	defer rows.Close()
	var out []bot.AlertItem
	for rows.Next() {
		var (
			it      bot.AlertItem
			created time.Time
		)
		if err := rows.Scan(&it.AccountID, &it.JobID, &it.Title, &it.Score, &it.Reason, &it.State, tm(&created)); err != nil {
			return nil, internal("read alerts", err)
		}
		it.CreatedAt = created
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read alerts", err)
	}
	return out, nil
}
