package hire_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
	"github.com/hirebot/hirebot/store/sqlite"
)

var now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// harness is a bot on a real SQLite file and in-memory sessions.
type harness struct {
	t        testing.TB
	db       *sqlite.DB
	sessions *flakySessions
	bot      *hire.Bot
	store    *flakyStore
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hirebot.db"), sqlite.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h := &harness{t: t, db: db, store: &flakyStore{Store: db}}
	h.sessions = &flakySessions{SessionStore: memory.NewSessions(memory.SessionOptions{})}
	h.bot, err = hire.New(hire.Config{Store: h.store, Sessions: h.sessions, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// say sends one line as the console adapter would and returns all reply
// text (cards and buttons included) as one string.
func (h *harness) say(user, line string) string {
	h.t.Helper()
	replies, err := h.send(user, line)
	if err != nil {
		h.t.Fatalf("%s says %q: %v", user, line, err)
	}
	return flatten(replies)
}

func (h *harness) send(user, line string) ([]bot.Reply, error) {
	ev := bot.Event{Kind: bot.KindMessage, From: bot.Identity{Platform: bot.Console, UserID: user}, Name: user,
		Chat: bot.Recipient{Platform: bot.Console, ChatID: user}, Private: true, Text: line}
	return h.bot.Handle(context.Background(), ev)
}

// handle handles ev as serve does: the bot's answer, and then what the
// delivery worker (RunDelivery), woken by the turn, sends. The worker's
// round runs here before handle returns, so a test reads the fakes at once.
func handle(b *hire.Bot, ev bot.Event, now time.Time) ([]bot.Reply, error) {
	ctx := context.Background()
	replies, err := b.Handle(ctx, ev)
	if _, derr := b.DeliverOutbox(ctx, now); derr != nil && err == nil {
		err = derr
	}
	return replies, err
}

func flatten(replies []bot.Reply) string {
	var b strings.Builder
	for _, r := range replies {
		b.WriteString(r.Text + "\n")
		for _, c := range r.Cards {
			b.WriteString(c.Title + "\n")
			for _, f := range c.Fields {
				b.WriteString(f.Label + ": " + f.Value + "\n")
			}
		}
		for _, btn := range r.Buttons {
			b.WriteString("[" + btn.Label + "=" + btn.Value + "]")
		}
		if r.Form != nil {
			for id, msg := range r.Form.Errors {
				b.WriteString("error " + id + ": " + msg + "\n")
			}
		}
	}
	return b.String()
}

func mustContain(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("reply does not contain %q:\n%s", w, got)
		}
	}
}

var annProfile = []string{"/profile", "Ann Smith", "Backend developer, Go and PostgreSQL",
	"golang, k8s, postgres", "7 years", "$45/h", "20 hours a week", "immediately", "remote",
	"Berlin", "github.com/ann", "skip"}

var invoiceJob = []string{"/post", "Build a Go API for invoices", "A small REST API in Go with PostgreSQL storage.",
	"golang, postgres", "$30-60/h", "in 3 weeks", "skip", "a merged pull request", "remote", "Berlin"}

func (h *harness) script(user string, lines ...string) string {
	h.t.Helper()
	var last string
	for _, l := range lines {
		last = h.say(user, l)
	}
	return last
}

func TestProfileDialogPublishes(t *testing.T) {
	h := newHarness(t)
	got := h.script("ann", annProfile...)
	mustContain(t, got, "Here is your profile:", "Skills: Go, Kubernetes, PostgreSQL", "Rate: 45 USD/hour", "[Publish=confirm]")
	if _, err := h.db.Profile(context.Background(), 1); bot.ErrorCode(err) != bot.ENOTFOUND {
		t.Fatalf("profile stored before confirmation: %v", err)
	}
	mustContain(t, h.say("ann", "Publish"), "Your profile is published.")
	p, err := h.db.Profile(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if p.Status != bot.ProfilePublished || p.Rate.String() != "45 USD/hour" || p.Timezone != "Europe/Berlin" ||
		p.Availability.HoursPerWeek != 20 || !p.Availability.AvailableFrom.Equal(time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("stored profile = %+v", p)
	}
	if h.bot.Index().Len() != 1 {
		t.Errorf("index holds %d profiles, want 1", h.bot.Index().Len())
	}
	mustContain(t, h.say("ann", "hello"), "Tell me what you need")
}

func TestPublishedOnlyAfterCommit(t *testing.T) {
	h := newHarness(t)
	h.script("ann", annProfile...)
	h.store.failSave = errors.New("disk full")
	replies, err := h.send("ann", "Publish")
	if err == nil || strings.Contains(flatten(replies), "published") {
		t.Fatalf("a failed commit said %q, err %v", flatten(replies), err)
	}
	h.store.failSave = nil
	mustContain(t, h.say("ann", "Publish"), "Your profile is published.")
}

func TestCompletingTwiceHasOneEffect(t *testing.T) {
	// The job is committed but the session delete fails (a crash right
	// after "posted"): confirming again must not create a second job, nor
	// say "posted" a second time.
	h := newHarness(t)
	h.script("bob", invoiceJob...)
	h.sessions.failDelete = errors.New("redis gone")
	mustContain(t, h.say("bob", "Post"), "Your job #1 is posted.")
	h.sessions.failDelete = nil
	if got := h.say("bob", "Post"); strings.Contains(got, "posted") {
		t.Errorf("confirmed again: %s", got)
	}
	jobs, err := h.db.Jobs(context.Background(), bot.JobFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs) != 1 {
		t.Errorf("%d jobs stored, want 1", len(jobs))
	}
}

func TestConcurrentConfirmsSayPostedOnce(t *testing.T) {
	h := newHarness(t)
	h.script("bob", invoiceJob...)
	var wg sync.WaitGroup
	answers := make([]string, 4)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replies, err := h.send("bob", "Post")
			if err != nil {
				t.Error(err)
			}
			answers[i] = flatten(replies)
		}()
	}
	wg.Wait()
	posted := 0
	for _, a := range answers {
		posted += strings.Count(a, "is posted.")
	}
	if posted != 1 {
		t.Errorf("%d answers say posted:\n%s", posted, strings.Join(answers, "\n---\n"))
	}
	jobs, err := h.db.Jobs(context.Background(), bot.JobFilter{})
	if err != nil || len(jobs) != 1 {
		t.Errorf("%d jobs stored (%v), want 1", len(jobs), err)
	}
}

