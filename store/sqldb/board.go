package sqldb

import (
	"context"
	"errors"
	"strings"
	"time"

	"database/sql"

	"github.com/hirebot/hirebot/bot"
)

var _ bot.BoardStore = (*DB)(nil)

// SaveBoard creates or replaces the board of (Platform, Community).
// EINVALID without a platform, community or channel, or with a negative
// duration.
func (db *DB) SaveBoard(ctx context.Context, b bot.Board) (bot.Board, error) {
	if b.Platform == "" || b.Community == "" || b.ChannelID == "" {
		return bot.Board{}, bot.Errorf(bot.EINVALID, "A gig board needs a platform, a community and a channel.")
	}
	if b.Cooldown < 0 || b.MinAccountAge < 0 {
		return bot.Board{}, bot.Errorf(bot.EINVALID, "The cooldown and the minimum account age cannot be negative.")
	}
	b.Cooldown = b.Cooldown.Truncate(time.Second)
	b.MinAccountAge = b.MinAccountAge.Truncate(time.Second)
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Board{}, err
	}
	defer tx.Rollback()
	b.UpdatedAt = db.stamp()
	if _, err := tx.ExecContext(ctx, `INSERT INTO boards (platform, community, channel_id, mod_channel_id, cooldown_s, min_account_age_s, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (platform, community) DO UPDATE SET channel_id = excluded.channel_id,
			mod_channel_id = excluded.mod_channel_id, cooldown_s = excluded.cooldown_s,
			min_account_age_s = excluded.min_account_age_s, updated_at = excluded.updated_at`,
		b.Platform, b.Community, b.ChannelID, b.ModChannelID, int64(b.Cooldown/time.Second),
		int64(b.MinAccountAge/time.Second), tx.d.Time(b.UpdatedAt)); err != nil {
		return bot.Board{}, internal("save board", err)
	}
	return b, commit(tx)
}

// Board returns the board of a community; ENOTFOUND if none.
func (db *DB) Board(ctx context.Context, platform, community string) (bot.Board, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return bot.Board{}, err
	}
	defer tx.Rollback()
	b := bot.Board{Platform: platform, Community: community}
	var cooldown, age int64
	var updated time.Time
	err = tx.QueryRowContext(ctx, `SELECT channel_id, mod_channel_id, cooldown_s, min_account_age_s, updated_at
		FROM boards WHERE platform = ? AND community = ?`, platform, community).
		Scan(&b.ChannelID, &b.ModChannelID, &cooldown, &age, tm(&updated))
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Board{}, bot.Errorf(bot.ENOTFOUND, "This community has no gig board yet.")
	}
	if err != nil {
		return bot.Board{}, internal("read board", err)
	}
	b.Cooldown = time.Duration(cooldown) * time.Second
	b.MinAccountAge = time.Duration(age) * time.Second
	b.UpdatedAt = updated
	return b, nil
}

// AddBoardPost records a message about a job; recording the same (job,
// kind, platform, chat) again replaces its Ref. EINVALID for an unknown
// kind; ENOTFOUND if the job or the account does not exist.
func (db *DB) AddBoardPost(ctx context.Context, p bot.BoardPost) (bot.BoardPost, error) {
	if p.Kind != bot.PostGig && p.Kind != bot.PostReport {
		return bot.BoardPost{}, bot.Errorf(bot.EINVALID, "%q is not a kind of board post.", p.Kind)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.BoardPost{}, err
	}
	defer tx.Rollback()
	if err := mustExist(ctx, tx, p.JobID, p.AccountID); err != nil {
		return bot.BoardPost{}, err
	}
	var created time.Time
	err = tx.QueryRowContext(ctx, `INSERT INTO board_posts (job_id, kind, platform, community, chat_id, ref, account_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (job_id, kind, platform, chat_id) DO UPDATE SET ref = excluded.ref
		RETURNING created_at`,
		p.JobID, p.Kind, p.Platform, p.Community, p.ChatID, p.Ref, p.AccountID, tx.d.Time(db.stamp())).Scan(tm(&created))
	if err != nil {
		return bot.BoardPost{}, internal("add board post", err)
	}
	p.CreatedAt = created
	return p, commit(tx)
}

