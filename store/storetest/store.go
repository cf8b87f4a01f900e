package storetest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/parse"
)

// RunStore checks the rules written in the doc comments of bot.Store. open
// returns a fresh, empty store for one subtest (a new SQLite file, a new
// PostgreSQL schema) and arranges its cleanup.
func RunStore(t *testing.T, open func(t *testing.T) bot.Store) {
	t.Helper()
	t.Run("accounts", func(t *testing.T) { runAccountRules(t, open) })
	t.Run("profiles", func(t *testing.T) { runProfileRules(t, open) })
	t.Run("search", func(t *testing.T) { runSearchRules(t, open) })
	t.Run("jobs", func(t *testing.T) { runJobRules(t, open) })
	t.Run("delete account", func(t *testing.T) { runDeleteRules(t, open) })
	t.Run("hiring", func(t *testing.T) { runHiringRules(t, open) }) // store_hiring.go
	t.Run("boards", func(t *testing.T) { runBoardRules(t, open) })
	t.Run("retention", func(t *testing.T) { runRetentionRules(t, open) })    // store_retention.go
	t.Run("profile log", func(t *testing.T) { runProfileLogRules(t, open) }) // profilelog.go
}

// storeCmp compares domain values: an empty list and a nil list are the
// same, times compare with time.Equal.
var storeCmp = cmp.Options{cmpopts.EquateEmpty()}

func runAccountRules(t *testing.T, open func(t *testing.T) bot.Store) {
	t.Run("ResolveAccount creates the account on first sight", func(t *testing.T) {
		s := open(t)
		id := bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: "U1"}
		a, err := s.ResolveAccount(t.Context(), id, "Ada")
		if err != nil {
			t.Fatalf("ResolveAccount of a new identity: %v (code %q), want a new account", err, bot.ErrorCode(err))
		}
		if a.ID <= 0 || a.Name != "Ada" || a.CreatedAt.IsZero() {
			t.Fatalf("new account = %+v, want an ID, the name Ada and CreatedAt", a)
		}
		if diff := cmp.Diff([]bot.Identity{id}, a.Identities); diff != "" {
			t.Fatalf("identities of the new account (-want +got):\n%s", diff)
		}
	})

	t.Run("ResolveAccount is idempotent", func(t *testing.T) {
		s := open(t)
		id := bot.Identity{Platform: bot.Telegram, UserID: "42"}
		first := mustResolve(t, s, id, "Ada")
		again, err := s.ResolveAccount(t.Context(), id, "Another Name")
		if err != nil {
			t.Fatalf("second ResolveAccount: %v", err)
		}
		if diff := cmp.Diff(first, again, storeCmp); diff != "" {
			t.Fatalf("second ResolveAccount returned a different account (-first +again):\n%s", diff)
		}
	})

	t.Run("ResolveAccount tells identities apart", func(t *testing.T) {
		s := open(t)
		ids := []bot.Identity{
			{Platform: bot.Slack, Workspace: "T1", UserID: "U1"},
			{Platform: bot.Slack, Workspace: "T2", UserID: "U1"},
			{Platform: bot.Discord, Workspace: "T1", UserID: "U1"},
			{Platform: bot.Console, UserID: "U1"},
		}
		seen := map[int64]bot.Identity{}
		for _, id := range ids {
			a := mustResolve(t, s, id, "x")
			if other, dup := seen[a.ID]; dup {
				t.Fatalf("%v and %v resolved to the same account %d", other, id, a.ID)
			}
			seen[a.ID] = id
		}
	})

	t.Run("Account returns the account with its identities", func(t *testing.T) {
		s := open(t)
		want := mustResolve(t, s, bot.Identity{Platform: bot.Discord, Workspace: "G1", UserID: "7"}, "Grace")
		got, err := s.Account(t.Context(), want.ID)
		if err != nil {
			t.Fatalf("Account(%d): %v", want.ID, err)
		}
		if diff := cmp.Diff(want, got, storeCmp); diff != "" {
			t.Fatalf("Account differs from what ResolveAccount returned (-want +got):\n%s", diff)
		}
	})

	t.Run("Account of a missing ID is ENOTFOUND", func(t *testing.T) {
		s := open(t)
		_, err := s.Account(t.Context(), 987654)
		wantCode(t, err, bot.ENOTFOUND, "Account of a missing ID")
	})

	t.Run("Accounts visits every account in ID order with identities", func(t *testing.T) {
		s := open(t)
		var want []bot.Account
		for _, u := range []string{"c", "a", "b"} {
			want = append(want, mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: u}, "user "+u))
		}
		slices.SortFunc(want, func(a, b bot.Account) int { return int(a.ID - b.ID) })
		var got []bot.Account
		if err := s.Accounts(t.Context(), func(a bot.Account) error {
			got = append(got, a)
			return nil
		}); err != nil {
			t.Fatalf("Accounts: %v", err)
		}
		if diff := cmp.Diff(want, got, storeCmp); diff != "" {
			t.Fatalf("Accounts (-want +got):\n%s", diff)
		}
	})

	t.Run("Accounts returns the error of fn", func(t *testing.T) {
		s := open(t)
		mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "a"}, "a")
		mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "b"}, "b")
		stop := errors.New("stop here")
		calls := 0
		err := s.Accounts(t.Context(), func(bot.Account) error { calls++; return stop })
		if !errors.Is(err, stop) {
			t.Fatalf("Accounts with a failing fn: err = %v, want fn's error", err)
		}
		if calls != 1 {
			t.Fatalf("fn was called %d times after failing, want 1", calls)
		}
	})
}