func TestJobPostMatches(t *testing.T) {
	h := newHarness(t)
	h.script("ann", append(annProfile, "Publish")...)
	got := h.script("bob", append(invoiceJob, "Post")...)
	mustContain(t, got, "Your job #1 is posted.", "The best matches for #1", "1. Ann Smith", "Why: 2 of 2 skills (Go, PostgreSQL)", "[View Ann Smith=/view 1]")
	mustContain(t, h.say("bob", "/view 1"), "Ann Smith — Backend developer")
	mustContain(t, h.say("ann", "/jobs"), "Open jobs that match you", "#1 Build a Go API for invoices")

	mustContain(t, h.say("ann", "/pause"), "Paused")
	mustContain(t, h.say("bob", "/matches 1"), "No published profile matches job #1")
	mustContain(t, h.say("ann", "/resume"), "Welcome back")
	mustContain(t, h.say("bob", "/matches #1"), "1. Ann Smith")

	mustContain(t, h.say("ann", "/close 1"), "You have no job #1")
	mustContain(t, h.say("bob", "/close 1"), "Job #1 Build a Go API for invoices is closed.")
	mustContain(t, h.say("bob", "/close 1"), "already closed")
	mustContain(t, h.say("ann", "/jobs"), "No open job matches your profile")
	mustContain(t, h.say("bob", "/matches x"), `"x" is not a job number`)
}

