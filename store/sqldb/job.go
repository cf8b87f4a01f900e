package sqldb

import (
	"context"
	"errors"
	"strings"

	"database/sql"

	"github.com/hirebot/hirebot/bot"
)

const jobColumns = `id, key, owner_id, title, description, deliverables, skills,
	budget_min, budget_max, budget_currency, budget_unit, deadline,
	remote, city, timezone, status, created_at, nice_skills`

func validJobStatus(s string) bool {
	switch s {
	case bot.JobOpen, bot.JobFilled, bot.JobClosed, bot.JobExpired:
		return true
	}
	return false
}

// CreateJob stores a new open job and returns it with ID and CreatedAt set
// (and the deadline reduced to its day). When a job with the same non-empty
// Key exists, it returns that job unchanged instead. ENOTFOUND if the owner
// does not exist.
func (db *DB) CreateJob(ctx context.Context, j bot.Job) (bot.Job, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Job{}, err
	}
	defer tx.Rollback()

	if j.Key != "" {
		row := tx.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE key = ?`, j.Key)
		existing, err := scanJob(tx.d, row)
		if err == nil {
			return existing, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return bot.Job{}, err
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE id = ?`, j.OwnerID).Scan(&n); err != nil {
		return bot.Job{}, internal("find account", err)
	}
	if n == 0 {
		return bot.Job{}, bot.Errorf(bot.ENOTFOUND, "There is no account %d.", j.OwnerID)
	}

	j.Status = bot.JobOpen
	j.CreatedAt = db.stamp()
	j.Deadline = toDate(j.Deadline)
	var key any
	if j.Key != "" {
		key = j.Key
	}
	// A replica that confirmed the same key meanwhile wins: nothing is
	// inserted here, and its job is returned.
	err = tx.QueryRowContext(ctx, `INSERT INTO jobs (key, owner_id, title, description, deliverables, skills,
			budget_min, budget_max, budget_currency, budget_unit, deadline, remote, city, timezone, status, created_at, nice_skills)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) WHERE key IS NOT NULL DO NOTHING RETURNING id`,
		key, j.OwnerID, j.Title, j.Description, j.Deliverables, tx.d.List(j.Skills),
		j.Budget.Min, j.Budget.Max, j.Budget.Currency, j.Budget.Unit, tx.d.Date(j.Deadline),
		j.Location.Remote, j.Location.City, j.Timezone, j.Status, tx.d.Time(j.CreatedAt), tx.d.List(j.NiceSkills)).Scan(&j.ID)
	if errors.Is(err, sql.ErrNoRows) {
		existing, err := scanJob(tx.d, tx.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE key = ?`, j.Key))
		if err != nil {
			return bot.Job{}, internal("find job by key", err)
		}
		return existing, nil
	}
	if err != nil {
		if isForeignKey(err) {
			return bot.Job{}, bot.Errorf(bot.ENOTFOUND, "There is no account %d.", j.OwnerID)
		}
		return bot.Job{}, internal("insert job", err)
	}
	return j, commit(tx)
}

// Job returns a job; ENOTFOUND if none.
func (db *DB) Job(ctx context.Context, id int64) (bot.Job, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return bot.Job{}, err
	}
	defer tx.Rollback()

	j, err := scanJob(tx.d, tx.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Job{}, bot.Errorf(bot.ENOTFOUND, "There is no job %d.", id)
	}
	return j, err
}

// Jobs returns the jobs matching f, newest first.
func (db *DB) Jobs(ctx context.Context, f bot.JobFilter) ([]bot.Job, error) {
	var (
		where []string
		args  []any
	)
	if f.OwnerID != 0 {
		where, args = append(where, `owner_id = ?`), append(args, f.OwnerID)
	}
	if f.Status != "" {
		where, args = append(where, `status = ?`), append(args, f.Status)
	}
	query := `SELECT ` + jobColumns + ` FROM jobs`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	return db.queryJobs(ctx, query+` ORDER BY created_at DESC, id DESC`, args...)
}

// SetJobStatus changes a job's status; ENOTFOUND if none.
func (db *DB) SetJobStatus(ctx context.Context, id int64, status string) error {
	if !validJobStatus(status) {
		return bot.Errorf(bot.EINVALID, "%q is not a job status.", status)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	res, err := tx.ExecContext(ctx, `UPDATE jobs SET status = ? WHERE id = ?`, status, id)
	if err != nil {
		return internal("set job status", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return internal("set job status", err)
	}
	if n == 0 {
		return bot.Errorf(bot.ENOTFOUND, "There is no job %d.", id)
	}
	return commit(tx)
}

// scanJob reads one row of jobColumns; sql.ErrNoRows comes back unwrapped.
func scanJob(d Dialect, row scanner) (bot.Job, error) {
	var (
		j   bot.Job
		key sql.NullString
	)
	err := row.Scan(&j.ID, &key, &j.OwnerID, &j.Title, &j.Description, &j.Deliverables, lst(d, &j.Skills),
		&j.Budget.Min, &j.Budget.Max, &j.Budget.Currency, &j.Budget.Unit, tm(&j.Deadline),
		&j.Location.Remote, &j.Location.City, &j.Timezone, &j.Status, tm(&j.CreatedAt), lst(d, &j.NiceSkills))
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Job{}, err
	}
	if err != nil {
		return bot.Job{}, internal("read job", err)
	}
	j.Key = key.String
	return j, nil
}
