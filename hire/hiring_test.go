package hire_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
	"github.com/hirebot/hirebot/store/sqlite"
)

// fakeAdapter records what the bot sends to its platform; refuse or fail
// make Send return a refusal (EREFUSED) or a plain failure.
type fakeAdapter struct {
	platform string
	mu       sync.Mutex
	sent     []bot.Reply
	refuse   map[string]bool // user IDs that blocked the bot
	fail     error
	contact  string      // the start of ContactLink's links; none when empty
	limiter  bot.Limiter // paces like a platform: one message a second per chat, bursts of 3
	command  string      // the platform's one slash command ("/hire"), whose verbs the commands are typed as; none when empty
}

func (f *fakeAdapter) TypedCommand(name string) string {
	if f.command != "" {
		return f.command + " " + name
	}
	return "/" + name
}

func (f *fakeAdapter) Pace(ctx context.Context, to bot.Recipient) (time.Duration, error) {
	return bot.Reserve(ctx, f.limiter, bot.Bucket{Key: "fake:" + f.platform + ":" + to.ChatID + to.UserID, Limit: bot.Limit{Rate: 1, Burst: 3}})
}

func (f *fakeAdapter) ContactLink(id bot.Identity) string {
	if f.contact == "" {
		return ""
	}
	return f.contact + id.UserID
}

func (f *fakeAdapter) Platform() string { return f.platform }

func (f *fakeAdapter) Send(_ context.Context, r bot.Reply) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refuse[r.To.UserID] {
		return &bot.Error{Code: bot.EREFUSED, Message: "they blocked the bot."}
	}
	if f.fail != nil {
		return f.fail
	}
	f.sent = append(f.sent, r)
	return nil
}

// take returns what was sent to user since the last take.
func (f *fakeAdapter) take(user string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var mine, rest []bot.Reply
	for _, r := range f.sent {
		if r.To.UserID == user {
			mine = append(mine, r)
		} else {
			rest = append(rest, r)
		}
	}
	f.sent = rest
	return flatten(mine)
}

type linkingAdapter struct{ *fakeAdapter }

func (linkingAdapter) DeepLink(payload string) string { return "https://t.me/hirebot?start=" + payload }

// hiringHarness is a bot on a real SQLite file with a settable clock.
type hiringHarness struct {
	t       testing.TB
	path    string
	db      *sqlite.DB
	bot     *hire.Bot
	now     time.Time
	limiter bot.Limiter // paces the fake adapters when set
}

func newHiringHarness(t testing.TB) *hiringHarness {
	t.Helper()
	h := &hiringHarness{t: t, now: now, path: filepath.Join(t.TempDir(), "hirebot.db")}
	h.open()
	t.Cleanup(func() { h.db.Close() })
	return h
}

func (h *hiringHarness) clock() time.Time { return h.now }

// open (re)opens the database and builds a new bot on it, as a restarted
// process would.
func (h *hiringHarness) open() {
	h.t.Helper()
	db, err := sqlite.Open(context.Background(), h.path, sqlite.Options{Now: h.clock})
	if err != nil {
		h.t.Fatal(err)
	}
	h.db = db
	h.bot, err = hire.New(hire.Config{Store: db, Sessions: memory.NewSessions(memory.SessionOptions{}), Now: h.clock})
	if err != nil {
		h.t.Fatal(err)
	}
	h.bot.Register(terminal{}) // as hirebot chat does
}

// terminal is the terminal as the core sees it: it reaches nobody who is
// not at it (a bot.Holder), so what waits for a person shows after their
// next line.
type terminal struct{}

func (terminal) Platform() string { return bot.Console }
func (terminal) Send(context.Context, bot.Reply) error {
	return &bot.Error{Code: bot.EREFUSED, Message: "That person is not at this terminal."}
}
func (terminal) HoldsWhileAway() bool { return true }
func (terminal) Lookup(handle string) (bot.Identity, bool) {
	return bot.Identity{Platform: bot.Console, UserID: handle}, true
}