func TestEditAndDelete(t *testing.T) {
	h := newHarness(t)
	h.script("ann", append(annProfile, "Publish")...)
	mustContain(t, h.say("ann", "/edit rate"), "What is your rate?")
	mustContain(t, h.say("ann", "€60/hr"), "Rate: 60 EUR/hour", "Here is your profile:")
	mustContain(t, h.say("ann", "Publish"), "Your profile is updated.", "Rate: 60 EUR/hour")
	mustContain(t, h.say("ann", "/edit availability"), "How many hours a week")
	mustContain(t, h.say("ann", "cancel"), "Cancelled")
	mustContain(t, h.say("ann", "/edit nosuch"), `There is no field "nosuch"`)

	mustContain(t, h.say("ann", "/delete"), "It cannot be undone.", "[Delete everything=confirm]")
	mustContain(t, h.say("ann", "Delete everything"), "I erased your profile")
	if h.bot.Index().Len() != 0 {
		t.Errorf("index still holds %d profiles", h.bot.Index().Len())
	}
	mustContain(t, h.say("ann", "/profile"), "Let's build your profile")
}

func TestJobForm(t *testing.T) {
	h := newHarness(t)
	ev := bot.Event{ID: "ev1", Kind: bot.KindCommand, Command: "post", Forms: true,
		From: bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: "U1"}, Chat: bot.Recipient{Platform: bot.Slack, ChatID: "C1"}}
	replies, err := h.bot.Handle(context.Background(), ev)
	if err != nil || len(replies) != 1 || replies[0].Form == nil {
		t.Fatalf("/post with forms = %+v, %v", replies, err)
	}
	if n := len(replies[0].Form.Fields); n != len(hire.JobFlow.Steps) {
		t.Errorf("job form has %d fields, want one per job step (%d)", n, len(hire.JobFlow.Steps))
	}

	ev.Kind, ev.Command, ev.ID = bot.KindForm, hire.FlowJob, "sub1"
	ev.Form = map[string]string{"title": "Logo", "description": "short", "skills": "figma", "budget": "cheap", "deadline": "yesterday"}
	replies, err = h.bot.Handle(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	got := flatten(replies)
	mustContain(t, got, "error title:", "error description:", "error budget:", "error deadline:")
	if strings.Contains(got, "error skills:") {
		t.Errorf("valid skills field got an error:\n%s", got)
	}

	ev.Form = map[string]string{"title": "Design a logo", "description": "A logo for a bakery, three drafts.", "skills": "figma", "budget": "$300", "deadline": "in 2 weeks"}
	for range 2 { // a re-delivered submission
		replies, err = h.bot.Handle(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		mustContain(t, flatten(replies), "Your job #1 is posted.", "Budget: 300 USD fixed", "Where: remote")
		for _, r := range replies {
			if !r.Private {
				t.Errorf("a form submitted from a channel was answered publicly: %q", r.Text)
			}
		}
	}
}

func TestSessionConflictIsRetried(t *testing.T) {
	h := newHarness(t)
	h.say("ann", "/profile")
	h.sessions.conflicts = 1
	mustContain(t, h.say("ann", "Ann Smith"), "Got it: Ann Smith.", "Your headline")
}

func TestSessionStoreDown(t *testing.T) {
	h := newHarness(t)
	h.sessions.failLoad = errors.New("connection refused")
	_, err := h.send("ann", "/profile")
	if bot.ErrorCode(err) != bot.EUNAVAILABLE || bot.ErrorMessage(err) != bot.UnavailableMessage {
		t.Fatalf("err = %v", err)
	}
	h.sessions.failLoad = nil
	mustContain(t, h.say("ann", "/profile"), "Let's build your profile")
}

func TestCommandsWithoutDialog(t *testing.T) {
	h := newHarness(t)
	tests := []struct{ line, want string }{
		{"/foo", "I don't know /foo."},
		{"/help", "For employers: /post"},
		{"/help search", "/search [query] [skill]"},
		{"/cancel", "There is no conversation running."},
		{"/pause", "You have no profile yet."},
		{"/edit rate", "You have no profile yet."},
		{"/jobs", "You have no jobs and no profile yet."},
		{"/matches", "Which job?"},
		{"/search", "Whom should I look for?"},
		{"/search rate<abc", `"rate<abc" is not a rate filter`},
		{"/view 99", "That profile is not available"},
		{"/start gig_77", "There is no job #77."},
		{"/apply 77", "There is no job #77."},
		{"/home", "You have no freelancer profile yet."},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) { mustContain(t, h.say("zed", tt.line), tt.want) })
	}
}

