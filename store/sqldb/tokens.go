package sqldb

import (
	"context"
	"errors"

	"database/sql"

	"github.com/hirebot/hirebot/bot"
)

// Tokens is the store of one platform's workspace bot tokens (the Slack
// adapter's TokenStore).
type Tokens struct {
	db       *DB
	platform string
}

// Tokens returns the token store of platform.
func (db *DB) Tokens(platform string) *Tokens { return &Tokens{db: db, platform: platform} }

// Token returns the bot token of workspace; ENOTFOUND when it has none.
func (t *Tokens) Token(ctx context.Context, workspace string) (string, error) {
	tx, err := t.db.beginRead(ctx)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	var token string
	err = tx.QueryRowContext(ctx, `SELECT token FROM workspace_tokens WHERE platform = ? AND workspace = ?`, t.platform, workspace).Scan(&token)
	if errors.Is(err, sql.ErrNoRows) {
		return "", bot.Errorf(bot.ENOTFOUND, "hirebot is not installed in this workspace.")
	}
	if err != nil {
		return "", internal("load token", err)
	}
	return token, nil
}

// SaveToken stores or replaces the bot token of workspace.
func (t *Tokens) SaveToken(ctx context.Context, workspace, token string) error {
	if workspace == "" || token == "" {
		return bot.Errorf(bot.EINVALID, "A workspace token needs a workspace and a token.")
	}
	tx, err := t.db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO workspace_tokens (platform, workspace, token, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (platform, workspace) DO UPDATE SET token = excluded.token, updated_at = excluded.updated_at`,
		t.platform, workspace, token, tx.d.Time(t.db.stamp())); err != nil {
		return internal("save token", err)
	}
	return commit(tx)
}