// event is one line from a person on a platform, as its adapter makes it.
func (h *hiringHarness) event(id bot.Identity, line string) bot.Event {
	ev := bot.Event{Kind: bot.KindMessage, From: id, Name: id.UserID, Private: true, Text: line,
		Chat: bot.Recipient{Platform: id.Platform, Workspace: id.Workspace, ChatID: "dm-" + id.UserID, UserID: id.UserID}}
	if strings.HasPrefix(line, "/") {
		ev.Kind = bot.KindButton // buttons and typed commands take the same path
	}
	return ev
}

// as sends one line from a person on a platform, as its adapter would.
func (h *hiringHarness) as(id bot.Identity, line string) string {
	h.t.Helper()
	replies, err := handle(h.bot, h.event(id, line), h.now)
	if err != nil {
		h.t.Fatalf("%v says %q: %v", id, line, err)
	}
	return flatten(replies)
}

func (h *hiringHarness) script(id bot.Identity, lines ...string) string {
	h.t.Helper()
	var last string
	for _, l := range lines {
		last = h.as(id, l)
	}
	return last
}

// inbox is what the terminal shows a person when they open a chat.
func (h *hiringHarness) inbox(id bot.Identity) string {
	h.t.Helper()
	replies, err := h.bot.Arrived(context.Background(), id, id.UserID)
	if err != nil {
		h.t.Fatal(err)
	}
	return flatten(replies)
}

// runTask runs the bot's task called name at the harness clock.
func (h *hiringHarness) runTask(name string) {
	h.t.Helper()
	for _, task := range h.bot.Tasks() {
		if task.Name == name {
			if err := task.Run(context.Background(), h.now); err != nil {
				h.t.Fatalf("task %s: %v", name, err)
			}
			return
		}
	}
	h.t.Fatalf("no task %q", name)
}

func (h *hiringHarness) invite(id int64) bot.Invite {
	h.t.Helper()
	inv, err := h.db.Invite(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	return inv
}

func mustNotContain(t *testing.T, got string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(got, u) {
			t.Errorf("reply contains %q:\n%s", u, got)
		}
	}
}

var (
	annT = bot.Identity{Platform: bot.Console, UserID: "ann"}
	bobT = bot.Identity{Platform: bot.Console, UserID: "bob"}
	zedT = bot.Identity{Platform: bot.Console, UserID: "zed"}
)

