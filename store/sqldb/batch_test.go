package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	_ "modernc.org/sqlite"
)

// plainDialect classifies no error; the batcher needs nothing else.
type plainDialect struct{ Dialect }

func (plainDialect) Classify(error) ErrorKind { return ErrOther }

// mustBatcher is a batcher over a fresh SQLite file with one writer and a
// table t (k TEXT PRIMARY KEY).
func mustBatcher(t *testing.T) *batcher {
	t.Helper()
	pool, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "b.db")+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close() })
	pool.SetMaxOpenConns(1)
	if _, err := pool.Exec(`CREATE TABLE t (k TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	return &batcher{pool: pool, d: plainDialect{}}
}

func count(t *testing.T, b *batcher) int {
	t.Helper()
	var n int
	if err := b.pool.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestBatchedWritesKeepTheirOwnOutcomes: writers at once share commits,
// and each reads the outcome of its own statement: a duplicate key fails
// its writer alone, an insert that finds its key taken returns no row.
func TestBatchedWritesKeepTheirOwnOutcomes(t *testing.T) {
	b := mustBatcher(t)
	ctx := context.Background()
	const writers, each = 40, 25
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for i := range writers {
		wg.Go(func() {
			for j := range each {
				k := fmt.Sprintf("%d-%d", i, j)
				if n, err := b.exec(ctx, `INSERT INTO t (k) VALUES (?)`, k); err != nil || n != 1 {
					errs[i] = fmt.Errorf("insert %s: %d rows, %v", k, n, err)
					return
				}
				if _, err := b.exec(ctx, `INSERT INTO t (k) VALUES (?)`, k); err == nil {
					errs[i] = fmt.Errorf("a second insert of %s succeeded", k)
					return
				}
				var got string
				err := b.queryRow(ctx, []any{&got}, `INSERT INTO t (k) VALUES (?) ON CONFLICT (k) DO NOTHING RETURNING k`, k)
				if !errors.Is(err, sql.ErrNoRows) {
					errs[i] = fmt.Errorf("insert of taken %s returning: %q, %v; want no row", k, got, err)
					return
				}
				if err := b.queryRow(ctx, []any{&got}, `INSERT INTO t (k) VALUES (?) RETURNING k`, k+"x"); err != nil || got != k+"x" {
					errs[i] = fmt.Errorf("insert of %sx returning: %q, %v", k, got, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if n := count(t, b); n != 2*writers*each {
		t.Fatalf("%d rows, want %d", n, 2*writers*each)
	}
}

// TestAbandonedWriteDoesNotRun: a writer whose context ends while it
// waits in the queue returns at once, and its statement never runs; the
// writers queued with it still do.
func TestAbandonedWriteDoesNotRun(t *testing.T) {
	b := mustBatcher(t)
	ctx := context.Background()
	hold, err := b.pool.BeginTx(ctx, nil) // takes the one connection
	if err != nil {
		t.Fatal(err)
	}
	// queued waits until the queue holds n writers and one leads.
	queued := func(n int) {
		for {
			b.mu.Lock()
			ok := b.leading && len(b.queue) == n
			b.mu.Unlock()
			if ok {
				return
			}
			runtime.Gosched()
		}
	}
	first := make(chan error, 1)
	go func() {
		_, err := b.exec(ctx, `INSERT INTO t (k) VALUES ('first')`)
		first <- err
	}()
	queued(0) // the first writer leads, waiting for the connection
	gone, cancel := context.WithCancel(ctx)
	abandoned := make(chan error, 1)
	go func() {
		_, err := b.exec(gone, `INSERT INTO t (k) VALUES ('abandoned')`)
		abandoned <- err
	}()
	queued(1)
	third := make(chan error, 1)
	go func() {
		_, err := b.exec(ctx, `INSERT INTO t (k) VALUES ('third')`)
		third <- err
	}()
	queued(2)
	cancel()
	if err := <-abandoned; !errors.Is(err, context.Canceled) {
		t.Fatalf("the abandoned writer returned %v, want context.Canceled", err)
	}
	if err := hold.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(<-first, <-third); err != nil {
		t.Fatal(err)
	}
	var k string
	rows, err := b.pool.Query(`SELECT k FROM t ORDER BY k`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		got = append(got, k)
	}
	if fmt.Sprint(got) != "[first third]" {
		t.Fatalf("rows %v, want [first third]", got)
	}
}