func runProfileRules(t *testing.T, open func(t *testing.T) bot.Store) {
	t.Run("Profile of an account without one is ENOTFOUND", func(t *testing.T) {
		s := open(t)
		a := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "p"}, "P")
		_, err := s.Profile(t.Context(), a.ID)
		wantCode(t, err, bot.ENOTFOUND, "Profile of an account without a profile")
		_, err = s.Profile(t.Context(), a.ID+1000)
		wantCode(t, err, bot.ENOTFOUND, "Profile of a missing account")
	})

	t.Run("SaveProfile round-trips every field", func(t *testing.T) {
		s := open(t)
		a := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "p"}, "P")
		in := FullProfile(a.ID)
		saved, err := s.SaveProfile(t.Context(), in)
		if err != nil {
			t.Fatalf("SaveProfile: %v", err)
		}
		if saved.UpdatedAt.IsZero() || saved.UpdatedAt.Equal(in.UpdatedAt) {
			t.Fatalf("SaveProfile left UpdatedAt at %v, want it set to the time of saving", saved.UpdatedAt)
		}
		want := in
		want.UpdatedAt = saved.UpdatedAt
		if diff := cmp.Diff(want, saved, storeCmp); diff != "" {
			t.Fatalf("SaveProfile returned (-want +got):\n%s", diff)
		}
		got, err := s.Profile(t.Context(), a.ID)
		if err != nil {
			t.Fatalf("Profile after SaveProfile: %v", err)
		}
		if diff := cmp.Diff(want, got, storeCmp); diff != "" {
			t.Fatalf("Profile after SaveProfile (-want +got):\n%s", diff)
		}
	})

	t.Run("SaveProfile replaces the whole profile", func(t *testing.T) {
		s := open(t)
		a := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "p"}, "P")
		mustSaveProfile(t, s, FullProfile(a.ID))
		second := bot.Profile{
			AccountID: a.ID,
			Name:      "Ada L.",
			Headline:  "Analyst",
			Skills:    []string{"Math"},
			Rate:      parse.Rate{Amount: 100, Currency: "GBP", Unit: parse.PerDay},
			Status:    bot.ProfileDraft,
		}
		saved := mustSaveProfile(t, s, second)
		got, err := s.Profile(t.Context(), a.ID)
		if err != nil {
			t.Fatalf("Profile: %v", err)
		}
		if diff := cmp.Diff(saved, got, storeCmp); diff != "" {
			t.Fatalf("Profile after replacing (-want +got):\n%s", diff)
		}
		if len(got.Portfolio) != 0 || got.Location.City != "" || !got.Availability.AvailableFrom.IsZero() {
			t.Fatalf("fields of the first profile survived the replacement: %+v", got)
		}
	})

	t.Run("SaveProfile for a missing account is ENOTFOUND", func(t *testing.T) {
		s := open(t)
		_, err := s.SaveProfile(t.Context(), FullProfile(424242))
		wantCode(t, err, bot.ENOTFOUND, "SaveProfile for a missing account")
		if got := collectProfiles(t, s); len(got) != 0 {
			t.Fatalf("a refused SaveProfile stored %d profiles", len(got))
		}
	})

	t.Run("SetProfileStatus changes the status", func(t *testing.T) {
		s := open(t)
		a := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "p"}, "P")
		p := FullProfile(a.ID)
		p.Status = bot.ProfileDraft
		mustSaveProfile(t, s, p)
		for _, status := range []string{bot.ProfilePublished, bot.ProfilePaused, bot.ProfileDraft, bot.ProfilePublished} {
			if err := s.SetProfileStatus(t.Context(), a.ID, status); err != nil {
				t.Fatalf("SetProfileStatus(%q): %v", status, err)
			}
			got, err := s.Profile(t.Context(), a.ID)
			if err != nil {
				t.Fatalf("Profile: %v", err)
			}
			if got.Status != status {
				t.Fatalf("status after SetProfileStatus(%q) = %q", status, got.Status)
			}
		}
	})

	t.Run("SetProfileStatus without a profile is ENOTFOUND", func(t *testing.T) {
		s := open(t)
		a := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "p"}, "P")
		wantCode(t, s.SetProfileStatus(t.Context(), a.ID, bot.ProfilePublished), bot.ENOTFOUND,
			"SetProfileStatus of an account without a profile")
		wantCode(t, s.SetProfileStatus(t.Context(), a.ID+1000, bot.ProfilePublished), bot.ENOTFOUND,
			"SetProfileStatus of a missing account")
	})

	t.Run("Profiles filters by status in account ID order", func(t *testing.T) {
		s := open(t)
		statuses := []string{bot.ProfilePublished, bot.ProfileDraft, bot.ProfilePublished, bot.ProfilePaused, bot.ProfileDraft}
		byStatus := map[string][]int64{}
		var all []int64
		for i, status := range statuses {
			a := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: string(rune('a' + i))}, "P")
			p := FullProfile(a.ID)
			p.Status = status
			mustSaveProfile(t, s, p)
			byStatus[status] = append(byStatus[status], a.ID)
			all = append(all, a.ID)
		}
		slices.Sort(all)
		for _, tc := range []struct {
			name     string
			statuses []string
			want     []int64
		}{
			{"no status means all", nil, all},
			{"published", []string{bot.ProfilePublished}, byStatus[bot.ProfilePublished]},
			{"draft or paused", []string{bot.ProfileDraft, bot.ProfilePaused},
				sortedIDs(append(slices.Clone(byStatus[bot.ProfileDraft]), byStatus[bot.ProfilePaused]...))},
			{"unknown status", []string{"archived"}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var got []int64
				if err := s.Profiles(t.Context(), func(p bot.Profile) error {
					got = append(got, p.AccountID)
					return nil
				}, tc.statuses...); err != nil {
					t.Fatalf("Profiles: %v", err)
				}
				if diff := cmp.Diff(tc.want, got, storeCmp); diff != "" {
					t.Fatalf("Profiles(%q) account IDs (-want +got):\n%s", tc.statuses, diff)
				}
			})
		}
	})

	t.Run("Profiles returns whole profiles", func(t *testing.T) {
		s := open(t)
		a := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "p"}, "P")
		want := mustSaveProfile(t, s, FullProfile(a.ID))
		got := collectProfiles(t, s)
		if diff := cmp.Diff([]bot.Profile{want}, got, storeCmp); diff != "" {
			t.Fatalf("Profiles (-want +got):\n%s", diff)
		}
	})

	t.Run("Profiles stops at the first error of fn", func(t *testing.T) {
		s := open(t)
		for _, u := range []string{"a", "b", "c"} {
			a := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: u}, u)
			mustSaveProfile(t, s, FullProfile(a.ID))
		}
		stop := errors.New("stop here")
		calls := 0
		err := s.Profiles(t.Context(), func(bot.Profile) error { calls++; return stop })
		if !errors.Is(err, stop) {
			t.Fatalf("Profiles with a failing fn: err = %v, want fn's error", err)
		}
		if calls != 1 {
			t.Fatalf("fn was called %d times, want 1 (stop at the first error)", calls)
		}
	})
}

