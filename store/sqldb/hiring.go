package sqldb

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"database/sql"

	"github.com/hirebot/hirebot/bot"
)

var _ bot.HiringStore = (*DB)(nil)

const inviteColumns = `id, job_id, freelancer_id, employer_id, state,
	terms_rate, terms_hours, terms_start, terms_note, counter_rate, counter_hours, counter_start, counter_note,
	expires_at, reminded, created_at, updated_at`

func validInviteState(s string) bool {
	switch s {
	case bot.InviteSent, bot.InviteAccepted, bot.InviteDeclined, bot.InviteCountered, bot.InviteExpired:
		return true
	}
	return false
}

// effects commits what a state change causes inside its transaction.
func (db *DB) effects(ctx context.Context, tx *Tx, e bot.Effects) error {
	if r := e.Relay; r != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO relays (a_id, b_id, job_id, state, created_at) VALUES (?, ?, ?, ?, ?)`,
			r.AID, r.BID, r.JobID, bot.RelayOpen, tx.d.Time(db.stamp())); err != nil {
			return internal("open relay", err)
		}
	}
	return db.enqueue(ctx, tx, e.Notify)
}

func accountExists(ctx context.Context, tx *Tx, id int64) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE id = ?`, id).Scan(&n); err != nil {
		return internal("find account", err)
	}
	if n == 0 {
		return bot.Errorf(bot.ENOTFOUND, "There is no account %d.", id)
	}
	return nil
}

// jobIn reads a job, locked FOR SHARE in a write transaction. Locks are
// taken job first, then its invites, so that FinishJob (which locks the
// job FOR UPDATE, then its invites) and UpdateInvite never deadlock.
func jobIn(ctx context.Context, tx *Tx, id int64) (bot.Job, error) {
	return jobLocked(ctx, tx, id, tx.forShare())
}

func jobLocked(ctx context.Context, tx *Tx, id int64, lock string) (bot.Job, error) {
	j, err := scanJob(tx.d, tx.QueryRowContext(ctx, `SELECT `+jobColumns+` FROM jobs WHERE id = ?`+lock, id))
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Job{}, bot.Errorf(bot.ENOTFOUND, "There is no job #%d.", id)
	}
	return j, err
}

// CreateInvite stores a new invite in state sent with its effects.
func (db *DB) CreateInvite(ctx context.Context, inv bot.Invite, notify func(bot.Invite, bot.Job) bot.Effects) (bot.Invite, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Invite{}, err
	}
	defer tx.Rollback()

	j, err := jobIn(ctx, tx, inv.JobID)
	if err != nil {
		return bot.Invite{}, err
	}
	for _, id := range []int64{inv.FreelancerID, inv.EmployerID} {
		if err := accountExists(ctx, tx, id); err != nil {
			return bot.Invite{}, err
		}
	}
	switch {
	case j.OwnerID != inv.EmployerID:
		return bot.Invite{}, bot.Errorf(bot.EUNAUTHORIZED, "Only the owner of job #%d can invite people to it.", j.ID)
	case inv.FreelancerID == inv.EmployerID:
		return bot.Invite{}, bot.Errorf(bot.EINVALID, "You cannot invite yourself to your own job.")
	case j.Status != bot.JobOpen:
		return bot.Invite{}, bot.Errorf(bot.ECONFLICT, "Job #%d is %s, so it is no longer open.", j.ID, j.Status)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM invites WHERE job_id = ? AND freelancer_id = ? AND state IN (?, ?)`,
		inv.JobID, inv.FreelancerID, bot.InviteSent, bot.InviteCountered).Scan(&n); err != nil {
		return bot.Invite{}, internal("find invite", err)
	}
	if n > 0 {
		return bot.Invite{}, bot.Errorf(bot.ECONFLICT, "That person already has an open invite to job #%d.", j.ID)
	}

	now := db.stamp()
	inv.State, inv.CreatedAt, inv.UpdatedAt = bot.InviteSent, now, now
	inv.ExpiresAt = inv.ExpiresAt.UTC().Truncate(time.Microsecond)
	inv.Terms.Start, inv.Counter.Start = toDate(inv.Terms.Start), toDate(inv.Counter.Start)
	if err := tx.QueryRowContext(ctx, `INSERT INTO invites (job_id, freelancer_id, employer_id, state,
			terms_rate, terms_hours, terms_start, terms_note, counter_rate, counter_hours, counter_start, counter_note,
			expires_at, reminded, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		inv.JobID, inv.FreelancerID, inv.EmployerID, inv.State,
		inv.Terms.Rate, inv.Terms.Hours, tx.d.Date(inv.Terms.Start), inv.Terms.Note,
		inv.Counter.Rate, inv.Counter.Hours, tx.d.Date(inv.Counter.Start), inv.Counter.Note,
		tx.d.Time(inv.ExpiresAt), inv.Reminded, tx.d.Time(now), tx.d.Time(now)).Scan(&inv.ID); err != nil {
		if isUnique(err) { // a replica invited them meanwhile
			return bot.Invite{}, bot.Errorf(bot.ECONFLICT, "That person already has an open invite to job #%d.", j.ID)
		}
		return bot.Invite{}, internal("insert invite", err)
	}
	if notify != nil {
		if err := db.effects(ctx, tx, notify(inv, j)); err != nil {
			return bot.Invite{}, err
		}
	}
	return inv, commit(tx)
}

