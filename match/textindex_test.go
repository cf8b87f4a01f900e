package match

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hirebot/hirebot/bot"
)

func textProfile(id int64, skills []string, rate float64, headline, bio string) bot.Profile {
	p := profile(id, skills, usdHour(rate), 20, time.Time{}, "Europe/Berlin")
	p.Headline, p.Bio = headline, bio
	return p
}

// TestSearchOwnText: with no text engine's IDs, free text is matched in
// the index: every term in some field, phrases in order, a skill word
// weighing more than a headline word and that more than a bio word, the
// filters and the skill words still applying, updates and removals seen.
func TestSearchOwnText(t *testing.T) {
	ix := newTestIndex(t)
	ix.Put(textProfile(1, []string{"Go", "PostgreSQL"}, 40, "Backend developer", "I build fintech payment APIs and REST API backends."))
	ix.Put(textProfile(2, []string{"Go"}, 80, "Fintech engineer", "Payments, ledgers, rest and api design."))
	ix.Put(textProfile(3, []string{"React"}, 50, "Frontend developer", "Dashboards for fintech startups."))
	ix.Put(textProfile(4, []string{"Python"}, 30, "Data engineer", "Pipelines."))
	ix.Put(textProfile(5, []string{"Go"}, 45, "Backend developer", "Fintech for banks."))
	ix.Put(textProfile(6, []string{"Machine Learning"}, 45, "", ""))
	ix.Put(textProfile(7, []string{"Python"}, 45, "", "Learning Rust."))

	search := func(query string) []int64 {
		t.Helper()
		q, err := parseSearch(query, newTestVocab())
		if err != nil {
			t.Fatal(err)
		}
		res, total := ix.Search(q, nil, 0, 10)
		var ids []int64
		for _, m := range res {
			ids = append(ids, m.AccountID)
		}
		if total != len(ids) {
			t.Errorf("%q: total %d, %d results", query, total, len(ids))
		}
		return ids
	}
	for _, tt := range []struct {
		query string
		want  []int64
	}{
		{"fintech", []int64{2, 1, 3, 5}},      // headline beats bio
		{"fintech rate<60", []int64{1, 3, 5}}, // a filter applies
		{"fintech golang", []int64{2, 1, 5}},  // a skill word is a filter
		{`"rest api"`, []int64{1}},            // a phrase, in order
		{"rest api", []int64{1, 2}},           // two terms, anywhere
		{"FinTech Payments", []int64{2}},      // case folded; "payment" is another word
		{"fintech nobodysaysthis", nil},       // an unknown word matches nothing
		{"developer", []int64{1, 3, 5}},       // ties by account ID
	} {
		if diff := cmp.Diff(tt.want, search(tt.query)); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.query, diff)
		}
	}

	ix.Put(textProfile(5, []string{"Go"}, 45, "Backend developer", "Healthcare.")) // fintech gone
	ix.Remove(2)
	if diff := cmp.Diff([]int64{1, 3}, search("fintech")); diff != "" {
		t.Errorf("after an update and a removal (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int64{5}, search("healthcare")); diff != "" {
		t.Errorf("the updated bio (-want +got):\n%s", diff)
	}
	// Many updates compact the posting lists without losing anyone.
	for i := range 100 {
		bio := "Fintech."
		if i%2 == 0 {
			bio = "Healthcare."
		}
		ix.Put(textProfile(5, []string{"Go"}, 45, "Backend developer", bio))
	}
	if diff := cmp.Diff([]int64{1, 3, 5}, search("fintech")); diff != "" {
		t.Errorf("after 100 updates (-want +got):\n%s", diff)
	}
	if got := len(ix.text.post[ix.text.words["fintech"]]); got > 40 {
		t.Errorf("the posting list of fintech holds %d slots for 3 profiles: never compacted", got)
	}
}

// TestSearchOwnTextPastAByteOfWords: word IDs past 127 take two bytes in
// a slot's sequence, and the second byte of one is never read as a word
// of its own, so a search finds a word only where it is.
func TestSearchOwnTextPastAByteOfWords(t *testing.T) {
	ix := newTestIndex(t)
	var many []string
	for i := range 300 {
		many = append(many, "w"+strconv.Itoa(i))
	}
	ix.Put(textProfile(1, nil, 40, "", strings.Join(many, " "))) // w0 is word 1, w128 word 129
	for i := 128; i < 300; i++ {
		ix.Put(textProfile(int64(1+i), nil, 40, "w"+strconv.Itoa(i)+" w"+strconv.Itoa(i), ""))
	}
	for _, word := range []string{"w0", "w1", "w127", "w128", "w299"} {
		res, total := ix.Search(SearchQuery{Terms: []string{word}}, nil, 0, 5)
		want := 1
		if n, _ := strconv.Atoi(word[1:]); n >= 128 {
			want = 2 // and its own profile
		}
		if total != want || res[0].AccountID > 1 && want == 1 {
			t.Errorf("search %q found %d (%+v), want %d", word, total, res, want)
		}
	}
	// w200 is word 201, bytes C9 01; 01 alone would be w0. With w0 in
	// more profiles, the search reads w200's and checks w0 in each.
	for id := int64(1000); id < 1010; id++ {
		ix.Put(textProfile(id, nil, 40, "w0", ""))
	}
	res, total := ix.Search(SearchQuery{Terms: []string{"w0", "w200"}}, nil, 0, 5)
	if total != 1 || res[0].AccountID != 1 {
		t.Errorf("search w0 w200 found %d (%+v), want account 1 only", total, res)
	}
	res, total = ix.Search(SearchQuery{Phrases: []string{"w128 w128"}}, nil, 0, 5)
	if total != 1 || res[0].AccountID != 129 {
		t.Errorf(`search "w128 w128" found %d (%+v), want account 129 only`, total, res)
	}
}
