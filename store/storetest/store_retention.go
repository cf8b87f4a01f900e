package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
)

// retentionFixture is a freelancer with a published profile, an employer
// with a job, an engagement between them (not done), and a stranger.
type retentionFixture struct {
	hiringFixture
	eng bot.Engagement
}

func newRetentionFixture(t *testing.T, s bot.Store) retentionFixture {
	t.Helper()
	f := retentionFixture{hiringFixture: newHiringFixture(t, s)}
	mustSaveProfile(t, s, FullProfile(f.fl.ID))
	inv := f.invite(t)
	if _, err := s.UpdateInvite(t.Context(), inv.ID, func(i *bot.Invite, _ bot.Job) (bot.Effects, error) {
		i.State = bot.InviteAccepted
		return bot.Effects{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	var err error
	f.eng, err = s.CreateEngagement(t.Context(), bot.Engagement{InviteID: inv.ID,
		Milestones: []bot.Milestone{{Title: "one"}, {Title: "two"}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// finish ticks off every milestone of the fixture's engagement.
func (f retentionFixture) finish(t *testing.T) {
	t.Helper()
	if _, err := f.s.UpdateEngagement(t.Context(), f.eng.ID, func(e *bot.Engagement) (bot.Effects, error) {
		for i := range e.Milestones {
			e.Milestones[i].Done = true
		}
		return bot.Effects{}, nil
	}); err != nil {
		t.Fatal(err)
	}
}

func runRetentionRules(t *testing.T, open func(t *testing.T) bot.Store) {
	t.Run("reviews", func(t *testing.T) { runReviewRules(t, open) })
	t.Run("pools", func(t *testing.T) { runPoolRules(t, open) })
	t.Run("check-ins", func(t *testing.T) { runCheckinRules(t, open) })
	t.Run("alerts", func(t *testing.T) { runAlertRules(t, open) })
	t.Run("links", func(t *testing.T) { runLinkRules(t, open) })
	t.Run("privacy", func(t *testing.T) { runPrivacyRules(t, open) })
	t.Run("erasure", func(t *testing.T) { runErasureRules(t, open) })
}

func runReviewRules(t *testing.T, open func(t *testing.T) bot.Store) {
	t.Run("reviews are asked for once, when the engagement is done", func(t *testing.T) {
		s := open(t)
		f := newRetentionFixture(t, s)
		ask := func(e bot.Engagement) []bot.Notification {
			return []bot.Notification{note(e.FreelancerID, "review?"), note(e.EmployerID, "review?")}
		}
		wantCode(t, s.RequestReviews(t.Context(), f.eng.ID, ask), bot.EINVALID, "RequestReviews before done")
		wantCode(t, s.RequestReviews(t.Context(), 999, ask), bot.ENOTFOUND, "RequestReviews of a missing engagement")
		if ids, err := s.UnrequestedEngagements(t.Context(), 10); err != nil || len(ids) != 0 {
			t.Fatalf("UnrequestedEngagements before done = %v, %v", ids, err)
		}
		f.finish(t)
		if ids, err := s.UnrequestedEngagements(t.Context(), 10); err != nil || !slices.Equal(ids, []int64{f.eng.ID}) {
			t.Fatalf("UnrequestedEngagements after done = %v, %v; want [%d]", ids, err, f.eng.ID)
		}
		if err := s.RequestReviews(t.Context(), f.eng.ID, ask); err != nil {
			t.Fatalf("RequestReviews: %v", err)
		}
		wantCode(t, s.RequestReviews(t.Context(), f.eng.ID, ask), bot.ECONFLICT, "RequestReviews twice")
		if ids, _ := s.UnrequestedEngagements(t.Context(), 10); len(ids) != 0 {
			t.Errorf("UnrequestedEngagements after the request = %v", ids)
		}
		ns := mustClaimAll(t, s, bot.ClaimRequest{Now: epoch.Add(time.Hour)})
		if len(ns) != 2 {
			t.Errorf("notifications of the request: %v, want 2", texts(ns))
		}
	})

	t.Run("only the two parties review, once each", func(t *testing.T) {
		s := open(t)
		f := newRetentionFixture(t, s)
		_, err := s.AddReview(t.Context(), bot.Review{EngagementID: f.eng.ID, AuthorID: f.fl.ID, Stars: 5})
		wantCode(t, err, bot.EINVALID, "AddReview before done")
		f.finish(t)
		for _, tc := range []struct {
			name string
			r    bot.Review
			code string
		}{
			{"a stranger", bot.Review{EngagementID: f.eng.ID, AuthorID: f.stranger.ID, Stars: 1}, bot.EUNAUTHORIZED},
			{"a missing engagement", bot.Review{EngagementID: 999, AuthorID: f.fl.ID, Stars: 1}, bot.ENOTFOUND},
			{"six stars", bot.Review{EngagementID: f.eng.ID, AuthorID: f.fl.ID, Stars: 6}, bot.EINVALID},
			{"a long comment", bot.Review{EngagementID: f.eng.ID, AuthorID: f.fl.ID, Stars: 3, Comment: strings.Repeat("é", bot.MaxReviewComment+1)}, bot.EINVALID},
		} {
			_, err := s.AddReview(t.Context(), tc.r)
			wantCode(t, err, tc.code, "AddReview by "+tc.name)
		}
		r, err := s.AddReview(t.Context(), bot.Review{EngagementID: f.eng.ID, AuthorID: f.emp.ID, Stars: 4, Comment: "Good — on time."})
		if err != nil {
			t.Fatalf("AddReview by the employer: %v", err)
		}
		if r.ID == 0 || r.SubjectID != f.fl.ID || r.CreatedAt.IsZero() {
			t.Errorf("stored review %+v: want an ID, the freelancer as subject and CreatedAt", r)
		}
		_, err = s.AddReview(t.Context(), bot.Review{EngagementID: f.eng.ID, AuthorID: f.emp.ID, Stars: 1})
		wantCode(t, err, bot.ECONFLICT, "a second review by the employer")
		if _, err := s.AddReview(t.Context(), bot.Review{EngagementID: f.eng.ID, AuthorID: f.fl.ID}); err != nil {
			t.Fatalf("a skip by the freelancer: %v", err)
		}
		_, err = s.AddReview(t.Context(), bot.Review{EngagementID: f.eng.ID, AuthorID: f.fl.ID, Stars: 5})
		wantCode(t, err, bot.ECONFLICT, "a review after a skip")

		got, err := s.Reviews(t.Context(), f.fl.ID)
		if err != nil || len(got) != 1 {
			t.Fatalf("Reviews of the freelancer = %v, %v", got, err)
		}
		if diff := cmp.Diff(r, got[0], storeCmp); diff != "" {
			t.Errorf("Reviews returns (-stored +read):\n%s", diff)
		}
		if got, _ := s.Reviews(t.Context(), f.emp.ID); len(got) != 0 {
			t.Errorf("a skip shows among the employer's reviews: %+v", got)
		}
		if by, _ := s.ReviewsBy(t.Context(), f.fl.ID); len(by) != 1 || by[0].Stars != 0 {
			t.Errorf("ReviewsBy the freelancer = %+v, want the skip", by)
		}
		ratings, err := s.Ratings(t.Context())
		if err != nil || !cmp.Equal(ratings, []bot.Rating{{AccountID: f.fl.ID, Average: 4, Count: 1}}) {
			t.Errorf("Ratings = %+v, %v", ratings, err)
		}
	})

	t.Run("reports count once per person and hiding keeps the stars", func(t *testing.T) {
		s := open(t)
		f := newRetentionFixture(t, s)
		f.finish(t)
		r, err := s.AddReview(t.Context(), bot.Review{EngagementID: f.eng.ID, AuthorID: f.emp.ID, Stars: 2, Comment: "rude"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.ReportReview(t.Context(), r.ID, f.stranger.ID, func(r bot.Review) []bot.Notification {
			return []bot.Notification{note(f.emp.ID, "reported")}
		})
		if err != nil || got.Reports != 1 {
			t.Fatalf("ReportReview = %+v, %v; want 1 report", got, err)
		}
		_, err = s.ReportReview(t.Context(), r.ID, f.stranger.ID, nil)
		wantCode(t, err, bot.ECONFLICT, "a second report by the same person")
		_, err = s.ReportReview(t.Context(), 999, f.stranger.ID, nil)
		wantCode(t, err, bot.ENOTFOUND, "a report of a missing review")
		if h, err := s.SetReviewHidden(t.Context(), r.ID, true); err != nil || !h.Hidden {
			t.Fatalf("SetReviewHidden = %+v, %v", h, err)
		}
		_, err = s.SetReviewHidden(t.Context(), 999, true)
		wantCode(t, err, bot.ENOTFOUND, "hiding a missing review")
		if ratings, _ := s.Ratings(t.Context()); len(ratings) != 1 || ratings[0].Count != 1 {
			t.Errorf("Ratings after hiding = %+v, want the stars counted", ratings)
		}
		if ns := mustClaimAll(t, s, bot.ClaimRequest{Now: epoch.Add(time.Hour)}); len(ns) != 1 {
			t.Errorf("notifications of one report: %v", texts(ns))
		}
	})
}

func runPoolRules(t *testing.T, open func(t *testing.T) bot.Store) {
	t.Run("a pool belongs to its scope", func(t *testing.T) {
		s := open(t)
		f := newRetentionFixture(t, s)
		here := bot.Scope{Platform: bot.Slack, Workspace: "T1"}
		p, err := s.AddToPool(t.Context(), here, "  Go   people ", f.fl.ID, f.emp.ID)
		if err != nil {
			t.Fatalf("AddToPool: %v", err)
		}
		if p.Name != "Go people" || p.Scope != here || len(p.Members) != 1 || p.Members[0].AccountID != f.fl.ID || p.Members[0].AddedBy != f.emp.ID {
			t.Errorf("new pool = %+v", p)
		}
		_, err = s.AddToPool(t.Context(), here, "go PEOPLE", f.fl.ID, f.stranger.ID)
		wantCode(t, err, bot.ECONFLICT, "adding someone twice (names ignore case)")
		if _, err := s.AddToPool(t.Context(), here, "Designers", f.stranger.ID, f.emp.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.AddToPool(t.Context(), here, " ", f.fl.ID, f.emp.ID)
		wantCode(t, err, bot.EINVALID, "a pool without a name")
		_, err = s.AddToPool(t.Context(), here, "x", 999, f.emp.ID)
		wantCode(t, err, bot.ENOTFOUND, "adding a missing account")
		for _, other := range []bot.Scope{{Platform: bot.Slack, Workspace: "T2"}, {Platform: bot.Discord, Workspace: "T1"}} {
			if ps, err := s.Pools(t.Context(), other); err != nil || len(ps) != 0 {
				t.Errorf("Pools(%v) = %+v, %v; want none", other, ps, err)
			}
		}
		ps, err := s.Pools(t.Context(), here)
		if err != nil || len(ps) != 2 || ps[0].Name != "Designers" || ps[1].Name != "Go people" {
			t.Fatalf("Pools = %+v, %v; want Designers, Go people", ps, err)
		}
		wantCode(t, s.RemoveFromPool(t.Context(), here, "Go people", f.stranger.ID), bot.ENOTFOUND, "removing someone not in the pool")
		wantCode(t, s.RemoveFromPool(t.Context(), here, "Nope", f.fl.ID), bot.ENOTFOUND, "removing from a missing pool")
		if err := s.RemoveFromPool(t.Context(), here, "GO PEOPLE", f.fl.ID); err != nil {
			t.Fatal(err)
		}
		if ps, _ := s.Pools(t.Context(), here); len(ps) != 1 {
			t.Errorf("an emptied pool stays: %+v", ps)
		}
	})
}

func runCheckinRules(t *testing.T, open func(t *testing.T) bot.Store) {
	t.Run("asked once when due, stale after the grace, fresh after an answer", func(t *testing.T) {
		s := open(t)
		f := newRetentionFixture(t, s)
		other := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "paused"}, "P")
		p := FullProfile(other.ID)
		p.Status = bot.ProfilePaused
		mustSaveProfile(t, s, p)
		base := time.Now().UTC()
		const every, grace = 14 * 24 * time.Hour, 7 * 24 * time.Hour
		ask := func(at time.Time) []int64 {
			t.Helper()
			ids, err := s.AskCheckins(t.Context(), at, every, 10, func(id int64) bot.Notification { return note(id, "still available?") })
			if err != nil {
				t.Fatalf("AskCheckins: %v", err)
			}
			return ids
		}
		if ids := ask(base); len(ids) != 0 {
			t.Fatalf("asked %v right after publishing", ids)
		}
		_, err := s.Checkin(t.Context(), f.fl.ID)
		wantCode(t, err, bot.ENOTFOUND, "Checkin never asked")
		due := base.Add(every + time.Minute)
		if ids := ask(due); !slices.Equal(ids, []int64{f.fl.ID}) {
			t.Fatalf("asked %v when due, want only the published profile %d", ids, f.fl.ID)
		}
		if ids := ask(due); len(ids) != 0 {
			t.Fatalf("asked %v again at the same time", ids)
		}
		if ids := ask(due.Add(3 * every)); len(ids) != 0 {
			t.Fatalf("asked %v again while a question is open", ids)
		}
		if ns := mustClaimAll(t, s, bot.ClaimRequest{Now: due.Add(time.Hour)}); len(ns) != 1 {
			t.Errorf("questions in the outbox: %v, want 1", texts(ns))
		}
		if ids, err := s.MarkStale(t.Context(), due.Add(grace-time.Minute), grace); err != nil || len(ids) != 0 {
			t.Fatalf("MarkStale before the grace = %v, %v", ids, err)
		}
		if ids, err := s.MarkStale(t.Context(), due.Add(grace), grace); err != nil || !slices.Equal(ids, []int64{f.fl.ID}) {
			t.Fatalf("MarkStale after the grace = %v, %v", ids, err)
		}
		if ids, _ := s.MarkStale(t.Context(), due.Add(2*grace), grace); len(ids) != 0 {
			t.Errorf("MarkStale marks again: %v", ids)
		}
		if ids, _ := s.StaleAccounts(t.Context()); !slices.Equal(ids, []int64{f.fl.ID}) {
			t.Errorf("StaleAccounts = %v", ids)
		}
		answered := due.Add(2 * grace)
		c, err := s.AnswerCheckin(t.Context(), f.fl.ID, answered, answered.Add(every))
		if err != nil || c.Stale || !c.AskedAt.IsZero() || !c.AnsweredAt.Equal(answered.Truncate(time.Microsecond)) {
			t.Fatalf("AnswerCheckin = %+v, %v", c, err)
		}
		if ids, _ := s.StaleAccounts(t.Context()); len(ids) != 0 {
			t.Errorf("StaleAccounts after the answer = %v", ids)
		}
		if ids := ask(answered.Add(every - time.Minute)); len(ids) != 0 {
			t.Errorf("asked %v before the next period", ids)
		}
		if ids := ask(answered.Add(every)); len(ids) != 1 {
			t.Errorf("asked %v at the next period, want the freelancer", ids)
		}
		_, err = s.AnswerCheckin(t.Context(), 999, answered, answered)
		wantCode(t, err, bot.ENOTFOUND, "AnswerCheckin of a missing account")
	})
}

func runAlertRules(t *testing.T, open func(t *testing.T) bot.Store) {
	t.Run("settings, cursor, caps and digests", func(t *testing.T) {
		s := open(t)
		f := newRetentionFixture(t, s) // f.job exists before the cursor starts
		daily := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "daily"}, "D")
		wantCode(t, s.SetAlerts(t.Context(), bot.AlertSettings{AccountID: f.fl.ID, Mode: "hourly"}), bot.EINVALID, "an unknown mode")
		wantCode(t, s.SetAlerts(t.Context(), bot.AlertSettings{AccountID: 999, Mode: bot.AlertsInstant}), bot.ENOTFOUND, "a missing account")
		if a, err := s.Alerts(t.Context(), f.fl.ID); err != nil || a.Mode != bot.AlertsOff {
			t.Fatalf("Alerts before opting in = %+v, %v", a, err)
		}
		cursor, err := s.AlertCursor(t.Context())
		if err != nil || cursor != f.job.ID {
			t.Fatalf("AlertCursor = %d, %v; want the newest job %d", cursor, err, f.job.ID)
		}
		base := epoch
		if err := s.SetAlerts(t.Context(), bot.AlertSettings{AccountID: f.fl.ID, Mode: bot.AlertsInstant}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetAlerts(t.Context(), bot.AlertSettings{AccountID: daily.ID, Mode: bot.AlertsDaily, NextDigestAt: base.Add(24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		subs, err := s.AlertSubscribers(t.Context())
		if err != nil || len(subs) != 2 || subs[0].AccountID != f.fl.ID || subs[1].Mode != bot.AlertsDaily {
			t.Fatalf("AlertSubscribers = %+v, %v", subs, err)
		}
		var jobs []bot.Job
		for range 3 {
			jobs = append(jobs, mustCreateJob(t, s, FullJob(f.emp.ID, "")))
		}
		newJobs, err := s.NewJobs(t.Context(), cursor, 10)
		if err != nil || len(newJobs) != 3 || newJobs[0].ID != jobs[0].ID {
			t.Fatalf("NewJobs = %d jobs, %v; want the 3 new ones, oldest first", len(newJobs), err)
		}
		record := func(at time.Time, j bot.Job, ids ...int64) {
			t.Helper()
			b := bot.AlertBatch{Now: at, Cursor: j.ID, PerDay: 2, Notify: func(it bot.AlertItem) bot.Notification {
				return bot.Notification{AccountID: it.AccountID, Reply: bot.Reply{Text: it.Title}, NextAt: at.Add(time.Second)}
			}}
			for i, id := range ids {
				b.Items = append(b.Items, bot.AlertItem{AccountID: id, JobID: j.ID, Title: j.Title, Score: float64(i+1) / 10, Reason: "Go", CreatedAt: at})
			}
			if err := s.RecordAlerts(t.Context(), b); err != nil {
				t.Fatalf("RecordAlerts: %v", err)
			}
		}
		for _, j := range jobs {
			record(base, j, f.fl.ID, daily.ID, f.stranger.ID) // the stranger has no alerts: ignored
		}
		record(base, jobs[0], f.fl.ID) // a pair seen before: ignored
		if c, _ := s.AlertCursor(t.Context()); c != jobs[2].ID {
			t.Errorf("cursor = %d, want %d", c, jobs[2].ID)
		}
		record(base, f.job) // an older cursor does not move it back
		if c, _ := s.AlertCursor(t.Context()); c != jobs[2].ID {
			t.Errorf("cursor moved back to %d", c)
		}
		states := func(id int64) []string {
			items, err := s.AlertItems(t.Context(), id)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, it := range items {
				out = append(out, it.State)
			}
			return out
		}
		if got := states(f.fl.ID); !slices.Equal(got, []string{bot.AlertSent, bot.AlertSent, bot.AlertDropped}) {
			t.Errorf("instant items = %v, want two sent and the third over the cap dropped", got)
		}
		if got := states(f.stranger.ID); len(got) != 0 {
			t.Errorf("items of someone without alerts: %v", got)
		}
		if ns := mustClaimAll(t, s, bot.ClaimRequest{Now: base}); len(ns) != 0 {
			t.Errorf("alerts due before their NextAt: %v", texts(ns))
		}
		if ns := mustClaimAll(t, s, bot.ClaimRequest{Now: base.Add(time.Second)}); len(ns) != 2 {
			t.Errorf("alerts in the outbox: %v, want 2", texts(ns))
		}
		nextDay := base.Add(24*time.Hour + time.Minute)
		record(nextDay, mustCreateJob(t, s, FullJob(f.emp.ID, "")), f.fl.ID)
		if got := states(f.fl.ID); got[len(got)-1] != bot.AlertSent {
			t.Errorf("an alert a day later: %v, want sent", got)
		}

		digest := func(at time.Time) []bot.AlertItem {
			var got []bot.AlertItem
			n, err := s.SendDigests(t.Context(), at, 2, func(id int64, items []bot.AlertItem) bot.Notification {
				got = items
				return note(id, "digest")
			})
			if err != nil || (n == 0) != (got == nil) {
				t.Fatalf("SendDigests = %d, %v", n, err)
			}
			return got
		}
		if got := digest(base.Add(time.Hour)); got != nil {
			t.Errorf("a digest before it is due: %+v", got)
		}
		got := digest(nextDay)
		if len(got) != 2 || got[0].Score < got[1].Score {
			t.Fatalf("digest = %+v, want the 2 best", got)
		}
		if got := digest(nextDay); got != nil {
			t.Errorf("a second digest the same day: %+v", got)
		}
		if st := states(daily.ID); count(st, bot.AlertSent) != 2 || count(st, bot.AlertDropped) != 1 {
			t.Errorf("daily items after the digest = %v", st)
		}
		if err := s.SetAlerts(t.Context(), bot.AlertSettings{AccountID: f.fl.ID, Mode: bot.AlertsOff}); err != nil {
			t.Fatal(err)
		}
		if a, _ := s.Alerts(t.Context(), f.fl.ID); a.Mode != bot.AlertsOff {
			t.Errorf("Alerts after off = %+v", a)
		}
	})
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

func runLinkRules(t *testing.T, open func(t *testing.T) bot.Store) {
	now := time.Now().UTC()
	t.Run("codes are refused when wrong, expired or used", func(t *testing.T) {
		s := open(t)
		a := mustResolve(t, s, bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: "U1"}, "A")
		b := mustResolve(t, s, bot.Identity{Platform: bot.Telegram, UserID: "1"}, "B")
		c := mustResolve(t, s, bot.Identity{Platform: bot.Discord, UserID: "9"}, "C")
		if err := s.CreateLinkCode(t.Context(), bot.LinkCode{Code: "ABCD-EFGH", AccountID: a.ID, ExpiresAt: now.Add(10 * time.Minute)}); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.CreateLinkCode(t.Context(), bot.LinkCode{Code: "abcdefgh", AccountID: b.ID, ExpiresAt: now}), bot.ECONFLICT, "a code that exists")
		wantCode(t, s.CreateLinkCode(t.Context(), bot.LinkCode{Code: "X", AccountID: 999, ExpiresAt: now}), bot.ENOTFOUND, "a code of a missing account")
		_, err := s.LinkCode(t.Context(), "WRONG", now)
		wantCode(t, err, bot.ENOTFOUND, "a wrong code")
		_, err = s.LinkCode(t.Context(), "ABCD-EFGH", now.Add(10*time.Minute))
		wantCode(t, err, bot.EINVALID, "an expired code")
		_, err = s.LinkAccounts(t.Context(), "ABCD-EFGH", now.Add(10*time.Minute), b.ID, 0)
		wantCode(t, err, bot.EINVALID, "linking with an expired code")
		_, err = s.LinkAccounts(t.Context(), "ABCDEFGH", now, a.ID, 0)
		wantCode(t, err, bot.EINVALID, "linking an account to itself")
		if got, err := s.LinkCode(t.Context(), "abcd efgh", now); err != nil || got.AccountID != a.ID {
			t.Fatalf("LinkCode ignoring case and spaces = %+v, %v", got, err)
		}
		joined, err := s.LinkAccounts(t.Context(), "abcd-efgh", now, b.ID, 0)
		if err != nil {
			t.Fatalf("LinkAccounts: %v", err)
		}
		if joined.ID != a.ID || len(joined.Identities) != 2 {
			t.Errorf("joined = %+v, want account %d with two identities", joined, a.ID)
		}
		_, err = s.LinkAccounts(t.Context(), "ABCD-EFGH", now, c.ID, 0)
		wantCode(t, err, bot.ECONFLICT, "a code used twice")
		_, err = s.Account(t.Context(), b.ID)
		wantCode(t, err, bot.ENOTFOUND, "the joined account")
		if got, err := s.FindAccount(t.Context(), bot.Identity{Platform: bot.Telegram, UserID: "1"}); err != nil || got.ID != a.ID {
			t.Errorf("FindAccount of the moved identity = %+v, %v", got, err)
		}
		_, err = s.FindAccount(t.Context(), bot.Identity{Platform: bot.Telegram, UserID: "404"})
		wantCode(t, err, bot.ENOTFOUND, "FindAccount of a stranger")
	})

	t.Run("with two profiles the chosen one is kept, and records move", func(t *testing.T) {
		for _, keepRedeemer := range []bool{false, true} {
			s := open(t)
			a := mustResolve(t, s, bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: "U1"}, "A")
			bID := bot.Identity{Platform: bot.Telegram, UserID: "1"}
			b := mustResolve(t, s, bID, "B")
			pa, pb := FullProfile(a.ID), FullProfile(b.ID)
			pa.Name, pb.Name = "Profile A", "Profile B"
			mustSaveProfile(t, s, pa)
			mustSaveProfile(t, s, pb)
			j := mustCreateJob(t, s, FullJob(b.ID, ""))
			if err := s.HideFrom(t.Context(), b.ID, bot.Scope{Platform: bot.Slack, Workspace: "T9"}); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateLinkCode(t.Context(), bot.LinkCode{Code: "CODE", AccountID: a.ID, ExpiresAt: now.Add(time.Minute)}); err != nil {
				t.Fatal(err)
			}
			_, err := s.LinkAccounts(t.Context(), "CODE", now, b.ID, 0)
			wantCode(t, err, bot.EINVALID, "linking two profiles without a choice")
			_, err = s.LinkAccounts(t.Context(), "CODE", now, b.ID, 12345)
			wantCode(t, err, bot.EINVALID, "keeping a third account's profile")
			keep, want := a.ID, "Profile A"
			if keepRedeemer {
				keep, want = b.ID, "Profile B"
			}
			if _, err := s.LinkAccounts(t.Context(), "CODE", now, b.ID, keep); err != nil {
				t.Fatalf("LinkAccounts keeping %d: %v", keep, err)
			}
			p, err := s.Profile(t.Context(), a.ID)
			if err != nil || p.Name != want || p.AccountID != a.ID {
				t.Errorf("kept profile = %q (account %d), %v; want %s", p.Name, p.AccountID, err, want)
			}
			if ids := mustSearch(t, s, bot.TextQuery{Terms: []string{"payment"}}, 10); !slices.Equal(ids, []int64{a.ID}) {
				t.Errorf("search after linking = %v, want only %d", ids, a.ID)
			}
			if got, err := s.Job(t.Context(), j.ID); err != nil || got.OwnerID != a.ID {
				t.Errorf("the job moved to %d, %v; want %d", got.OwnerID, err, a.ID)
			}
			if hidden, _ := s.HiddenFrom(t.Context(), bot.Scope{Platform: bot.Slack, Workspace: "T9"}); !slices.Equal(hidden, []int64{a.ID}) {
				t.Errorf("privacy rule after linking = %v", hidden)
			}
			fresh, err := s.UnlinkIdentity(t.Context(), bID, "B again")
			if err != nil || fresh.ID == a.ID || len(fresh.Identities) != 1 {
				t.Fatalf("UnlinkIdentity = %+v, %v", fresh, err)
			}
			_, err = s.UnlinkIdentity(t.Context(), bID, "x")
			wantCode(t, err, bot.EINVALID, "unlinking an only identity")
			_, err = s.UnlinkIdentity(t.Context(), bot.Identity{Platform: bot.Telegram, UserID: "404"}, "x")
			wantCode(t, err, bot.ENOTFOUND, "unlinking a stranger")
		}
	})
}

func runPrivacyRules(t *testing.T, open func(t *testing.T) bot.Store) {
	t.Run("rules hide from their workspace only", func(t *testing.T) {
		s := open(t)
		f := newRetentionFixture(t, s)
		slackT1 := bot.Scope{Platform: bot.Slack, Workspace: "T1"}
		anyG7 := bot.Scope{Workspace: "G7"}
		for _, sc := range []bot.Scope{slackT1, slackT1, anyG7} {
			if err := s.HideFrom(t.Context(), f.fl.ID, sc); err != nil {
				t.Fatalf("HideFrom(%v): %v", sc, err)
			}
		}
		wantCode(t, s.HideFrom(t.Context(), f.fl.ID, bot.Scope{Platform: bot.Slack}), bot.EINVALID, "an empty workspace")
		wantCode(t, s.HideFrom(t.Context(), 999, slackT1), bot.ENOTFOUND, "a missing account")
		for _, tc := range []struct {
			viewer bot.Scope
			want   []int64
		}{
			{slackT1, []int64{f.fl.ID}},
			{bot.Scope{Platform: bot.Discord, Workspace: "T1"}, nil},
			{bot.Scope{Platform: bot.Slack, Workspace: "T2"}, nil},
			{bot.Scope{Platform: bot.Discord, Workspace: "G7"}, []int64{f.fl.ID}},
			{bot.Scope{Platform: bot.Slack, Workspace: "G7"}, []int64{f.fl.ID}},
			{bot.Scope{Platform: bot.Telegram}, nil},
		} {
			got, err := s.HiddenFrom(t.Context(), tc.viewer)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Errorf("HiddenFrom(%v) = %v, %v; want %v", tc.viewer, got, err, tc.want)
			}
		}
		if rules, _ := s.HiddenScopes(t.Context(), f.fl.ID); len(rules) != 2 {
			t.Errorf("HiddenScopes = %+v, want 2 rules", rules)
		}
		if err := s.ShowTo(t.Context(), f.fl.ID, slackT1); err != nil {
			t.Fatal(err)
		}
		wantCode(t, s.ShowTo(t.Context(), f.fl.ID, slackT1), bot.ENOTFOUND, "showing twice")
		if err := s.ShowToEveryone(t.Context(), f.fl.ID); err != nil {
			t.Fatal(err)
		}
		if rules, _ := s.HiddenScopes(t.Context(), f.fl.ID); len(rules) != 0 {
			t.Errorf("rules after ShowToEveryone: %+v", rules)
		}
	})
}

func runErasureRules(t *testing.T, open func(t *testing.T) bot.Store) {
	t.Run("DeleteAccount reaches reviews, pools, alerts, privacy, codes and the outbox", func(t *testing.T) {
		s := open(t)
		f := newRetentionFixture(t, s)
		f.finish(t)
		ctx := t.Context()
		here := bot.Scope{Platform: bot.Slack, Workspace: "T1"}
		steps := []error{
			s.RequestReviews(ctx, f.eng.ID, func(e bot.Engagement) []bot.Notification { return []bot.Notification{note(e.FreelancerID, "review?")} }),
			s.HideFrom(ctx, f.fl.ID, here),
			s.SetAlerts(ctx, bot.AlertSettings{AccountID: f.fl.ID, Mode: bot.AlertsInstant}),
			s.CreateLinkCode(ctx, bot.LinkCode{Code: "GONE", AccountID: f.fl.ID, ExpiresAt: time.Now().Add(time.Minute)}),
			s.Enqueue(ctx, []bot.Notification{{AccountID: f.emp.ID, SenderID: f.fl.ID, Reply: bot.Reply{Text: "from the freelancer"}}}),
		}
		_, err := s.AddReview(ctx, bot.Review{EngagementID: f.eng.ID, AuthorID: f.fl.ID, Stars: 5})
		steps = append(steps, err)
		_, err = s.AddToPool(ctx, here, "Saved", f.fl.ID, f.emp.ID)
		steps = append(steps, err)
		_, err = s.AddToPool(ctx, here, "Theirs", f.stranger.ID, f.fl.ID)
		steps = append(steps, err)
		_, err = s.AnswerCheckin(ctx, f.fl.ID, time.Now(), time.Now())
		steps = append(steps, err)
		for i, err := range steps {
			if err != nil {
				t.Fatalf("fixture step %d: %v", i, err)
			}
		}
		if d, err := s.PersonData(ctx, f.fl.ID); err != nil || len(d.Pools) != 1 || len(d.ReviewsWritten) != 1 || d.Checkin == nil ||
			len(d.Hidden) != 1 || d.Alerts.Mode != bot.AlertsInstant || len(d.Notifications) != 1 || len(d.Engagements) != 1 || len(d.Invites) != 1 {
			t.Fatalf("PersonData before = %+v, %v", d, err)
		}
		if err := s.DeleteAccount(ctx, f.fl.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.PersonData(ctx, f.fl.ID)
		wantCode(t, err, bot.ENOTFOUND, "PersonData of an erased account")
		pools, _ := s.Pools(ctx, here)
		for _, p := range pools {
			for _, m := range p.Members {
				if m.AccountID == f.fl.ID || m.AddedBy == f.fl.ID {
					t.Errorf("pool %q still names the erased account: %+v", p.Name, m)
				}
			}
		}
		if len(pools) != 1 || pools[0].Name != "Theirs" {
			t.Errorf("pools after erasure = %+v, want only Theirs (with the stranger)", pools)
		}
		if rs, _ := s.ReviewsBy(ctx, f.fl.ID); len(rs) != 0 {
			t.Errorf("reviews by the erased account: %+v", rs)
		}
		if r, _ := s.Ratings(ctx); len(r) != 0 {
			t.Errorf("Ratings after erasure = %+v", r)
		}
		if subs, _ := s.AlertSubscribers(ctx); len(subs) != 0 {
			t.Errorf("alert subscribers after erasure = %+v", subs)
		}
		if ids, _ := s.HiddenFrom(ctx, here); len(ids) != 0 {
			t.Errorf("privacy rules after erasure = %v", ids)
		}
		_, err = s.LinkCode(ctx, "GONE", time.Now())
		wantCode(t, err, bot.ENOTFOUND, "the erased account's link code")
		for _, n := range mustClaimAll(t, s, bot.ClaimRequest{Now: time.Now().Add(time.Hour)}) {
			if n.AccountID == f.fl.ID || n.SenderID == f.fl.ID {
				t.Errorf("a notification still names the erased account: %+v", n)
			}
		}
	})
}