// TestHiringOnTheTerminal is the whole loop between two people at the
// terminal over one database: invite, counter, accept, relay both ways,
// applicants, fill.
func TestHiringOnTheTerminal(t *testing.T) {
	h := newHiringHarness(t)
	h.script(annT, append(annProfile, "Publish")...)
	mustContain(t, h.script(bobT, append(invoiceJob, "Post")...), "[Invite Ann Smith=/invite 1 1]")

	mustContain(t, h.as(bobT, "/invite ann 1"), "Invite 1 sent to Ann Smith for #1")
	mustContain(t, h.as(bobT, "/applicants 1"), "Invites: 0 of 1 responded", "Ann Smith: sent")

	// Ann was not at the terminal: the invite waits for her next chat.
	got := h.inbox(annT)
	mustContain(t, got, "bob (the terminal) invites you to job #1", "Budget: 30–60 USD/hour", "Scope: A small REST API",
		"[Accept=/accept 1]", "[Decline=/decline 1]", "[Counter=/counter 1]")
	mustNotContain(t, got, "console user", "dm-")
	if again := h.inbox(annT); again != "" {
		t.Errorf("the invite arrived twice:\n%s", again)
	}

	mustContain(t, h.as(annT, "/counter 1"), "What rate do you propose?")
	mustContain(t, h.as(annT, "$70/h"), "A short note")
	mustContain(t, h.as(annT, "I can start Monday"), "Your counter offer:", "Rate: 70 USD/hour", "[Send=confirm]")
	mustContain(t, h.as(annT, "Send"), "Counter offer sent for #1")
	mustContain(t, h.as(annT, "/accept 1"), "You countered invite 1; the employer answers now.")

	// Bob is at the terminal now: what arrived shows after his line.
	mustContain(t, h.as(bobT, "/applicants 1"), "Invites: 1 of 1 responded", "countered at 70 USD/hour",
		"Ann Smith countered your invite to #1", "Rate: 70 USD/hour", "Note: I can start Monday", "[Accept counter=/accept 1]")

	mustContain(t, h.as(bobT, "/accept 1"), "Accepted: you and Ann Smith are working together on #1",
		"You're now connected with Ann Smith about #1", "/end")
	mustContain(t, h.inbox(annT), "bob accepted your counter offer (70 USD/hour)", "You're now connected with bob")

	// The relay carries free text both ways, marked, until /end.
	mustContain(t, h.as(annT, "Hello Bob, when do we start?"), "passed on to bob")
	mustContain(t, h.inbox(bobT), "↪ relayed from Ann Smith about #1 Build a Go API for invoices:\nHello Bob, when do we start?")
	mustContain(t, h.as(bobT, "Monday at 10"), "passed on to Ann Smith")
	mustContain(t, h.inbox(annT), "↪ relayed from bob about #1 Build a Go API for invoices:\nMonday at 10")
	mustContain(t, h.as(annT, "/share ann@example.com"), "Shared with bob")
	mustContain(t, h.inbox(bobT), "Ann Smith (#1) shares how to reach them: ann@example.com")

	mustContain(t, h.as(bobT, "/engage 1 trial API skeleton, Tests"), "Engagement 1 with Ann Smith started", "[Done 1=/done 1 1]")
	mustContain(t, h.inbox(annT), "started a paid trial with you", "1 ☐: API skeleton")
	mustContain(t, h.as(annT, "/done 1 1"), "Milestone 1 done.", "1 ☑: API skeleton")
	mustContain(t, h.inbox(bobT), "Ann Smith marked milestone 1 (API skeleton) done.")
	mustContain(t, h.as(bobT, "/done 1 2"), "Every milestone is done.", "[Mark job filled=/fill 1]")

	mustContain(t, h.as(zedT, "/fill 1"), "Only the person who posted a job can mark it filled.")
	mustContain(t, h.as(bobT, "/fill 1"), "Job #1 Build a Go API for invoices is filled.")
	mustContain(t, h.as(bobT, "/fill 1"), "Job #1 is already filled.")
	got = h.inbox(annT)
	mustContain(t, got, "Job #1 Build a Go API for invoices is now marked filled.")
	if n := strings.Count(got, "Job #1"); n != 1 {
		t.Errorf("Ann heard about the outcome %d times:\n%s", n, got)
	}

	mustContain(t, h.as(annT, "/end"), "Relay with bob about #1 Build a Go API for invoices ended.")
	mustContain(t, h.inbox(bobT), "Ann Smith ended the relay about #1")
	mustContain(t, h.as(annT, "still there?"), "Tell me what you need")
	if got := h.inbox(bobT); got != "" {
		t.Errorf("text after /end was relayed:\n%s", got)
	}
}

// TestInviteExpiresWithOneReminder drives the invite task with an injected
// clock.
func TestInviteExpiresWithOneReminder(t *testing.T) {
	h := newHiringHarness(t)
	h.script(bobT, append(invoiceJob, "Post")...)
	mustContain(t, h.as(bobT, "/invite ann 1"), "Invite 1 sent")
	h.inbox(annT)

	h.now = now.Add(23 * time.Hour)
	h.runTask("invites")
	if got := h.inbox(annT); got != "" {
		t.Errorf("a reminder before halfway:\n%s", got)
	}
	h.now = now.Add(24 * time.Hour)
	h.runTask("invites")
	mustContain(t, h.inbox(annT), "Reminder: bob invited you to #1", "[Accept=/accept 1]")
	h.now = now.Add(30 * time.Hour)
	h.runTask("invites")
	if got := h.inbox(annT); got != "" {
		t.Errorf("a second reminder:\n%s", got)
	}

	// Past the expiry but before the task ran: the button already refuses.
	h.now = now.Add(48 * time.Hour)
	mustContain(t, h.as(annT, "/accept 1"), "Invite 1 is no longer open: it expired.")
	if inv := h.invite(1); inv.State != bot.InviteSent {
		t.Fatalf("a refused accept changed the invite to %q", inv.State)
	}
	h.runTask("invites")
	if inv := h.invite(1); inv.State != bot.InviteExpired {
		t.Fatalf("after the task the invite is %q, want expired", inv.State)
	}
	mustContain(t, h.inbox(annT), "The invite to #1 Build a Go API for invoices expired")
	mustContain(t, h.inbox(bobT), "Your invite to ann for #1 Build a Go API for invoices expired without an answer.")
	mustContain(t, h.as(annT, "/decline 1"), "Invite 1 is no longer open: it was expired.")
	mustContain(t, h.as(annT, "/counter 1"), "no longer open")
	h.runTask("invites")
	if got := h.inbox(bobT); got != "" {
		t.Errorf("the expiry was told twice:\n%s", got)
	}
}

