package hire_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
	"github.com/hirebot/hirebot/store/redis"
	"github.com/hirebot/hirebot/store/redis/redistest"
	"github.com/hirebot/hirebot/store/sqlite"
)

func TestMain(m *testing.M) { os.Exit(redistest.Run(m)) }

// rh is a bot on a real SQLite file with a clock the test moves, and a
// sink per platform that records what the outbox delivers.
type rh struct {
	t        *testing.T
	path     string
	db       *sqlite.DB
	sessions conversation.SessionStore
	bot      *hire.Bot
	clock    time.Time
	sinks    map[string]*sink
}

type rhOption func(*hire.Config)

func newRH(t *testing.T, opts ...rhOption) *rh {
	t.Helper()
	h := &rh{t: t, path: filepath.Join(t.TempDir(), "hirebot.db"), clock: now, sinks: map[string]*sink{}}
	var err error
	h.db, err = sqlite.Open(context.Background(), h.path, sqlite.Options{Now: h.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.db.Close() })
	h.sessions = memory.NewSessions(memory.SessionOptions{})
	h.bot = h.replica(opts...)
	return h
}

func (h *rh) now() time.Time { return h.clock }

// replica is another bot process on the same database and sessions.
func (h *rh) replica(opts ...rhOption) *hire.Bot {
	h.t.Helper()
	cfg := hire.Config{Store: h.db, Sessions: h.sessions, Now: h.now}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.Sessions != nil {
		h.sessions = cfg.Sessions
	}
	b, err := hire.New(cfg)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, p := range []string{bot.Slack, bot.Discord, bot.Telegram} {
		if h.sinks[p] == nil {
			h.sinks[p] = &sink{platform: p}
		}
		b.Register(h.sinks[p])
	}
	if err := b.Index().Rebuild(context.Background(), h.db); err != nil {
		h.t.Fatal(err)
	}
	return b
}

// sink is an adapter that records what it is sent.
type sink struct {
	platform string
	mu       sync.Mutex
	sent     []bot.Reply
}

func (s *sink) Platform() string { return s.platform }

func (s *sink) Send(_ context.Context, r bot.Reply) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sent = append(s.sent, r)
	return nil
}

// to returns the texts sent to a user.
func (s *sink) to(user string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, r := range s.sent {
		if r.To.UserID == user {
			out = append(out, flatten([]bot.Reply{r}))
		}
	}
	return out
}

func slackID(team, user string) bot.Identity {
	return bot.Identity{Platform: bot.Slack, Workspace: team, UserID: user}
}

func tgID(user string) bot.Identity { return bot.Identity{Platform: bot.Telegram, UserID: user} }

func (h *rh) event(id bot.Identity, kind, line string) bot.Event {
	return bot.Event{Kind: kind, From: id, Name: id.UserID, Text: line, Private: true,
		Chat: bot.Recipient{Platform: id.Platform, Workspace: id.Workspace, ChatID: "D-" + id.UserID, UserID: id.UserID}}
}

func (h *rh) send(id bot.Identity, line string) ([]bot.Reply, error) {
	return handle(h.bot, h.event(id, bot.KindMessage, line), h.clock)
}

func (h *rh) say(id bot.Identity, lines ...string) string {
	h.t.Helper()
	var last string
	for _, l := range lines {
		replies, err := h.send(id, l)
		if err != nil {
			h.t.Fatalf("%v says %q: %v", id, l, err)
		}
		last = flatten(replies)
	}
	return last
}

func (h *rh) press(id bot.Identity, value string) string {
	h.t.Helper()
	replies, err := handle(h.bot, h.event(id, bot.KindButton, value), h.clock)
	if err != nil {
		h.t.Fatalf("%v presses %q: %v", id, value, err)
	}
	return flatten(replies)
}

