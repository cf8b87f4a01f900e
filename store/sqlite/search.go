package sqlite

import (
	"context"
	"strings"
	"unicode"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/sqldb"
)

// IndexProfile makes the search entry of an account match its profile:
// published profiles are in profile_search (rowid = account ID), others
// are not.
func (Dialect) IndexProfile(ctx context.Context, tx *sqldb.Tx, accountID int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM profile_search WHERE rowid = ?`, accountID); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO profile_search (rowid, skills, headline, bio)
		SELECT account_id, (SELECT group_concat(value, ', ') FROM json_each(skills)), headline, bio
		FROM profiles WHERE account_id = ? AND status = ?`, accountID, bot.ProfilePublished)
	return err
}

// Column weights for bm25, in profile_search column order: a skill is the
// strongest signal, then the headline, then the bio.
const rankExpr = `bm25(profile_search, 4.0, 2.0, 1.0)`

// SearchProfiles matches q with FTS5, best first. Every term and phrase
// is quoted for FTS5, so user text is never read as query syntax.
func (Dialect) SearchProfiles(ctx context.Context, tx *sqldb.Tx, q bot.TextQuery, limit int) ([]int64, error) {
	match := matchExpression(q)
	if match == "" {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `SELECT rowid FROM profile_search WHERE profile_search MATCH ?
		ORDER BY `+rankExpr+`, rowid LIMIT ?`, match, limit)
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

// matchExpression turns q into an FTS5 query: each term and each phrase
// becomes one double-quoted string (embedded quotes doubled), joined by
// spaces, which FTS5 reads as AND. A quoted term the tokenizer splits
// ("node.js") is matched as the phrase of its parts. Terms without a letter
// or digit would be empty phrases and are dropped.
func matchExpression(q bot.TextQuery) string {
	var b strings.Builder
	for _, list := range [][]string{q.Terms, q.Phrases} {
		for _, s := range list {
			if !searchable(s) {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			quote(&b, s)
		}
	}
	if b.Len() == 0 {
		return "" // the groups only narrow a query
	}
	for _, group := range q.AnyOf {
		var or strings.Builder
		for _, s := range group {
			if !searchable(s) {
				continue
			}
			if or.Len() > 0 {
				or.WriteString(" OR ")
			}
			quote(&or, s)
		}
		if or.Len() > 0 {
			b.WriteString(" AND (" + or.String() + ")") // a group needs an explicit AND
		}
	}
	return b.String()
}

// quote writes s as one double-quoted FTS5 string.
func quote(b *strings.Builder, s string) {
	b.WriteByte('"')
	b.WriteString(quoteEscaper.Replace(s))
	b.WriteByte('"')
}

// quoteEscaper doubles the quotes inside a quoted FTS5 string and turns NUL,
// where FTS5 would stop reading the query, into a separator.
var quoteEscaper = strings.NewReplacer(`"`, `""`, "\x00", " ")

// searchable reports whether s holds a character the unicode61 tokenizer
// keeps in a token.
func searchable(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			return true
		}
	}
	return false
}