func TestInviteTTLIsConfigurable(t *testing.T) {
	h := newHiringHarness(t)
	var err error
	h.bot, err = hire.New(hire.Config{Store: h.db, Sessions: memory.NewSessions(memory.SessionOptions{}), Now: h.clock, InviteTTL: 2 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	h.bot.Register(terminal{})
	h.script(bobT, append(invoiceJob, "Post")...)
	h.as(bobT, "/invite ann 1")
	if inv := h.invite(1); !inv.ExpiresAt.Equal(now.Add(2 * time.Hour)) {
		t.Fatalf("invite expires %v, want 2 hours after %v", inv.ExpiresAt, now)
	}
	h.now = now.Add(2 * time.Hour)
	h.runTask("invites")
	if inv := h.invite(1); inv.State != bot.InviteExpired {
		t.Fatalf("invite is %q after its TTL, want expired", inv.State)
	}
}

// TestJobExpiresAndPeopleHearOnce: an open job past its deadline is expired
// by the task; applicants and invitees hear once, and can no longer act.
// profileOf is a profile dialog that publishes a profile named name.
func profileOf(name string) []string {
	return []string{"/profile", name, "Backend developer, Go and PostgreSQL", "golang, postgres", "3", "$40/h",
		"20 hours a week", "immediately", "Berlin", "gig", "remote", "skip", "skip", "Publish"}
}

func TestJobExpiresAndPeopleHearOnce(t *testing.T) {
	h := newHiringHarness(t)
	h.script(bobT, append(invoiceJob, "Post")...) // deadline: in 3 weeks
	h.script(annT, profileOf("ann")...)
	mustContain(t, h.as(annT, "/apply 1 I built three invoice APIs"), "You applied to job #1")
	mustContain(t, h.inbox(bobT), "ann applied to #1", "Note: I built three invoice APIs", "[Shortlist=/shortlist 1]", "[Invite=/invite 2 1]", "[Decline=/reject 1]")
	mustContain(t, h.as(bobT, "/invite zed 1"), "Invite 1 sent")
	mustContain(t, h.as(annT, "/apply 1"), "You already applied")

	h.now = now.AddDate(0, 0, 22)
	for range 2 {
		h.runTask("finish-jobs")
	}
	j, err := h.db.Job(context.Background(), 1)
	if err != nil || j.Status != bot.JobExpired {
		t.Fatalf("job after its deadline = %q, %v; want expired", j.Status, err)
	}
	for _, id := range []bot.Identity{annT, zedT} {
		got := h.inbox(id)
		if n := strings.Count(got, "passed its deadline"); n != 1 {
			t.Errorf("%s heard the outcome %d times:\n%s", id.UserID, n, got)
		}
	}
	mustContain(t, h.inbox(bobT), "Your job #1 Build a Go API for invoices passed its deadline")
	mustContain(t, h.as(zedT, "/accept 1"), "Job #1 is expired, so invite 1 is no longer open.")
	mustContain(t, h.as(zedT, "/apply 1"), "Job #1 is expired, so it is no longer open.")
}

func TestRefusals(t *testing.T) {
	h := newHiringHarness(t)
	h.script(annT, append(annProfile, "Publish")...)
	h.script(bobT, append(invoiceJob, "Post")...)
	mustContain(t, h.as(bobT, "/invite ann 1"), "Invite 1 sent")
	h.script(bobT, append(invoiceJob, "Post")...) // job 2, closed below
	mustContain(t, h.as(bobT, "/close 2"), "is closed")

	tests := []struct {
		name string
		who  bot.Identity
		line string
		want string
	}{
		{"a stranger accepts", zedT, "/accept 1", "Invite 1 is not yours to accept."},
		{"a stranger declines", zedT, "/decline 1", "Invite 1 is not yours to decline."},
		{"the employer accepts their own invite", bobT, "/accept 1", "Invite 1 waits for the freelancer's answer, not yours."},
		{"the employer counters", bobT, "/counter 1", "Only the person invited can counter invite 1"},
		{"a stranger invites to someone's job", zedT, "/invite ann 1", "Only the person who posted job #1 can invite people to it."},
		{"a stranger fills", zedT, "/fill 1", "Only the person who posted a job can mark it filled."},
		{"the freelancer fills", annT, "/fill 1", "Only the person who posted a job can mark it filled."},
		{"a stranger closes", zedT, "/close 1", "You have no job #1."},
		{"a stranger sees applicants", zedT, "/applicants 1", "You have no job #1."},
		{"apply to a closed job", annT, "/apply 2 hello", "Job #2 is closed, so it is no longer open."},
		{"invite to a closed job", bobT, "/invite ann 2", "Job #2 is closed, so it is no longer open."},
		{"apply to one's own job", bobT, "/apply 1", "You cannot apply to your own job."},
		{"invite oneself", bobT, "/invite bob 1", "You cannot invite yourself"},
		{"invite twice", bobT, "/invite ann 1", "already has an open invite"},
		{"engage before acceptance", bobT, "/engage 1", "Invite 1 is sent, not accepted."},
		{"no such invite", annT, "/accept 99", "There is no invite 99."},
		{"not an invite number", annT, "/accept x", `"x" is not a invite number.`},
		{"end without relay", annT, "/end", "You have no open relay to end."},
		{"share before acceptance", annT, "/share @ann", "once an invite between you and someone is accepted"},
		{"share nonsense", annT, "/share <@channel>", "doesn't look like a handle or an email"},
		{"done on someone else's engagement", zedT, "/done 1 1", "There is no engagement 1."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { mustContain(t, h.as(tt.who, tt.line), tt.want) })
	}
	if inv := h.invite(1); inv.State != bot.InviteSent {
		t.Errorf("after the refusals invite 1 is %q, want sent", inv.State)
	}
	// A closed job's invite buttons answer that it is no longer open.
	mustContain(t, h.as(bobT, "/close 1"), "is closed")
	mustContain(t, h.inbox(annT), "Job #1 Build a Go API for invoices was closed by its poster.")
	mustContain(t, h.as(annT, "/accept 1"), "Job #1 is closed, so invite 1 is no longer open.")
}

// crossPlatform is an employer in a fake Slack and a freelancer in a fake
// Telegram.
type crossPlatform struct {
	*hiringHarness
	slack, telegram *fakeAdapter
}

var (
	empS = bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: "U-emp"}
	flTG = bot.Identity{Platform: bot.Telegram, UserID: "4242"}
)

func newCrossPlatform(t testing.TB) *crossPlatform {
	h := &crossPlatform{hiringHarness: newHiringHarness(t),
		slack:    &fakeAdapter{platform: bot.Slack, command: "/hire"},
		telegram: &fakeAdapter{platform: bot.Telegram, refuse: map[string]bool{}},
	}
	h.bot.Register(h.slack)
	h.bot.Register(linkingAdapter{h.telegram})
	h.script(flTG, append(annProfile, "Publish")...)
	h.script(empS, append(invoiceJob, "Post")...)
	return h
}

func TestCrossPlatformInviteAndRelay(t *testing.T) {
	h := newCrossPlatform(t)
	mustContain(t, h.as(empS, "/invite 1 1"), "Invite 1 sent to Ann Smith")
	got := h.telegram.take(flTG.UserID)
	mustContain(t, got, "U-emp (Slack workspace T1) invites you to job #1", "[Accept=/accept 1]")
	if len(h.telegram.sent) != 0 || h.slack.take(empS.UserID) != "" {
		t.Errorf("unexpected deliveries: telegram %+v, slack %+v", h.telegram.sent, h.slack.sent)
	}

	mustContain(t, h.as(flTG, "/accept 1"), "Accepted: you and U-emp are working together")
	mustContain(t, h.slack.take(empS.UserID), "Ann Smith accepted your invite to #1", "[Paid trial=/engage 1 trial]",
		"You're now connected with Ann Smith about #1", "They are on Telegram")
	mustContain(t, h.telegram.take(flTG.UserID), "You're now connected with U-emp about #1", "They are on Slack")

	mustContain(t, h.as(flTG, "Hi! I can start tomorrow."), "passed on to U-emp")
	mustContain(t, h.slack.take(empS.UserID), "↪ relayed from Ann Smith about #1 Build a Go API for invoices:\nHi! I can start tomorrow.")
	mustContain(t, h.as(empS, "Great, see you then."), "passed on to Ann Smith")
	mustContain(t, h.telegram.take(flTG.UserID), "↪ relayed from U-emp about #1 Build a Go API for invoices:\nGreat, see you then.")

	mustContain(t, h.as(empS, "/end"), "Relay with Ann Smith about #1 Build a Go API for invoices ended.")
	mustContain(t, h.telegram.take(flTG.UserID), "U-emp ended the relay")
	h.as(flTG, "anyone there?")
	if got := h.slack.take(empS.UserID); got != "" {
		t.Errorf("relayed after /end:\n%s", got)
	}
}

// TestNotificationsGoOutAfterTheTurn: the turn records the invite in the
// outbox and returns without sending it (the inviter's platform waits for
// nothing); the delivery worker, woken by the turn, sends it.
func TestNotificationsGoOutAfterTheTurn(t *testing.T) {
	h := newCrossPlatform(t)
	replies, err := h.bot.Handle(context.Background(), h.event(empS, "/invite 1 1"))
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, flatten(replies), "Invite 1 sent to Ann Smith")
	if got := h.telegram.take(flTG.UserID); got != "" {
		t.Fatalf("sent while the invite was handled:\n%s", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- h.bot.RunDelivery(ctx) }()
	var got string
	for guard := time.Now().Add(20 * time.Second); got == "" && time.Now().Before(guard); { // a hang guard, not a timing check
		if got = h.telegram.take(flTG.UserID); got == "" {
			time.Sleep(5 * time.Millisecond)
		}
	}
	mustContain(t, got, "U-emp (Slack workspace T1) invites you to job #1", "[Accept=/accept 1]")
	cancel()
	if err := <-stopped; err != nil {
		t.Errorf("RunDelivery returned %v when its context ended", err)
	}
}

func TestSamePlatformIntroducesDirectly(t *testing.T) {
	h := newHiringHarness(t)
	sl := &fakeAdapter{platform: bot.Slack, contact: "slack://user?id="}
	h.bot.Register(sl)
	emp, fl := bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: "U1"}, bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: "U2"}
	h.script(fl, append(annProfile, "Publish")...)
	h.script(emp, append(invoiceJob, "Post")...)
	h.as(emp, "/invite 1 1")
	mustNotContain(t, sl.take("U2"), "slack://") // no contact before acceptance
	h.as(fl, "/accept 1")
	mustContain(t, sl.take("U1"), "Meet Ann Smith", "slack://user?id=U2")
	mustContain(t, sl.take("U2"), "Meet U1", "slack://user?id=U1")
	mustContain(t, h.as(fl, "hello"), "Tell me what you need") // no relay on the same platform
}