func runJobRules(t *testing.T, open func(t *testing.T) bot.Store) {
	t.Run("CreateJob stores an open job and round-trips every field", func(t *testing.T) {
		s := open(t)
		owner := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "boss"}, "Boss")
		in := FullJob(owner.ID, "key-1")
		in.Status = bot.JobFilled // a new job is open whatever the caller says
		created, err := s.CreateJob(t.Context(), in)
		if err != nil {
			t.Fatalf("CreateJob: %v", err)
		}
		if created.ID <= 0 || created.CreatedAt.IsZero() {
			t.Fatalf("CreateJob returned ID %d, CreatedAt %v; want both set", created.ID, created.CreatedAt)
		}
		want := in
		want.ID, want.CreatedAt, want.Status = created.ID, created.CreatedAt, bot.JobOpen
		if diff := cmp.Diff(want, created, storeCmp); diff != "" {
			t.Fatalf("CreateJob returned (-want +got):\n%s", diff)
		}
		got, err := s.Job(t.Context(), created.ID)
		if err != nil {
			t.Fatalf("Job: %v", err)
		}
		if diff := cmp.Diff(want, got, storeCmp); diff != "" {
			t.Fatalf("Job after CreateJob (-want +got):\n%s", diff)
		}
	})

	t.Run("CreateJob with an existing Key returns that job unchanged", func(t *testing.T) {
		s := open(t)
		owner := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "boss"}, "Boss")
		first := mustCreateJob(t, s, FullJob(owner.ID, "ref-123"))
		retry := FullJob(owner.ID, "ref-123")
		retry.Title = "A different title"
		again, err := s.CreateJob(t.Context(), retry)
		if err != nil {
			t.Fatalf("CreateJob with the same key: %v", err)
		}
		if diff := cmp.Diff(first, again, storeCmp); diff != "" {
			t.Fatalf("CreateJob with an existing key (-first +again):\n%s", diff)
		}
		if jobs := mustJobs(t, s, bot.JobFilter{}); len(jobs) != 1 {
			t.Fatalf("two creations with one key stored %d jobs, want 1", len(jobs))
		}
	})

	t.Run("CreateJob without a Key always creates", func(t *testing.T) {
		s := open(t)
		owner := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "boss"}, "Boss")
		a := mustCreateJob(t, s, FullJob(owner.ID, ""))
		b := mustCreateJob(t, s, FullJob(owner.ID, ""))
		if a.ID == b.ID {
			t.Fatalf("two jobs without a key share ID %d", a.ID)
		}
		if jobs := mustJobs(t, s, bot.JobFilter{}); len(jobs) != 2 {
			t.Fatalf("stored %d jobs, want 2", len(jobs))
		}
	})

	t.Run("Job of a missing ID is ENOTFOUND", func(t *testing.T) {
		s := open(t)
		_, err := s.Job(t.Context(), 31337)
		wantCode(t, err, bot.ENOTFOUND, "Job of a missing ID")
	})

	t.Run("Jobs filters and lists newest first", func(t *testing.T) {
		s := open(t)
		alice := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "alice"}, "Alice")
		bob := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "bob"}, "Bob")
		a1 := mustCreateJob(t, s, FullJob(alice.ID, "a1"))
		b1 := mustCreateJob(t, s, FullJob(bob.ID, "b1"))
		a2 := mustCreateJob(t, s, FullJob(alice.ID, "a2"))
		a3 := mustCreateJob(t, s, FullJob(alice.ID, "a3"))
		if err := s.SetJobStatus(t.Context(), a2.ID, bot.JobFilled); err != nil {
			t.Fatalf("SetJobStatus: %v", err)
		}
		for _, tc := range []struct {
			name   string
			filter bot.JobFilter
			want   []int64
		}{
			{"everything", bot.JobFilter{}, []int64{a3.ID, a2.ID, b1.ID, a1.ID}},
			{"owner", bot.JobFilter{OwnerID: alice.ID}, []int64{a3.ID, a2.ID, a1.ID}},
			{"status", bot.JobFilter{Status: bot.JobOpen}, []int64{a3.ID, b1.ID, a1.ID}},
			{"owner and status", bot.JobFilter{OwnerID: alice.ID, Status: bot.JobFilled}, []int64{a2.ID}},
			{"nothing matches", bot.JobFilter{OwnerID: bob.ID, Status: bot.JobFilled}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				var got []int64
				for _, j := range mustJobs(t, s, tc.filter) {
					got = append(got, j.ID)
				}
				if diff := cmp.Diff(tc.want, got, storeCmp); diff != "" {
					t.Fatalf("Jobs(%+v) IDs (-want +got):\n%s", tc.filter, diff)
				}
			})
		}
	})

	t.Run("SetJobStatus changes the status", func(t *testing.T) {
		s := open(t)
		owner := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "boss"}, "Boss")
		j := mustCreateJob(t, s, FullJob(owner.ID, "k"))
		for _, status := range []string{bot.JobFilled, bot.JobClosed, bot.JobExpired, bot.JobOpen} {
			if err := s.SetJobStatus(t.Context(), j.ID, status); err != nil {
				t.Fatalf("SetJobStatus(%q): %v", status, err)
			}
			got, err := s.Job(t.Context(), j.ID)
			if err != nil {
				t.Fatalf("Job: %v", err)
			}
			if got.Status != status {
				t.Fatalf("status after SetJobStatus(%q) = %q", status, got.Status)
			}
		}
	})

	t.Run("SetJobStatus of a missing job is ENOTFOUND", func(t *testing.T) {
		s := open(t)
		wantCode(t, s.SetJobStatus(t.Context(), 31337, bot.JobClosed), bot.ENOTFOUND, "SetJobStatus of a missing job")
	})
}

