package storetest

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
)

// searchFixture is a set of profiles with known words in them.
type searchFixture struct {
	backend, frontend, data, gopher int64 // published
	draft, paused                   int64
}

func newSearchFixture(t *testing.T, s bot.Store) searchFixture {
	t.Helper()
	add := func(user, status string, skills []string, headline, bio string) int64 {
		a := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: user}, user)
		p := FullProfile(a.ID)
		p.Skills, p.Headline, p.Bio, p.Status = skills, headline, bio, status
		mustSaveProfile(t, s, p)
		return a.ID
	}
	return searchFixture{
		backend: add("backend", bot.ProfilePublished, []string{"Go", "PostgreSQL"},
			"Backend engineer", "I build APIs and payment systems."),
		frontend: add("frontend", bot.ProfilePublished, []string{"Node.js", "React"},
			"Full-stack developer", "Learning about machine tools on weekends."),
		data: add("data", bot.ProfilePublished, []string{"Python", "Statistics"},
			"Data scientist", "Machine learning for retail demand forecasting."),
		gopher: add("gopher", bot.ProfilePublished, []string{"Go"},
			"Go engineer", "Go, Go, Go: concurrency in Go every day."),
		draft: add("draft", bot.ProfileDraft, []string{"Go", "Rust"},
			"Go developer", "Systems programming in Go."),
		paused: add("paused", bot.ProfilePaused, []string{"Go", "Rust"},
			"Go developer", "Taking a break from Go."),
	}
}

