package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
)

// A single writer (SQLite) commits one transaction at a time, and a commit
// writes every page it changed to the WAL. The inbox writes twice per
// message (record, done), each a one-statement transaction whose rows sit
// on the same few pages as those of the other people's messages of the
// moment. So one-statement writes that arrive while the writer is busy
// wait in a queue and run together, one transaction per batch: the first
// caller in the queue runs the batch for everyone in it (as LevelDB's
// writers do), and each caller returns once the commit holding its
// statement is done. A write is as durable as before; it just shares its
// commit.

// maxBatch bounds the statements of one commit, so the first caller of a
// long queue does not wait for all of it.
const maxBatch = 64

// batcher queues one-statement writes to the single writer.
type batcher struct {
	pool *sql.DB
	opts *sql.TxOptions
	d    Dialect

	mu      sync.Mutex
	queue   []*write
	leading bool // a caller is running a batch, or is told to run the next
}

// write is one statement in the queue.
type write struct {
	query string
	args  []any
	scan  []any // QueryRow's destinations; nil for Exec

	rows int64 // Exec's rows affected
	err  error

	state atomic.Int32 // waiting, taken (in a batch or to lead one), abandoned
	wake  chan bool    // true: run the next batch; false: done
}

const (
	waiting int32 = iota
	taken
	abandoned
)

// exec runs one statement and returns the rows it changed.
func (b *batcher) exec(ctx context.Context, query string, args ...any) (int64, error) {
	w := &write{query: query, args: args}
	err := b.do(ctx, w)
	return w.rows, err
}

// queryRow runs one statement that returns at most one row into dest;
// sql.ErrNoRows when it returned none.
func (b *batcher) queryRow(ctx context.Context, dest []any, query string, args ...any) error {
	return b.do(ctx, &write{query: query, args: args, scan: dest})
}

func (b *batcher) do(ctx context.Context, w *write) error {
	w.wake = make(chan bool, 1)
	b.mu.Lock()
	lead := !b.leading
	if lead {
		b.leading = true
		w.state.Store(taken)
	}
	b.queue = append(b.queue, w)
	b.mu.Unlock()
	if !lead {
		select {
		case lead = <-w.wake:
		case <-ctx.Done():
			if w.state.CompareAndSwap(waiting, abandoned) {
				return ctx.Err()
			}
			lead = <-w.wake // already taken: its commit is under way
		}
		if !lead {
			return w.err
		}
	}
	// Let the writers that are ready to run queue their statements first:
	// under load several are, and each that joins shares this commit
	// instead of paying for one of its own. Alone, it returns at once.
	runtime.Gosched()
	b.mu.Lock()
	var batch []*write
	for len(b.queue) > 0 && len(batch) < maxBatch {
		next := b.queue[0]
		b.queue = b.queue[1:]
		if next == w || next.state.CompareAndSwap(waiting, taken) {
			batch = append(batch, next)
		}
	}
	b.mu.Unlock()

	b.run(context.WithoutCancel(ctx), batch)
	for _, o := range batch {
		if o != w {
			o.wake <- false
		}
	}

	b.mu.Lock()
	b.leading = false
	for len(b.queue) > 0 {
		next := b.queue[0]
		if next.state.CompareAndSwap(waiting, taken) {
			b.leading = true
			next.wake <- true
			break
		}
		b.queue = b.queue[1:] // abandoned
	}
	b.mu.Unlock()
	return w.err
}

// run runs batch in one transaction. When a statement fails, the
// transaction is rolled back and each statement runs in a transaction of
// its own, so each caller reads the outcome of its own statement alone.
func (b *batcher) run(ctx context.Context, batch []*write) {
	if b.runTx(ctx, batch) == nil || len(batch) == 1 {
		return
	}
	for _, w := range batch {
		b.runTx(ctx, []*write{w})
	}
}

// runTx runs batch in one transaction; nil when every statement and the
// commit succeeded (a QueryRow of no row counts as success).
func (b *batcher) runTx(ctx context.Context, batch []*write) error {
	tx, err := b.pool.BeginTx(ctx, b.opts)
	if err != nil {
		err = classify(b.d, err)
		for _, w := range batch {
			w.err = err
		}
		return err
	}
	defer tx.Rollback()
	for _, w := range batch {
		w.err = nil
		if w.scan != nil {
			w.err = classify(b.d, tx.QueryRowContext(ctx, w.query, w.args...).Scan(w.scan...))
			if w.err != nil && !errors.Is(w.err, sql.ErrNoRows) {
				return w.err
			}
			continue
		}
		res, err := tx.ExecContext(ctx, w.query, w.args...)
		if err == nil {
			w.rows, err = res.RowsAffected()
		}
		if err != nil {
			w.err = classify(b.d, err)
			return w.err
		}
	}
	if err := tx.Commit(); err != nil {
		err = classify(b.d, err)
		for _, w := range batch {
			w.err = err
		}
		return err
	}
	return nil
}

// execOne runs one statement on the writer, in the next shared commit when
// there is a single writer, and returns the rows it changed.
func (db *DB) execOne(ctx context.Context, query string, args ...any) (int64, error) {
	query = db.d.Rebind(query)
	if db.batch != nil {
		return db.batch.exec(ctx, query, args...)
	}
	res, err := db.write.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, classify(db.d, err)
	}
	return res.RowsAffected()
}

// queryRowOne runs one statement on the writer that returns at most one
// row into dest, in the next shared commit when there is a single writer;
// sql.ErrNoRows when it returned none.
func (db *DB) queryRowOne(ctx context.Context, dest []any, query string, args ...any) error {
	query = db.d.Rebind(query)
	if db.batch != nil {
		return db.batch.queryRow(ctx, dest, query, args...)
	}
	return classify(db.d, db.write.QueryRowContext(ctx, query, args...).Scan(dest...))
}