// TestDeliveryRefused: Telegram refuses the DM; the employer is told, with
// a link, and the invite keeps waiting.
func TestDeliveryRefused(t *testing.T) {
	h := newCrossPlatform(t)
	h.telegram.refuse[flTG.UserID] = true
	mustContain(t, h.as(empS, "/invite 1 1"), "Invite 1 sent")
	got := h.slack.take(empS.UserID)
	mustContain(t, got, "I couldn't deliver a message to Ann Smith on Telegram: they blocked the bot.",
		"Your invite 1 stays open", "https://t.me/hirebot?start=inv_1")
	if inv := h.invite(1); inv.State != bot.InviteSent {
		t.Fatalf("invite after a refused DM is %q, want sent (waiting)", inv.State)
	}
	h.runTask("outbox")
	if got := h.slack.take(empS.UserID); got != "" {
		t.Errorf("the refusal was told twice:\n%s", got)
	}
	// The freelancer opens the link.
	delete(h.telegram.refuse, flTG.UserID)
	mustContain(t, h.as(flTG, "/start inv_1"), "invites you to job #1", "[Accept=/accept 1]")
	mustContain(t, h.as(empS, "/start inv_1"), "waits for their answer")
}

// TestFailedDeliveryBacksOff: a platform failure is retried after the
// backoff, not before, and delivered once.
func TestFailedDeliveryBacksOff(t *testing.T) {
	h := newCrossPlatform(t)
	h.telegram.fail = errors.New("telegram: 502 bad gateway")
	h.as(empS, "/invite 1 1")
	h.runTask("outbox")
	if len(h.telegram.sent) != 0 {
		t.Fatal("delivered while failing")
	}
	h.telegram.fail = nil
	h.now = now.Add(29 * time.Second)
	h.runTask("outbox")
	if got := h.telegram.take(flTG.UserID); got != "" {
		t.Fatalf("retried before the backoff:\n%s", got)
	}
	h.now = now.Add(time.Minute) // the second failure (the task's) doubled the wait
	h.runTask("outbox")
	if got := h.telegram.take(flTG.UserID); strings.Count(got, "invites you to job #1") != 1 {
		t.Fatalf("after the backoff got:\n%s", got)
	}
	h.now = now.Add(time.Hour)
	h.runTask("outbox")
	if got := h.telegram.take(flTG.UserID); got != "" {
		t.Errorf("delivered twice:\n%s", got)
	}
}