// publish builds and publishes Ann's profile for id and returns the account.
func (h *rh) publish(id bot.Identity, name string) bot.Account {
	h.t.Helper()
	lines := append([]string(nil), annProfile...)
	lines[1] = name
	mustContain(h.t, h.say(id, append(lines, "Publish")...), "Your profile is published.")
	return h.account(id)
}

func (h *rh) account(id bot.Identity) bot.Account {
	h.t.Helper()
	a, err := h.db.FindAccount(context.Background(), id)
	if err != nil {
		h.t.Fatalf("FindAccount(%v): %v", id, err)
	}
	return a
}

// post posts the invoice job as id and returns the reply.
func (h *rh) post(id bot.Identity) string {
	h.t.Helper()
	return h.say(id, append(invoiceJob, "Post")...)
}

func TestPrivacyExcludedWorkspaceNeverSeesThePerson(t *testing.T) {
	h := newRH(t)
	ann := slackID("T-EMP", "ann")
	a := h.publish(ann, "Ann Smith")
	h.publish(tgID("zoe"), "Zoe Kim") // someone who hides from nobody
	mustContain(t, h.say(ann, "/privacy hide here"), "no longer find you")
	mustContain(t, h.say(ann, "/privacy"), "except people in: Slack T-EMP")

	boss := slackID("T-EMP", "boss")   // Ann's current employer
	other := slackID("T-OTHER", "eve") // another company
	discordSameID := bot.Identity{Platform: bot.Discord, Workspace: "T-EMP", UserID: "d1"}

	cases := []struct {
		name    string
		who     bot.Identity
		visible bool
	}{
		{"the excluded workspace", boss, false},
		{"another workspace", other, true},
		{"the same ID on another platform", discordSameID, true},
		{"a private chat without a workspace", tgID("tom"), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			check := mustContain
			if !tc.visible {
				check = mustNotContain
			}
			posted := h.post(tc.who)
			mustContain(t, posted, "Zoe Kim") // matching works for the others
			check(t, posted, "Ann Smith")
			check(t, h.say(tc.who, "/search go postgres"), "Ann Smith")
			check(t, h.say(tc.who, "/search golang"), "Ann Smith")
			view := h.say(tc.who, fmt.Sprintf("/view %d", a.ID))
			check(t, view, "Ann Smith")
			pool := h.say(tc.who, fmt.Sprintf("/pool add %d", a.ID))
			if tc.visible {
				mustContain(t, pool, "Saved Ann Smith")
			} else {
				mustContain(t, pool, "not available")
			}
			mustContain(t, h.say(tc.who, fmt.Sprintf("/pool add %d", a.ID+1)), "Saved Zoe Kim")
			check(t, h.say(tc.who, "/pool"), "Ann Smith")
			inv := h.say(tc.who, fmt.Sprintf("/invite %d", a.ID))
			if tc.visible {
				mustContain(t, inv, "Invite Ann Smith to which job?")
			} else {
				mustContain(t, inv, fmt.Sprintf("There is no person %d", a.ID))
			}
		})
	}

	t.Run("a search total never counts the hidden person", func(t *testing.T) {
		mustContain(t, h.say(boss, "/search go"), "1–1 of 1:")
		mustContain(t, h.say(other, "/search go"), "1–2 of 2:")
	})

	t.Run("saved before hiding, gone from the pool after", func(t *testing.T) {
		mustContain(t, h.say(ann, "/privacy everyone"), "Everyone can find you")
		mustContain(t, h.say(boss, fmt.Sprintf("/pool add %d Backend", a.ID)), "Saved Ann Smith")
		h.say(ann, "/privacy hide slack:T-EMP")
		mustNotContain(t, h.say(boss, "/pool Backend"), "Ann Smith")
	})

	t.Run("lifting the rule shows the person again", func(t *testing.T) {
		mustContain(t, h.say(ann, "/privacy show here"), "can find you again")
		mustContain(t, h.say(boss, "/search go postgres"), "Ann Smith")
	})
}

