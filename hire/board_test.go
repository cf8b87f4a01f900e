package hire_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
	"github.com/hirebot/hirebot/store/sqlite"
)

// recorder is a hand-written platform adapter that records what the bot
// asks of it. Each Post gets the reference "m<n>".
type recorder struct {
	platform string
	mu       sync.Mutex
	sent     []bot.Reply
	posted   []bot.Reply
	edits    []edit
	threads  []thread
	refs     int
}

type edit struct {
	To    bot.Recipient
	Ref   string
	Reply bot.Reply
}

type thread struct {
	To        bot.Recipient
	Ref, Name string
}

func (r *recorder) Platform() string { return r.platform }

func (r *recorder) Send(_ context.Context, rep bot.Reply) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, rep)
	return nil
}

func (r *recorder) Post(_ context.Context, rep bot.Reply) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refs++
	r.posted = append(r.posted, rep)
	return fmt.Sprintf("m%d", r.refs), nil
}

func (r *recorder) Edit(_ context.Context, to bot.Recipient, ref string, rep bot.Reply) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.edits = append(r.edits, edit{to, ref, rep})
	return nil
}

// fakeDiscord posts, edits and opens threads.
type fakeDiscord struct{ *recorder }

func (fakeDiscord) TypedCommand(name string) string { return "/hire " + name }

func (f fakeDiscord) OpenThread(_ context.Context, to bot.Recipient, ref, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.threads = append(f.threads, thread{to, ref, name})
	return nil
}

// fakeTelegram posts, edits and makes deep links, but has no threads.
type fakeTelegram struct{ *recorder }

func (fakeTelegram) DeepLink(payload string) string { return "https://t.me/hirebot?start=" + payload }

// boardHarness is a bot on real SQLite with a settable clock and fake
// Discord and Telegram adapters registered.
type boardHarness struct {
	t   *testing.T
	db  *sqlite.DB
	bot *hire.Bot
	now time.Time
	dc  fakeDiscord
	tg  fakeTelegram
	ids int
}

