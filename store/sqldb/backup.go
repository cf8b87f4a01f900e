package sqldb

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// The backup format (docs/backup.md): JSON Lines. The first line is the
// header; every other line is one row of one table:
//
//	{"format":"hirebot-backup","version":1,"schema":8,"dialect":"sqlite","exported_at":"...","secrets":false}
//	{"type":"accounts","id":1,"name":"Ann","created_at":"2026-01-02T03:04:05.000000Z"}
//
// type is the table; the other fields are its columns. Times are UTC
// RFC 3339 text, dates YYYY-MM-DD, lists JSON arrays, "never" null. Tables
// come in the order they were created, so a row's references come before
// it. Dialog sessions (short-lived) are not in it; workspace tokens only
// with secrets.
const (
	backupFormat  = "hirebot-backup"
	backupVersion = 1
)

// BackupHeader is the first line of a backup.
type BackupHeader struct {
	Format     string    `json:"format"`
	Version    int       `json:"version"`
	Schema     int       `json:"schema"`
	Dialect    string    `json:"dialect"`
	ExportedAt time.Time `json:"exported_at"`
	Secrets    bool      `json:"secrets"`
}

// Table is one table of the schema: its name and columns, as the dialect
// reads them from the database.
type Table struct {
	Name    string
	Columns []string
}

// secretTables hold credentials: in a backup only when asked for.
var secretTables = map[string]bool{"workspace_tokens": true}

// skippedTables are not records: the migration history (the schema
// version is in the header), dialog sessions, which expire in hours, the
// inbox of events, handled within seconds, the change log, kept for
// minutes, and the profile log, which an import writes anew.
var skippedTables = map[string]bool{"schema_migrations": true, "sessions": true, "inbox": true, "changes": true, "profile_log": true}

// kind is how a column's value is written in a backup.
type kind int

const (
	kindPlain kind = iota // text or a number, as it is
	kindTime              // UTC RFC 3339 text; null for "never"
	kindLease             // a time that is never "never" (NOT NULL): null is long ago
	kindDate              // YYYY-MM-DD; null for none
	kindList              // JSON array of strings
	kindBool              // true or false
)

// columnKind tells the kind of a column. Times end in _at or _until; the
// rest is named here. TestBackupKinds checks this against PostgreSQL's
// types, so a new column of another kind cannot be missed.
func columnKind(table, column string) kind {
	switch table + "." + column {
	case "jobs.deadline", "profiles.available_from", "invites.terms_start", "invites.counter_start":
		return kindDate
	case "jobs.skills", "jobs.nice_skills", "profiles.skills", "profiles.work_types", "profiles.portfolio":
		return kindList
	case "outbox.claimed_until":
		return kindLease
	case "checkins.stale", "engagements.trial", "invites.reminded", "jobs.remote", "profiles.remote", "reviews.hidden":
		return kindBool
	}
	if strings.HasSuffix(column, "_at") || strings.HasSuffix(column, "_until") {
		return kindTime
	}
	return kindPlain
}

// backupTables returns the tables a backup holds, in creation order.
func (db *DB) backupTables(ctx context.Context, tx *Tx, secrets bool) ([]Table, error) {
	all, err := db.d.Tables(ctx, tx)
	if err != nil {
		return nil, internal("read tables", err)
	}
	var out []Table
	for _, t := range all {
		if skippedTables[t.Name] || (secretTables[t.Name] && !secrets) {
			continue
		}
		out = append(out, t)
	}
	return out, nil
}

// Export writes every record of db to w in the backup format, from one
// snapshot. Workspace tokens are written only when secrets is set.
func (db *DB) Export(ctx context.Context, w io.Writer, secrets bool) error {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	tables, err := db.backupTables(ctx, tx, secrets)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	if err := enc.Encode(BackupHeader{Format: backupFormat, Version: backupVersion, Schema: len(db.migrations),
		Dialect: db.d.Name(), ExportedAt: db.stamp(), Secrets: secrets}); err != nil {
		return err
	}
	for _, t := range tables {
		if err := db.exportTable(ctx, tx, t, bw); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func (db *DB) exportTable(ctx context.Context, tx *Tx, t Table, w *bufio.Writer) error {
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = quoteIdent(c)
	}
	order := ""
	if len(t.Columns) > 0 {
		order = ` ORDER BY ` + strings.Join(cols, ", ")
		if slices.Contains(t.Columns, "id") {
			order = ` ORDER BY "id"`
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+quoteIdent(t.Name)+order)
	if err != nil {
		return internal("export "+t.Name, err)
	}
	defer rows.Close()
	vals := make([]any, len(cols))
	dest := make([]any, len(cols))
	for i := range vals {
		dest[i] = &vals[i]
	}
	typ, _ := json.Marshal(t.Name)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return internal("export "+t.Name, err)
		}
		w.WriteString(`{"type":`)
		w.Write(typ)
		for i, c := range t.Columns {
			v, err := db.exportValue(columnKind(t.Name, c), vals[i])
			if err != nil {
				return internal(fmt.Sprintf("export %s.%s", t.Name, c), err)
			}
			b, err := json.Marshal(v)
			if err != nil {
				return internal(fmt.Sprintf("export %s.%s", t.Name, c), err)
			}
			name, _ := json.Marshal(c)
			w.WriteByte(',')
			w.Write(name)
			w.WriteByte(':')
			w.Write(b)
		}
		w.WriteString("}\n")
	}
	if err := rows.Err(); err != nil {
		return internal("export "+t.Name, err)
	}
	return nil
}