// Invite returns an invite; ENOTFOUND if none.
func (db *DB) Invite(ctx context.Context, id int64) (bot.Invite, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return bot.Invite{}, err
	}
	defer tx.Rollback()
	return inviteIn(ctx, tx, id)
}

func inviteIn(ctx context.Context, tx *Tx, id int64) (bot.Invite, error) {
	inv, err := scanInvite(tx.QueryRowContext(ctx, `SELECT `+inviteColumns+` FROM invites WHERE id = ?`+tx.forUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Invite{}, bot.Errorf(bot.ENOTFOUND, "There is no invite %d.", id)
	}
	return inv, err
}

// Invites returns the invites matching f, oldest first.
func (db *DB) Invites(ctx context.Context, f bot.InviteFilter) ([]bot.Invite, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return invitesIn(ctx, tx, f)
}

func invitesIn(ctx context.Context, tx *Tx, f bot.InviteFilter) ([]bot.Invite, error) {
	var (
		where []string
		args  []any
	)
	for _, c := range []struct {
		col string
		id  int64
	}{{"job_id", f.JobID}, {"freelancer_id", f.FreelancerID}, {"employer_id", f.EmployerID}} {
		if c.id != 0 {
			where, args = append(where, c.col+` = ?`), append(args, c.id)
		}
	}
	if len(f.States) > 0 {
		where = append(where, `state IN (?`+strings.Repeat(`, ?`, len(f.States)-1)+`)`)
		for _, s := range f.States {
			args = append(args, s)
		}
	}
	if !f.ExpiresBefore.IsZero() {
		where, args = append(where, `expires_at < ?`), append(args, tx.d.Time(f.ExpiresBefore))
	}
	query := `SELECT ` + inviteColumns + ` FROM invites`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	rows, err := tx.QueryContext(ctx, query+` ORDER BY id`, args...)
	if err != nil {
		return nil, internal("read invites", err)
	}
	defer rows.Close()
	var out []bot.Invite
	for rows.Next() {
		inv, err := scanInvite(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read invites", err)
	}
	return out, nil
}

// UpdateInvite changes an invite under its row lock and commits the
// effects of the change.
func (db *DB) UpdateInvite(ctx context.Context, id int64, change func(*bot.Invite, bot.Job) (bot.Effects, error)) (bot.Invite, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Invite{}, err
	}
	defer tx.Rollback()

	var jobID int64 // an invite's job never changes
	err = tx.QueryRowContext(ctx, `SELECT job_id FROM invites WHERE id = ?`, id).Scan(&jobID)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Invite{}, bot.Errorf(bot.ENOTFOUND, "There is no invite %d.", id)
	}
	if err != nil {
		return bot.Invite{}, internal("find invite", err)
	}
	j, err := jobIn(ctx, tx, jobID)
	if err != nil {
		return bot.Invite{}, err
	}
	inv, err := inviteIn(ctx, tx, id)
	if err != nil {
		return bot.Invite{}, err
	}
	next := inv
	eff, err := change(&next, j)
	if err != nil {
		return bot.Invite{}, err
	}
	if !validInviteState(next.State) {
		return bot.Invite{}, bot.Errorf(bot.EINVALID, "%q is not an invite state.", next.State)
	}
	inv.State, inv.Counter, inv.Reminded = next.State, next.Counter, next.Reminded
	inv.Counter.Start = toDate(inv.Counter.Start)
	inv.ExpiresAt = next.ExpiresAt.UTC().Truncate(time.Microsecond)
	inv.UpdatedAt = db.stamp()
	if _, err := tx.ExecContext(ctx, `UPDATE invites SET state = ?, counter_rate = ?, counter_hours = ?, counter_start = ?,
			counter_note = ?, expires_at = ?, reminded = ?, updated_at = ? WHERE id = ?`,
		inv.State, inv.Counter.Rate, inv.Counter.Hours, tx.d.Date(inv.Counter.Start), inv.Counter.Note,
		tx.d.Time(inv.ExpiresAt), inv.Reminded, tx.d.Time(inv.UpdatedAt), id); err != nil {
		if isUnique(err) {
			return bot.Invite{}, bot.Errorf(bot.ECONFLICT, "That person already has an open invite to job #%d.", j.ID)
		}
		return bot.Invite{}, internal("update invite", err)
	}
	if err := db.effects(ctx, tx, eff); err != nil {
		return bot.Invite{}, err
	}
	return inv, commit(tx)
}

