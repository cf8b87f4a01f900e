package match

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestSearchKeywordSkillsTakeRelated: a skill named as a keyword also finds
// people with a related skill, ranked after the exact ones and saying so;
// skill: stays exact.
func TestSearchKeywordSkillsTakeRelated(t *testing.T) {
	ix := newTestIndex(t)
	ix.Put(profile(1, []string{"MySQL"}, usdHour(40), 40, time.Time{}, "Europe/Berlin"))
	ix.Put(profile(2, []string{"PostgreSQL"}, usdHour(40), 40, time.Time{}, "Europe/Berlin"))
	ix.Put(profile(3, []string{"Python"}, usdHour(40), 40, time.Time{}, "Europe/Berlin"))
	type row struct {
		ID     int64
		Reason string
	}
	search := func(query string) []row {
		t.Helper()
		q, err := parseSearch(query, newTestVocab())
		if err != nil {
			t.Fatal(err)
		}
		var rows []row
		results, total := ix.Search(q, nil, 0, 10)
		if total != len(results) {
			t.Errorf("%q: total %d, %d results", query, total, len(results))
		}
		for _, m := range results {
			rows = append(rows, row{m.AccountID, m.Reason})
		}
		return rows
	}
	want := []row{
		{2, "1 of 1 skill (PostgreSQL), $40/h, 40 h/week now"},
		{1, "0 of 1 skill, MySQL (related to PostgreSQL), $40/h, 40 h/week now"},
	}
	if diff := cmp.Diff(want, search("postgres")); diff != "" {
		t.Errorf("postgres (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want[:1], search("skill:postgres")); diff != "" {
		t.Errorf("skill:postgres (-want +got):\n%s", diff)
	}
}