func TestPoolsBelongToTheWorkspace(t *testing.T) {
	h := newRH(t)
	a := h.publish(tgID("ann"), "Ann Smith")
	bob, carol := slackID("T1", "bob"), slackID("T1", "carol")
	mustContain(t, h.say(bob, fmt.Sprintf("/pool add %d Go people", a.ID)), `Saved Ann Smith to the pool "Go people" (1 people)`)
	mustContain(t, h.say(bob, fmt.Sprintf("/pool add %d go PEOPLE", a.ID)), "already in the pool")
	got := h.say(carol, "/pool") // a colleague sees the workspace's pool
	mustContain(t, got, `Pool "Go people"`, "Ann Smith", fmt.Sprintf("[Invite Ann Smith=/invite %d]", a.ID))
	mustContain(t, h.say(slackID("T2", "dan"), "/pool"), "no talent pools here")
	mustContain(t, h.say(tgID("tom"), "/pool"), "no talent pools here")
	mustContain(t, h.say(carol, fmt.Sprintf("/pool remove %d go people", a.ID)), `out of the pool "go people"`)
	mustContain(t, h.say(bob, "/pool"), "no talent pools here")
}

// tables that name an account, and the columns that do.
var accountColumns = map[string][]string{
	"identities": {"account_id"}, "profiles": {"account_id"}, "jobs": {"owner_id"},
	"invites": {"freelancer_id", "employer_id"}, "applications": {"freelancer_id"},
	"engagements": {"freelancer_id", "employer_id"}, "relays": {"a_id", "b_id"},
	"outbox": {"account_id", "sender_id"}, "saved_gigs": {"account_id"}, "job_reports": {"account_id"},
	"board_posts": {"account_id"}, "reviews": {"author_id", "subject_id"}, "review_reports": {"account_id"},
	"pool_members": {"account_id", "added_by"}, "checkins": {"account_id"}, "alert_settings": {"account_id"},
	"alert_items": {"account_id"}, "link_codes": {"account_id"}, "privacy_hidden": {"account_id"},
	"accounts": {"id"},
}

