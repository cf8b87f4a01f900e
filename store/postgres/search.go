package postgres

import (
	"context"
	"strings"
	"unicode"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/sqldb"
)

// IndexProfile does nothing: the search vector is a generated column of
// profiles, and the search reads published profiles only.
func (Dialect) IndexProfile(context.Context, *sqldb.Tx, int64) error { return nil }

// SearchProfiles matches q against the search vector, best first
// (ts_rank_cd over the weighted vector: skills A, headline B, bio C).
//
// User text never reaches to_tsquery's syntax: each term and each phrase
// is a parameter of phraseto_tsquery, which reads it as plain words (a
// term the parser splits, like "node.js" might be, becomes the phrase of
// its parts), and the pieces are joined with && and || in SQL. A piece
// with no words left after the parser and the stop list is empty, and
// PostgreSQL's && and || drop empty operands; a query whose terms and
// phrases are all empty matches nothing, however many groups it has.
func (Dialect) SearchProfiles(ctx context.Context, tx *sqldb.Tx, q bot.TextQuery, limit int) ([]int64, error) {
	var (
		args  []any
		piece = func(s string) string {
			args = append(args, cleanText(s))
			return `phraseto_tsquery('english', ?::text)`
		}
		must []string
	)
	for _, list := range [][]string{q.Terms, q.Phrases} {
		for _, s := range list {
			if searchable(s) {
				must = append(must, piece(s))
			}
		}
	}
	if len(must) == 0 {
		return nil, nil // the groups only narrow a query
	}
	main := strings.Join(must, ` && `)
	var groups []string
	for _, group := range q.AnyOf {
		var or []string
		for _, s := range group {
			if searchable(s) {
				or = append(or, piece(s))
			}
		}
		if len(or) > 0 {
			groups = append(groups, `(`+strings.Join(or, ` || `)+`)`)
		}
	}
	full := `q.main`
	if len(groups) > 0 {
		full = `q.main && ` + strings.Join(groups, ` && `)
	}
	args = append(args, bot.ProfilePublished, limit)

	rows, err := tx.Query(ctx, `WITH q AS (SELECT `+main+` AS main),
			f AS (SELECT `+full+` AS query FROM q WHERE numnode(q.main) > 0)
		SELECT p.account_id FROM profiles p, f
		WHERE p.status = ? AND p.search @@ f.query
		ORDER BY ts_rank_cd(p.search, f.query) DESC, p.account_id LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// cleanText makes user text a valid PostgreSQL text value: NUL, which
// text cannot hold, and invalid UTF-8 become spaces.
func cleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, " "), "\x00", " ")
}

// searchable reports whether s holds a letter or a digit, the stuff of
// words; other terms are dropped before the query is built.
func searchable(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
	}
	return false
}
