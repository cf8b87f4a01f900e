package sqldb

import (
	"context"
	"errors"
	"strings"
	"time"

	"database/sql"

	"github.com/hirebot/hirebot/bot"
)

// normalizeCode makes "k7pq-3mzd" and "K7PQ 3MZD" the same code.
func normalizeCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.ToUpper(strings.TrimSpace(code)))
}

// CreateLinkCode stores a new one-time code.
func (db *DB) CreateLinkCode(ctx context.Context, c bot.LinkCode) error {
	code := normalizeCode(c.Code)
	if code == "" {
		return bot.Errorf(bot.EINVALID, "A link code cannot be empty.")
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := accountExists(ctx, tx, c.AccountID); err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO link_codes (code, account_id, expires_at, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (code) DO NOTHING`,
		code, c.AccountID, tx.d.Time(c.ExpiresAt), tx.d.Time(db.stamp()))
	if err != nil {
		return internal("create link code", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return internal("create link code", err)
	} else if n == 0 {
		return bot.Errorf(bot.ECONFLICT, "That code exists already.")
	}
	return commit(tx)
}

// LinkCode returns a code that can still be used.
func (db *DB) LinkCode(ctx context.Context, code string, now time.Time) (bot.LinkCode, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return bot.LinkCode{}, err
	}
	defer tx.Rollback()
	return usableCode(ctx, tx, code, now)
}

func usableCode(ctx context.Context, tx *Tx, code string, now time.Time) (bot.LinkCode, error) {
	c := bot.LinkCode{Code: normalizeCode(code)}
	var (
		expires, created time.Time
		used             time.Time
	)
	err := tx.QueryRowContext(ctx, `SELECT account_id, expires_at, used_at, created_at FROM link_codes WHERE code = ?`+tx.forUpdate(), c.Code).
		Scan(&c.AccountID, tm(&expires), tm(&used), tm(&created))
	if errors.Is(err, sql.ErrNoRows) {
		return c, bot.Errorf(bot.ENOTFOUND, "That code is not one I gave out. Check it, or say /link on your other account for a new one.")
	}
	if err != nil {
		return c, internal("read link code", err)
	}
	c.ExpiresAt = expires
	c.UsedAt = used
	c.CreatedAt = created
	switch {
	case !c.UsedAt.IsZero():
		return c, bot.Errorf(bot.ECONFLICT, "That code was used already; each code works once. Say /link on your other account for a new one.")
	case !now.Before(c.ExpiresAt):
		return c, bot.Errorf(bot.EINVALID, "That code has expired (codes last 10 minutes). Say /link on your other account for a new one.")
	}
	return c, nil
}

// LinkAccounts joins redeemer's account into the code's account.
func (db *DB) LinkAccounts(ctx context.Context, code string, now time.Time, redeemer, keep int64) (bot.Account, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Account{}, err
	}
	defer tx.Rollback()
	c, err := usableCode(ctx, tx, code, now)
	if err != nil {
		return bot.Account{}, err
	}
	into := c.AccountID
	if redeemer == into {
		return bot.Account{}, bot.Errorf(bot.EINVALID, "That code is for this very account: type it on your other platform.")
	}
	if err := accountExists(ctx, tx, redeemer); err != nil {
		return bot.Account{}, err
	}
	var intoHas, fromHas int
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM profiles WHERE account_id = ?), (SELECT count(*) FROM profiles WHERE account_id = ?)`,
		into, redeemer).Scan(&intoHas, &fromHas); err != nil {
		return bot.Account{}, internal("find profiles", err)
	}
	if intoHas > 0 && fromHas > 0 && keep != into && keep != redeemer {
		return bot.Account{}, bot.Errorf(bot.EINVALID, "Both accounts have a profile: choose which one to keep.")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE link_codes SET used_at = ? WHERE code = ?`, tx.d.Time(now), c.Code); err != nil {
		return bot.Account{}, internal("use link code", err)
	}
	if keep == redeemer && intoHas > 0 && fromHas > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM profiles WHERE account_id = ?`, into); err != nil {
			return bot.Account{}, internal("drop profile", err)
		}
	}
	refs, err := tx.d.AccountRefs(ctx, tx)
	if err != nil {
		return bot.Account{}, internal("read foreign keys", err)
	}
	for _, r := range refs {
		if err := tx.d.MoveRows(ctx, tx, r, into, redeemer); err != nil {
			return bot.Account{}, internal("move "+r.Table, err)
		}
	}
	if err := eraseAccountRefs(ctx, tx, redeemer); err != nil { // what could not move (duplicates)
		return bot.Account{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET sender_id = ? WHERE sender_id = ?`, into, redeemer); err != nil {
		return bot.Account{}, internal("move senders", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM accounts WHERE id = ?`, redeemer); err != nil {
		return bot.Account{}, internal("delete joined account", err)
	}
	// The search entry follows the profile that was kept.
	if err := indexProfile(ctx, tx, db.stamp(), redeemer, into); err != nil {
		return bot.Account{}, err
	}
	a, err := account(ctx, tx, into)
	if err != nil {
		return bot.Account{}, err
	}
	return a, commit(tx)
}

// FindAccount returns the account of an identity without creating it.
func (db *DB) FindAccount(ctx context.Context, id bot.Identity) (bot.Account, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return bot.Account{}, err
	}
	defer tx.Rollback()
	var accountID int64
	err = tx.QueryRowContext(ctx, `SELECT account_id FROM identities WHERE platform = ? AND workspace = ? AND user_id = ?`,
		id.Platform, id.Workspace, id.UserID).Scan(&accountID)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Account{}, bot.Errorf(bot.ENOTFOUND, "I don't know %s.", id)
	}
	if err != nil {
		return bot.Account{}, internal("find identity", err)
	}
	return account(ctx, tx, accountID)
}