// TestOutboxSurvivesRestart: a notification enqueued by a process without
// the recipient's platform is delivered once by the next process.
func TestOutboxSurvivesRestart(t *testing.T) {
	h := newHiringHarness(t)
	h.script(flTG, append(annProfile, "Publish")...)
	h.script(empS, append(invoiceJob, "Post")...)
	mustContain(t, h.as(empS, "/invite 1 1"), "Invite 1 sent") // no adapter: it waits
	if err := h.db.Close(); err != nil {
		t.Fatal(err)
	}
	h.open()
	tg := &fakeAdapter{platform: bot.Telegram}
	h.bot.Register(tg)
	h.runTask("outbox")
	h.runTask("outbox")
	if got := tg.take(flTG.UserID); strings.Count(got, "invites you to job #1") != 1 {
		t.Fatalf("after the restart got:\n%s", got)
	}
	h.open() // a third process
	h.bot.Register(tg)
	h.runTask("outbox")
	if got := tg.take(flTG.UserID); got != "" {
		t.Errorf("delivered again after a second restart:\n%s", got)
	}
}

func TestApplicationsShortlistAndDecline(t *testing.T) {
	h := newHiringHarness(t)
	h.script(bobT, append(invoiceJob, "Post")...)
	h.script(annT, profileOf("ann")...)
	h.script(zedT, profileOf("zed")...)
	mustContain(t, h.as(bobT, "/job 1"), "#1 Build a Go API")
	mustNotContain(t, h.as(bobT, "/job 1"), "[Apply") // not on one's own job
	mustContain(t, h.as(annT, "/job 1"), "[Apply=/apply 1]")
	h.as(annT, "/apply 1")
	h.as(zedT, "/apply 1 "+strings.Repeat("x", 20))
	h.inbox(bobT)
	mustContain(t, h.as(zedT, "/shortlist 1"), "Only the person who posted job #1 can do that.")
	mustContain(t, h.as(bobT, "/shortlist 1"), "ann is on your shortlist for #1", "[Invite ann=/invite 2 1]")
	mustContain(t, h.inbox(annT), "you're on the shortlist for #1")
	mustContain(t, h.as(bobT, "/reject 2"), "Declined zed for #1")
	mustContain(t, h.inbox(zedT), "Thank you for applying to #1", "go another way")
	mustContain(t, h.as(bobT, "/reject 2"), "already declined")
	mustContain(t, h.as(bobT, "/applicants 1"), "Applications: 2", "ann: shortlisted", "zed: declined — xxxx")
	mustContain(t, h.as(bobT, "/invite 2 1"), "Invite 1 sent to ann")
	mustContain(t, h.as(bobT, "/applicants 1"), "ann: invited")
}