func scanInvite(row scanner) (bot.Invite, error) {
	var inv bot.Invite
	err := row.Scan(&inv.ID, &inv.JobID, &inv.FreelancerID, &inv.EmployerID, &inv.State,
		&inv.Terms.Rate, &inv.Terms.Hours, tm(&inv.Terms.Start), &inv.Terms.Note,
		&inv.Counter.Rate, &inv.Counter.Hours, tm(&inv.Counter.Start), &inv.Counter.Note,
		tm(&inv.ExpiresAt), &inv.Reminded, tm(&inv.CreatedAt), tm(&inv.UpdatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return inv, err
	}
	if err != nil {
		return inv, internal("read invite", err)
	}
	return inv, nil
}

const applicationColumns = `id, job_id, freelancer_id, note, state, created_at, updated_at`

func validApplicationState(s string) bool {
	switch s {
	case bot.ApplicationApplied, bot.ApplicationShortlisted, bot.ApplicationDeclined, bot.ApplicationInvited:
		return true
	}
	return false
}

// CreateApplication stores an application in state applied with its
// effects.
func (db *DB) CreateApplication(ctx context.Context, a bot.Application, notify func(bot.Application, bot.Job) bot.Effects) (bot.Application, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Application{}, err
	}
	defer tx.Rollback()

	j, err := jobIn(ctx, tx, a.JobID)
	if err != nil {
		return bot.Application{}, err
	}
	if err := accountExists(ctx, tx, a.FreelancerID); err != nil {
		return bot.Application{}, err
	}
	switch {
	case j.OwnerID == a.FreelancerID:
		return bot.Application{}, bot.Errorf(bot.EINVALID, "You cannot apply to your own job.")
	case j.Status != bot.JobOpen:
		return bot.Application{}, bot.Errorf(bot.ECONFLICT, "Job #%d is %s, so it is no longer open.", j.ID, j.Status)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM applications WHERE job_id = ? AND freelancer_id = ?`,
		a.JobID, a.FreelancerID).Scan(&n); err != nil {
		return bot.Application{}, internal("find application", err)
	}
	if n > 0 {
		return bot.Application{}, bot.Errorf(bot.ECONFLICT, "You already applied to job #%d.", j.ID)
	}
	now := db.stamp()
	a.State, a.CreatedAt, a.UpdatedAt = bot.ApplicationApplied, now, now
	if err := tx.QueryRowContext(ctx, `INSERT INTO applications (job_id, freelancer_id, note, state, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, a.JobID, a.FreelancerID, a.Note, a.State, tx.d.Time(now), tx.d.Time(now)).Scan(&a.ID); err != nil {
		if isUnique(err) {
			return bot.Application{}, bot.Errorf(bot.ECONFLICT, "You already applied to job #%d.", j.ID)
		}
		return bot.Application{}, internal("insert application", err)
	}
	if notify != nil {
		if err := db.effects(ctx, tx, notify(a, j)); err != nil {
			return bot.Application{}, err
		}
	}
	return a, commit(tx)
}

// Application returns an application; ENOTFOUND if none.
func (db *DB) Application(ctx context.Context, id int64) (bot.Application, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return bot.Application{}, err
	}
	defer tx.Rollback()
	return applicationIn(ctx, tx, id)
}

