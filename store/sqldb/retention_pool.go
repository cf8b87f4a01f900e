package sqldb

import (
	"context"
	"errors"
	"strings"
	"time"

	"database/sql"

	"github.com/hirebot/hirebot/bot"
)

// AddToPool adds an account to a named pool of a scope, creating the pool.
func (db *DB) AddToPool(ctx context.Context, scope bot.Scope, name string, accountID, addedBy int64) (bot.Pool, error) {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return bot.Pool{}, bot.Errorf(bot.EINVALID, "A pool needs a name.")
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Pool{}, err
	}
	defer tx.Rollback()
	for _, id := range []int64{accountID, addedBy} {
		if err := accountExists(ctx, tx, id); err != nil {
			return bot.Pool{}, err
		}
	}
	now := tx.d.Time(db.stamp())
	id, err := poolID(ctx, tx, scope, name)
	if errors.Is(err, sql.ErrNoRows) {
		// Upsert: a replica that creates the same pool meanwhile wins, and
		// its pool is used (the no-op update returns its id).
		if err := tx.QueryRowContext(ctx, `INSERT INTO pools (platform, workspace, name, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (platform, workspace, lower(name)) DO UPDATE SET name = pools.name RETURNING id`,
			scope.Platform, scope.Workspace, name, now).Scan(&id); err != nil {
			return bot.Pool{}, internal("create pool", err)
		}
	} else if err != nil {
		return bot.Pool{}, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO pool_members (pool_id, account_id, added_by, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (pool_id, account_id) DO NOTHING`,
		id, accountID, addedBy, now)
	if err != nil {
		return bot.Pool{}, internal("add to pool", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return bot.Pool{}, internal("add to pool", err)
	} else if n == 0 {
		return bot.Pool{}, bot.Errorf(bot.ECONFLICT, "They are already in the pool %q.", name)
	}
	pools, err := poolsIn(ctx, tx, `p.id = ?`, id)
	if err != nil {
		return bot.Pool{}, err
	}
	return pools[0], commit(tx)
}

func poolID(ctx context.Context, tx *Tx, scope bot.Scope, name string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM pools WHERE platform = ? AND workspace = ? AND lower(name) = lower(?)`+tx.forUpdate(),
		scope.Platform, scope.Workspace, strings.Join(strings.Fields(name), " ")).Scan(&id)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, internal("find pool", err)
	}
	return id, err
}

// RemoveFromPool takes an account out of a pool; an empty pool goes.
func (db *DB) RemoveFromPool(ctx context.Context, scope bot.Scope, name string, accountID int64) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	id, err := poolID(ctx, tx, scope, name)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Errorf(bot.ENOTFOUND, "There is no pool %q here.", name)
	}
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM pool_members WHERE pool_id = ? AND account_id = ?`, id, accountID)
	if err != nil {
		return internal("remove from pool", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return internal("remove from pool", err)
	} else if n == 0 {
		return bot.Errorf(bot.ENOTFOUND, "They are not in the pool %q.", name)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM pools WHERE id = ? AND NOT EXISTS (SELECT 1 FROM pool_members WHERE pool_id = ?)`, id, id); err != nil {
		return internal("remove empty pool", err)
	}
	return commit(tx)
}

// Pools returns a scope's pools with their members, by name.
func (db *DB) Pools(ctx context.Context, scope bot.Scope) ([]bot.Pool, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return poolsIn(ctx, tx, `p.platform = ? AND p.workspace = ?`, scope.Platform, scope.Workspace)
}

func poolsIn(ctx context.Context, tx *Tx, where string, args ...any) ([]bot.Pool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.platform, p.workspace, p.name, p.created_at,
			m.account_id, coalesce(m.added_by, 0), m.created_at
		FROM pools p LEFT JOIN pool_members m ON m.pool_id = p.id
		WHERE `+where+` ORDER BY lower(p.name), p.id, m.created_at, m.account_id`, args...)
	if err != nil {
		return nil, internal("read pools", err)
	}
	defer rows.Close()
	var out []bot.Pool
	for rows.Next() {
		var (
			p           bot.Pool
			created     time.Time
			member, by  *int64
			memberAdded time.Time
		)
		if err := rows.Scan(&p.ID, &p.Scope.Platform, &p.Scope.Workspace, &p.Name, tm(&created), &member, &by, tm(&memberAdded)); err != nil {
			return nil, internal("read pools", err)
		}
		if n := len(out); n == 0 || out[n-1].ID != p.ID {
			p.CreatedAt = created
			out = append(out, p)
		}
		if member != nil {
			m := bot.PoolMember{AccountID: *member, AddedBy: *by}
			m.AddedAt = memberAdded
			last := &out[len(out)-1]
			last.Members = append(last.Members, m)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read pools", err)
	}
	return out, nil
}
