package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hirebot/hirebot/bot"
)

// runBoardRules checks the rules written in the doc comments of
// bot.BoardStore.
func runBoardRules(t *testing.T, open func(t *testing.T) bot.Store) {
	t.Run("SaveBoard creates, Board reads, SaveBoard again replaces", func(t *testing.T) {
		s := open(t)
		b := bot.Board{Platform: bot.Discord, Community: "G1", ChannelID: "C1", ModChannelID: "M1",
			Cooldown: 10 * time.Minute, MinAccountAge: 7 * 24 * time.Hour}
		saved, err := s.SaveBoard(t.Context(), b)
		if err != nil {
			t.Fatalf("SaveBoard: %v", err)
		}
		if saved.UpdatedAt.IsZero() {
			t.Fatalf("SaveBoard did not set UpdatedAt: %+v", saved)
		}
		got, err := s.Board(t.Context(), bot.Discord, "G1")
		if err != nil {
			t.Fatalf("Board: %v", err)
		}
		if diff := cmp.Diff(saved, got); diff != "" {
			t.Fatalf("Board after SaveBoard (-saved +got):\n%s", diff)
		}
		b.ChannelID, b.ModChannelID, b.Cooldown, b.MinAccountAge = "C2", "", 0, 0
		if _, err := s.SaveBoard(t.Context(), b); err != nil {
			t.Fatalf("SaveBoard again: %v", err)
		}
		got, err = s.Board(t.Context(), bot.Discord, "G1")
		if err != nil {
			t.Fatalf("Board: %v", err)
		}
		if got.ChannelID != "C2" || got.ModChannelID != "" || got.Cooldown != 0 || got.MinAccountAge != 0 {
			t.Fatalf("Board after the second SaveBoard = %+v, want channel C2 and no rules", got)
		}
	})

	t.Run("Board of an unknown community is ENOTFOUND", func(t *testing.T) {
		s := open(t)
		mustSaveBoard(t, s, bot.Board{Platform: bot.Discord, Community: "G1", ChannelID: "C1"})
		for _, c := range [][2]string{{bot.Discord, "G2"}, {bot.Telegram, "G1"}} {
			_, err := s.Board(t.Context(), c[0], c[1])
			wantCode(t, err, bot.ENOTFOUND, "Board("+c[0]+", "+c[1]+")")
		}
	})

	t.Run("SaveBoard refuses incomplete boards", func(t *testing.T) {
		s := open(t)
		for name, b := range map[string]bot.Board{
			"no platform":       {Community: "G", ChannelID: "C"},
			"no community":      {Platform: bot.Discord, ChannelID: "C"},
			"no channel":        {Platform: bot.Discord, Community: "G"},
			"negative cooldown": {Platform: bot.Discord, Community: "G", ChannelID: "C", Cooldown: -time.Second},
			"negative age":      {Platform: bot.Discord, Community: "G", ChannelID: "C", MinAccountAge: -time.Hour},
		} {
			_, err := s.SaveBoard(t.Context(), b)
			wantCode(t, err, bot.EINVALID, "SaveBoard with "+name)
		}
	})

	t.Run("AddBoardPost records, replaces the ref, and BoardPosts lists oldest first", func(t *testing.T) {
		s := open(t)
		a := mustResolve(t, s, bot.Identity{Platform: bot.Discord, UserID: "U1"}, "Ann")
		j := mustCreateJob(t, s, FullJob(a.ID, "k1"))
		gig := mustAddPost(t, s, bot.BoardPost{JobID: j.ID, Kind: bot.PostGig, Platform: bot.Discord, Community: "G1", ChatID: "C1", Ref: "M1", AccountID: a.ID})
		if gig.CreatedAt.IsZero() {
			t.Fatalf("AddBoardPost did not set CreatedAt")
		}
		report := mustAddPost(t, s, bot.BoardPost{JobID: j.ID, Kind: bot.PostReport, Platform: bot.Discord, Community: "G1", ChatID: "MOD", Ref: "M2", AccountID: a.ID})
		again := gig
		again.Ref = "M9"
		again.CreatedAt = time.Time{}
		replaced := mustAddPost(t, s, again)
		if !replaced.CreatedAt.Equal(gig.CreatedAt) {
			t.Errorf("CreatedAt after recording again = %v, want the first %v", replaced.CreatedAt, gig.CreatedAt)
		}
		got, err := s.BoardPosts(t.Context(), j.ID)
		if err != nil {
			t.Fatalf("BoardPosts: %v", err)
		}
		gig.Ref = "M9"
		if diff := cmp.Diff([]bot.BoardPost{gig, report}, got, cmpopts.EquateApproxTime(0)); diff != "" {
			t.Fatalf("BoardPosts (-want +got):\n%s", diff)
		}
		other := mustCreateJob(t, s, FullJob(a.ID, "k2"))
		if got, err := s.BoardPosts(t.Context(), other.ID); err != nil || len(got) != 0 {
			t.Fatalf("BoardPosts of a job never posted = %v, %v; want none", got, err)
		}
	})

	t.Run("AddBoardPost refuses unknown kinds, jobs and accounts", func(t *testing.T) {
		s := open(t)
		a := mustResolve(t, s, bot.Identity{Platform: bot.Discord, UserID: "U1"}, "Ann")
		j := mustCreateJob(t, s, FullJob(a.ID, "k1"))
		p := bot.BoardPost{JobID: j.ID, Kind: bot.PostGig, Platform: bot.Discord, Community: "G1", ChatID: "C1", AccountID: a.ID}
		bad := p
		bad.Kind = "poster"
		_, err := s.AddBoardPost(t.Context(), bad)
		wantCode(t, err, bot.EINVALID, "AddBoardPost of an unknown kind")
		bad = p
		bad.JobID = j.ID + 100
		_, err = s.AddBoardPost(t.Context(), bad)
		wantCode(t, err, bot.ENOTFOUND, "AddBoardPost of a missing job")
		bad = p
		bad.AccountID = a.ID + 100
		_, err = s.AddBoardPost(t.Context(), bad)
		wantCode(t, err, bot.ENOTFOUND, "AddBoardPost by a missing account")
	})

	t.Run("LastBoardPost is the newest gig of that member in that community", func(t *testing.T) {
		s := open(t)
		ann := mustResolve(t, s, bot.Identity{Platform: bot.Discord, UserID: "U1"}, "Ann")
		bob := mustResolve(t, s, bot.Identity{Platform: bot.Discord, UserID: "U2"}, "Bob")
		zero, err := s.LastBoardPost(t.Context(), bot.Discord, "G1", ann.ID)
		if err != nil || !zero.IsZero() {
			t.Fatalf("LastBoardPost before any post = %v, %v; want the zero time", zero, err)
		}
		j1 := mustCreateJob(t, s, FullJob(ann.ID, "k1"))
		j2 := mustCreateJob(t, s, FullJob(ann.ID, "k2"))
		first := mustAddPost(t, s, bot.BoardPost{JobID: j1.ID, Kind: bot.PostGig, Platform: bot.Discord, Community: "G1", ChatID: "C1", AccountID: ann.ID})
		second := mustAddPost(t, s, bot.BoardPost{JobID: j2.ID, Kind: bot.PostGig, Platform: bot.Discord, Community: "G1", ChatID: "C1", AccountID: ann.ID})
		// Reports and other communities and members do not count.
		mustAddPost(t, s, bot.BoardPost{JobID: j1.ID, Kind: bot.PostReport, Platform: bot.Discord, Community: "G1", ChatID: "MOD", AccountID: bob.ID})
		mustAddPost(t, s, bot.BoardPost{JobID: j1.ID, Kind: bot.PostGig, Platform: bot.Discord, Community: "G2", ChatID: "C9", AccountID: ann.ID})
		want := first.CreatedAt
		if second.CreatedAt.After(want) {
			want = second.CreatedAt
		}
		got, err := s.LastBoardPost(t.Context(), bot.Discord, "G1", ann.ID)
		if err != nil || !got.Equal(want) {
			t.Fatalf("LastBoardPost = %v, %v; want %v", got, err, want)
		}
		for _, c := range []struct {
			platform, community string
			account             int64
		}{{bot.Discord, "G1", bob.ID}, {bot.Telegram, "G1", ann.ID}, {bot.Discord, "G3", ann.ID}} {
			got, err := s.LastBoardPost(t.Context(), c.platform, c.community, c.account)
			if err != nil || !got.IsZero() {
				t.Errorf("LastBoardPost(%s, %s, %d) = %v, %v; want the zero time", c.platform, c.community, c.account, got, err)
			}
		}
	})

	t.Run("AddReport counts a reporter once", func(t *testing.T) {
		s := open(t)
		ann := mustResolve(t, s, bot.Identity{Platform: bot.Discord, UserID: "U1"}, "Ann")
		bob := mustResolve(t, s, bot.Identity{Platform: bot.Discord, UserID: "U2"}, "Bob")
		j := mustCreateJob(t, s, FullJob(ann.ID, "k1"))
		for i, c := range []struct {
			account int64
			first   bool
		}{{bob.ID, true}, {bob.ID, false}, {ann.ID, true}} {
			first, err := s.AddReport(t.Context(), j.ID, c.account)
			if err != nil || first != c.first {
				t.Fatalf("report %d by %d: first = %v, %v; want %v", i, c.account, first, err, c.first)
			}
		}
		_, err := s.AddReport(t.Context(), j.ID+100, bob.ID)
		wantCode(t, err, bot.ENOTFOUND, "AddReport of a missing job")
		_, err = s.AddReport(t.Context(), j.ID, bob.ID+100)
		wantCode(t, err, bot.ENOTFOUND, "AddReport by a missing account")
	})

	t.Run("SaveGig bookmarks once and SavedGigs lists newest first", func(t *testing.T) {
		s := open(t)
		ann := mustResolve(t, s, bot.Identity{Platform: bot.Discord, UserID: "U1"}, "Ann")
		bob := mustResolve(t, s, bot.Identity{Platform: bot.Discord, UserID: "U2"}, "Bob")
		j1 := mustCreateJob(t, s, FullJob(ann.ID, "k1"))
		j2 := mustCreateJob(t, s, FullJob(ann.ID, "k2"))
		for _, id := range []int64{j1.ID, j2.ID, j2.ID} {
			if err := s.SaveGig(t.Context(), bob.ID, id); err != nil {
				t.Fatalf("SaveGig(%d): %v", id, err)
			}
		}
		got, err := s.SavedGigs(t.Context(), bob.ID)
		if err != nil {
			t.Fatalf("SavedGigs: %v", err)
		}
		if diff := cmp.Diff([]bot.Job{j2, j1}, got, storeCmp); diff != "" {
			t.Fatalf("SavedGigs (-want +got):\n%s", diff)
		}
		if got, err := s.SavedGigs(t.Context(), ann.ID); err != nil || len(got) != 0 {
			t.Fatalf("SavedGigs of someone who saved nothing = %v, %v", got, err)
		}
		wantCode(t, s.SaveGig(t.Context(), bob.ID, j2.ID+100), bot.ENOTFOUND, "SaveGig of a missing job")
		wantCode(t, s.SaveGig(t.Context(), bob.ID+100, j1.ID), bot.ENOTFOUND, "SaveGig by a missing account")
	})

	t.Run("deleting the owner removes the job's posts, reports and bookmarks", func(t *testing.T) {
		s := open(t)
		ann := mustResolve(t, s, bot.Identity{Platform: bot.Discord, UserID: "U1"}, "Ann")
		bob := mustResolve(t, s, bot.Identity{Platform: bot.Discord, UserID: "U2"}, "Bob")
		j := mustCreateJob(t, s, FullJob(ann.ID, "k1"))
		mustAddPost(t, s, bot.BoardPost{JobID: j.ID, Kind: bot.PostGig, Platform: bot.Discord, Community: "G1", ChatID: "C1", AccountID: ann.ID})
		if _, err := s.AddReport(t.Context(), j.ID, bob.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveGig(t.Context(), bob.ID, j.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteAccount(t.Context(), ann.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := s.BoardPosts(t.Context(), j.ID); err != nil || len(got) != 0 {
			t.Errorf("BoardPosts of a deleted job = %v, %v; want none", got, err)
		}
		if got, err := s.SavedGigs(t.Context(), bob.ID); err != nil || len(got) != 0 {
			t.Errorf("SavedGigs after the job was deleted = %v, %v; want none", got, err)
		}
		if last, err := s.LastBoardPost(t.Context(), bot.Discord, "G1", ann.ID); err != nil || !last.IsZero() {
			t.Errorf("LastBoardPost of a deleted account = %v, %v; want the zero time", last, err)
		}
	})

	t.Run("DueJobs returns open jobs whose deadline day has passed", func(t *testing.T) {
		s := open(t)
		ann := mustResolve(t, s, bot.Identity{Platform: bot.Discord, UserID: "U1"}, "Ann")
		day := func(d int) time.Time { return time.Date(2026, 7, d, 0, 0, 0, 0, time.UTC) }
		mk := func(key string, deadline time.Time) bot.Job {
			j := FullJob(ann.ID, key)
			j.Deadline = deadline
			return mustCreateJob(t, s, j)
		}
		late := mk("late", day(3))
		earlier := mk("earlier", day(1))
		mk("today", day(10))
		mk("future", day(20))
		mk("none", time.Time{})
		closed := mk("closed", day(2))
		if err := s.SetJobStatus(t.Context(), closed.ID, bot.JobClosed); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 7, 10, 18, 30, 0, 0, time.UTC)
		got, err := s.DueJobs(t.Context(), now, 10)
		if err != nil {
			t.Fatalf("DueJobs: %v", err)
		}
		if diff := cmp.Diff([]bot.Job{earlier, late}, got, storeCmp); diff != "" {
			t.Fatalf("DueJobs (-want +got):\n%s", diff)
		}
		got, err = s.DueJobs(t.Context(), now, 1)
		if err != nil || len(got) != 1 || got[0].ID != earlier.ID {
			t.Fatalf("DueJobs limit 1 = %v, %v; want only #%d", got, err, earlier.ID)
		}
	})
}

func mustSaveBoard(t testing.TB, s bot.Store, b bot.Board) bot.Board {
	t.Helper()
	saved, err := s.SaveBoard(t.Context(), b)
	if err != nil {
		t.Fatalf("SaveBoard(%+v): %v", b, err)
	}
	return saved
}

func mustAddPost(t testing.TB, s bot.Store, p bot.BoardPost) bot.BoardPost {
	t.Helper()
	saved, err := s.AddBoardPost(t.Context(), p)
	if err != nil {
		t.Fatalf("AddBoardPost(%+v): %v", p, err)
	}
	return saved
}