// flakyStore fails SaveProfile on demand.
type flakyStore struct {
	bot.Store
	failSave error
}

func (s *flakyStore) SaveProfile(ctx context.Context, p bot.Profile) (bot.Profile, error) {
	if s.failSave != nil {
		return bot.Profile{}, s.failSave
	}
	return s.Store.SaveProfile(ctx, p)
}

// flakySessions fails or conflicts on demand.
type flakySessions struct {
	conversation.SessionStore
	failLoad, failDelete error
	conflicts            int
}

func (s *flakySessions) Load(ctx context.Context, key string) (conversation.Session, error) {
	if s.failLoad != nil {
		return conversation.Session{}, s.failLoad
	}
	return s.SessionStore.Load(ctx, key)
}

func (s *flakySessions) Save(ctx context.Context, sess conversation.Session) (int64, error) {
	if s.conflicts > 0 {
		s.conflicts--
		// Another replica saved in between: bump the stored version.
		cur, err := s.SessionStore.Load(ctx, sess.Key)
		if err == nil {
			if _, err := s.SessionStore.Save(ctx, cur); err != nil {
				return 0, err
			}
		}
		return 0, conversation.ErrConflict
	}
	return s.SessionStore.Save(ctx, sess)
}

func (s *flakySessions) Delete(ctx context.Context, key string) error {
	if s.failDelete != nil {
		return s.failDelete
	}
	return s.SessionStore.Delete(ctx, key)
}

// TestApplyFromACommunityGoesPrivate: [Apply] pressed in a server by
// someone without a profile answers privately and runs the profile dialog
// in a DM.
func TestApplyFromACommunityGoesPrivate(t *testing.T) {
	h := newHarness(t)
	h.script("bob", append(invoiceJob, "Post")...)
	ev := bot.Event{ID: "i1", Kind: bot.KindButton, Text: "/apply 1",
		From: bot.Identity{Platform: bot.Discord, UserID: "U9"}, Name: "Ana",
		Chat: bot.Recipient{Platform: bot.Discord, Workspace: "G1", ChatID: "C-gigs"}}
	replies, err := h.bot.Handle(context.Background(), ev)
	if err != nil {
		t.Fatal(err)
	}
	dm := bot.Recipient{Platform: bot.Discord, Workspace: "G1", UserID: "U9"}
	var inChannel []bot.Reply
	for _, r := range replies {
		if r.To != dm {
			inChannel = append(inChannel, r)
		}
	}
	if len(inChannel) != 1 || !inChannel[0].Private || !strings.Contains(inChannel[0].Text, "written to you privately") {
		t.Errorf("replies left in the channel: %+v", inChannel)
	}
	mustContain(t, flatten(replies), "you need a profile first", "What name should employers see?")
}

// TestSharedChatsStayQuiet: in a channel, a one-shot answer is ephemeral
// and a dialog moves to the person's private chat, with a private note.
func TestSharedChatsStayQuiet(t *testing.T) {
	h := newHarness(t)
	channel := bot.Recipient{Platform: bot.Slack, Workspace: "T1", ChatID: "C1"}
	dm := bot.Recipient{Platform: bot.Slack, Workspace: "T1", UserID: "U1"}
	send := func(command, text string) []bot.Reply {
		t.Helper()
		replies, err := h.bot.Handle(context.Background(), bot.Event{Kind: bot.KindCommand, Command: command, Text: text,
			From: bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: "U1"}, Name: "ann", Chat: channel})
		if err != nil {
			t.Fatal(err)
		}
		return replies
	}
	for _, r := range send("search", "go") {
		if !r.Private || r.To != channel {
			t.Errorf("search answer %+v, want ephemeral in the channel", r)
		}
	}
	replies := send("profile", "")
	var toDM, notes int
	for _, r := range replies {
		switch {
		case r.To == dm:
			toDM++
		case r.To == channel && r.Private && strings.Contains(r.Text, "private chat"):
			notes++
		default:
			t.Errorf("reply %+v is neither in the DM nor the private note", r)
		}
	}
	if toDM == 0 || notes != 1 {
		t.Errorf("%d replies in the DM and %d notes, want the dialog in the DM and one note", toDM, notes)
	}
}