func runSearchRules(t *testing.T, open func(t *testing.T) bot.Store) {
	t.Run("matching", func(t *testing.T) {
		s := open(t)
		f := newSearchFixture(t, s)
		for _, tc := range []struct {
			name string
			q    bot.TextQuery
			want []int64 // in any order
		}{
			{"a skill", bot.TextQuery{Terms: []string{"postgresql"}}, []int64{f.backend}},
			{"a headline word", bot.TextQuery{Terms: []string{"scientist"}}, []int64{f.data}},
			{"a bio word", bot.TextQuery{Terms: []string{"forecasting"}}, []int64{f.data}},
			{"case does not matter", bot.TextQuery{Terms: []string{"PYTHON"}}, []int64{f.data}},
			{"a skill with a dot", bot.TextQuery{Terms: []string{"node.js"}}, []int64{f.frontend}},
			{"every term must match", bot.TextQuery{Terms: []string{"go", "apis"}}, []int64{f.backend}},
			{"terms in different fields", bot.TextQuery{Terms: []string{"react", "weekends"}}, []int64{f.frontend}},
			{"no profile has both terms", bot.TextQuery{Terms: []string{"python", "react"}}, nil},
			{"words anywhere", bot.TextQuery{Terms: []string{"machine", "learning"}}, []int64{f.frontend, f.data}},
			{"a phrase needs its words in order", bot.TextQuery{Phrases: []string{"machine learning"}}, []int64{f.data}},
			{"a phrase and a term", bot.TextQuery{Terms: []string{"python"}, Phrases: []string{"demand forecasting"}}, []int64{f.data}},
			{"a phrase in the wrong order", bot.TextQuery{Phrases: []string{"learning machine"}}, nil},
			{"only published profiles", bot.TextQuery{Terms: []string{"go"}}, []int64{f.backend, f.gopher}},
			{"draft and paused words are not found", bot.TextQuery{Terms: []string{"rust"}}, nil},
			{"an unknown word", bot.TextQuery{Terms: []string{"cobol"}}, nil},
			{"an empty query matches nothing", bot.TextQuery{}, nil},
			{"a group narrows: one of it must match", bot.TextQuery{Terms: []string{"engineer"}, AnyOf: [][]string{{"PostgreSQL", "MySQL"}}}, []int64{f.backend}},
			{"every group must match", bot.TextQuery{Terms: []string{"engineer"}, AnyOf: [][]string{{"Go"}, {"Python", "Rust"}}}, nil},
			{"groups alone match nothing", bot.TextQuery{AnyOf: [][]string{{"Go"}}}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				got := sortedIDs(mustSearch(t, s, tc.q, 50))
				if diff := cmp.Diff(sortedIDs(slices.Clone(tc.want)), got, storeCmp); diff != "" {
					t.Fatalf("SearchProfiles(%+v) (-want +got):\n%s", tc.q, diff)
				}
			})
		}
	})

	t.Run("best match first", func(t *testing.T) {
		s := open(t)
		f := newSearchFixture(t, s)
		got := mustSearch(t, s, bot.TextQuery{Terms: []string{"go"}}, 10)
		if want := []int64{f.gopher, f.backend}; !slices.Equal(got, want) {
			t.Fatalf("search for go = %v, want %v (the profile about Go first)", got, want)
		}
	})

	t.Run("limit is respected", func(t *testing.T) {
		s := open(t)
		f := newSearchFixture(t, s)
		q := bot.TextQuery{Terms: []string{"go"}}
		if got := mustSearch(t, s, q, 1); !slices.Equal(got, []int64{f.gopher}) {
			t.Fatalf("search with limit 1 = %v, want only the best match %d", got, f.gopher)
		}
		if got := mustSearch(t, s, q, 0); len(got) != 0 {
			t.Fatalf("search with limit 0 = %v, want nothing", got)
		}
	})

	t.Run("user text never causes a syntax error", func(t *testing.T) {
		s := open(t)
		newSearchFixture(t, s)
		for _, text := range []string{
			`node.js`, `"quote`, `"`, `""`, `say "hi" twice`, `AND`, `OR`, `NOT`, `AND OR NOT *`,
			`*`, `go*`, `^go`, `-go`, `+go`, `skills:go`, `bio:`, `NEAR(go apis)`, `NEAR`, `(`, `)`, `()`,
			`{skills}: go`, `c++`, `c#`, `'`, `;`, `--`, `/* */`, `\`, ` `, ``, "tab\there", "new\nline",
			"\x00", "go\x00js", `😀`, `日本語`, `ümlaut`, `a AND b OR c NOT d`, `rowid = 1`,
		} {
			for _, q := range []bot.TextQuery{
				{Terms: []string{text}},
				{Phrases: []string{text}},
				{Terms: []string{"go", text}, Phrases: []string{text, "payment systems"}},
				{Terms: []string{"go"}, AnyOf: [][]string{{text}, {"go", text}}},
			} {
				if _, err := s.SearchProfiles(t.Context(), q, 10); err != nil {
					t.Errorf("SearchProfiles(%q): %v", q, err)
				}
			}
		}
	})

	t.Run("search follows every change", func(t *testing.T) {
		s := open(t)
		f := newSearchFixture(t, s)
		search := func(term string) []int64 {
			t.Helper()
			return sortedIDs(mustSearch(t, s, bot.TextQuery{Terms: []string{term}}, 50))
		}
		steps := []struct {
			name   string
			change func() error
			term   string
			want   []int64
		}{
			{"paused by SetProfileStatus", func() error {
				return s.SetProfileStatus(t.Context(), f.backend, bot.ProfilePaused)
			}, "go", []int64{f.gopher}},
			{"published by SetProfileStatus", func() error {
				return s.SetProfileStatus(t.Context(), f.draft, bot.ProfilePublished)
			}, "rust", []int64{f.draft}},
			{"back to draft by SetProfileStatus", func() error {
				return s.SetProfileStatus(t.Context(), f.draft, bot.ProfileDraft)
			}, "rust", nil},
			{"published by SaveProfile", func() error {
				p := FullProfile(f.backend)
				p.Skills, p.Headline, p.Bio = []string{"Elixir"}, "Backend engineer", "Phoenix apps."
				_, err := s.SaveProfile(t.Context(), p)
				return err
			}, "elixir", []int64{f.backend}},
			{"old words forgotten after SaveProfile", nil, "postgresql", nil},
			{"unpublished by SaveProfile", func() error {
				p := FullProfile(f.gopher)
				p.Status = bot.ProfileDraft
				_, err := s.SaveProfile(t.Context(), p)
				return err
			}, "concurrency", nil},
			{"gone after DeleteAccount", func() error {
				return s.DeleteAccount(t.Context(), f.data)
			}, "python", nil},
		}
		for _, st := range steps {
			if st.change != nil {
				if err := st.change(); err != nil {
					t.Fatalf("%s: %v", st.name, err)
				}
			}
			if got := search(st.term); !cmp.Equal(sortedIDs(slices.Clone(st.want)), got, storeCmp) {
				t.Fatalf("%s: search for %q = %v, want %v", st.name, st.term, got, st.want)
			}
		}
	})
}
