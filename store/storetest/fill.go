package storetest

import (
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// Fill stores records of every kind a bot.Store keeps (accounts with
// identities, a profile, jobs, invites (one with terms and a counter), an application, an engagement
// with its review request, review and report, a relay, notifications,
// a board with posts, a report and a saved gig, pools, a check-in, alert
// settings and items, a link code, privacy rules), for tests of whole
// backups.
func Fill(t *testing.T, s bot.Store) {
	t.Helper()
	f := newRetentionFixture(t, s)
	f.finish(t)
	ctx := t.Context()
	here := bot.Scope{Platform: bot.Slack, Workspace: "T1"}
	now := time.Now().UTC().Truncate(time.Second)
	must := func(step string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("fill, %s: %v", step, err)
		}
	}
	must("review request", s.RequestReviews(ctx, f.eng.ID, func(e bot.Engagement) []bot.Notification {
		return []bot.Notification{note(e.FreelancerID, "review?")}
	}))
	must("privacy", s.HideFrom(ctx, f.fl.ID, here))
	must("alerts", s.SetAlerts(ctx, bot.AlertSettings{AccountID: f.fl.ID, Mode: bot.AlertsDaily, NextDigestAt: now.Add(time.Hour)}))
	must("alerts", s.SetAlerts(ctx, bot.AlertSettings{AccountID: f.stranger.ID, Mode: bot.AlertsInstant}))
	must("alert items", s.RecordAlerts(ctx, bot.AlertBatch{Now: now, Cursor: f.job.ID, PerDay: 5,
		Items: []bot.AlertItem{{AccountID: f.fl.ID, JobID: f.job.ID, Title: f.job.Title, Score: 0.75, Reason: "Go"}}}))
	must("link code", s.CreateLinkCode(ctx, bot.LinkCode{Code: "FILL", AccountID: f.fl.ID, ExpiresAt: now.Add(time.Minute)}))
	must("notification", s.Enqueue(ctx, []bot.Notification{{AccountID: f.emp.ID, SenderID: f.fl.ID,
		Reply: bot.Reply{Text: "from the freelancer"}, NextAt: now.Add(time.Minute)}}))
	review, err := s.AddReview(ctx, bot.Review{EngagementID: f.eng.ID, AuthorID: f.fl.ID, Stars: 5, Comment: "great"})
	must("review", err)
	_, err = s.ReportReview(ctx, review.ID, f.stranger.ID, nil)
	must("review report", err)
	_, err = s.AddToPool(ctx, here, "Saved", f.fl.ID, f.emp.ID)
	must("pool", err)
	_, err = s.AnswerCheckin(ctx, f.fl.ID, now, now.Add(24*time.Hour))
	must("check-in", err)
	other, err := s.CreateJob(ctx, FullJob(f.emp.ID, "fill-2"))
	must("job", err)
	_, err = s.CreateApplication(ctx, bot.Application{JobID: other.ID, FreelancerID: f.fl.ID, Note: "me"}, nil)
	must("application", err)
	_, err = s.SaveBoard(ctx, bot.Board{Platform: bot.Discord, Community: "G1", ChannelID: "C1", Cooldown: time.Hour})
	must("board", err)
	_, err = s.AddBoardPost(ctx, bot.BoardPost{JobID: other.ID, Kind: bot.PostGig, Platform: bot.Discord, Community: "G1",
		ChatID: "C1", Ref: "m1", AccountID: f.emp.ID})
	must("board post", err)
	_, err = s.AddReport(ctx, other.ID, f.stranger.ID)
	must("job report", err)
	must("saved gig", s.SaveGig(ctx, f.fl.ID, other.ID))
	termed, err := s.CreateInvite(ctx, bot.Invite{JobID: other.ID, FreelancerID: f.fl.ID, EmployerID: f.emp.ID, ExpiresAt: now.Add(time.Hour),
		Terms: bot.Terms{Rate: "50 USD/hour", Hours: 20, Start: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), Note: "fixed scope"}}, nil)
	must("invite with terms", err)
	_, err = s.UpdateInvite(ctx, termed.ID, func(i *bot.Invite, _ bot.Job) (bot.Effects, error) {
		i.State, i.Counter = bot.InviteCountered, bot.Terms{Rate: "60 USD/hour", Hours: 10, Start: time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC)}
		return bot.Effects{}, nil
	})
	must("counter with terms", err)
	_, err = s.UpdateInvite(ctx, f.invite(t).ID, func(i *bot.Invite, _ bot.Job) (bot.Effects, error) {
		return bot.Effects{Relay: &bot.Relay{AID: f.emp.ID, BID: f.fl.ID, JobID: f.job.ID}}, nil
	})
	must("relay", err)
	relays, err := s.OpenRelays(ctx, f.emp.ID)
	must("relays", err)
	_, err = s.UpdateRelay(ctx, relays[0].ID, func(r *bot.Relay) (bot.Effects, error) {
		r.ASaidAt = now
		return bot.Effects{}, nil
	})
	must("relay message", err)
}
