package sqldb

import (
	"context"
	"errors"
	"time"

	"database/sql"

	"github.com/hirebot/hirebot/bot"
)

var _ bot.RetentionStore = (*DB)(nil)

// PersonData reads one person's records for an export.
func (db *DB) PersonData(ctx context.Context, accountID int64) (bot.PersonData, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return bot.PersonData{}, err
	}
	defer tx.Rollback()
	if err := accountExists(ctx, tx, accountID); err != nil {
		return bot.PersonData{}, err
	}
	var d bot.PersonData
	if d.Invites, err = invitesIn(ctx, tx, bot.InviteFilter{FreelancerID: accountID}); err != nil {
		return d, err
	}
	sent, err := invitesIn(ctx, tx, bot.InviteFilter{EmployerID: accountID})
	if err != nil {
		return d, err
	}
	d.Invites = append(d.Invites, sent...)

	rows, err := tx.QueryContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE freelancer_id = ? ORDER BY id`, accountID)
	if err != nil {
		return d, internal("read applications", err)
	}
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			rows.Close()
			return d, err
		}
		d.Applications = append(d.Applications, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return d, internal("read applications", err)
	}

	ids, err := queryIDs(ctx, tx, `SELECT id FROM engagements WHERE freelancer_id = ? OR employer_id = ? ORDER BY id`, accountID, accountID)
	if err != nil {
		return d, err
	}
	for _, id := range ids {
		e, err := engagementIn(ctx, tx, id)
		if err != nil {
			return d, err
		}
		d.Engagements = append(d.Engagements, e)
	}

	if d.ReviewsWritten, err = reviewsIn(ctx, tx, `SELECT `+reviewColumns+` FROM reviews r WHERE r.author_id = ? ORDER BY r.id`, accountID); err != nil {
		return d, err
	}
	if d.ReviewsReceived, err = reviewsIn(ctx, tx, `SELECT `+reviewColumns+` FROM reviews r WHERE r.subject_id = ? AND r.stars > 0 ORDER BY r.id`, accountID); err != nil {
		return d, err
	}

	prow, err := tx.QueryContext(ctx, `SELECT p.platform, p.workspace, p.name, m.created_at FROM pool_members m
		JOIN pools p ON p.id = m.pool_id WHERE m.account_id = ? ORDER BY m.created_at, p.id`, accountID)
	if err != nil {
		return d, internal("read pools", err)
	}
	for prow.Next() {
		var (
			e     bot.PoolEntry
			added time.Time
		)
		if err := prow.Scan(&e.Scope.Platform, &e.Scope.Workspace, &e.Pool, tm(&added)); err != nil {
			prow.Close()
			return d, internal("read pools", err)
		}
		e.AddedAt = added
		d.Pools = append(d.Pools, e)
	}
	prow.Close()
	if err := prow.Err(); err != nil {
		return d, internal("read pools", err)
	}

	if d.Hidden, err = hiddenIn(ctx, tx, accountID); err != nil {
		return d, err
	}
	d.Alerts, err = alertSettingsIn(ctx, tx, accountID)
	if errors.Is(err, sql.ErrNoRows) {
		d.Alerts, err = bot.AlertSettings{AccountID: accountID, Mode: bot.AlertsOff}, nil
	}
	if err != nil {
		return d, err
	}
	if d.AlertItems, err = alertItemsIn(ctx, tx, `a.account_id = ? ORDER BY a.created_at, a.job_id`, accountID); err != nil {
		return d, err
	}
	c, err := checkinIn(ctx, tx, accountID)
	switch {
	case err == nil:
		d.Checkin = &c
	case bot.ErrorCode(err) != bot.ENOTFOUND:
		return d, err
	}

	nrows, err := tx.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE account_id = ? AND state IN (?, ?) ORDER BY id`,
		accountID, bot.NotePending, bot.NoteHeld)
	if err != nil {
		return d, internal("read outbox", err)
	}
	defer nrows.Close()
	for nrows.Next() {
		n, err := scanNotification(nrows)
		if err != nil {
			return d, err
		}
		n.Claim = ""
		d.Notifications = append(d.Notifications, n)
	}
	if err := nrows.Err(); err != nil {
		return d, internal("read outbox", err)
	}
	return d, nil
}