func applicationIn(ctx context.Context, tx *Tx, id int64) (bot.Application, error) {
	a, err := scanApplication(tx.QueryRowContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE id = ?`+tx.forUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Application{}, bot.Errorf(bot.ENOTFOUND, "There is no application %d.", id)
	}
	return a, err
}

// Applications returns the applications to a job, oldest first.
func (db *DB) Applications(ctx context.Context, jobID int64) ([]bot.Application, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return applicationsIn(ctx, tx, jobID)
}

func applicationsIn(ctx context.Context, tx *Tx, jobID int64) ([]bot.Application, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+applicationColumns+` FROM applications WHERE job_id = ? ORDER BY id`, jobID)
	if err != nil {
		return nil, internal("read applications", err)
	}
	defer rows.Close()
	var out []bot.Application
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read applications", err)
	}
	return out, nil
}

// UpdateApplication changes an application's state under its row lock.
func (db *DB) UpdateApplication(ctx context.Context, id int64, change func(*bot.Application, bot.Job) (bot.Effects, error)) (bot.Application, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Application{}, err
	}
	defer tx.Rollback()

	a, err := applicationIn(ctx, tx, id)
	if err != nil {
		return bot.Application{}, err
	}
	j, err := jobIn(ctx, tx, a.JobID)
	if err != nil {
		return bot.Application{}, err
	}
	next := a
	eff, err := change(&next, j)
	if err != nil {
		return bot.Application{}, err
	}
	if !validApplicationState(next.State) {
		return bot.Application{}, bot.Errorf(bot.EINVALID, "%q is not an application state.", next.State)
	}
	a.State, a.UpdatedAt = next.State, db.stamp()
	if _, err := tx.ExecContext(ctx, `UPDATE applications SET state = ?, updated_at = ? WHERE id = ?`,
		a.State, tx.d.Time(a.UpdatedAt), id); err != nil {
		return bot.Application{}, internal("update application", err)
	}
	if err := db.effects(ctx, tx, eff); err != nil {
		return bot.Application{}, err
	}
	return a, commit(tx)
}

func scanApplication(row scanner) (bot.Application, error) {
	var (
		a                bot.Application
		created, updated time.Time
	)
	err := row.Scan(&a.ID, &a.JobID, &a.FreelancerID, &a.Note, &a.State, tm(&created), tm(&updated))
	if errors.Is(err, sql.ErrNoRows) {
		return a, err
	}
	if err != nil {
		return a, internal("read application", err)
	}
	a.CreatedAt = created
	a.UpdatedAt = updated
	return a, nil
}

// FinishJob moves an open job to filled, closed or expired, expires its
// open invites and commits the effects.
func (db *DB) FinishJob(ctx context.Context, jobID int64, status string, notify func(bot.Job, []bot.Application, []bot.Invite) bot.Effects) (bot.Job, error) {
	switch status {
	case bot.JobFilled, bot.JobClosed, bot.JobExpired:
	default:
		return bot.Job{}, bot.Errorf(bot.EINVALID, "A job cannot be finished as %q.", status)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Job{}, err
	}
	defer tx.Rollback()

	j, err := jobLocked(ctx, tx, jobID, tx.forUpdate())
	if err != nil {
		return bot.Job{}, err
	}
	if j.Status != bot.JobOpen {
		return bot.Job{}, bot.Errorf(bot.ECONFLICT, "Job #%d is already %s.", j.ID, j.Status)
	}
	apps, err := applicationsIn(ctx, tx, jobID)
	if err != nil {
		return bot.Job{}, err
	}
	invs, err := invitesIn(ctx, tx, bot.InviteFilter{JobID: jobID})
	if err != nil {
		return bot.Job{}, err
	}
	now := tx.d.Time(db.stamp())
	if _, err := tx.ExecContext(ctx, `UPDATE jobs SET status = ? WHERE id = ?`, status, jobID); err != nil {
		return bot.Job{}, internal("finish job", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE invites SET state = ?, updated_at = ? WHERE job_id = ? AND state IN (?, ?)`,
		bot.InviteExpired, now, jobID, bot.InviteSent, bot.InviteCountered); err != nil {
		return bot.Job{}, internal("expire invites", err)
	}
	j.Status = status
	if notify != nil {
		if err := db.effects(ctx, tx, notify(j, apps, invs)); err != nil {
			return bot.Job{}, err
		}
	}
	return j, commit(tx)
}

