package sqldb

import (
	"context"
	"errors"
	"strings"

	"database/sql"

	"github.com/hirebot/hirebot/bot"
)

const profileColumns = `account_id, name, headline, skills, years_experience,
	rate_amount, rate_currency, rate_unit, hours_per_week, available_from,
	timezone, work_types, remote, city, portfolio, bio, status, updated_at`

// validProfileStatus reports whether s is a profile status.
func validProfileStatus(s string) bool {
	switch s {
	case bot.ProfileDraft, bot.ProfilePublished, bot.ProfilePaused:
		return true
	}
	return false
}

// Profile returns the profile of an account; ENOTFOUND if none.
func (db *DB) Profile(ctx context.Context, accountID int64) (bot.Profile, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return bot.Profile{}, err
	}
	defer tx.Rollback()

	row := tx.QueryRowContext(ctx, `SELECT `+profileColumns+` FROM profiles WHERE account_id = ?`, accountID)
	p, err := scanProfile(tx.d, row)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Profile{}, bot.Errorf(bot.ENOTFOUND, "There is no profile yet.")
	}
	return p, err
}

// SaveProfile creates or replaces the profile of p.AccountID, sets
// UpdatedAt, and returns the profile as stored (dates reduced to the day).
// An empty Status means draft. ENOTFOUND if the account does not exist.
func (db *DB) SaveProfile(ctx context.Context, p bot.Profile) (bot.Profile, error) {
	if p.Status == "" {
		p.Status = bot.ProfileDraft
	}
	if !validProfileStatus(p.Status) {
		return bot.Profile{}, bot.Errorf(bot.EINVALID, "%q is not a profile status.", p.Status)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Profile{}, err
	}
	defer tx.Rollback()

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM accounts WHERE id = ?`+tx.lock(` FOR KEY SHARE`)+`) a`, p.AccountID).Scan(&n); err != nil {
		return bot.Profile{}, internal("find account", err)
	}
	if n == 0 {
		return bot.Profile{}, bot.Errorf(bot.ENOTFOUND, "There is no account %d.", p.AccountID)
	}
	p.UpdatedAt = db.stamp()
	p.Availability.AvailableFrom = toDate(p.Availability.AvailableFrom)
	if err := saveProfile(ctx, tx, p); err != nil {
		return bot.Profile{}, err
	}
	return p, commit(tx)
}

// saveProfile writes p and its search entry inside tx.
func saveProfile(ctx context.Context, tx *Tx, p bot.Profile) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO profiles (`+profileColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (account_id) DO UPDATE SET
			name = excluded.name, headline = excluded.headline, skills = excluded.skills,
			years_experience = excluded.years_experience, rate_amount = excluded.rate_amount,
			rate_currency = excluded.rate_currency, rate_unit = excluded.rate_unit,
			hours_per_week = excluded.hours_per_week, available_from = excluded.available_from,
			timezone = excluded.timezone, work_types = excluded.work_types, remote = excluded.remote,
			city = excluded.city, portfolio = excluded.portfolio, bio = excluded.bio,
			status = excluded.status, updated_at = excluded.updated_at`,
		p.AccountID, p.Name, p.Headline, tx.d.List(p.Skills), p.YearsExperience,
		p.Rate.Amount, p.Rate.Currency, p.Rate.Unit, p.Availability.HoursPerWeek, tx.d.Date(p.Availability.AvailableFrom),
		p.Timezone, tx.d.List(p.WorkTypes), p.Location.Remote, p.Location.City, tx.d.List(p.Portfolio), p.Bio,
		p.Status, tx.d.Time(p.UpdatedAt))
	if err != nil {
		return internal("save profile", err)
	}
	return indexProfile(ctx, tx, p.UpdatedAt, p.AccountID)
}

// SetProfileStatus changes a profile's status (and UpdatedAt), adding it to
// or removing it from search (which reads published profiles only);
// ENOTFOUND if none.
func (db *DB) SetProfileStatus(ctx context.Context, accountID int64, status string) error {
	if !validProfileStatus(status) {
		return bot.Errorf(bot.EINVALID, "%q is not a profile status.", status)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	now := db.stamp()
	res, err := tx.ExecContext(ctx, `UPDATE profiles SET status = ?, updated_at = ? WHERE account_id = ?`,
		status, tx.d.Time(now), accountID)
	if err != nil {
		return internal("set profile status", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return internal("set profile status", err)
	} else if n == 0 {
		return bot.Errorf(bot.ENOTFOUND, "There is no profile yet.")
	}
	if err := indexProfile(ctx, tx, now, accountID); err != nil {
		return err
	}
	return commit(tx)
}

// Profiles calls fn for every profile with one of the statuses (all when
// none are given), in account ID order, and stops at fn's first error,
// returning it. It streams one read snapshot; fn may call the store.
func (db *DB) Profiles(ctx context.Context, fn func(bot.Profile) error, statuses ...string) error {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	query := `SELECT ` + profileColumns + ` FROM profiles`
	args := make([]any, len(statuses))
	if len(statuses) > 0 {
		query += ` WHERE status IN (?` + strings.Repeat(", ?", len(statuses)-1) + `)`
		for i, s := range statuses {
			args[i] = s
		}
	}
	query += ` ORDER BY account_id`
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return internal("read profiles", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanProfile(tx.d, rows)
		if err != nil {
			return err
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return internal("read profiles", err)
	}
	return nil
}

type scanner interface{ Scan(dest ...any) error }

// scanProfile reads one row of profileColumns. It returns sql.ErrNoRows
// unwrapped so callers can turn it into ENOTFOUND.
func scanProfile(d Dialect, row scanner) (bot.Profile, error) {
	var p bot.Profile
	err := row.Scan(&p.AccountID, &p.Name, &p.Headline, lst(d, &p.Skills), &p.YearsExperience,
		&p.Rate.Amount, &p.Rate.Currency, &p.Rate.Unit, &p.Availability.HoursPerWeek, tm(&p.Availability.AvailableFrom),
		&p.Timezone, lst(d, &p.WorkTypes), &p.Location.Remote, &p.Location.City, lst(d, &p.Portfolio), &p.Bio, &p.Status, tm(&p.UpdatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Profile{}, err
	}
	if err != nil {
		return bot.Profile{}, internal("read profile", err)
	}
	return p, nil
}

// SearchProfiles returns the account IDs of published profiles whose
// skills, headline or bio match every term and phrase of q (and one of
// each group of q.AnyOf), best match first, at most limit. User text is
// never read as query syntax; a query with nothing searchable in it
// matches nothing.
func (db *DB) SearchProfiles(ctx context.Context, q bot.TextQuery, limit int) ([]int64, error) {
	if limit <= 0 {
		return nil, nil
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ids, err := db.d.SearchProfiles(ctx, tx, q, limit)
	if err != nil {
		return nil, internal("search profiles", err)
	}
	return ids, nil
}