func newBoardHarness(t *testing.T) *boardHarness {
	t.Helper()
	h := &boardHarness{t: t, now: now}
	clock := func() time.Time { return h.now }
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "hirebot.db"), sqlite.Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h.db = db
	h.bot, err = hire.New(hire.Config{Store: db, Sessions: memory.NewSessions(memory.SessionOptions{}), Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	h.dc = fakeDiscord{&recorder{platform: bot.Discord}}
	h.tg = fakeTelegram{&recorder{platform: bot.Telegram}}
	h.bot.Register(h.dc)
	h.bot.Register(h.tg)
	return h
}

// member is a person in the Discord server G1.
type member struct {
	id        string
	name      string
	moderator bool
	manager   bool
	created   time.Time
}

var (
	ann = member{id: "U-ann", name: "Ann", created: now.AddDate(-3, 0, 0)}
	bob = member{id: "U-bob", name: "Bob", created: now.AddDate(-1, 0, 0)}
	mod = member{id: "U-mod", name: "Mo", moderator: true, manager: true, created: now.AddDate(-5, 0, 0)}
	// kim moderates messages but does not manage the server.
	kim = member{id: "U-kim", name: "Kim", moderator: true, created: now.AddDate(-5, 0, 0)}
)

// discord sends an event from m in the server G1, channel C-general.
func (h *boardHarness) discord(m member, ev bot.Event) []bot.Reply {
	h.t.Helper()
	h.ids++
	ev.ID = fmt.Sprint("d", h.ids)
	ev.From = bot.Identity{Platform: bot.Discord, UserID: m.id}
	ev.Name = m.name
	if ev.Chat == (bot.Recipient{}) {
		ev.Chat = bot.Recipient{Platform: bot.Discord, Workspace: "G1", ChatID: "C-general"}
	}
	ev.Forms = ev.Kind != bot.KindForm
	if ev.Chat.Workspace != "" {
		ev.Community = ev.Chat.Workspace // as the Discord adapter names it
	}
	ev.AccountCreated = m.created
	ev.Moderator = m.moderator
	ev.Manager = m.manager
	replies, err := h.bot.Handle(h.t.Context(), ev)
	if err != nil {
		h.t.Fatalf("%s: %+v: %v", m.name, ev, err)
	}
	return replies
}

func (h *boardHarness) command(m member, name, text string) []bot.Reply {
	h.t.Helper()
	return h.discord(m, bot.Event{Kind: bot.KindCommand, Command: name, Text: text})
}

func (h *boardHarness) press(m member, value string, chat bot.Recipient) []bot.Reply {
	h.t.Helper()
	return h.discord(m, bot.Event{Kind: bot.KindButton, Text: value, Chat: chat})
}

var gigForm = map[string]string{
	"title": "Build a Go API for invoices", "description": "A small REST API in Go with PostgreSQL storage.",
	"skills": "golang, postgres", "budget": "$30-60/h", "deadline": "in 3 weeks",
}

// postGig runs /hire post and submits the form; it returns the replies to
// the submission.
func (h *boardHarness) postGig(m member) []bot.Reply {
	h.t.Helper()
	replies := h.command(m, "post", "")
	if len(replies) != 1 || replies[0].Form == nil {
		h.t.Fatalf("/hire post by %s: want the job form, got %s", m.name, flatten(replies))
	}
	return h.discord(m, bot.Event{Kind: bot.KindForm, Command: hire.FlowJob, Form: gigForm})
}

func (h *boardHarness) setup(text string) {
	h.t.Helper()
	got := flatten(h.command(mod, "setup", text))
	mustContain(h.t, got, "The gig board is set up")
}

func allPrivate(t *testing.T, replies []bot.Reply) {
	t.Helper()
	for _, r := range replies {
		if !r.Private && r.To.UserID == "" {
			t.Errorf("reply to the poster is not private: %q", r.Text)
		}
	}
}

var (
	// The board's channels, as an event from them comes (in server G1),
	gigs = bot.Recipient{Platform: bot.Discord, Workspace: "G1", ChatID: "C-gigs"}
	mods = bot.Recipient{Platform: bot.Discord, Workspace: "G1", ChatID: "C-mods"}
	// and as the bot posts to them: a channel is named by its ID.
	toGigs = bot.Recipient{Platform: bot.Discord, ChatID: "C-gigs"}
	toMods = bot.Recipient{Platform: bot.Discord, ChatID: "C-mods"}
)

func TestBoardSetup(t *testing.T) {
	h := newBoardHarness(t)
	tests := []struct {
		name  string
		who   member
		chat  bot.Recipient
		text  string
		wants []string
	}{
		{"a member", bob, bot.Recipient{}, "channel=C-gigs", []string{"Only the people who manage this server or group can use /hire setup."}},
		{"a moderator who does not manage the server", kim, bot.Recipient{}, "channel=C-gigs", []string{"Only the people who manage"}},
		{"in a DM", mod, bot.Recipient{Platform: bot.Discord, ChatID: "DM"}, "channel=C-gigs", []string{"Run /hire setup in the server or group it is for."}},
		{"without a channel", mod, bot.Recipient{}, "cooldown=5", []string{"Which channel"}},
		{"an unknown setting", mod, bot.Recipient{}, "channel=C-gigs colour=red", []string{"I don't know the setting"}},
		{"a cooldown out of range", mod, bot.Recipient{}, "channel=C-gigs cooldown=-1", []string{"The cooldown is a number of minutes"}},
		{"everything", mod, bot.Recipient{}, "channel=<#C-gigs> moderators=C-mods cooldown=60 min_age=7",
			[]string{"Gigs are posted in channel C-gigs", "Reported gigs go to channel C-mods", "one gig every 60 minutes", "at least 7 days old"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := bot.Event{Kind: bot.KindCommand, Command: "setup", Text: tt.text, Chat: tt.chat}
			if tt.chat.ChatID == "DM" {
				ev.Private = true
			}
			replies := h.discord(tt.who, ev)
			mustContain(t, flatten(replies), tt.wants...)
			allPrivate(t, replies)
		})
	}
	b, err := h.db.Board(t.Context(), bot.Discord, "G1")
	if err != nil {
		t.Fatal(err)
	}
	want := bot.Board{Platform: bot.Discord, Community: "G1", ChannelID: "C-gigs", ModChannelID: "C-mods",
		Cooldown: time.Hour, MinAccountAge: 7 * 24 * time.Hour, UpdatedAt: now}
	if diff := cmp.Diff(want, b); diff != "" {
		t.Errorf("stored board (-want +got):\n%s", diff)
	}
}

func TestBoardPostingRules(t *testing.T) {
	h := newBoardHarness(t)
	h.setup("channel=C-gigs cooldown=60 min_age=7")

	t.Run("an account younger than the minimum age is refused", func(t *testing.T) {
		young := member{id: "U-new", name: "Newbie", created: now.Add(-2 * 24 * time.Hour)}
		replies := h.command(young, "post", "")
		got := flatten(replies)
		mustContain(t, got, "at least 7 days old", "Yours is 2 days old")
		allPrivate(t, replies)
		if replies[0].Form != nil {
			t.Errorf("the form was offered to a refused member")
		}
	})

	t.Run("a member posts, then waits out the cooldown", func(t *testing.T) {
		h.postGig(ann)
		h.now = now.Add(20 * time.Minute)
		replies := h.command(ann, "post", "")
		mustContain(t, flatten(replies), "one gig every 60 minutes", "next one in 40 minutes")
		allPrivate(t, replies)
		if len(replies) != 1 || replies[0].Form != nil {
			t.Errorf("the form was offered during the cooldown: %+v", replies)
		}
		// A form opened before the cooldown started is refused on submit.
		replies = h.discord(ann, bot.Event{Kind: bot.KindForm, Command: hire.FlowJob, Form: gigForm})
		mustContain(t, flatten(replies), "I did not post this gig")
		if jobs, _ := h.db.Jobs(t.Context(), bot.JobFilter{}); len(jobs) != 1 {
			t.Errorf("%d jobs stored, want 1: a refused gig must not be created", len(jobs))
		}
		if r := h.command(bob, "post", ""); r[0].Form == nil { // others are not held back
			t.Errorf("Bob was refused because of Ann's cooldown: %s", flatten(r))
		}
		h.now = now.Add(61 * time.Minute)
		if r := h.command(ann, "post", ""); r[0].Form == nil {
			t.Errorf("after the cooldown: %s", flatten(r))
		}
	})
}

func TestBoardPostDiscord(t *testing.T) {
	h := newBoardHarness(t)
	h.setup("channel=C-gigs moderators=C-mods")
	replies := h.postGig(ann)
	allPrivate(t, replies)
	mustContain(t, flatten(replies), "Your job #1 is posted.", "It is on the gig board now.", "thread")

	if len(h.dc.posted) != 1 {
		t.Fatalf("%d messages posted, want the gig card once", len(h.dc.posted))
	}
	card := h.dc.posted[0]
	if card.To != toGigs {
		t.Errorf("gig posted to %+v, want %+v", card.To, toGigs)
	}
	if len(card.Cards) != 1 || card.Cards[0].Title != "#1 Build a Go API for invoices" {
		t.Errorf("gig card = %+v", card.Cards)
	}
	wantButtons := []bot.Button{
		{Label: "Apply", Value: "/apply 1", Style: "primary", Shared: true},
		{Label: "Save", Value: "/save 1", Shared: true},
		{Label: "Report", Value: "/report 1", Style: "danger", Shared: true},
	}
	if diff := cmp.Diff(wantButtons, card.Buttons); diff != "" {
		t.Errorf("gig buttons (-want +got):\n%s", diff)
	}
	wantThread := []thread{{To: toGigs, Ref: "m1", Name: "Questions about #1 Build a Go API for invoices"}}
	if diff := cmp.Diff(wantThread, h.dc.threads); diff != "" {
		t.Errorf("threads (-want +got):\n%s", diff)
	}
	posts, err := h.db.BoardPosts(t.Context(), 1)
	if err != nil || len(posts) != 1 || posts[0].Ref != "m1" || posts[0].ChatID != "C-gigs" || posts[0].Kind != bot.PostGig {
		t.Errorf("recorded posts = %+v, %v; want the gig in C-gigs as m1", posts, err)
	}
}

func TestBoardWithoutSetupPostsWhereAsked(t *testing.T) {
	h := newBoardHarness(t)
	h.postGig(ann)
	if len(h.dc.posted) != 1 || h.dc.posted[0].To.ChatID != "C-general" {
		t.Fatalf("posted %+v, want the gig in the channel where /hire post ran", h.dc.posted)
	}
}

func TestBoardReportAndModeration(t *testing.T) {
	h := newBoardHarness(t)
	h.setup("channel=C-gigs moderators=C-mods")
	h.postGig(ann)

	replies := h.press(bob, "/report 1", gigs)
	mustContain(t, flatten(replies), "Thanks, I passed gig #1 to the moderators.")
	allPrivate(t, replies)
	if len(h.dc.posted) != 2 {
		t.Fatalf("%d messages posted, want the gig and the moderator card", len(h.dc.posted))
	}
	report := h.dc.posted[1]
	if report.To != toMods {
		t.Errorf("report posted to %+v, want %+v", report.To, toMods)
	}
	mustContain(t, flatten([]bot.Reply{report}), "Bob reported gig #1", "#1 Build a Go API for invoices")
	wantButtons := []bot.Button{
		{Label: "Remove", Value: "/remove 1", Style: "danger", Shared: true},
		{Label: "Keep", Value: "/keep 1", Shared: true},
	}
	if diff := cmp.Diff(wantButtons, report.Buttons); diff != "" {
		t.Errorf("moderator buttons (-want +got):\n%s", diff)
	}

	t.Run("reporting twice is one report", func(t *testing.T) {
		mustContain(t, flatten(h.press(bob, "/report 1", gigs)), "You already reported gig #1")
		mustContain(t, flatten(h.press(ann, "/report 1", gigs)), "Thanks, I passed gig #1")
		if len(h.dc.posted) != 2 {
			t.Errorf("%d messages posted, want no second moderator card", len(h.dc.posted))
		}
	})

	t.Run("a member who is not a moderator cannot remove it", func(t *testing.T) {
		replies := h.press(bob, "/remove 1", mods)
		mustContain(t, flatten(replies), "Only the moderators")
		allPrivate(t, replies)
		if j, _ := h.db.Job(t.Context(), 1); j.Status != bot.JobOpen {
			t.Errorf("job status %q after a refused remove, want open", j.Status)
		}
		if len(h.dc.edits) != 0 {
			t.Errorf("messages edited after a refused remove: %+v", h.dc.edits)
		}
	})

	t.Run("a moderator of another server cannot remove it", func(t *testing.T) {
		other := bot.Recipient{Platform: bot.Discord, Workspace: "G2", ChatID: "C-x"}
		mustContain(t, flatten(h.press(mod, "/remove 1", other)), "Only the moderators")
	})

	t.Run("a moderator removes it", func(t *testing.T) {
		replies := h.press(mod, "/remove 1", mods)
		mustContain(t, flatten(replies), "Gig #1 is removed from the board and closed.")
		if j, _ := h.db.Job(t.Context(), 1); j.Status != bot.JobClosed {
			t.Errorf("job status %q after remove, want closed", j.Status)
		}
		if len(h.dc.edits) != 2 {
			t.Fatalf("edits = %+v, want the gig and the moderator card", h.dc.edits)
		}
		gig, rep := h.dc.edits[0], h.dc.edits[1]
		if gig.Ref != "m1" || gig.To != toGigs || !strings.Contains(gig.Reply.Text, "removed by the moderators") || len(gig.Reply.Buttons) != 0 {
			t.Errorf("gig edit = %+v, want m1 in C-gigs saying removed, without buttons", gig)
		}
		mustContain(t, flatten([]bot.Reply{gig.Reply}), "Status: closed")
		if rep.Ref != "m2" || rep.To != toMods || rep.Reply.Text != "Removed by Mo." || len(rep.Reply.Buttons) != 0 {
			t.Errorf("moderator card edit = %+v, want m2 saying Removed by Mo.", rep)
		}
	})
}

func TestBoardKeep(t *testing.T) {
	h := newBoardHarness(t)
	h.setup("channel=C-gigs moderators=C-mods")
	h.postGig(ann)
	h.press(bob, "/report 1", gigs)
	mustContain(t, flatten(h.press(mod, "/keep 1", mods)), "Gig #1 stays on the board.")
	if j, _ := h.db.Job(t.Context(), 1); j.Status != bot.JobOpen {
		t.Errorf("job status %q after keep, want open", j.Status)
	}
	if len(h.dc.edits) != 1 || h.dc.edits[0].Ref != "m2" || h.dc.edits[0].Reply.Text != "Kept by Mo." {
		t.Errorf("edits = %+v, want only the moderator card, saying Kept by Mo.", h.dc.edits)
	}
}

func TestBoardReportWithoutModeratorChannel(t *testing.T) {
	h := newBoardHarness(t)
	h.setup("channel=C-gigs")
	h.postGig(ann)
	mustContain(t, flatten(h.press(bob, "/report 1", gigs)), "no moderator channel")
	if len(h.dc.posted) != 1 {
		t.Errorf("%d messages posted, want only the gig", len(h.dc.posted))
	}
}

func TestBoardClose(t *testing.T) {
	h := newBoardHarness(t)
	h.setup("channel=C-gigs")
	h.postGig(ann)
	h.postGig(bob)
	mustContain(t, flatten(h.command(bob, "close", "1")), "You have no job #1")
	mustContain(t, flatten(h.command(mod, "close", "2")), "Job #2 Build a Go API for invoices is closed.")
	mustContain(t, flatten(h.command(ann, "close", "1")), "Job #1 Build a Go API for invoices is closed.")
	var got []string
	for _, e := range h.dc.edits {
		got = append(got, e.Ref+" "+e.Reply.Text)
	}
	if diff := cmp.Diff([]string{"m2 This gig is closed.", "m1 This gig is closed."}, got); diff != "" {
		t.Errorf("edits (-want +got):\n%s", diff)
	}
}

func TestBoardSaved(t *testing.T) {
	h := newBoardHarness(t)
	h.postGig(ann)
	mustContain(t, flatten(h.command(bob, "saved", "")), "You have no saved gigs")
	replies := h.press(bob, "/save 1", gigs)
	mustContain(t, flatten(replies), "Saved gig #1")
	allPrivate(t, replies)
	h.press(bob, "/save 1", gigs)
	got := flatten(h.command(bob, "saved", ""))
	mustContain(t, got, "Your saved gigs:", "#1 Build a Go API for invoices", "[Apply #1=/apply 1]")
	if n := strings.Count(got, "#1 Build"); n != 1 {
		t.Errorf("the gig is listed %d times, want once", n)
	}
	mustContain(t, flatten(h.press(bob, "/save 99", gigs)), "There is no gig #99")
}

func TestBoardExpiry(t *testing.T) {
	h := newBoardHarness(t)
	h.setup("channel=C-gigs")
	h.postGig(ann) // deadline in 3 weeks
	tasks := h.bot.Tasks()
	if len(tasks) == 0 {
		t.Fatal("the bot has no tasks")
	}
	var expiry hire.Task
	for _, task := range tasks {
		if task.Name == "finish-jobs" {
			expiry = task
		}
	}
	if expiry.Run == nil {
		t.Fatalf("no finish-jobs task in %v", tasks)
	}
	deadline := now.AddDate(0, 0, 21)
	if err := expiry.Run(t.Context(), deadline.Add(12*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if j, _ := h.db.Job(t.Context(), 1); j.Status != bot.JobOpen || len(h.dc.edits) != 0 {
		t.Fatalf("on its deadline day the job is %q with edits %+v; want open, untouched", j.Status, h.dc.edits)
	}
	if err := expiry.Run(t.Context(), deadline.AddDate(0, 0, 1)); err != nil {
		t.Fatal(err)
	}
	if j, _ := h.db.Job(t.Context(), 1); j.Status != bot.JobExpired {
		t.Errorf("job status %q the day after its deadline, want expired", j.Status)
	}
	if len(h.dc.edits) != 1 {
		t.Fatalf("edits = %+v, want the gig card once", h.dc.edits)
	}
	e := h.dc.edits[0]
	if e.Ref != "m1" || e.Reply.Text != "This gig has expired." || len(e.Reply.Buttons) != 0 {
		t.Errorf("edit = %+v, want m1 saying expired without buttons", e)
	}
	mustContain(t, flatten([]bot.Reply{e.Reply}), "Status: expired")
	if err := expiry.Run(t.Context(), deadline.AddDate(0, 0, 2)); err != nil || len(h.dc.edits) != 1 {
		t.Errorf("a second run: %v, %d edits; want nothing more", err, len(h.dc.edits))
	}
}

func TestTelegramGroupPostRunsPrivately(t *testing.T) {
	h := newBoardHarness(t)
	group := bot.Recipient{Platform: bot.Telegram, ChatID: "-1001"}
	dm := bot.Recipient{Platform: bot.Telegram, ChatID: "42"}
	n := 0
	send := func(chat bot.Recipient, kind, command, text string) []bot.Reply {
		t.Helper()
		n++
		ev := bot.Event{ID: fmt.Sprint("tg:", n), Kind: kind, Command: command, Text: text,
			From: bot.Identity{Platform: bot.Telegram, UserID: "42"}, Name: "Tom", Chat: chat, Private: chat == dm}
		if chat == group {
			ev.Community = group.ChatID // as the Telegram adapter names it
		}
		replies, err := h.bot.Handle(t.Context(), ev)
		if err != nil {
			t.Fatal(err)
		}
		return replies
	}

	replies := send(group, bot.KindCommand, "post", "")
	if len(replies) < 2 {
		t.Fatalf("replies = %s, want a note in the group and the first question in private", flatten(replies))
	}
	note := replies[0]
	if note.To != group || !strings.Contains(note.Text, "private chat") {
		t.Errorf("group note = %+v", note)
	}
	if diff := cmp.Diff([]bot.Button{{Label: "Open the chat", Value: "https://t.me/hirebot?start=post"}}, note.Buttons); diff != "" {
		t.Errorf("group note buttons (-want +got):\n%s", diff)
	}
	for _, r := range replies[1:] {
		if r.To != (bot.Recipient{Platform: bot.Telegram, UserID: "42"}) {
			t.Errorf("dialog reply %q goes to %+v, want Tom's private chat", r.Text, r.To)
		}
	}
	mustContain(t, flatten(replies[1:]), "Job title?")

	// The link in the group shows the running question again.
	mustContain(t, flatten(send(dm, bot.KindCommand, "start", "post")), "Job title?")
	var last []bot.Reply
	for _, line := range invoiceJob[1:] {
		last = send(dm, bot.KindMessage, "", line)
	}
	mustContain(t, flatten(last), "[Post=confirm]")
	if len(h.tg.posted) != 0 {
		t.Fatalf("posted before confirmation: %+v", h.tg.posted)
	}
	last = send(dm, bot.KindButton, "", "confirm")
	mustContain(t, flatten(last), "Your job #1 is posted.", "It is on the gig board now.")
	for _, r := range last {
		if r.To != dm {
			t.Errorf("reply %q goes to %+v, want the private chat", r.Text, r.To)
		}
	}
	if len(h.tg.posted) != 1 {
		t.Fatalf("posted %+v, want the gig once", h.tg.posted)
	}
	gig := h.tg.posted[0]
	if gig.To != group {
		t.Errorf("gig posted to %+v, want the group", gig.To)
	}
	if diff := cmp.Diff([]bot.Button{{Label: "Apply", Value: "https://t.me/hirebot?start=gig_1"}}, gig.Buttons); diff != "" {
		t.Errorf("gig buttons (-want +got):\n%s", diff)
	}
	if len(h.dc.threads)+len(h.tg.threads) != 0 {
		t.Errorf("a thread was opened on Telegram")
	}
	if posts, _ := h.db.BoardPosts(t.Context(), 1); len(posts) != 1 || posts[0].Community != "-1001" || posts[0].Ref != "m1" {
		t.Errorf("recorded posts = %+v", posts)
	}
}

func TestTelegramSetupByAdmin(t *testing.T) {
	h := newBoardHarness(t)
	group := bot.Recipient{Platform: bot.Telegram, ChatID: "-1001"}
	for _, admin := range []bool{false, true} {
		ev := bot.Event{ID: fmt.Sprint("tg:", admin), Kind: bot.KindCommand, Command: "setup", Text: "cooldown=30",
			From: bot.Identity{Platform: bot.Telegram, UserID: "42"}, Chat: group, Community: group.ChatID, Moderator: admin, Manager: admin}
		replies, err := h.bot.Handle(t.Context(), ev)
		if err != nil {
			t.Fatal(err)
		}
		_, berr := h.db.Board(t.Context(), bot.Telegram, "-1001")
		if !admin {
			mustContain(t, flatten(replies), "Only the people who manage this server or group can use /setup.")
			if berr == nil {
				t.Fatalf("a member who is not an admin set the board up")
			}
			continue
		}
		mustContain(t, flatten(replies), "Gigs are posted in channel -1001", "one gig every 30 minutes")
	}
}

func FuzzParseSetup(f *testing.F) {
	for _, s := range []string{"channel=<#123> moderators=456 cooldown=10 min_age=7", "cooldown=99999", "x", "channel=", "min_age=1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := hire.ParseSetup(s)
		if err != nil {
			if bot.ErrorCode(err) != bot.EINVALID {
				t.Fatalf("ParseSetup(%q) error %v is not EINVALID", s, err)
			}
			return
		}
		if a.Cooldown < 0 || a.Cooldown > 7*24*time.Hour || a.MinAge < 0 || a.MinAge > 3650*24*time.Hour {
			t.Fatalf("ParseSetup(%q) = %+v: out of bounds", s, a)
		}
		if strings.ContainsAny(a.Channel+a.Moderators, "<>#: \t\n") {
			t.Fatalf("ParseSetup(%q) = %+v: channel with markup", s, a)
		}
	})
}