const engagementColumns = `id, job_id, invite_id, freelancer_id, employer_id, trial, milestones, created_at, updated_at`

// CreateEngagement starts the engagement of an accepted invite.
func (db *DB) CreateEngagement(ctx context.Context, e bot.Engagement, notify func(bot.Engagement) bot.Effects) (bot.Engagement, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Engagement{}, err
	}
	defer tx.Rollback()

	inv, err := inviteIn(ctx, tx, e.InviteID)
	if err != nil {
		return bot.Engagement{}, err
	}
	if inv.State != bot.InviteAccepted {
		return bot.Engagement{}, bot.Errorf(bot.ECONFLICT, "Invite %d is %s, not accepted.", inv.ID, inv.State)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM engagements WHERE invite_id = ?`, inv.ID).Scan(&n); err != nil {
		return bot.Engagement{}, internal("find engagement", err)
	}
	if n > 0 {
		return bot.Engagement{}, bot.Errorf(bot.ECONFLICT, "Invite %d already has an engagement.", inv.ID)
	}
	now := db.stamp()
	e.JobID, e.FreelancerID, e.EmployerID = inv.JobID, inv.FreelancerID, inv.EmployerID
	e.CreatedAt, e.UpdatedAt = now, now
	ms, err := encodeMilestones(e.Milestones)
	if err != nil {
		return bot.Engagement{}, err
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO engagements (job_id, invite_id, freelancer_id, employer_id, trial, milestones,
		created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.JobID, e.InviteID, e.FreelancerID, e.EmployerID, e.Trial, ms, tx.d.Time(now), tx.d.Time(now)).Scan(&e.ID); err != nil {
		if isUnique(err) {
			return bot.Engagement{}, bot.Errorf(bot.ECONFLICT, "Invite %d already has an engagement.", inv.ID)
		}
		return bot.Engagement{}, internal("insert engagement", err)
	}
	if notify != nil {
		if err := db.effects(ctx, tx, notify(e)); err != nil {
			return bot.Engagement{}, err
		}
	}
	return e, commit(tx)
}

// Engagement returns an engagement; ENOTFOUND if none.
func (db *DB) Engagement(ctx context.Context, id int64) (bot.Engagement, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return bot.Engagement{}, err
	}
	defer tx.Rollback()
	return engagementIn(ctx, tx, id)
}

func engagementIn(ctx context.Context, tx *Tx, id int64) (bot.Engagement, error) {
	var (
		e                bot.Engagement
		ms               string
		created, updated time.Time
	)
	err := tx.QueryRowContext(ctx, `SELECT `+engagementColumns+` FROM engagements WHERE id = ?`+tx.forUpdate(), id).Scan(
		&e.ID, &e.JobID, &e.InviteID, &e.FreelancerID, &e.EmployerID, &e.Trial, &ms, tm(&created), tm(&updated))
	if errors.Is(err, sql.ErrNoRows) {
		return e, bot.Errorf(bot.ENOTFOUND, "There is no engagement %d.", id)
	}
	if err != nil {
		return e, internal("read engagement", err)
	}
	if err := json.Unmarshal([]byte(ms), &e.Milestones); err != nil {
		return e, internal("decode milestones", err)
	}
	e.CreatedAt = created
	e.UpdatedAt = updated
	return e, nil
}

// UpdateEngagement changes an engagement's checklist under its row lock.
func (db *DB) UpdateEngagement(ctx context.Context, id int64, change func(*bot.Engagement) (bot.Effects, error)) (bot.Engagement, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Engagement{}, err
	}
	defer tx.Rollback()

	e, err := engagementIn(ctx, tx, id)
	if err != nil {
		return bot.Engagement{}, err
	}
	next := e
	next.Milestones = append([]bot.Milestone(nil), e.Milestones...)
	eff, err := change(&next)
	if err != nil {
		return bot.Engagement{}, err
	}
	e.Trial, e.Milestones, e.UpdatedAt = next.Trial, next.Milestones, db.stamp()
	ms, err := encodeMilestones(e.Milestones)
	if err != nil {
		return bot.Engagement{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE engagements SET trial = ?, milestones = ?, updated_at = ? WHERE id = ?`,
		e.Trial, ms, tx.d.Time(e.UpdatedAt), id); err != nil {
		return bot.Engagement{}, internal("update engagement", err)
	}
	if err := db.effects(ctx, tx, eff); err != nil {
		return bot.Engagement{}, err
	}
	return e, commit(tx)
}

