package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
)

// hiringFixture is an employer with an open job, a freelancer and a stranger.
type hiringFixture struct {
	s                       bot.Store
	emp, fl, stranger       bot.Account
	job                     bot.Job
	empID, flID, strangerID bot.Identity
}

func newHiringFixture(t *testing.T, s bot.Store) hiringFixture {
	t.Helper()
	f := hiringFixture{s: s,
		empID:      bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: "U-emp"},
		flID:       bot.Identity{Platform: bot.Telegram, UserID: "42"},
		strangerID: bot.Identity{Platform: bot.Console, UserID: "zed"},
	}
	f.emp = mustResolve(t, s, f.empID, "Erin")
	f.fl = mustResolve(t, s, f.flID, "Finn")
	f.stranger = mustResolve(t, s, f.strangerID, "Zed")
	f.job = mustCreateJob(t, s, FullJob(f.emp.ID, ""))
	return f
}

// note is a notification to account with text.
func note(account int64, text string) bot.Notification {
	return bot.Notification{AccountID: account, Reply: bot.Reply{Text: text}}
}

func (f hiringFixture) invite(t *testing.T, notify ...bot.Notification) bot.Invite {
	t.Helper()
	inv, err := f.s.CreateInvite(t.Context(), bot.Invite{JobID: f.job.ID, FreelancerID: f.fl.ID, EmployerID: f.emp.ID,
		ExpiresAt: time.Date(2026, 1, 3, 10, 0, 0, 0, time.UTC)}, func(bot.Invite, bot.Job) bot.Effects {
		return bot.Effects{Notify: notify}
	})
	if err != nil {
		t.Fatalf("CreateInvite: %v", err)
	}
	return inv
}

var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func mustClaimAll(t testing.TB, s bot.Store, r bot.ClaimRequest) []bot.Notification {
	t.Helper()
	if r.Lease == 0 {
		r.Lease = time.Minute
	}
	ns, err := s.Claim(t.Context(), r)
	if err != nil {
		t.Fatalf("Claim(%+v): %v", r, err)
	}
	return ns
}

func texts(ns []bot.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Reply.Text)
	}
	return out
}