func runDeleteRules(t *testing.T, open func(t *testing.T) bot.Store) {
	t.Run("DeleteAccount erases identities, profile and jobs", func(t *testing.T) {
		s := open(t)
		id := bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: "U1"}
		gone := mustResolve(t, s, id, "Gone")
		p := FullProfile(gone.ID)
		p.Status = bot.ProfilePublished
		mustSaveProfile(t, s, p)
		job := mustCreateJob(t, s, FullJob(gone.ID, "gone-job"))

		stays := mustResolve(t, s, bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: "U2"}, "Stays")
		kept := FullProfile(stays.ID)
		kept.Status = bot.ProfilePublished
		keptProfile := mustSaveProfile(t, s, kept)
		keptJob := mustCreateJob(t, s, FullJob(stays.ID, "kept-job"))

		if err := s.DeleteAccount(t.Context(), gone.ID); err != nil {
			t.Fatalf("DeleteAccount: %v", err)
		}

		_, err := s.Account(t.Context(), gone.ID)
		wantCode(t, err, bot.ENOTFOUND, "Account after DeleteAccount")
		_, err = s.Profile(t.Context(), gone.ID)
		wantCode(t, err, bot.ENOTFOUND, "Profile after DeleteAccount")
		_, err = s.Job(t.Context(), job.ID)
		wantCode(t, err, bot.ENOTFOUND, "Job after DeleteAccount")
		if jobs := mustJobs(t, s, bot.JobFilter{OwnerID: gone.ID}); len(jobs) != 0 {
			t.Fatalf("Jobs of a deleted owner: %d, want 0", len(jobs))
		}
		if ids := mustSearch(t, s, bot.TextQuery{Terms: []string{"go"}}, 10); !slices.Equal(ids, []int64{stays.ID}) {
			t.Fatalf("search after DeleteAccount = %v, want only %d", ids, stays.ID)
		}
		if diff := cmp.Diff([]bot.Profile{keptProfile}, collectProfiles(t, s), storeCmp); diff != "" {
			t.Fatalf("Profiles after DeleteAccount (-want +got):\n%s", diff)
		}
		var accounts []int64
		if err := s.Accounts(t.Context(), func(a bot.Account) error { accounts = append(accounts, a.ID); return nil }); err != nil {
			t.Fatalf("Accounts: %v", err)
		}
		if !slices.Equal(accounts, []int64{stays.ID}) {
			t.Fatalf("Accounts after DeleteAccount = %v, want only %d", accounts, stays.ID)
		}
		if got, err := s.Job(t.Context(), keptJob.ID); err != nil || got.ID != keptJob.ID {
			t.Fatalf("the other account's job: %+v, %v", got, err)
		}

		// The identity is gone too: the same person coming back is new.
		again := mustResolve(t, s, id, "Back")
		if again.ID == gone.ID || again.Name != "Back" {
			t.Fatalf("ResolveAccount after DeleteAccount = %+v, want a new account named Back", again)
		}
		// A job key of the deleted account no longer refers to anything.
		fresh := mustCreateJob(t, s, FullJob(again.ID, "gone-job"))
		if fresh.ID == job.ID || fresh.OwnerID != again.ID {
			t.Fatalf("CreateJob with the deleted job's key returned %+v, want a new job", fresh)
		}
	})

	t.Run("DeleteAccount twice is ENOTFOUND", func(t *testing.T) {
		s := open(t)
		a := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "x"}, "X")
		if err := s.DeleteAccount(t.Context(), a.ID); err != nil {
			t.Fatalf("DeleteAccount: %v", err)
		}
		wantCode(t, s.DeleteAccount(t.Context(), a.ID), bot.ENOTFOUND, "second DeleteAccount")
	})

	t.Run("DeleteAccount of a missing ID is ENOTFOUND", func(t *testing.T) {
		s := open(t)
		wantCode(t, s.DeleteAccount(t.Context(), 777), bot.ENOTFOUND, "DeleteAccount of a missing ID")
	})
}