// mustExist returns ENOTFOUND unless the job and the account exist.
func mustExist(ctx context.Context, tx *Tx, jobID, accountID int64) error {
	var jobs, accounts int
	err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM (SELECT 1 FROM jobs WHERE id = ?`+tx.lock(` FOR KEY SHARE`)+`) j),
			(SELECT count(*) FROM (SELECT 1 FROM accounts WHERE id = ?`+tx.lock(` FOR KEY SHARE`)+`) a)`,
		jobID, accountID).Scan(&jobs, &accounts)
	switch {
	case err != nil:
		return internal("find job and account", err)
	case jobs == 0:
		return bot.Errorf(bot.ENOTFOUND, "There is no job #%d.", jobID)
	case accounts == 0:
		return bot.Errorf(bot.ENOTFOUND, "There is no account %d.", accountID)
	}
	return nil
}

// BoardPosts returns the messages recorded about a job, oldest first.
func (db *DB) BoardPosts(ctx context.Context, jobID int64) ([]bot.BoardPost, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT job_id, kind, platform, community, chat_id, ref, account_id, created_at
		FROM board_posts WHERE job_id = ? ORDER BY created_at, id`, jobID)
	if err != nil {
		return nil, internal("read board posts", err)
	}
	defer rows.Close()
	var out []bot.BoardPost
	for rows.Next() {
		var (
			p       bot.BoardPost
			created time.Time
		)
		if err := rows.Scan(&p.JobID, &p.Kind, &p.Platform, &p.Community, &p.ChatID, &p.Ref, &p.AccountID, tm(&created)); err != nil {
			return nil, internal("read board post", err)
		}
		p.CreatedAt = created
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read board posts", err)
	}
	return out, nil
}

// LastBoardPost returns when an account's newest gig was posted to a
// community's board; the zero time if never.
func (db *DB) LastBoardPost(ctx context.Context, platform, community string, accountID int64) (time.Time, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return time.Time{}, err
	}
	defer tx.Rollback()
	var last time.Time
	err = tx.QueryRowContext(ctx, `SELECT max(created_at) FROM board_posts
		WHERE platform = ? AND community = ? AND account_id = ? AND kind = ?`,
		platform, community, accountID, bot.PostGig).Scan(tm(&last))
	if err != nil {
		return time.Time{}, internal("read last board post", err)
	}
	return last, nil
}

// AddReport records that an account reported a job; first is false when
// it already had. ENOTFOUND if the job or the account does not exist.
func (db *DB) AddReport(ctx context.Context, jobID, accountID int64) (bool, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if err := mustExist(ctx, tx, jobID, accountID); err != nil {
		return false, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO job_reports (job_id, account_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (job_id, account_id) DO NOTHING`, jobID, accountID, tx.d.Time(db.stamp()))
	if err != nil {
		return false, internal("add report", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, internal("add report", err)
	}
	return n == 1, commit(tx)
}

// SaveGig bookmarks a job for an account; saving again changes nothing.
// ENOTFOUND if the job or the account does not exist.
func (db *DB) SaveGig(ctx context.Context, accountID, jobID int64) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := mustExist(ctx, tx, jobID, accountID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO saved_gigs (account_id, job_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (account_id, job_id) DO NOTHING`, accountID, jobID, tx.d.Time(db.stamp())); err != nil {
		return internal("save gig", err)
	}
	return commit(tx)
}

// SavedGigs returns the jobs an account bookmarked, most recently saved
// first.
func (db *DB) SavedGigs(ctx context.Context, accountID int64) ([]bot.Job, error) {
	return db.queryJobs(ctx, `SELECT `+prefixed("j.", jobColumns)+` FROM saved_gigs s JOIN jobs j ON j.id = s.job_id
		WHERE s.account_id = ? ORDER BY s.created_at DESC, s.id DESC`, accountID)
}

// DueJobs returns at most limit open jobs whose deadline is before the
// day of before, earliest deadline first.
func (db *DB) DueJobs(ctx context.Context, before time.Time, limit int) ([]bot.Job, error) {
	if limit <= 0 {
		return nil, nil
	}
	return db.queryJobs(ctx, `SELECT `+jobColumns+` FROM jobs
		WHERE status = ? AND deadline IS NOT NULL AND deadline < ?
		ORDER BY deadline, id LIMIT ?`, bot.JobOpen, db.d.Date(toDate(before)), limit)
}

func (db *DB) queryJobs(ctx context.Context, query string, args ...any) ([]bot.Job, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, internal("read jobs", err)
	}
	defer rows.Close()
	var jobs []bot.Job
	for rows.Next() {
		j, err := scanJob(tx.d, rows)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, j)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read jobs", err)
	}
	return jobs, nil
}

// prefixed qualifies every column of a comma-separated list with p.
func prefixed(p, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}
