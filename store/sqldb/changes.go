package sqldb

import (
	"context"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// Changes is the bot.ChangeFeed in the database itself, for processes
// that share a database and no Redis (two terminals on one SQLite file, a
// chat beside serve): Publish appends a row to the changes table, and
// each subscriber follows the rows appended after it started.
type Changes struct {
	db   *DB
	poll time.Duration
}

var _ bot.ChangeFeed = (*Changes)(nil)

const (
	// changesKept is how long a change stays in the table: a subscriber
	// that falls further behind misses it, as a Redis subscriber misses
	// what was published while it reconnected.
	changesKept = 10 * time.Minute
	// changesPage bounds the rows one poll reads.
	changesPage = 1000
	// gapWait is how long a subscriber waits for a missing number below
	// rows it has seen (see follower).
	gapWait = 10 * time.Second
)

// Changes returns the change feed of db. Subscribers look for new rows
// every poll (500ms when poll is 0), which bounds how stale another
// process's index can be.
func (db *DB) Changes(poll time.Duration) *Changes {
	if poll <= 0 {
		poll = 500 * time.Millisecond
	}
	return &Changes{db: db, poll: poll}
}

// Publish appends msg for every subscriber, this process's included.
func (c *Changes) Publish(ctx context.Context, msg string) error {
	tx, err := c.db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(ctx, `INSERT INTO changes (msg, created_at) VALUES (?, ?)`, msg, tx.d.Time(c.db.stamp())); err != nil {
		return internal("publish change", err)
	}
	return commit(tx)
}

// Subscribe calls fn for each message published after it started, in
// order, until ctx ends. A failed read is logged and tried again at the
// next poll; it returns nil when ctx ends.
func (c *Changes) Subscribe(ctx context.Context, fn func(msg string)) error {
	tick := time.NewTicker(c.poll)
	defer tick.Stop()
	var f *follower
	lastPrune := time.Now()
	for {
		if f == nil {
			newest, err := c.newest(ctx)
			if err == nil {
				f = &follower{done: newest, seen: map[int64]bool{}}
			} else if ctx.Err() == nil {
				c.db.logger.Warn("cannot start following changes; trying again", "err", err)
			}
		} else if err := c.follow(ctx, f, fn); err != nil && ctx.Err() == nil {
			c.db.logger.Warn("cannot read changes; trying again", "err", err)
		}
		if time.Since(lastPrune) > time.Minute {
			lastPrune = time.Now()
			if err := c.prune(ctx); err != nil && ctx.Err() == nil {
				c.db.logger.Warn("cannot prune changes", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// follower is where a subscriber stands: every change numbered up to done
// was delivered, and those above it in seen. PostgreSQL numbers a row
// when it is inserted, not when it commits, so a higher number can be
// visible before a lower one: a gap is waited for (gapWait), then given up,
// since a rolled-back insert leaves a gap for ever. SQLite has one writer
// and no such gaps.
type follower struct {
	done     int64
	seen     map[int64]bool
	gapSince time.Time
}

func (c *Changes) newest(ctx context.Context) (int64, error) {
	tx, err := c.db.beginRead(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var seq int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM changes`).Scan(&seq); err != nil {
		return 0, internal("read newest change", err)
	}
	return seq, nil
}

// follow delivers the rows after f.done that were not delivered yet.
func (c *Changes) follow(ctx context.Context, f *follower, fn func(string)) error {
	type row struct {
		seq int64
		msg string
	}
	var page []row
	err := func() error {
		tx, err := c.db.beginRead(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		rows, err := tx.Query(ctx, `SELECT seq, msg FROM changes WHERE seq > ? ORDER BY seq LIMIT ?`, f.done, changesPage)
		if err != nil {
			return internal("read changes", err)
		}
		defer rows.Close()
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.seq, &r.msg); err != nil {
				return internal("read changes", err)
			}
			page = append(page, r)
		}
		return rows.Err()
	}()
	if err != nil {
		return err
	}
	for _, r := range page {
		if !f.seen[r.seq] {
			f.seen[r.seq] = true
			fn(r.msg)
		}
	}
	f.advance()
	return nil
}

// advance moves done past the delivered numbers that follow it, and past
// a gap that has waited long enough.
func (f *follower) advance() {
	step := func() {
		for f.seen[f.done+1] {
			delete(f.seen, f.done+1)
			f.done++
		}
	}
	step()
	switch {
	case len(f.seen) == 0:
		f.gapSince = time.Time{}
	case f.gapSince.IsZero():
		f.gapSince = time.Now()
	case time.Since(f.gapSince) > gapWait:
		low := f.done + 1
		for !f.seen[low] {
			low++
		}
		f.done = low - 1
		f.gapSince = time.Time{}
		step()
	}
}

// prune deletes the changes older than changesKept.
func (c *Changes) prune(ctx context.Context) error {
	tx, err := c.db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(ctx, `DELETE FROM changes WHERE created_at < ?`, tx.d.Time(c.db.stamp().Add(-changesKept))); err != nil {
		return internal("prune changes", err)
	}
	return commit(tx)
}
