package match

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/parse"
)

func TestParseSearch(t *testing.T) {
	tests := []struct {
		in   string
		want SearchQuery
	}{
		{"golang postgres rate<60 tz:Europe/Berlin available", SearchQuery{Broad: []string{"Go", "PostgreSQL"}, MaxRate: RateBound{60, "USD"}, Zone: "Europe/Berlin", Available: true}},
		{`"data pipeline" node.js k8s`, SearchQuery{Phrases: []string{"data pipeline"}, Broad: []string{"Node.js", "Kubernetes"}}},
		{"machine learning engineer", SearchQuery{Broad: []string{"Machine Learning"}, Terms: []string{"engineer"}}},
		{"react native react", SearchQuery{Broad: []string{"React Native", "React"}}},
		{`skill:"react native" skill:GOLANG skill:frobnicator`, SearchQuery{Skills: []string{"React Native", "Go", "frobnicator"}}},
		{"c++ c# .net, r", SearchQuery{Broad: []string{"C++", "C#", ".NET", "R"}}},
		{"rate>30eur", SearchQuery{MinRate: RateBound{30, "EUR"}}},
		{"rate<€50/h rate>=$20", SearchQuery{MaxRate: RateBound{50, "EUR"}, MinRate: RateBound{20, "USD"}}},
		{"rate<=1,200INR", SearchQuery{MaxRate: RateBound{1200, "INR"}}},
		{"rate<45.5", SearchQuery{MaxRate: RateBound{45.5, "USD"}}},
		{"tz:+1..+3", SearchQuery{HasOffsets: true, OffsetMin: 60, OffsetMax: 180}},
		{"tz:+3..-2", SearchQuery{HasOffsets: true, OffsetMin: -120, OffsetMax: 180}},
		{"tz:-5", SearchQuery{HasOffsets: true, OffsetMin: -300, OffsetMax: -300}},
		{"tz:UTC+5:30", SearchQuery{HasOffsets: true, OffsetMin: 330, OffsetMax: 330}},
		{"tz:utc", SearchQuery{HasOffsets: true, OffsetMin: 0, OffsetMax: 0}},
		{"tz:Berlin", SearchQuery{Zone: "Europe/Berlin"}},
		{"tz:new_york", SearchQuery{Zone: "America/New_York"}},
		{"type:gig type:Part-Time type:fulltime", SearchQuery{WorkTypes: []string{bot.WorkGig, bot.WorkPartTime, bot.WorkFullTime}}},
		{"Remote AVAILABLE page:2", SearchQuery{Remote: true, Available: true, Page: 2}},
		{"someone who knows go and the cloud", SearchQuery{Broad: []string{"Go"}, Terms: []string{"cloud"}}},
		{"hello, (world)! *** -- hello", SearchQuery{Terms: []string{"hello", "world"}}},
		{`"unclosed phrase here`, SearchQuery{Phrases: []string{"unclosed phrase here"}}},
		{`“smart quotes” ""`, SearchQuery{Phrases: []string{"smart quotes"}}},
		{"AND OR NOT near* foo:bar -x", SearchQuery{Terms: []string{"NOT", "near", "foo:bar", "x"}}},
		{"", SearchQuery{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseSearch(tt.in)
			if err != nil {
				t.Fatalf("ParseSearch(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("ParseSearch(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseSearchErrors(t *testing.T) {
	tests := []struct {
		in   string
		want string // part of the message
	}{
		{"go rate<abc", `"rate<abc" is not a rate filter`},
		{"rate<", `"rate<" is not a rate filter`},
		{"rate:50", `"rate:50" is not a rate filter`},
		{"rate<50xyz", `"rate<50xyz" is not a rate filter`},
		{"rate<-5", `"rate<-5" is not a rate filter`},
		{"rate<0", `"rate<0" is not a rate filter`},
		{"rate<0x10", `"rate<0x10" is not a rate filter`},
		{"rate>NaN", `"rate>NaN" is not a rate filter`},
		{"tz:", `"tz:" is not a time zone`},
		{"tz:Atlantis", `"tz:Atlantis" is not a time zone`},
		{"tz:+25", `"tz:+25" is not a time zone`},
		{"tz:+1..x", `"tz:+1..x" is not a time zone`},
		{"type:boss", `"type:boss" is not a work type`},
		{"page:0", `"page:0" is not a page number`},
		{"page:two", `"page:two" is not a page number`},
		{"skill:", "skill: needs a skill"},
		{`skill:""`, "skill: needs a skill"},
		{strings.Repeat("go ", 200), "too long"},
		{strings.Repeat("a1 ", 30), "too many words"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseSearch(tt.in)
			if bot.ErrorCode(err) != bot.EINVALID {
				t.Fatalf("ParseSearch(%q) error %v, want EINVALID", tt.in, err)
			}
			if msg := bot.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not say %q", msg, tt.want)
			}
		})
	}
}

// searchIndex holds five published profiles and a paused one.
func searchIndex(t *testing.T) *Index {
	t.Helper()
	ix := newTestIndex(t)
	p1 := profile(1, []string{"Go", "PostgreSQL"}, usdHour(45), 20, time.Time{}, "Europe/Berlin")
	p2 := profile(2, []string{"Go"}, parse.Rate{Amount: 70, Currency: "EUR", Unit: "hour"}, 40, date(2026, 12, 15), "America/New_York")
	p2.Location, p2.WorkTypes = parse.Location{City: "New York"}, []string{bot.WorkFullTime}
	p3 := profile(3, []string{"Python"}, usdHour(30), 10, time.Time{}, "Asia/Kolkata")
	p3.WorkTypes = []string{bot.WorkPartTime, bot.WorkGig}
	p4 := profile(4, []string{"Go", "Docker"}, parse.Rate{Amount: 400, Currency: "USD", Unit: "day"}, 0, time.Time{}, "Asia/Tokyo")
	p5 := profile(5, []string{"Go"}, parse.Rate{Amount: 2000, Currency: "USD", Unit: "project"}, 20, time.Time{}, "Europe/Berlin")
	p6 := profile(6, []string{"Go"}, usdHour(45), 20, time.Time{}, "Europe/Berlin")
	p6.Status = bot.ProfilePaused
	for _, p := range []bot.Profile{p1, p2, p3, p4, p5, p6} {
		ix.Put(p)
	}
	return ix
}

func TestSearchFilters(t *testing.T) {
	ix := searchIndex(t)
	tests := []struct {
		query string
		want  []int64
	}{
		{"", []int64{1, 5, 2, 3, 4}},
		{"skill:go", []int64{1, 5, 2, 4}},
		{"golang", []int64{1, 5, 2, 4}},
		{"go postgres", []int64{1}},
		{"skill:cobol", nil},
		{"rate<60", []int64{1, 3, 4}},
		{"rate>40", []int64{1, 2, 4}},
		{"rate<60eur", []int64{1, 3, 4}},
		{"rate>31 rate<50", []int64{1, 4}},
		{"rate>30 rate<50", []int64{1, 3, 4}},
		{"rate<1", nil},
		{"tz:Europe/Berlin", []int64{1, 5}},
		{"tz:+5..+10", []int64{3, 4}},
		{"tz:-5", []int64{2}},
		{"available", []int64{1, 5, 3}},
		{"type:part-time", []int64{3}},
		{"type:full-time", []int64{2}},
		{"type:gig type:part-time", []int64{3}},
		{"remote", []int64{1, 5, 3, 4}},
		{"go rate<60 available remote", []int64{1}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, err := parseSearch(tt.query, newTestVocab())
			if err != nil {
				t.Fatal(err)
			}
			res, total := ix.Search(q, nil, 0, 10)
			var ids []int64
			for _, m := range res {
				ids = append(ids, m.AccountID)
				if m.Reason == "" {
					t.Errorf("account %d has no reason", m.AccountID)
				}
			}
			if diff := cmp.Diff(tt.want, ids); diff != "" {
				t.Errorf("results (-want +got):\n%s", diff)
			}
			if total != len(tt.want) {
				t.Errorf("total = %d, want %d", total, len(tt.want))
			}
		})
	}
}

func TestSearchReasons(t *testing.T) {
	ix := searchIndex(t)
	tests := []struct {
		query string
		text  []int64
		want  []string
	}{
		{"skill:go rate<60 tz:Europe/Berlin", nil, []string{"1 of 1 skill (Go), $45/h within $60, 20 h/week now, 8 h overlap with Berlin"}},
		{"python tz:+5..+6", nil, []string{"1 of 1 skill (Python), $30/h, 10 h/week now, 8 h overlap with UTC+5:30"}},
		// Money is shown in the filter's currency, rounded to cents.
		{`backend "rest api" rate>20eur rate<60eur`, []int64{3, 1}, []string{
			`matches backend, "rest api", €27.6/h within €20–60, 10 h/week now`,
			`matches backend, "rest api", €41.4/h within €20–60, 20 h/week now`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, err := parseSearch(tt.query, newTestVocab())
			if err != nil {
				t.Fatal(err)
			}
			res, _ := ix.Search(q, tt.text, 0, 10)
			var got []string
			for _, m := range res {
				got = append(got, m.Reason)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSearchQueryText(t *testing.T) {
	// Exact skills (skill:) narrow the text search as terms; keyword skills
	// as a group with their related skills, since a profile with only a
	// related skill does not name them.
	q, err := ParseSearch(`postgres fintech "rest api" rate<60 skill:docker`)
	if err != nil {
		t.Fatal(err)
	}
	q.Broad = []string{"PostgreSQL"}
	want := bot.TextQuery{Terms: []string{"fintech", "Docker"}, Phrases: []string{"rest api"}, AnyOf: [][]string{{"PostgreSQL", "MySQL"}}}
	if diff := cmp.Diff(want, q.text(newTestVocab())); diff != "" {
		t.Errorf("Text (-want +got):\n%s", diff)
	}
	q, _ = ParseSearch(`fintech "rest api" skill:docker`)
	want = bot.TextQuery{Terms: []string{"fintech", "Docker"}, Phrases: []string{"rest api"}}
	if diff := cmp.Diff(want, q.Text()); diff != "" {
		t.Errorf("Text (-want +got):\n%s", diff)
	}
	if q, _ := ParseSearch("golang rate<60"); q.HasText() || !cmp.Equal(q.Text(), bot.TextQuery{}, cmpopts.EquateEmpty()) {
		t.Errorf("a query without free text asks the store %+v", q.Text())
	}
}

func TestSearchText(t *testing.T) {
	ix := searchIndex(t)
	text := []int64{3, 6, 1, 99, 2, 1}
	tests := []struct {
		query string
		text  []int64
		want  []int64
	}{
		{"backend", text, []int64{3, 1, 2}},
		{"backend remote", text, []int64{3, 1}},
		{"backend golang", text, []int64{1, 2}},
		{`"rest api"`, text, []int64{3, 1, 2}},
		{"backend", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, err := parseSearch(tt.query, newTestVocab())
			if err != nil {
				t.Fatal(err)
			}
			res, total := ix.Search(q, tt.text, 0, 10)
			var ids []int64
			for _, m := range res {
				ids = append(ids, m.AccountID)
			}
			if diff := cmp.Diff(tt.want, ids); diff != "" || total != len(tt.want) {
				t.Errorf("results (-want +got), total %d:\n%s", total, diff)
			}
		})
	}
}

func TestSearchPaging(t *testing.T) {
	ix := searchIndex(t)
	for _, tc := range []struct {
		name string
		q    SearchQuery
		text []int64
	}{
		{"structured", SearchQuery{}, nil},
		{"text", SearchQuery{Terms: []string{"x"}}, []int64{5, 4, 3, 2, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			all, total := ix.Search(tc.q, tc.text, 0, 100)
			if total != 5 || len(all) != 5 {
				t.Fatalf("all = %d of %d, want 5 of 5", len(all), total)
			}
			var paged []Match
			for off := 0; off < 7; off += 2 {
				page, tot := ix.Search(tc.q, tc.text, off, 2)
				if tot != total {
					t.Errorf("offset %d: total %d, want %d", off, tot, total)
				}
				if want := min(2, max(0, 5-off)); len(page) != want {
					t.Errorf("offset %d: %d results, want %d", off, len(page), want)
				}
				paged = append(paged, page...)
			}
			if diff := cmp.Diff(all, paged); diff != "" {
				t.Errorf("pages do not add up to the whole (-all +pages):\n%s", diff)
			}
			if res, tot := ix.Search(tc.q, tc.text, 0, 0); len(res) != 0 || tot != 5 {
				t.Errorf("limit 0 = %d results of %d, want 0 of 5", len(res), tot)
			}
		})
	}
}

func FuzzParseSearch(f *testing.F) {
	for _, s := range []string{
		"golang postgres rate<60 tz:Europe/Berlin available",
		`"rest api" skill:"react native" type:gig remote page:2`,
		"rate>30eur tz:+1..+3", "tz:UTC+5:30", "c++ node.js .net", `"`, "skill:", "rate<", "\x00\xff",
	} {
		f.Add(s)
	}
	ix := newTestIndex(f)
	ix.Put(profile(1, []string{"Go"}, usdHour(40), 20, time.Time{}, "Europe/Berlin"))
	f.Fuzz(func(t *testing.T, in string) {
		q, err := ParseSearch(in)
		if err != nil {
			if bot.ErrorCode(err) != bot.EINVALID || bot.ErrorMessage(err) == "" {
				t.Fatalf("ParseSearch(%q) error %v is not a clear EINVALID", in, err)
			}
			return
		}
		n := len(q.Terms) + len(q.Phrases) + len(q.Skills) + len(q.WorkTypes)
		if n > MaxSearchTokens {
			t.Fatalf("ParseSearch(%q) gave %d parts, more than %d", in, n, MaxSearchTokens)
		}
		for _, s := range append(append(cloneStrings(q.Terms), q.Phrases...), q.Skills...) {
			if s == "" || len(s) > MaxSearchBytes || !utf8.ValidString(s) {
				t.Fatalf("ParseSearch(%q) gave part %q", in, s)
			}
		}
		ix.Search(q, []int64{1, 2}, 0, 10)
	})
}

func cloneStrings(s []string) []string { return append([]string(nil), s...) }
