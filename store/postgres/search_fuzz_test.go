package postgres

import (
	"strings"
	"testing"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/storetest"
)

// FuzzSearchProfiles feeds arbitrary user text to SearchProfiles as a term
// and as a phrase: it must never be a query syntax error (nor text PostgreSQL
// refuses, like NUL or invalid UTF-8).
func FuzzSearchProfiles(f *testing.F) {
	for _, seed := range [][2]string{
		{"node.js", "machine learning"},
		{`"quote`, `say "hi"`},
		{"AND OR NOT *", "NEAR(a b)"},
		{"skills:go", "^go -rust"},
		{"", "\x00"},
		{"c++", "日本語 😀"},
		{"\xff\xfe", "a & b | !c <-> d:*"},
		{"(", "')"},
	} {
		f.Add(seed[0], seed[1])
	}
	db := MustOpen(f, Options{})
	a, err := db.ResolveAccount(f.Context(), bot.Identity{Platform: bot.Console, UserID: "fuzz"}, "Fuzz")
	if err != nil {
		f.Fatal(err)
	}
	if _, err := db.SaveProfile(f.Context(), storetest.FullProfile(a.ID)); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, term, phrase string) {
		for _, q := range []bot.TextQuery{
			{Terms: []string{term}},
			{Phrases: []string{phrase}},
			{Terms: strings.Fields(term), Phrases: []string{phrase, term}},
			{Terms: []string{"go"}, AnyOf: [][]string{{term, phrase}, strings.Fields(phrase)}},
		} {
			if _, err := db.SearchProfiles(t.Context(), q, 5); err != nil {
				t.Fatalf("SearchProfiles(%q): %v", q, err)
			}
		}
	})
}