func runHiringRules(t *testing.T, open func(t *testing.T) bot.Store) {
	t.Run("CreateInvite commits the invite and its notifications together", func(t *testing.T) {
		f := newHiringFixture(t, open(t))
		inv := f.invite(t, note(f.fl.ID, "invited"))
		if inv.ID <= 0 || inv.State != bot.InviteSent || inv.CreatedAt.IsZero() {
			t.Fatalf("new invite = %+v", inv)
		}
		got, err := f.s.Invite(t.Context(), inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(inv, got, storeCmp); diff != "" {
			t.Errorf("Invite after create (-created +read):\n%s", diff)
		}
		ns := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch})
		if len(ns) != 1 || ns[0].Reply.Text != "invited" || ns[0].AccountID != f.fl.ID {
			t.Fatalf("claimed %+v, want the one invite notification", ns)
		}
		want := bot.Recipient{Platform: f.flID.Platform, Workspace: f.flID.Workspace, UserID: f.flID.UserID}
		if ns[0].To != want || ns[0].Reply.To != want {
			t.Errorf("notification addressed to %+v (reply %+v), want the freelancer's identity %+v", ns[0].To, ns[0].Reply.To, want)
		}
	})

	t.Run("an invite keeps its terms; a counter changes only the counter's", func(t *testing.T) {
		f := newHiringFixture(t, open(t))
		start := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
		offered := bot.Terms{Rate: "50 USD/hour", Hours: 20, Start: start, Note: "fixed scope"}
		inv, err := f.s.CreateInvite(t.Context(), bot.Invite{JobID: f.job.ID, FreelancerID: f.fl.ID, EmployerID: f.emp.ID,
			Terms: offered, ExpiresAt: epoch.Add(48 * time.Hour)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := f.s.Invite(t.Context(), inv.ID); err != nil || !got.Terms.Equal(offered) || !got.Counter.Empty() {
			t.Fatalf("invite read back = %+v, %v; want terms %+v and no counter", got, err, offered)
		}
		counter := bot.Terms{Rate: "2000 USD/project", Hours: 10, Start: start.AddDate(0, 0, 7), Note: "two milestones"}
		_, err = f.s.UpdateInvite(t.Context(), inv.ID, func(i *bot.Invite, _ bot.Job) (bot.Effects, error) {
			i.State, i.Counter = bot.InviteCountered, counter
			i.Terms = bot.Terms{Rate: "1 USD/hour"} // the offer is not the counter's to change
			return bot.Effects{}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.s.Invite(t.Context(), inv.ID)
		if err != nil || !got.Terms.Equal(offered) || !got.Counter.Equal(counter) {
			t.Errorf("after a counter: terms %+v, counter %+v, %v; want %+v and %+v", got.Terms, got.Counter, err, offered, counter)
		}
		all, err := f.s.Invites(t.Context(), bot.InviteFilter{JobID: f.job.ID})
		if err != nil || len(all) != 1 || !all[0].Counter.Equal(counter) || !all[0].Terms.Equal(offered) {
			t.Errorf("Invites = %+v, %v; want the terms in the list too", all, err)
		}
	})

	t.Run("CreateInvite refusals", func(t *testing.T) {
		f := newHiringFixture(t, open(t))
		closed := mustCreateJob(t, f.s, FullJob(f.emp.ID, "closed"))
		if err := f.s.SetJobStatus(t.Context(), closed.ID, bot.JobClosed); err != nil {
			t.Fatal(err)
		}
		f.invite(t)
		for _, tt := range []struct {
			name string
			inv  bot.Invite
			code string
		}{
			{"a stranger invites", bot.Invite{JobID: f.job.ID, FreelancerID: f.fl.ID, EmployerID: f.stranger.ID}, bot.EUNAUTHORIZED},
			{"the owner invites themself", bot.Invite{JobID: f.job.ID, FreelancerID: f.emp.ID, EmployerID: f.emp.ID}, bot.EINVALID},
			{"the job is closed", bot.Invite{JobID: closed.ID, FreelancerID: f.fl.ID, EmployerID: f.emp.ID}, bot.ECONFLICT},
			{"an open invite exists", bot.Invite{JobID: f.job.ID, FreelancerID: f.fl.ID, EmployerID: f.emp.ID}, bot.ECONFLICT},
			{"no such job", bot.Invite{JobID: 9999, FreelancerID: f.fl.ID, EmployerID: f.emp.ID}, bot.ENOTFOUND},
			{"no such freelancer", bot.Invite{JobID: f.job.ID, FreelancerID: 9999, EmployerID: f.emp.ID}, bot.ENOTFOUND},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := f.s.CreateInvite(t.Context(), tt.inv, nil)
				wantCode(t, err, tt.code, "CreateInvite")
			})
		}
	})

	t.Run("a notification that cannot be enqueued rolls the change back", func(t *testing.T) {
		f := newHiringFixture(t, open(t))
		_, err := f.s.CreateInvite(t.Context(), bot.Invite{JobID: f.job.ID, FreelancerID: f.fl.ID, EmployerID: f.emp.ID},
			func(bot.Invite, bot.Job) bot.Effects {
				return bot.Effects{Notify: []bot.Notification{note(9999, "lost")}}
			})
		wantCode(t, err, bot.ENOTFOUND, "CreateInvite notifying a missing account")
		invs, err := f.s.Invites(t.Context(), bot.InviteFilter{JobID: f.job.ID})
		if err != nil || len(invs) != 0 {
			t.Fatalf("invites after a failed create = %+v, %v; want none", invs, err)
		}
	})

	t.Run("UpdateInvite applies the change and its effects, or nothing", func(t *testing.T) {
		f := newHiringFixture(t, open(t))
		inv := f.invite(t)
		_, err := f.s.UpdateInvite(t.Context(), inv.ID, func(i *bot.Invite, j bot.Job) (bot.Effects, error) {
			i.State = bot.InviteDeclined
			return bot.Effects{Notify: []bot.Notification{note(f.emp.ID, "nope")}}, bot.Errorf(bot.EUNAUTHORIZED, "not yours")
		})
		wantCode(t, err, bot.EUNAUTHORIZED, "UpdateInvite whose change refuses")
		if got, _ := f.s.Invite(t.Context(), inv.ID); got.State != bot.InviteSent {
			t.Fatalf("state after a refused change = %q, want sent", got.State)
		}
		if ns := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch}); len(ns) != 0 {
			t.Fatalf("a refused change enqueued %v", texts(ns))
		}
		_, err = f.s.UpdateInvite(t.Context(), inv.ID, func(i *bot.Invite, j bot.Job) (bot.Effects, error) {
			i.State = "maybe"
			return bot.Effects{}, nil
		})
		wantCode(t, err, bot.EINVALID, "UpdateInvite to an unknown state")

		expires := epoch.Add(72 * time.Hour)
		got, err := f.s.UpdateInvite(t.Context(), inv.ID, func(i *bot.Invite, j bot.Job) (bot.Effects, error) {
			if j.ID != f.job.ID {
				t.Errorf("change got job %d, want %d", j.ID, f.job.ID)
			}
			i.State, i.Counter, i.ExpiresAt, i.Reminded = bot.InviteCountered, bot.Terms{Rate: "60 USD/hour", Note: "with tests"}, expires, true
			return bot.Effects{Notify: []bot.Notification{note(f.emp.ID, "countered")},
				Relay: &bot.Relay{AID: f.emp.ID, BID: f.fl.ID, JobID: f.job.ID}}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		read, _ := f.s.Invite(t.Context(), inv.ID)
		if diff := cmp.Diff(got, read, storeCmp); diff != "" || read.Counter.Rate != "60 USD/hour" || !read.ExpiresAt.Equal(expires) || !read.Reminded {
			t.Errorf("invite after update = %+v (diff %s)", read, diff)
		}
		if ns := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch}); len(ns) != 1 || ns[0].AccountID != f.emp.ID {
			t.Errorf("update enqueued %+v, want one notification to the employer", ns)
		}
		for _, id := range []int64{f.emp.ID, f.fl.ID} {
			rs, err := f.s.OpenRelays(t.Context(), id)
			if err != nil || len(rs) != 1 || rs[0].Other(id) == id || rs[0].State != bot.RelayOpen {
				t.Errorf("OpenRelays(%d) = %+v, %v; want the relay opened with the update", id, rs, err)
			}
		}
		if rs, _ := f.s.OpenRelays(t.Context(), f.stranger.ID); len(rs) != 0 {
			t.Errorf("a stranger has relays %+v", rs)
		}
	})

	t.Run("Invites filters by state and expiry", func(t *testing.T) {
		f := newHiringFixture(t, open(t))
		inv := f.invite(t)
		for _, tt := range []struct {
			name   string
			filter bot.InviteFilter
			want   int
		}{
			{"by job", bot.InviteFilter{JobID: f.job.ID}, 1},
			{"by freelancer", bot.InviteFilter{FreelancerID: f.fl.ID}, 1},
			{"by employer", bot.InviteFilter{EmployerID: f.emp.ID}, 1},
			{"other employer", bot.InviteFilter{EmployerID: f.stranger.ID}, 0},
			{"open states", bot.InviteFilter{States: []string{bot.InviteSent, bot.InviteCountered}}, 1},
			{"accepted", bot.InviteFilter{States: []string{bot.InviteAccepted}}, 0},
			{"expiring before after expiry", bot.InviteFilter{ExpiresBefore: inv.ExpiresAt.Add(time.Second)}, 1},
			{"expiring before at expiry", bot.InviteFilter{ExpiresBefore: inv.ExpiresAt}, 0},
		} {
			t.Run(tt.name, func(t *testing.T) {
				got, err := f.s.Invites(t.Context(), tt.filter)
				if err != nil || len(got) != tt.want {
					t.Errorf("Invites(%+v) = %d invites, %v; want %d", tt.filter, len(got), err, tt.want)
				}
			})
		}
	})

	t.Run("applications", func(t *testing.T) {
		f := newHiringFixture(t, open(t))
		a, err := f.s.CreateApplication(t.Context(), bot.Application{JobID: f.job.ID, FreelancerID: f.fl.ID, Note: "pick me"},
			func(a bot.Application, j bot.Job) bot.Effects {
				return bot.Effects{Notify: []bot.Notification{note(j.OwnerID, "applied")}}
			})
		if err != nil || a.ID <= 0 || a.State != bot.ApplicationApplied {
			t.Fatalf("CreateApplication = %+v, %v", a, err)
		}
		_, err = f.s.CreateApplication(t.Context(), bot.Application{JobID: f.job.ID, FreelancerID: f.fl.ID}, nil)
		wantCode(t, err, bot.ECONFLICT, "applying twice")
		_, err = f.s.CreateApplication(t.Context(), bot.Application{JobID: f.job.ID, FreelancerID: f.emp.ID}, nil)
		wantCode(t, err, bot.EINVALID, "applying to one's own job")
		_, err = f.s.CreateApplication(t.Context(), bot.Application{JobID: 9999, FreelancerID: f.fl.ID}, nil)
		wantCode(t, err, bot.ENOTFOUND, "applying to a missing job")

		got, err := f.s.UpdateApplication(t.Context(), a.ID, func(a *bot.Application, j bot.Job) (bot.Effects, error) {
			a.State = bot.ApplicationShortlisted
			return bot.Effects{}, nil
		})
		if err != nil || got.State != bot.ApplicationShortlisted {
			t.Fatalf("UpdateApplication = %+v, %v", got, err)
		}
		apps, err := f.s.Applications(t.Context(), f.job.ID)
		if err != nil || len(apps) != 1 || apps[0].State != bot.ApplicationShortlisted || apps[0].Note != "pick me" {
			t.Fatalf("Applications = %+v, %v", apps, err)
		}
		if ns := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch}); len(ns) != 1 || ns[0].AccountID != f.emp.ID {
			t.Errorf("application enqueued %+v, want one notification to the owner", ns)
		}

		if _, err := f.s.FinishJob(t.Context(), f.job.ID, bot.JobClosed, nil); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.CreateApplication(t.Context(), bot.Application{JobID: f.job.ID, FreelancerID: f.stranger.ID}, nil)
		wantCode(t, err, bot.ECONFLICT, "applying to a closed job")
	})

	t.Run("FinishJob ends an open job once and expires its open invites", func(t *testing.T) {
		f := newHiringFixture(t, open(t))
		inv := f.invite(t)
		if _, err := f.s.CreateApplication(t.Context(), bot.Application{JobID: f.job.ID, FreelancerID: f.stranger.ID}, nil); err != nil {
			t.Fatal(err)
		}
		var seenApps, seenInvs int
		j, err := f.s.FinishJob(t.Context(), f.job.ID, bot.JobFilled, func(j bot.Job, apps []bot.Application, invs []bot.Invite) bot.Effects {
			seenApps, seenInvs = len(apps), len(invs)
			if len(invs) == 1 && invs[0].State != bot.InviteSent {
				t.Errorf("notify saw the invite as %q, want it as it was (sent)", invs[0].State)
			}
			return bot.Effects{Notify: []bot.Notification{note(f.fl.ID, "filled")}}
		})
		if err != nil || j.Status != bot.JobFilled || seenApps != 1 || seenInvs != 1 {
			t.Fatalf("FinishJob = %+v, %v; notify saw %d applications, %d invites", j, err, seenApps, seenInvs)
		}
		if got, _ := f.s.Invite(t.Context(), inv.ID); got.State != bot.InviteExpired {
			t.Errorf("open invite after the job was filled is %q, want expired", got.State)
		}
		_, err = f.s.FinishJob(t.Context(), f.job.ID, bot.JobClosed, func(bot.Job, []bot.Application, []bot.Invite) bot.Effects {
			t.Error("notify called for a job that is not open")
			return bot.Effects{}
		})
		wantCode(t, err, bot.ECONFLICT, "finishing a finished job")
		_, err = f.s.FinishJob(t.Context(), f.job.ID, bot.JobOpen, nil)
		wantCode(t, err, bot.EINVALID, "finishing as open")
		_, err = f.s.FinishJob(t.Context(), 9999, bot.JobClosed, nil)
		wantCode(t, err, bot.ENOTFOUND, "finishing a missing job")
		if ns := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch}); len(ns) != 1 {
			t.Errorf("finishing enqueued %v, want one", texts(ns))
		}
	})

	t.Run("engagements need an accepted invite, once", func(t *testing.T) {
		f := newHiringFixture(t, open(t))
		inv := f.invite(t)
		e := bot.Engagement{InviteID: inv.ID, Trial: true, Milestones: []bot.Milestone{{Title: "Kick-off"}, {Title: "Deliver"}}}
		_, err := f.s.CreateEngagement(t.Context(), e, nil)
		wantCode(t, err, bot.ECONFLICT, "engaging on a sent invite")
		if _, err := f.s.UpdateInvite(t.Context(), inv.ID, func(i *bot.Invite, _ bot.Job) (bot.Effects, error) {
			i.State = bot.InviteAccepted
			return bot.Effects{}, nil
		}); err != nil {
			t.Fatal(err)
		}
		got, err := f.s.CreateEngagement(t.Context(), e, nil)
		if err != nil || got.JobID != f.job.ID || got.FreelancerID != f.fl.ID || got.EmployerID != f.emp.ID || !got.Trial {
			t.Fatalf("CreateEngagement = %+v, %v", got, err)
		}
		_, err = f.s.CreateEngagement(t.Context(), e, nil)
		wantCode(t, err, bot.ECONFLICT, "engaging twice")
		_, err = f.s.CreateEngagement(t.Context(), bot.Engagement{InviteID: 9999}, nil)
		wantCode(t, err, bot.ENOTFOUND, "engaging a missing invite")

		if _, err := f.s.UpdateEngagement(t.Context(), got.ID, func(e *bot.Engagement) (bot.Effects, error) {
			e.Milestones[1].Done = true
			return bot.Effects{}, nil
		}); err != nil {
			t.Fatal(err)
		}
		read, err := f.s.Engagement(t.Context(), got.ID)
		want := []bot.Milestone{{Title: "Kick-off"}, {Title: "Deliver", Done: true}}
		if err != nil || !cmp.Equal(read.Milestones, want) {
			t.Errorf("milestones = %+v, %v; want %+v", read.Milestones, err, want)
		}
		_, err = f.s.Engagement(t.Context(), 9999)
		wantCode(t, err, bot.ENOTFOUND, "Engagement of a missing ID")
	})

	t.Run("relays record who wrote when, and end", func(t *testing.T) {
		f := newHiringFixture(t, open(t))
		inv := f.invite(t)
		if _, err := f.s.UpdateInvite(t.Context(), inv.ID, func(i *bot.Invite, _ bot.Job) (bot.Effects, error) {
			i.State = bot.InviteAccepted
			return bot.Effects{Relay: &bot.Relay{AID: f.emp.ID, BID: f.fl.ID, JobID: f.job.ID}}, nil
		}); err != nil {
			t.Fatal(err)
		}
		rs, _ := f.s.OpenRelays(t.Context(), f.fl.ID)
		if len(rs) != 1 {
			t.Fatalf("OpenRelays = %+v", rs)
		}
		if !rs[0].ASaidAt.IsZero() || !rs[0].BSaidAt.IsZero() {
			t.Errorf("a new relay = %+v; want nobody to have written yet", rs[0])
		}
		said := epoch.Add(90 * time.Minute)
		if _, err := f.s.UpdateRelay(t.Context(), rs[0].ID, func(r *bot.Relay) (bot.Effects, error) {
			r.BSaidAt = said
			return bot.Effects{Notify: []bot.Notification{note(f.emp.ID, "hello")}}, nil
		}); err != nil {
			t.Fatal(err)
		}
		rs, _ = f.s.OpenRelays(t.Context(), f.emp.ID)
		if len(rs) != 1 || !rs[0].SaidAt(f.fl.ID).Equal(said) || !rs[0].SaidAt(f.emp.ID).IsZero() {
			t.Fatalf("after the freelancer wrote: %+v; want BSaidAt %v only", rs, said)
		}
		if _, err := f.s.UpdateRelay(t.Context(), rs[0].ID, func(r *bot.Relay) (bot.Effects, error) {
			r.State = bot.RelayEnded
			return bot.Effects{Notify: []bot.Notification{note(f.emp.ID, "ended")}}, nil
		}); err != nil {
			t.Fatal(err)
		}
		if rs, _ := f.s.OpenRelays(t.Context(), f.emp.ID); len(rs) != 0 {
			t.Errorf("an ended relay is still open: %+v", rs)
		}
		_, err := f.s.UpdateRelay(t.Context(), 9999, func(r *bot.Relay) (bot.Effects, error) { return bot.Effects{}, nil })
		wantCode(t, err, bot.ENOTFOUND, "UpdateRelay of a missing relay")
	})

	t.Run("outbox", func(t *testing.T) { runOutboxRules(t, open) })
}