func encodeMilestones(ms []bot.Milestone) (string, error) {
	if len(ms) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(ms)
	if err != nil {
		return "", internal("encode milestones", err)
	}
	return string(b), nil
}

const relayColumns = `id, a_id, b_id, job_id, state, created_at, a_said_at, b_said_at`

// OpenRelays returns the open relays of an account, newest first.
func (db *DB) OpenRelays(ctx context.Context, accountID int64) ([]bot.Relay, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT `+relayColumns+` FROM relays WHERE (a_id = ? OR b_id = ?) AND state = ?
		ORDER BY id DESC`, accountID, accountID, bot.RelayOpen)
	if err != nil {
		return nil, internal("read relays", err)
	}
	defer rows.Close()
	var out []bot.Relay
	for rows.Next() {
		r, err := scanRelay(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read relays", err)
	}
	return out, nil
}

// UpdateRelay changes a relay's state under its row lock.
func (db *DB) UpdateRelay(ctx context.Context, id int64, change func(*bot.Relay) (bot.Effects, error)) (bot.Relay, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Relay{}, err
	}
	defer tx.Rollback()
	r, err := scanRelay(tx.QueryRowContext(ctx, `SELECT `+relayColumns+` FROM relays WHERE id = ?`+tx.forUpdate(), id))
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Relay{}, bot.Errorf(bot.ENOTFOUND, "There is no relay %d.", id)
	}
	if err != nil {
		return bot.Relay{}, err
	}
	next := r
	eff, err := change(&next)
	if err != nil {
		return bot.Relay{}, err
	}
	if next.State != bot.RelayOpen && next.State != bot.RelayEnded {
		return bot.Relay{}, bot.Errorf(bot.EINVALID, "%q is not a relay state.", next.State)
	}
	r.State = next.State
	r.ASaidAt, r.BSaidAt = next.ASaidAt.UTC().Truncate(time.Microsecond), next.BSaidAt.UTC().Truncate(time.Microsecond)
	if _, err := tx.ExecContext(ctx, `UPDATE relays SET state = ?, a_said_at = ?, b_said_at = ? WHERE id = ?`,
		r.State, tx.d.OptTime(r.ASaidAt), tx.d.OptTime(r.BSaidAt), id); err != nil {
		return bot.Relay{}, internal("update relay", err)
	}
	if err := db.effects(ctx, tx, eff); err != nil {
		return bot.Relay{}, err
	}
	return r, commit(tx)
}

func scanRelay(row scanner) (bot.Relay, error) {
	var (
		r       bot.Relay
		created time.Time
	)
	err := row.Scan(&r.ID, &r.AID, &r.BID, &r.JobID, &r.State, tm(&created), tm(&r.ASaidAt), tm(&r.BSaidAt))
	if errors.Is(err, sql.ErrNoRows) {
		return r, err
	}
	if err != nil {
		return r, internal("read relay", err)
	}
	r.CreatedAt = created
	return r, err
}