// UnlinkIdentity gives an identity an account of its own again.
func (db *DB) UnlinkIdentity(ctx context.Context, id bot.Identity, name string) (bot.Account, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Account{}, err
	}
	defer tx.Rollback()
	var old int64
	err = tx.QueryRowContext(ctx, `SELECT account_id FROM identities WHERE platform = ? AND workspace = ? AND user_id = ?`+tx.forUpdate(),
		id.Platform, id.Workspace, id.UserID).Scan(&old)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Account{}, bot.Errorf(bot.ENOTFOUND, "I don't know %s.", id)
	}
	if err != nil {
		return bot.Account{}, internal("find identity", err)
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM identities WHERE account_id = ?`, old).Scan(&n); err != nil {
		return bot.Account{}, internal("count identities", err)
	}
	if n < 2 {
		return bot.Account{}, bot.Errorf(bot.EINVALID, "This account is not linked to another one.")
	}
	var fresh int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO accounts (name, created_at) VALUES (?, ?) RETURNING id`, name, tx.d.Time(db.stamp())).Scan(&fresh); err != nil {
		return bot.Account{}, internal("insert account", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE identities SET account_id = ? WHERE platform = ? AND workspace = ? AND user_id = ?`,
		fresh, id.Platform, id.Workspace, id.UserID); err != nil {
		return bot.Account{}, internal("move identity", err)
	}
	a, err := account(ctx, tx, fresh)
	if err != nil {
		return bot.Account{}, err
	}
	return a, commit(tx)
}

// eraseAccountRefs deletes every row that references the account (or
// clears the reference, where the schema says ON DELETE SET NULL): what
// the person made and where they appear — pools, reviews, alerts, pending
// notifications, link codes, privacy rules and every other table. Jobs
// they own go too, and with them (through their foreign keys) the invites,
// applications and alerts of those jobs.
func eraseAccountRefs(ctx context.Context, tx *Tx, id int64) error {
	refs, err := tx.d.AccountRefs(ctx, tx)
	if err != nil {
		return internal("read foreign keys", err)
	}
	for _, r := range refs {
		table, column := quoteIdent(r.Table), quoteIdent(r.Column)
		q := `DELETE FROM ` + table + ` WHERE ` + column + ` = ?`
		if r.OnDelete == "SET NULL" {
			q = `UPDATE ` + table + ` SET ` + column + ` = NULL WHERE ` + column + ` = ?`
		}
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return internal("erase from "+r.Table, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET sender_id = 0 WHERE sender_id = ?`, id); err != nil {
		return internal("erase sender", err)
	}
	// A pool the person was the last member of goes with them.
	if _, err := tx.ExecContext(ctx, `DELETE FROM pools WHERE NOT EXISTS (SELECT 1 FROM pool_members m WHERE m.pool_id = pools.id)`); err != nil {
		return internal("erase empty pools", err)
	}
	return nil
}