func TestParseContact(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"ann@example.com", "ann@example.com", true},
		{"  @ann_smith ", "@ann_smith", true},
		{"https://ann.dev/contact", "https://ann.dev/contact", true},
		{"", "", false},
		{"@", "", false},
		{"@ann smith", "", false},
		{"<@U123>", "", false},
		{"Ann <ann@example.com>", "", false},
		{"javascript:alert(1)", "", false},
		{"https://user:pw@evil.example", "", false},
		{"@" + strings.Repeat("a", 120), "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := hire.ParseContact(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("ParseContact(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}

func FuzzParseContact(f *testing.F) {
	for _, s := range []string{"ann@example.com", "@ann", "https://a.b/c", "<@here>", "a@b@c", "@ä.ö"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := hire.ParseContact(in)
		if err != nil {
			if bot.ErrorCode(err) != bot.EINVALID {
				t.Fatalf("ParseContact(%q) failed with %v, want EINVALID", in, err)
			}
			return
		}
		if strings.ContainsAny(got, " \n\t<>") || len([]rune(got)) > 120 || got == "" {
			t.Fatalf("ParseContact(%q) = %q: spaces, markup or too long", in, got)
		}
		if again, err := hire.ParseContact(got); err != nil || again != got {
			t.Fatalf("ParseContact is not stable on %q: %q, %v", got, again, err)
		}
	})
}

