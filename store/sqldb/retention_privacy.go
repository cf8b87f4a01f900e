package sqldb

import (
	"context"
	"strings"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// HideFrom keeps an account out of a scope's sight.
func (db *DB) HideFrom(ctx context.Context, accountID int64, scope bot.Scope) error {
	if strings.TrimSpace(scope.Workspace) == "" {
		return bot.Errorf(bot.EINVALID, "Which workspace or server? Say /privacy hide here, in it.")
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := accountExists(ctx, tx, accountID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO privacy_hidden (account_id, platform, workspace, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (account_id, platform, workspace) DO NOTHING`,
		accountID, scope.Platform, scope.Workspace, tx.d.Time(db.stamp())); err != nil {
		return internal("hide", err)
	}
	return commit(tx)
}

// ShowTo removes one rule.
func (db *DB) ShowTo(ctx context.Context, accountID int64, scope bot.Scope) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM privacy_hidden WHERE account_id = ? AND platform = ? AND workspace = ?`,
		accountID, scope.Platform, scope.Workspace)
	if err != nil {
		return internal("show", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return internal("show", err)
	} else if n == 0 {
		return bot.Errorf(bot.ENOTFOUND, "You were not hidden from %s.", scope)
	}
	return commit(tx)
}

// ShowToEveryone removes every rule of an account.
func (db *DB) ShowToEveryone(ctx context.Context, accountID int64) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM privacy_hidden WHERE account_id = ?`, accountID); err != nil {
		return internal("show to everyone", err)
	}
	return commit(tx)
}

// HiddenScopes returns an account's rules, oldest first.
func (db *DB) HiddenScopes(ctx context.Context, accountID int64) ([]bot.Hidden, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return hiddenIn(ctx, tx, accountID)
}

func hiddenIn(ctx context.Context, tx *Tx, accountID int64) ([]bot.Hidden, error) {
	rows, err := tx.QueryContext(ctx, `SELECT platform, workspace, created_at FROM privacy_hidden WHERE account_id = ?
		ORDER BY created_at, platform, workspace`, accountID)
	if err != nil {
		return nil, internal("read privacy", err)
	}
	defer rows.Close()
	var out []bot.Hidden
	for rows.Next() {
		var (
			h       bot.Hidden
			created time.Time
		)
		if err := rows.Scan(&h.Scope.Platform, &h.Scope.Workspace, tm(&created)); err != nil {
			return nil, internal("read privacy", err)
		}
		h.CreatedAt = created
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read privacy", err)
	}
	return out, nil
}

// HiddenFrom returns the accounts that hide from a viewer.
func (db *DB) HiddenFrom(ctx context.Context, viewer bot.Scope) ([]int64, error) {
	if viewer.Workspace == "" {
		return nil, nil
	}
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return queryIDs(ctx, tx, `SELECT DISTINCT account_id FROM privacy_hidden WHERE workspace = ? AND platform IN (?, '')
		ORDER BY account_id`, viewer.Workspace, viewer.Platform)
}