// FullProfile returns a published profile of accountID with
// every field set, skills deliberately out of alphabetical order.
func FullProfile(accountID int64) bot.Profile {
	return bot.Profile{
		AccountID:       accountID,
		Name:            "Ada Lovelace",
		Headline:        "Backend engineer for payment systems",
		Skills:          []string{"Go", "PostgreSQL", "Kubernetes", "AWS"},
		YearsExperience: 9,
		Rate:            parse.Rate{Amount: 72.5, Currency: "EUR", Unit: parse.PerHour},
		Availability: bot.Availability{
			HoursPerWeek:  20,
			AvailableFrom: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		},
		Timezone:  "Europe/Berlin",
		WorkTypes: []string{bot.WorkPartTime, bot.WorkGig},
		Location:  parse.Location{Remote: true, City: "Berlin"},
		Portfolio: []string{"https://github.com/ada", "https://ada.example/cases"},
		Bio:       "I build reliable APIs in Go; ten years of \"boring\" infrastructure — with ümlauts.",
		Status:    bot.ProfilePublished,
		UpdatedAt: time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC), // the store must overwrite it
	}
}

// FullJob returns a job of ownerID with every field set.
func FullJob(ownerID int64, key string) bot.Job {
	return bot.Job{
		Key:          key,
		OwnerID:      ownerID,
		Title:        "Fix the checkout webhook",
		Description:  "Stripe webhooks time out under load.",
		Deliverables: "A merged pull request and a short write-up.",
		Skills:       []string{"Go", "Stripe", "AWS Lambda"},
		NiceSkills:   []string{"Terraform"},
		Budget:       parse.Budget{Min: 300, Max: 650.5, Currency: "USD", Unit: parse.BudgetFixed},
		Deadline:     time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC),
		Location:     parse.Location{Remote: true},
		Timezone:     "America/New_York",
		Status:       bot.JobOpen,
	}
}

