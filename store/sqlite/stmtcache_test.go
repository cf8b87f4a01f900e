package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"testing"
)

// cached returns the statements the connection of c keeps.
func cached(t *testing.T, c *sql.Conn) map[string]*cachedStmt {
	t.Helper()
	var m map[string]*cachedStmt
	if err := c.Raw(func(dc any) error {
		m = dc.(*stmtConn).stmts
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return m
}

// mustConn takes one connection of pool (the write pool, or else the
// read pool) of a fresh database.
func mustConn(t *testing.T, write bool) *sql.Conn {
	t.Helper()
	w, r := MustOpen(t, Options{}).Conns()
	pool := r
	if write {
		pool = w
	}
	c, err := pool.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestStatementsArePreparedOncePerConnection(t *testing.T) {
	ctx := context.Background()
	c := mustConn(t, true)
	const q = `SELECT ? + 1`
	var got int
	if err := c.QueryRowContext(ctx, q, 41).Scan(&got); err != nil || got != 42 {
		t.Fatalf("first run: %d, %v", got, err)
	}
	first := cached(t, c)[q]
	if first == nil {
		t.Fatalf("%q was not kept prepared", q)
	}
	if err := c.QueryRowContext(ctx, q, 1).Scan(&got); err != nil || got != 2 {
		t.Fatalf("second run: %d, %v (a kept statement must bind afresh)", got, err)
	}
	if again := cached(t, c)[q]; again != first {
		t.Fatalf("the second run prepared %q again", q)
	}
	if _, err := c.ExecContext(ctx, `CREATE TEMP TABLE t (n INTEGER); INSERT INTO t VALUES (1)`); err != nil {
		t.Fatalf("a script of two statements: %v", err)
	}
	if err := c.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&got); err != nil || got != 1 {
		t.Fatalf("both statements of the script ran: %d rows, %v", got, err)
	}
}

// A statement whose rows are still open is run unprepared when it comes
// again on the same connection, which the inner loop here does.
func TestStatementInUseRunsAgainWhileItsRowsAreOpen(t *testing.T) {
	db := MustOpen(t, Options{})
	ctx := context.Background()
	write, _ := db.Conns()
	tx, err := write.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const q = `SELECT value FROM json_each('[1,2,3]') ORDER BY value`
	outer, err := tx.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer outer.Close()
	pairs, rows := 0, 0
	for outer.Next() {
		if rows++; rows > 3 {
			t.Fatal("the outer rows started over: the inner run reset their statement")
		}
		var a int
		if err := outer.Scan(&a); err != nil {
			t.Fatal(err)
		}
		inner, err := tx.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for inner.Next() {
			pairs++
		}
		if err := inner.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if err := outer.Err(); err != nil {
		t.Fatal(err)
	}
	if pairs != 9 {
		t.Fatalf("nested runs of one statement gave %d pairs, want 9", pairs)
	}
}

func TestKeptStatementsAreBounded(t *testing.T) {
	ctx := context.Background()
	c := mustConn(t, false)
	for i := range maxStmts + 20 {
		var got int
		if err := c.QueryRowContext(ctx, fmt.Sprintf(`SELECT %d`, i)).Scan(&got); err != nil || got != i {
			t.Fatalf("SELECT %d: %d, %v", i, got, err)
		}
	}
	m := cached(t, c)
	if len(m) != maxStmts {
		t.Fatalf("%d statements kept, want the bound %d", len(m), maxStmts)
	}
	if _, ok := m[`SELECT 0`]; ok {
		t.Fatal("the least recently used statement was kept past the bound")
	}
	if _, ok := m[fmt.Sprintf(`SELECT %d`, maxStmts+19)]; !ok {
		t.Fatal("the most recent statement was not kept")
	}
}