func runOutboxRules(t *testing.T, open func(t *testing.T) bot.Store) {
	t.Run("a claim keeps others off until its lease lapses", func(t *testing.T) {
		f := newHiringFixture(t, open(t))
		if err := f.s.Enqueue(t.Context(), []bot.Notification{note(f.fl.ID, "one")}); err != nil {
			t.Fatal(err)
		}
		first := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch, Lease: time.Minute})
		if len(first) != 1 || first[0].Attempts != 1 || first[0].Claim == "" {
			t.Fatalf("first claim = %+v", first)
		}
		if again := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch.Add(59 * time.Second)}); len(again) != 0 {
			t.Fatalf("claimed again inside the lease: %+v", again)
		}
		lapsed := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch.Add(time.Minute)})
		if len(lapsed) != 1 || lapsed[0].Attempts != 2 || lapsed[0].Claim == first[0].Claim {
			t.Fatalf("claim after the lease = %+v, want it again with a new token and 2 attempts", lapsed)
		}
		err := f.s.Settle(t.Context(), first[0].ID, first[0].Claim, bot.Settlement{State: bot.NoteSent})
		wantCode(t, err, bot.ECONFLICT, "settling with a lapsed claim")
		if err := f.s.Settle(t.Context(), lapsed[0].ID, lapsed[0].Claim, bot.Settlement{State: bot.NoteSent}); err != nil {
			t.Fatal(err)
		}
		err = f.s.Settle(t.Context(), lapsed[0].ID, lapsed[0].Claim, bot.Settlement{State: bot.NoteSent})
		wantCode(t, err, bot.ECONFLICT, "settling twice")
		if ns := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch.Add(time.Hour)}); len(ns) != 0 {
			t.Fatalf("a sent notification was claimed again: %+v", ns)
		}
		err = f.s.Settle(t.Context(), 9999, "x", bot.Settlement{State: bot.NoteSent})
		wantCode(t, err, bot.ENOTFOUND, "settling a missing notification")
		err = f.s.Settle(t.Context(), lapsed[0].ID, lapsed[0].Claim, bot.Settlement{State: "lost"})
		wantCode(t, err, bot.EINVALID, "settling to an unknown state")
	})

	t.Run("a retry waits for NextAt and a refusal enqueues its notice", func(t *testing.T) {
		f := newHiringFixture(t, open(t))
		if err := f.s.Enqueue(t.Context(), []bot.Notification{note(f.fl.ID, "one")}); err != nil {
			t.Fatal(err)
		}
		n := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch})[0]
		if err := f.s.Settle(t.Context(), n.ID, n.Claim, bot.Settlement{State: bot.NotePending, NextAt: epoch.Add(30 * time.Second), LastError: "503"}); err != nil {
			t.Fatal(err)
		}
		if ns := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch.Add(29 * time.Second)}); len(ns) != 0 {
			t.Fatalf("claimed before NextAt: %+v", ns)
		}
		ns := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch.Add(30 * time.Second)})
		if len(ns) != 1 || ns[0].LastError != "503" {
			t.Fatalf("claim at NextAt = %+v", ns)
		}
		if err := f.s.Settle(t.Context(), ns[0].ID, ns[0].Claim, bot.Settlement{State: bot.NoteRefused,
			Notify: []bot.Notification{note(f.emp.ID, "they blocked the bot")}}); err != nil {
			t.Fatal(err)
		}
		got := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch.Add(31 * time.Second)})
		if diff := cmp.Diff([]string{"they blocked the bot"}, texts(got)); diff != "" {
			t.Errorf("after a refusal (-want +got):\n%s", diff)
		}
	})

	t.Run("platform filter and held notifications", func(t *testing.T) {
		f := newHiringFixture(t, open(t))
		if err := f.s.Enqueue(t.Context(), []bot.Notification{note(f.fl.ID, "telegram"), note(f.stranger.ID, "console")}); err != nil {
			t.Fatal(err)
		}
		tg := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch, Platforms: []string{bot.Telegram}})
		if diff := cmp.Diff([]string{"telegram"}, texts(tg)); diff != "" {
			t.Errorf("claim for Telegram (-want +got):\n%s", diff)
		}
		if err := f.s.Settle(t.Context(), tg[0].ID, tg[0].Claim, bot.Settlement{State: bot.NoteSent}); err != nil {
			t.Fatal(err)
		}
		if ns := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch, Platforms: []string{}}); len(ns) != 0 {
			t.Errorf("a claim for no platform took %v", texts(ns))
		}
		c := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch, Platforms: []string{bot.Console}})
		if len(c) != 1 {
			t.Fatalf("claim for the console = %v", texts(c))
		}
		if err := f.s.Settle(t.Context(), c[0].ID, c[0].Claim, bot.Settlement{State: bot.NoteHeld}); err != nil {
			t.Fatal(err)
		}
		if ns := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch.Add(time.Hour)}); len(ns) != 0 {
			t.Errorf("a held notification was claimed without its account: %v", texts(ns))
		}
		if ns := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch, AccountID: f.fl.ID}); len(ns) != 0 {
			t.Errorf("claim for another account took %v", texts(ns))
		}
		mine := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch, AccountID: f.stranger.ID})
		if diff := cmp.Diff([]string{"console"}, texts(mine)); diff != "" {
			t.Errorf("claim for the held account (-want +got):\n%s", diff)
		}
	})

	t.Run("Waiting says what a claim would take and claims nothing", func(t *testing.T) {
		f := newHiringFixture(t, open(t))
		mine := bot.ClaimRequest{Now: epoch, Lease: time.Minute, Platforms: []string{bot.Console}, AccountID: f.stranger.ID}
		waiting := func(r bot.ClaimRequest) bool {
			t.Helper()
			ok, err := f.s.Waiting(t.Context(), r)
			if err != nil {
				t.Fatalf("Waiting(%+v): %v", r, err)
			}
			return ok
		}
		if waiting(mine) {
			t.Fatal("Waiting with an empty outbox")
		}
		if err := f.s.Enqueue(t.Context(), []bot.Notification{note(f.fl.ID, "telegram")}); err != nil {
			t.Fatal(err)
		}
		if waiting(mine) {
			t.Error("Waiting for another account's notification")
		}
		if !waiting(bot.ClaimRequest{Now: epoch, Platforms: []string{bot.Telegram}}) {
			t.Error("not Waiting for a due notification")
		}
		if waiting(bot.ClaimRequest{Now: epoch, Platforms: []string{}}) {
			t.Error("Waiting for no platform")
		}
		if err := f.s.Enqueue(t.Context(), []bot.Notification{{AccountID: f.stranger.ID, NextAt: epoch.Add(time.Hour), Reply: bot.Reply{Text: "later"}}}); err != nil {
			t.Fatal(err)
		}
		for range 2 { // asking again finds it again: Waiting claims nothing
			if !waiting(mine) {
				t.Fatal("not Waiting for the account's notification, due later but the person is here")
			}
		}
		if waiting(bot.ClaimRequest{Now: epoch, Platforms: []string{bot.Console}}) {
			t.Error("Waiting for a notification due later, without its account")
		}
		got := mustClaimAll(t, f.s, mine)
		if diff := cmp.Diff([]string{"later"}, texts(got)); diff != "" {
			t.Fatalf("claim after Waiting (-want +got):\n%s", diff)
		}
		if waiting(mine) {
			t.Error("Waiting for a notification under a claim")
		}
		if err := f.s.Settle(t.Context(), got[0].ID, got[0].Claim, bot.Settlement{State: bot.NoteHeld}); err != nil {
			t.Fatal(err)
		}
		if !waiting(mine) {
			t.Error("not Waiting for a held notification")
		}
		got = mustClaimAll(t, f.s, mine)
		if err := f.s.Settle(t.Context(), got[0].ID, got[0].Claim, bot.Settlement{State: bot.NoteSent}); err != nil {
			t.Fatal(err)
		}
		if waiting(mine) {
			t.Error("Waiting for a sent notification")
		}
	})

	t.Run("Enqueue to a missing account", func(t *testing.T) {
		s := open(t)
		wantCode(t, s.Enqueue(t.Context(), []bot.Notification{note(9999, "x")}), bot.ENOTFOUND, "Enqueue to a missing account")
	})

	t.Run("a reply survives the outbox", func(t *testing.T) {
		f := newHiringFixture(t, open(t))
		r := bot.Reply{Text: "hi <b>", Cards: []bot.Card{{Title: "T", Fields: []bot.Field{{Label: "L", Value: "V"}}}},
			Buttons: []bot.Button{{Label: "Accept", Value: "/accept 1", Style: "primary"}}}
		if err := f.s.Enqueue(t.Context(), []bot.Notification{{AccountID: f.emp.ID, SenderID: f.fl.ID, InviteID: 7, Reply: r}}); err != nil {
			t.Fatal(err)
		}
		ns := mustClaimAll(t, f.s, bot.ClaimRequest{Now: epoch})
		r.To = bot.Recipient{Platform: f.empID.Platform, Workspace: f.empID.Workspace, UserID: f.empID.UserID}
		if len(ns) != 1 || ns[0].SenderID != f.fl.ID || ns[0].InviteID != 7 {
			t.Fatalf("claimed %+v", ns)
		}
		if diff := cmp.Diff(r, ns[0].Reply); diff != "" {
			t.Errorf("reply after the outbox (-want +got):\n%s", diff)
		}
	})
}