func FuzzParseEngage(f *testing.F) {
	for _, s := range []string{"7", "7 trial", "#7 trial a, b, c", "7 a,,b", "x", "7 trial " + strings.Repeat("m,", 6)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		id, _, ms, err := hire.ParseEngage(in)
		if err != nil {
			if bot.ErrorCode(err) != bot.EINVALID {
				t.Fatalf("ParseEngage(%q) failed with %v, want EINVALID", in, err)
			}
			return
		}
		if id <= 0 || len(ms) == 0 || len(ms) > 5 {
			t.Fatalf("ParseEngage(%q) = %d, %q", in, id, ms)
		}
		for _, m := range ms {
			if m == "" || len([]rune(m)) > 80 || strings.Contains(m, ",") {
				t.Fatalf("ParseEngage(%q): bad milestone %q", in, m)
			}
		}
		_ = fmt.Sprint(id)
	})
}

// TestApplyBuildsTheProfileFirst: someone with no profile who applies is
// taken through the profile dialog, and the application (with its note)
// goes out once the profile is published.
func TestApplyBuildsTheProfileFirst(t *testing.T) {
	h := newHiringHarness(t)
	h.script(bobT, append(invoiceJob, "Post")...)
	h.inbox(bobT)
	mustContain(t, h.as(zedT, "/apply 1 I did this before"), "you need a profile first", "What name should employers see?")
	mustNotContain(t, h.inbox(bobT), "applied to #1")
	mustContain(t, h.script(zedT, profileOf("zed")[1:]...), "Your profile is published.", "You applied to job #1.")
	mustContain(t, h.inbox(bobT), "zed applied to #1", "Note: I did this before")
	mustContain(t, h.as(bobT, "/apply 1"), "You cannot apply to your own job.")
}
