package sqlite

import (
	"context"
	"database/sql/driver"
	"errors"
	"reflect"
	"strings"

	msqlite "modernc.org/sqlite"
)

// The driver parses a statement at every call made with its text
// (database/sql's Exec and Query on a pool or a transaction), and under
// load that parse was the largest single cost of a short write: the inbox
// records every event and marks it done, two statements per message. Each
// connection here keeps its statements prepared by their text instead,
// the way a database/sql Stmt would, but per connection, so a statement
// first seen inside a transaction is prepared on the transaction's own
// connection (preparing on the pool would wait for the single writer the
// transaction holds).

// maxStmts bounds the statements one connection keeps. hirebot has a few
// hundred fixed statements; statements built with a varying number of
// placeholders push out the least recently used ones.
const maxStmts = 256

// connector opens connections that keep their statements prepared.
type connector struct{ driver.Connector }

func newConnector(dsn string) (driver.Connector, error) {
	c, err := msqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return connector{c}, nil
}

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return newStmtConn(conn)
}

// driverConn is what database/sql uses of a modernc.org/sqlite connection.
type driverConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// stmtConn is a connection with its prepared statements. database/sql
// never uses one connection from two goroutines at once, so it needs no
// lock.
type stmtConn struct {
	driverConn
	stmts map[string]*cachedStmt
	clock uint64 // ticks at each use, for least recently used
}

type cachedStmt struct {
	stmt interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	}
	used uint64
	busy bool // rows of it are open
}

func newStmtConn(c driver.Conn) (driver.Conn, error) {
	dc, ok := c.(driverConn)
	if !ok {
		c.Close()
		return nil, errors.New("sqlite: the driver's connection lacks a method database/sql uses")
	}
	return &stmtConn{driverConn: dc, stmts: map[string]*cachedStmt{}}, nil
}

// stmt returns the prepared statement of query, preparing it on first use;
// nil when query is a script of several statements or its statement is in
// use by open rows (the caller then runs it unprepared).
func (c *stmtConn) stmt(ctx context.Context, query string) (*cachedStmt, error) {
	c.clock++
	if s, ok := c.stmts[query]; ok {
		if s.busy {
			return nil, nil
		}
		s.used = c.clock
		return s, nil
	}
	if strings.Contains(query, ";") {
		return nil, nil // maybe a script: the driver runs it statement by statement
	}
	ds, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	st, ok := ds.(interface {
		driver.Stmt
		driver.StmtExecContext
		driver.StmtQueryContext
	})
	if !ok {
		ds.Close()
		return nil, nil
	}
	if len(c.stmts) >= maxStmts {
		c.evict()
	}
	s := &cachedStmt{stmt: st, used: c.clock}
	c.stmts[query] = s
	return s, nil
}

// evict closes the least recently used statement not in use.
func (c *stmtConn) evict() {
	var oldest string
	var at uint64
	for q, s := range c.stmts {
		if !s.busy && (oldest == "" || s.used < at) {
			oldest, at = q, s.used
		}
	}
	if oldest != "" {
		c.stmts[oldest].stmt.Close()
		delete(c.stmts, oldest)
	}
}

func (c *stmtConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.driverConn.ExecContext(ctx, query, args)
	}
	return s.stmt.ExecContext(ctx, args)
}

func (c *stmtConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s, err := c.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return c.driverConn.QueryContext(ctx, query, args)
	}
	r, err := s.stmt.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.busy = true
	return &stmtRows{Rows: r, s: s}, nil
}

// Close closes the prepared statements, then the connection.
func (c *stmtConn) Close() error {
	var errs []error
	for _, s := range c.stmts {
		errs = append(errs, s.stmt.Close())
	}
	c.stmts = nil
	return errors.Join(append(errs, c.driverConn.Close())...)
}

// stmtRows frees its statement for the next use when closed.
type stmtRows struct {
	driver.Rows
	s *cachedStmt
}

func (r *stmtRows) Close() error {
	err := r.Rows.Close()
	r.s.busy = false
	return err
}

// The column types the driver reports, which database/sql's ColumnTypes
// reads through these optional interfaces.

func (r *stmtRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *stmtRows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *stmtRows) ColumnTypeNullable(i int) (bool, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *stmtRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}

func (r *stmtRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}