func mustResolve(t testing.TB, s bot.Store, id bot.Identity, name string) bot.Account {
	t.Helper()
	a, err := s.ResolveAccount(t.Context(), id, name)
	if err != nil {
		t.Fatalf("ResolveAccount(%v): %v", id, err)
	}
	return a
}

func mustSaveProfile(t testing.TB, s bot.Store, p bot.Profile) bot.Profile {
	t.Helper()
	saved, err := s.SaveProfile(t.Context(), p)
	if err != nil {
		t.Fatalf("SaveProfile(%d): %v", p.AccountID, err)
	}
	return saved
}

func mustCreateJob(t testing.TB, s bot.Store, j bot.Job) bot.Job {
	t.Helper()
	created, err := s.CreateJob(t.Context(), j)
	if err != nil {
		t.Fatalf("CreateJob(%q): %v", j.Key, err)
	}
	return created
}

func mustJobs(t testing.TB, s bot.Store, f bot.JobFilter) []bot.Job {
	t.Helper()
	jobs, err := s.Jobs(t.Context(), f)
	if err != nil {
		t.Fatalf("Jobs(%+v): %v", f, err)
	}
	return jobs
}

func mustSearch(t testing.TB, s bot.Store, q bot.TextQuery, limit int) []int64 {
	t.Helper()
	ids, err := s.SearchProfiles(t.Context(), q, limit)
	if err != nil {
		t.Fatalf("SearchProfiles(%+v): %v", q, err)
	}
	return ids
}

func collectProfiles(t testing.TB, s bot.Store, statuses ...string) []bot.Profile {
	t.Helper()
	var out []bot.Profile
	if err := s.Profiles(t.Context(), func(p bot.Profile) error {
		out = append(out, p)
		return nil
	}, statuses...); err != nil {
		t.Fatalf("Profiles: %v", err)
	}
	return out
}

func sortedIDs(ids []int64) []int64 {
	slices.Sort(ids)
	return ids
}

func wantCode(t testing.TB, err error, code, what string) {
	t.Helper()
	if got := bot.ErrorCode(err); got != code {
		t.Fatalf("%s: err = %v (code %q), want code %q", what, err, got, code)
	}
}