// exportValue turns what the driver read into the backup's form.
func (db *DB) exportValue(k kind, v any) (any, error) {
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	switch k {
	case kindTime, kindLease, kindDate:
		var t time.Time
		if err := tm(&t).Scan(v); err != nil {
			return nil, err
		}
		switch {
		case t.IsZero() || t.Year() <= 1: // never ('', NULL, the zero time)
			return nil, nil
		case k == kindDate:
			return FormatDate(t), nil
		}
		return FormatTime(t), nil
	case kindList:
		items, err := db.d.DecodeList(v)
		if items == nil {
			items = []string{}
		}
		return items, err
	case kindBool:
		switch b := v.(type) {
		case bool:
			return b, nil
		case int64:
			return b != 0, nil
		}
		return nil, fmt.Errorf("cannot read %T as a boolean", v)
	}
	return v, nil
}

// Import restores a backup read from r into db, which must hold no
// records: EINVALID with a message saying so otherwise, and for a backup
// that is not one, or is from a newer hirebot. It runs in one transaction:
// nothing is stored unless everything is. It returns how many records it
// stored.
func (db *DB) Import(ctx context.Context, r io.Reader) (int, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	line, err := readLine(br)
	if err != nil && (err != io.EOF || len(line) == 0) {
		return 0, bot.Errorf(bot.EINVALID, "The backup is empty or unreadable: %v.", err)
	}
	var h BackupHeader
	if json.Unmarshal(line, &h) != nil || h.Format != backupFormat {
		return 0, bot.Errorf(bot.EINVALID, "This is not a hirebot backup: its first line is not a %s header.", backupFormat)
	}
	if h.Version > backupVersion || h.Schema > len(db.migrations) {
		return 0, bot.Errorf(bot.EINVALID, "The backup is from a newer hirebot (format %d, schema %d; this one reads format %d, schema %d): upgrade first.",
			h.Version, h.Schema, backupVersion, len(db.migrations))
	}

	tx, err := db.beginWrite(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	tables, err := db.backupTables(ctx, tx, true)
	if err != nil {
		return 0, err
	}
	byName := map[string]Table{}
	for _, t := range tables {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM `+quoteIdent(t.Name)+` LIMIT 1) t`).Scan(&n); err != nil {
			return 0, internal("count "+t.Name, err)
		}
		if n > 0 {
			return 0, bot.Errorf(bot.EINVALID, "The database already holds data (table %s is not empty): import restores into an empty database only.", t.Name)
		}
		byName[t.Name] = t
	}

	ins := newInserter(tx, byName)
	defer ins.close()
	count := 0
	for n := 2; ; n++ {
		line, err := readLine(br)
		if len(line) > 0 {
			if ierr := ins.insert(ctx, n, line); ierr != nil {
				return 0, ierr
			}
			count++
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, internal("read backup", err)
		}
	}
	if err := ins.flush(ctx); err != nil {
		return 0, err
	}
	if err := db.d.Restored(ctx, tx, tables); err != nil {
		return 0, internal("after import", err)
	}
	// Every imported profile is a change: an index snapshot of the
	// database before stands for none of them.
	if _, err := tx.ExecContext(ctx, `INSERT INTO profile_log (account_id, changed_at) SELECT account_id, ? FROM profiles ORDER BY account_id`, tx.d.Time(db.stamp())); err != nil {
		return 0, internal("log imported profiles", err)
	}
	return count, commit(tx)
}

// readLine reads one line without its newline; io.EOF with the last line.
func readLine(r *bufio.Reader) ([]byte, error) {
	line, err := r.ReadBytes('\n')
	return bytes.TrimSpace(line), err
}

// batchParams bounds the arguments of one INSERT: under SQLite's and
// PostgreSQL's limits on bound parameters, and large enough that a
// statement's fixed cost is shared by many rows.
const batchParams = 4000

// inserter stores record lines as multi-row INSERTs: consecutive lines of
// one table and column set (a backup lists a table's rows together) wait
// in a batch, written by one prepared statement per table, column set and
// batch size. A row per statement cost most of an import's time.
type inserter struct {
	tx     *Tx
	tables map[string]Table
	stmts  map[string]*sql.Stmt

	key        string // the waiting batch's table and columns
	table      string
	cols       []string // quoted
	args       []any
	rows       int
	first, end int // the batch's first and last line of the backup
}

func newInserter(tx *Tx, tables map[string]Table) *inserter {
	return &inserter{tx: tx, tables: tables, stmts: map[string]*sql.Stmt{}}
}

func (in *inserter) close() {
	for _, s := range in.stmts {
		s.Close()
	}
}

// insert reads line n, one record, into the waiting batch; a line that
// is not a record is EINVALID, naming the line.
func (in *inserter) insert(ctx context.Context, n int, line []byte) error {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var rec map[string]any
	if err := dec.Decode(&rec); err != nil {
		return bot.Errorf(bot.EINVALID, "Line %d of the backup: not a JSON object: %v", n, err)
	}
	name, _ := rec["type"].(string)
	t, ok := in.tables[name]
	if !ok {
		return bot.Errorf(bot.EINVALID, "Line %d of the backup: unknown record type %q", n, name)
	}
	delete(rec, "type")
	cols := make([]string, 0, len(rec))
	args := make([]any, 0, len(rec))
	for _, c := range t.Columns { // the table's order: one statement per column set
		v, ok := rec[c]
		if !ok {
			continue
		}
		delete(rec, c)
		arg, err := in.importValue(columnKind(t.Name, c), v)
		if err != nil {
			return bot.Errorf(bot.EINVALID, "Line %d of the backup: %s.%s: %v", n, t.Name, c, err)
		}
		cols = append(cols, c)
		args = append(args, arg)
	}
	if len(rec) > 0 {
		extra := slices.Sorted(maps.Keys(rec))
		return bot.Errorf(bot.EINVALID, "Line %d of the backup: %s has no column %q", n, t.Name, extra[0])
	}
	key := t.Name + "(" + strings.Join(cols, ",") + ")"
	if key != in.key || len(in.args)+len(args) > batchParams {
		if err := in.flush(ctx); err != nil {
			return err
		}
		in.key, in.table, in.first = key, t.Name, n
		in.cols = in.cols[:0]
		for _, c := range cols {
			in.cols = append(in.cols, quoteIdent(c))
		}
	}
	in.args = append(in.args, args...)
	in.rows++
	in.end = n
	return nil
}

// flush writes the waiting batch.
func (in *inserter) flush(ctx context.Context) error {
	if in.rows == 0 {
		return nil
	}
	skey := in.key + "*" + strconv.Itoa(in.rows)
	stmt := in.stmts[skey]
	if stmt == nil {
		row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(in.cols)), ", ") + ")"
		q := `INSERT INTO ` + quoteIdent(in.table) + ` (` + strings.Join(in.cols, ", ") + `) VALUES ` +
			strings.TrimSuffix(strings.Repeat(row+", ", in.rows), ", ")
		s, err := in.tx.tx.PrepareContext(ctx, in.tx.d.Rebind(q))
		if err != nil {
			return internal("prepare "+in.table, classify(in.tx.d, err))
		}
		stmt, in.stmts[skey] = s, s
	}
	_, err := stmt.ExecContext(ctx, in.args...)
	where := fmt.Sprintf("Line %d of the backup", in.first)
	if in.end != in.first {
		where = fmt.Sprintf("Lines %d to %d of the backup", in.first, in.end)
	}
	in.args, in.rows = in.args[:0], 0
	if err != nil {
		err = classify(in.tx.d, err)
		if isUnique(err) || isForeignKey(err) {
			return bot.Errorf(bot.EINVALID, "%s: %s: %v", where, in.table, err)
		}
		return fmt.Errorf("%s: %w", where, internal("insert "+in.table, err))
	}
	return nil
}

// importValue turns a backup's value into the dialect's argument.
func (in *inserter) importValue(k kind, v any) (any, error) {
	d := in.tx.d
	switch k {
	case kindTime, kindLease, kindDate:
		switch {
		case v == nil && k == kindDate:
			return nil, nil
		case v == nil && k == kindLease:
			return d.Time(time.Time{}), nil
		case v == nil:
			return d.OptTime(time.Time{}), nil
		}
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("%v is not a time", v)
		}
		var t time.Time
		if err := tm(&t).Scan(s); err != nil {
			if t, err = time.Parse(time.RFC3339Nano, s); err != nil {
				return nil, err
			}
		}
		if k == kindDate {
			return d.Date(t), nil
		}
		return d.Time(t), nil
	case kindList:
		raw, ok := v.([]any)
		if !ok && v != nil {
			return nil, fmt.Errorf("%v is not a list", v)
		}
		items := make([]string, len(raw))
		for i, x := range raw {
			if items[i], ok = x.(string); !ok {
				return nil, fmt.Errorf("%v is not a string", x)
			}
		}
		return d.List(items), nil
	case kindBool:
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("%v is not true or false", v)
		}
		return b, nil
	}
	if n, ok := v.(json.Number); ok {
		if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			return i, nil
		}
		return n.Float64()
	}
	if v != nil {
		if _, ok := v.(string); !ok {
			return nil, errors.New("not text or a number")
		}
	}
	return v, nil
}

// ScanTables groups rows of (table, column), in order, into tables; for
// dialects' Tables.
func ScanTables(rows *sql.Rows) ([]Table, error) {
	var out []Table
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Name != table {
			out = append(out, Table{Name: table})
		}
		out[len(out)-1].Columns = append(out[len(out)-1].Columns, column)
	}
	return out, rows.Err()
}
