package sqldb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"database/sql"

	"github.com/hirebot/hirebot/bot"
)

const outboxColumns = `id, account_id, platform, workspace, chat_id, user_id, reply, sender_id, invite_id,
	state, attempts, next_at, claim, last_error, created_at`

// Enqueue stores notifications in state pending, due at once (next_at is
// NULL, which a claim whatever its clock takes). ENOTFOUND when
// an account without To has no identity.
func (db *DB) Enqueue(ctx context.Context, ns []bot.Notification) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.enqueue(ctx, tx, ns); err != nil {
		return err
	}
	return commit(tx)
}

// enqueue inserts notifications inside a caller's transaction, addressing
// each to its account's first identity unless To is set, due at NextAt
// (at once when zero).
func (db *DB) enqueue(ctx context.Context, tx *Tx, ns []bot.Notification) error {
	now := tx.d.Time(db.stamp())
	for _, n := range ns {
		to := n.To
		if to.Platform == "" {
			err := tx.QueryRowContext(ctx, `SELECT platform, workspace, user_id FROM identities
				WHERE account_id = ? ORDER BY id LIMIT 1`, n.AccountID).Scan(&to.Platform, &to.Workspace, &to.UserID)
			if errors.Is(err, sql.ErrNoRows) {
				return bot.Errorf(bot.ENOTFOUND, "There is no account %d to notify.", n.AccountID)
			}
			if err != nil {
				return internal("find identity", err)
			}
		}
		r := n.Reply
		r.To = bot.Recipient{}
		body, err := json.Marshal(r)
		if err != nil {
			return internal("encode reply", err)
		}
		next := tx.d.OptTime(n.NextAt)
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (account_id, platform, workspace, chat_id, user_id, reply,
				sender_id, invite_id, state, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			n.AccountID, to.Platform, to.Workspace, to.ChatID, to.UserID, string(body),
			n.SenderID, n.InviteID, bot.NotePending, next, now); err != nil {
			if isForeignKey(err) {
				return bot.Errorf(bot.ENOTFOUND, "There is no account %d to notify.", n.AccountID)
			}
			return internal("insert notification", err)
		}
	}
	return nil
}

// Claim takes due notifications under a fresh claim token. The rows are
// chosen FOR UPDATE SKIP LOCKED: a replica claiming at the same moment
// passes over the rows this claim is taking instead of waiting for them,
// and once this claim commits they are under its lease.
func (db *DB) Claim(ctx context.Context, r bot.ClaimRequest) ([]bot.Notification, error) {
	if r.Limit <= 0 {
		r.Limit = 100
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	where, args, ok := claimable(tx, r)
	if !ok {
		return nil, nil
	}
	args = append(args, r.Limit)
	rows, err := tx.QueryContext(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE `+where+` ORDER BY id LIMIT ?`+tx.lock(` FOR UPDATE SKIP LOCKED`), args...)
	if err != nil {
		return nil, internal("read outbox", err)
	}
	var out []bot.Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal("read outbox", err)
	}
	until := tx.d.Time(r.Now.Add(r.Lease))
	for i := range out {
		out[i].Claim = claimToken()
		out[i].Attempts++
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET claim = ?, claimed_until = ?, attempts = attempts + 1 WHERE id = ?`,
			out[i].Claim, until, out[i].ID); err != nil {
			return nil, internal("claim notification", err)
		}
	}
	return out, commit(tx)
}

// Waiting reports whether Claim(r) would take anything now, without
// claiming it: a read, which takes no write lock.
func (db *DB) Waiting(ctx context.Context, r bot.ClaimRequest) (bool, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	where, args, ok := claimable(tx, r)
	if !ok {
		return false, nil
	}
	var one int
	err = tx.QueryRowContext(ctx, `SELECT 1 FROM outbox WHERE `+where+` LIMIT 1`, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, internal("read outbox", err)
	}
	return true, nil
}