// rowsNaming counts the rows of every table that name the account.
func rowsNaming(t *testing.T, path string, id int64) map[string]int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]int{}
	for table, cols := range accountColumns {
		for _, c := range cols {
			var n int
			if err := db.QueryRow(`SELECT count(*) FROM `+table+` WHERE `+c+` = ?`, id).Scan(&n); err != nil {
				t.Fatalf("%s.%s: %v", table, c, err)
			}
			if n > 0 {
				out[table+"."+c] = n
			}
		}
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM profile_search WHERE rowid = ?`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n > 0 {
		out["profile_search"] = n
	}
	return out
}

// engaged makes a done-able engagement between freelancer and employer
// on a new job of the employer, through the store.
func engaged(t *testing.T, s bot.Store, freelancer, employer int64, milestones ...string) (bot.Job, bot.Engagement) {
	t.Helper()
	ctx := context.Background()
	j, err := s.CreateJob(ctx, bot.Job{OwnerID: employer, Title: "Invoice API", Skills: []string{"Go"}, Status: bot.JobOpen})
	if err != nil {
		t.Fatal(err)
	}
	inv, err := s.CreateInvite(ctx, bot.Invite{JobID: j.ID, FreelancerID: freelancer, EmployerID: employer, ExpiresAt: now.Add(48 * time.Hour)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateInvite(ctx, inv.ID, func(i *bot.Invite, _ bot.Job) (bot.Effects, error) {
		i.State = bot.InviteAccepted
		return bot.Effects{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	e := bot.Engagement{InviteID: inv.ID}
	for _, m := range milestones {
		e.Milestones = append(e.Milestones, bot.Milestone{Title: m})
	}
	e, err = s.CreateEngagement(ctx, e, nil)
	if err != nil {
		t.Fatal(err)
	}
	return j, e
}

func TestDeleteErasesEveryTableAndTheSession(t *testing.T) {
	for _, backend := range []string{"memory", "redis"} {
		t.Run(backend, func(t *testing.T) {
			var opts []rhOption
			if backend == "redis" {
				r, err := redis.Open(context.Background(), redis.Options{URL: redistest.URL(t), Prefix: redistest.Prefix(t)})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { r.Close() })
				opts = append(opts, func(c *hire.Config) { c.Sessions = r.Sessions() })
			}
			h := newRH(t, opts...)
			ctx := context.Background()
			ann, bob := slackID("T1", "ann"), tgID("bob")
			a := h.publish(ann, "Ann Smith")
			h.publish(bob, "Bob Stone")
			b := h.account(bob)
			h.post(ann) // Ann employs too
			_, e := engaged(t, h.db, a.ID, b.ID, "Kick-off")
			h.say(ann, fmt.Sprintf("/done %d 1", e.ID))
			h.say(ann, fmt.Sprintf("/review %d 5 great", e.ID))
			h.say(bob, fmt.Sprintf("/review %d 4 fine", e.ID))
			h.say(bob, fmt.Sprintf("/pool add %d", a.ID))
			h.say(ann, fmt.Sprintf("/pool add %d", b.ID)) // Ann added someone: added_by
			h.say(ann, "/alerts on")
			h.say(ann, "/privacy hide here")
			h.say(ann, "/link")
			h.say(ann, fmt.Sprintf("/reportreview %d", 2))
			if err := h.db.Enqueue(ctx, []bot.Notification{{AccountID: a.ID, Reply: bot.Reply{Text: "waiting"}},
				{AccountID: b.ID, SenderID: a.ID, Reply: bot.Reply{Text: "from Ann"}}}); err != nil {
				t.Fatal(err)
			}
			if _, err := h.db.AnswerCheckin(ctx, a.ID, now, now.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if len(rowsNaming(t, h.path, a.ID)) < 15 {
				t.Fatalf("the fixture names Ann in too few tables to test deletion: %v", rowsNaming(t, h.path, a.ID))
			}
			h.say(ann, "/edit bio") // a dialog in the session store
			if _, err := h.sessions.Load(ctx, bot.SessionKey(a.ID)); err != nil {
				t.Fatalf("no session before /delete: %v", err)
			}

			mustContain(t, h.say(ann, "/delete", "yes"), "Done. I erased", "every talent pool", "every message waiting for you")

			if left := rowsNaming(t, h.path, a.ID); len(left) > 0 {
				t.Errorf("rows still name the erased account: %v", left)
			}
			if _, err := h.sessions.Load(ctx, bot.SessionKey(a.ID)); !errors.Is(err, conversation.ErrNoSession) {
				t.Errorf("session after /delete: err = %v, want ErrNoSession", err)
			}
			rs, err := h.db.Reviews(ctx, b.ID)
			if err != nil || len(rs) != 0 {
				t.Errorf("Bob's reviews by the erased Ann = %v, %v; want none", rs, err)
			}
			mustNotContain(t, h.say(bob, "/search go"), "Ann Smith")
			mustContain(t, h.say(bob, "/profile"), "Bob Stone") // the others keep theirs
		})
	}
}

func TestLinking(t *testing.T) {
	code := func(t *testing.T, h *rh, id bot.Identity) string {
		t.Helper()
		got := h.say(id, "/link")
		i := strings.Index(got, "code is ")
		if i < 0 {
			t.Fatalf("no code in %q", got)
		}
		return got[i+8 : i+17]
	}
	t.Run("a wrong code", func(t *testing.T) {
		h := newRH(t)
		code(t, h, slackID("T1", "ann"))
		mustContain(t, h.say(tgID("ann"), "/link ZZZZ-ZZZZ"), "not one I gave out")
	})
	t.Run("an expired code", func(t *testing.T) {
		h := newRH(t)
		c := code(t, h, slackID("T1", "ann"))
		h.clock = h.clock.Add(10 * time.Minute)
		mustContain(t, h.say(tgID("ann"), "/link "+c), "expired")
		if len(h.account(tgID("ann")).Identities) != 1 {
			t.Error("an expired code linked the accounts")
		}
	})
	t.Run("a code used twice", func(t *testing.T) {
		h := newRH(t)
		c := code(t, h, slackID("T1", "ann"))
		mustContain(t, h.say(tgID("ann"), "/link "+strings.ToLower(c)), "Linked")
		mustContain(t, h.say(tgID("mallory"), "/link "+c), "used already")
		if n := len(h.account(tgID("mallory")).Identities); n != 1 {
			t.Errorf("a used code joined a third identity (%d identities)", n)
		}
	})
	t.Run("a code on its own account", func(t *testing.T) {
		h := newRH(t)
		c := code(t, h, slackID("T1", "ann"))
		mustContain(t, h.say(slackID("T1", "ann"), "/link "+c), "this very account")
	})
	t.Run("one profile moves over with the jobs", func(t *testing.T) {
		h := newRH(t)
		ann, tg := slackID("T1", "ann"), tgID("ann")
		h.post(tg) // a job on the account without the profile
		a := h.publish(ann, "Ann Smith")
		c := code(t, h, ann)
		mustContain(t, h.say(tg, "/link "+c), "Linked", "Slack", "Telegram")
		joined := h.account(tg)
		if joined.ID != a.ID || len(joined.Identities) != 2 {
			t.Fatalf("after linking Telegram is account %+v, want account %d with both identities", joined, a.ID)
		}
		mustContain(t, h.say(tg, "/profile"), "Ann Smith")
		mustContain(t, h.say(ann, "/jobs"), "Build a Go API for invoices")
		mustContain(t, h.say(tg, "/unlink"), "on its own again")
		if h.account(tg).ID == a.ID || len(h.account(ann).Identities) != 1 {
			t.Error("/unlink left the identities together")
		}
		mustContain(t, h.say(ann, "/profile"), "Ann Smith")
		mustContain(t, h.say(tg, "/unlink"), "not linked")
	})
	t.Run("both accounts have profiles: the person chooses", func(t *testing.T) {
		h := newRH(t)
		ann, tg := slackID("T1", "ann"), tgID("ann")
		a := h.publish(ann, "Ann Slack")
		b := h.publish(tg, "Ann Telegram")
		c := code(t, h, ann)
		got := h.say(tg, "/link "+c)
		mustContain(t, got, "Both accounts have a profile", "Ann Slack", "Ann Telegram",
			fmt.Sprintf("[Keep B=/link %s keep %d]", strings.ReplaceAll(c, "-", ""), b.ID))
		if len(h.account(tg).Identities) != 1 {
			t.Fatal("linked before the choice")
		}
		mustContain(t, h.press(tg, fmt.Sprintf("/link %s keep %d", strings.ReplaceAll(c, "-", ""), b.ID)), "Linked")
		joined := h.account(ann)
		if joined.ID != a.ID || len(joined.Identities) != 2 {
			t.Fatalf("joined account %+v, want %d with two identities", joined, a.ID)
		}
		p, err := h.db.Profile(context.Background(), a.ID)
		if err != nil || p.Name != "Ann Telegram" {
			t.Fatalf("kept profile = %q, %v; want Ann Telegram", p.Name, err)
		}
		if _, err := h.db.Profile(context.Background(), b.ID); bot.ErrorCode(err) != bot.ENOTFOUND {
			t.Errorf("the joined account's profile is still there: %v", err)
		}
		got = h.post(slackID("T9", "boss"))
		mustContain(t, got, "Ann Telegram")
		mustNotContain(t, got, "Ann Slack", "2. Ann")
	})
}
