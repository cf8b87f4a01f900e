package sqldb

import (
	"context"
	"errors"
	"time"

	"database/sql"

	"github.com/hirebot/hirebot/bot"
)

// ResolveAccount returns the account of an identity, creating it (named
// name) on first sight. The lookup and the creation share one write
// transaction, so two first messages at once create one account.
func (db *DB) ResolveAccount(ctx context.Context, id bot.Identity, name string) (bot.Account, error) {
	if id.Platform == "" || id.UserID == "" {
		return bot.Account{}, bot.Errorf(bot.EINVALID, "An identity needs a platform and a user ID.")
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Account{}, err
	}
	defer tx.Rollback()

	var accountID int64
	err = tx.QueryRowContext(ctx, `SELECT account_id FROM identities WHERE platform = ? AND workspace = ? AND user_id = ?`,
		id.Platform, id.Workspace, id.UserID).Scan(&accountID)
	if errors.Is(err, sql.ErrNoRows) {
		// A replica that loses the race to insert the identity rolls its
		// account back to the savepoint and finds the winner's.
		var created bool
		if created, accountID, err = createAccount(ctx, tx, id, name, db.stamp()); err == nil && !created {
			err = tx.QueryRowContext(ctx, `SELECT account_id FROM identities WHERE platform = ? AND workspace = ? AND user_id = ?`,
				id.Platform, id.Workspace, id.UserID).Scan(&accountID)
		}
	}
	if err != nil {
		return bot.Account{}, internal("find identity", err)
	}

	a, err := account(ctx, tx, accountID)
	if err != nil {
		return bot.Account{}, err
	}
	return a, commit(tx)
}

// createAccount inserts an account with its first identity under a
// savepoint; created is false, and nothing is left behind, when the
// identity exists already.
func createAccount(ctx context.Context, t *Tx, id bot.Identity, name string, now time.Time) (created bool, accountID int64, err error) {
	err = t.savepoint(ctx, func() error {
		if err := t.QueryRowContext(ctx, `INSERT INTO accounts (name, created_at) VALUES (?, ?) RETURNING id`,
			name, t.d.Time(now)).Scan(&accountID); err != nil {
			return err
		}
		_, err := t.ExecContext(ctx, `INSERT INTO identities (platform, workspace, user_id, account_id, created_at) VALUES (?, ?, ?, ?, ?)`,
			id.Platform, id.Workspace, id.UserID, accountID, t.d.Time(now))
		return err
	})
	if isUnique(err) {
		return false, 0, nil
	}
	return err == nil, accountID, err
}

// Account returns an account with its identities; ENOTFOUND if none.
func (db *DB) Account(ctx context.Context, id int64) (bot.Account, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return bot.Account{}, err
	}
	defer tx.Rollback()
	return account(ctx, tx, id)
}

func account(ctx context.Context, tx *Tx, id int64) (bot.Account, error) {
	a := bot.Account{ID: id}
	err := tx.QueryRowContext(ctx, `SELECT name, created_at FROM accounts WHERE id = ?`, id).Scan(&a.Name, tm(&a.CreatedAt))
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Account{}, bot.Errorf(bot.ENOTFOUND, "There is no account %d.", id)
	}
	if err != nil {
		return bot.Account{}, internal("read account", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT platform, workspace, user_id FROM identities WHERE account_id = ? ORDER BY id`, id)
	if err != nil {
		return bot.Account{}, internal("read identities", err)
	}
	defer rows.Close()
	for rows.Next() {
		var i bot.Identity
		if err := rows.Scan(&i.Platform, &i.Workspace, &i.UserID); err != nil {
			return bot.Account{}, internal("read identities", err)
		}
		a.Identities = append(a.Identities, i)
	}
	if err := rows.Err(); err != nil {
		return bot.Account{}, internal("read identities", err)
	}
	return a, nil
}

// Accounts calls fn for every account, with its identities, in ID order,
// and stops at fn's first error, returning it. It reads one snapshot; fn
// may call the store.
func (db *DB) Accounts(ctx context.Context, fn func(bot.Account) error) error {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	rows, err := tx.QueryContext(ctx, `
		SELECT a.id, a.name, a.created_at, i.platform, i.workspace, i.user_id
		FROM accounts a LEFT JOIN identities i ON i.account_id = a.id
		ORDER BY a.id, i.id`)
	if err != nil {
		return internal("read accounts", err)
	}
	defer rows.Close()

	var cur bot.Account
	have := false
	for rows.Next() {
		var (
			id                          int64
			name                        string
			created                     time.Time
			platform, workspace, userID *string
		)
		if err := rows.Scan(&id, &name, tm(&created), &platform, &workspace, &userID); err != nil {
			return internal("read accounts", err)
		}
		if !have || id != cur.ID {
			if have {
				if err := fn(cur); err != nil {
					return err
				}
			}
			cur, have = bot.Account{ID: id, Name: name, CreatedAt: created}, true
		}
		if platform != nil {
			cur.Identities = append(cur.Identities, bot.Identity{Platform: *platform, Workspace: *workspace, UserID: *userID})
		}
	}
	if err := rows.Err(); err != nil {
		return internal("read accounts", err)
	}
	if have {
		return fn(cur)
	}
	return nil
}

// DeleteAccount erases every trace of an account: every row of every
// table that references it (identities, profile, jobs, invites, reviews,
// pools, alerts, pending notifications, ...), its search entry and its
// dialog session. ENOTFOUND if none. The rows naming the person are
// deleted explicitly; the rows that hang on the person's jobs (other
// people's applications and invites, board posts) go with those jobs by ON
// DELETE CASCADE.
func (db *DB) DeleteAccount(ctx context.Context, id int64) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM accounts WHERE id = ?`+tx.forUpdate()+`) a`, id).Scan(&n); err != nil {
		return internal("find account", err)
	}
	if n == 0 {
		return bot.Errorf(bot.ENOTFOUND, "There is no account %d.", id)
	}
	// Every row that names the person, in every table (retention_link.go).
	if err := eraseAccountRefs(ctx, tx, id); err != nil {
		return err
	}
	key := bot.SessionKey(id)
	for _, st := range []struct {
		what, sql string
		args      []any
	}{
		{"profile", `DELETE FROM profiles WHERE account_id = ?`, []any{id}},
		{"jobs", `DELETE FROM jobs WHERE owner_id = ?`, []any{id}},
		{"sessions", `DELETE FROM sessions WHERE key = ? OR substr(key, 1, ?) = ?`, []any{key, len(key) + 1, key + ":"}},
		{"identities", `DELETE FROM identities WHERE account_id = ?`, []any{id}},
		{"account", `DELETE FROM accounts WHERE id = ?`, []any{id}},
	} {
		if _, err := tx.ExecContext(ctx, st.sql, st.args...); err != nil {
			return internal("delete "+st.what, err)
		}
	}
	if err := indexProfile(ctx, tx, db.stamp(), id); err != nil {
		return err
	}
	return commit(tx)
}