// claimable is the condition on the outbox rows Claim(r) takes, with its
// arguments; ok is false when r can take nothing (an empty platform list).
func claimable(tx *Tx, r bot.ClaimRequest) (where string, args []any, ok bool) {
	now := tx.d.Time(r.Now)
	conds := []string{`claimed_until <= ?`}
	args = []any{now}
	if r.AccountID != 0 {
		conds = append(conds, `account_id = ?`, `state IN (?, ?)`)
		args = append(args, r.AccountID, bot.NotePending, bot.NoteHeld)
	} else {
		conds = append(conds, `state = ?`, `(next_at IS NOT DISTINCT FROM ? OR next_at <= ?)`)
		args = append(args, bot.NotePending, tx.d.OptTime(time.Time{}), now)
	}
	if r.Platforms != nil {
		if len(r.Platforms) == 0 {
			return "", nil, false
		}
		conds = append(conds, `platform IN (?`+strings.Repeat(`, ?`, len(r.Platforms)-1)+`)`)
		for _, p := range r.Platforms {
			args = append(args, p)
		}
	}
	return strings.Join(conds, ` AND `), args, true
}

// Settle records the outcome of a delivery and ends the claim.
func (db *DB) Settle(ctx context.Context, id int64, claim string, s bot.Settlement) error {
	switch s.State {
	case bot.NoteSent, bot.NotePending, bot.NoteHeld, bot.NoteRefused, bot.NoteFailed:
	default:
		return bot.Errorf(bot.EINVALID, "%q is not a notification state.", s.State)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	var state, current string
	err = tx.QueryRowContext(ctx, `SELECT state, claim FROM outbox WHERE id = ?`+tx.forUpdate(), id).Scan(&state, &current)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Errorf(bot.ENOTFOUND, "There is no notification %d.", id)
	}
	if err != nil {
		return internal("read notification", err)
	}
	if current != claim || claim == "" || (state != bot.NotePending && state != bot.NoteHeld) {
		return bot.Errorf(bot.ECONFLICT, "Notification %d is no longer claimed by this delivery.", id)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ?, next_at = ?, last_error = ?, claim = '', claimed_until = ?
		WHERE id = ?`, s.State, tx.d.OptTime(s.NextAt), s.LastError, tx.d.Time(time.Time{}), id); err != nil {
		return internal("settle notification", err)
	}
	if err := db.enqueue(ctx, tx, s.Notify); err != nil {
		return err
	}
	return commit(tx)
}

func scanNotification(row scanner) (bot.Notification, error) {
	var (
		n    bot.Notification
		body string
		next time.Time
		made time.Time
	)
	err := row.Scan(&n.ID, &n.AccountID, &n.To.Platform, &n.To.Workspace, &n.To.ChatID, &n.To.UserID, &body,
		&n.SenderID, &n.InviteID, &n.State, &n.Attempts, tm(&next), &n.Claim, &n.LastError, tm(&made))
	if err != nil {
		return n, internal("read notification", err)
	}
	if err := json.Unmarshal([]byte(body), &n.Reply); err != nil {
		return n, internal("decode notification", err)
	}
	n.Reply.To = n.To
	n.NextAt = next
	n.CreatedAt = made
	return n, nil
}

func claimToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// Backlog reads the depth of the outbox for monitoring: how many
// notifications wait in state pending (due now, or waiting out a backoff
// or an alert's spacing), and when the oldest of them was enqueued (the
// zero time when none waits). Held notifications wait for their person,
// not for hirebot, and are not counted.
func (db *DB) Backlog(ctx context.Context) (pending int, oldest time.Time, err error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return 0, time.Time{}, err
	}
	defer tx.Rollback()
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), MIN(created_at) FROM outbox WHERE state = ?`,
		bot.NotePending).Scan(&pending, tm(&oldest)); err != nil {
		return 0, time.Time{}, internal("read outbox backlog", err)
	}
	return pending, oldest, nil
}
