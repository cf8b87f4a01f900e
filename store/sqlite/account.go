package sqlite

import (
	"context"
	"database/sql"
	"errors"

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
	switch {
	case errors.Is(err, sql.ErrNoRows):
		now := formatTime(db.stamp())
		res, err := tx.ExecContext(ctx, `INSERT INTO accounts (name, created_at) VALUES (?, ?)`, name, now)
		if err != nil {
			return bot.Account{}, internal("insert account", err)
		}
		if accountID, err = res.LastInsertId(); err != nil {
			return bot.Account{}, internal("insert account", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO identities (platform, workspace, user_id, account_id, created_at) VALUES (?, ?, ?, ?, ?)`,
			id.Platform, id.Workspace, id.UserID, accountID, now); err != nil {
			return bot.Account{}, internal("insert identity", err)
		}
	case err != nil:
		return bot.Account{}, internal("find identity", err)
	}

	a, err := account(ctx, tx, accountID)
	if err != nil {
		return bot.Account{}, err
	}
	return a, commit(tx)
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

func account(ctx context.Context, tx *sql.Tx, id int64) (bot.Account, error) {
	a := bot.Account{ID: id}
	var created string
	err := tx.QueryRowContext(ctx, `SELECT name, created_at FROM accounts WHERE id = ?`, id).Scan(&a.Name, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Account{}, bot.Errorf(bot.ENOTFOUND, "There is no account %d.", id)
	}
	if err != nil {
		return bot.Account{}, internal("read account", err)
	}
	if a.CreatedAt, err = parseTime(created); err != nil {
		return bot.Account{}, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT platform, workspace, user_id FROM identities WHERE account_id = ? ORDER BY rowid`, id)
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
		ORDER BY a.id, i.rowid`)
	if err != nil {
		return internal("read accounts", err)
	}
	defer rows.Close()

	var cur bot.Account
	have := false
	for rows.Next() {
		var (
			id                          int64
			name, created               string
			platform, workspace, userID sql.NullString
		)
		if err := rows.Scan(&id, &name, &created, &platform, &workspace, &userID); err != nil {
			return internal("read accounts", err)
		}
		if !have || id != cur.ID {
			if have {
				if err := fn(cur); err != nil {
					return err
				}
			}
			createdAt, err := parseTime(created)
			if err != nil {
				return err
			}
			cur, have = bot.Account{ID: id, Name: name, CreatedAt: createdAt}, true
		}
		if platform.Valid {
			cur.Identities = append(cur.Identities, bot.Identity{Platform: platform.String, Workspace: workspace.String, UserID: userID.String})
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
// DELETE CASCADE, which the foreign_keys pragma on every connection (dsn)
// turns on.
func (db *DB) DeleteAccount(ctx context.Context, id int64) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE id = ?`, id).Scan(&n); err != nil {
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
		{"search entry", `DELETE FROM profile_search WHERE rowid = ?`, []any{id}},
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
	return commit(tx)
}
