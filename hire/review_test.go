package hire_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
)

// task finds one of the bot's periodic tasks by name.
func task(t *testing.T, b *hire.Bot, name string) hire.Task {
	t.Helper()
	for _, tk := range b.Tasks() {
		if tk.Name == name {
			return tk
		}
	}
	t.Fatalf("no task %q", name)
	return hire.Task{}
}

func count(texts []string, sub string) int {
	n := 0
	for _, s := range texts {
		if strings.Contains(s, sub) {
			n++
		}
	}
	return n
}

func TestReviewsOnlyByThePartiesOnce(t *testing.T) {
	mod := tgID("mod")
	h := newRH(t, func(c *hire.Config) { c.Retention.Moderators = []bot.Identity{mod} })
	ctx := context.Background()
	ann, bob, carol := tgID("ann"), slackID("T1", "bob"), tgID("carol")
	a := h.publish(ann, "Ann Smith")
	h.say(bob, "/help")
	b := h.account(bob)
	_, e := engaged(t, h.db, a.ID, b.ID, "Kick-off", "Delivery")

	mustContain(t, h.say(ann, fmt.Sprintf("/review %d 5", e.ID)), "not done yet")
	h.say(ann, fmt.Sprintf("/done %d 1", e.ID))
	if n := count(h.sinks[bot.Telegram].to("ann"), "How was working with"); n != 0 {
		t.Fatalf("asked for a review before the last milestone (%d)", n)
	}
	h.say(bob, fmt.Sprintf("/done %d 2", e.ID))
	asked := func() (int, int) {
		return count(h.sinks[bot.Telegram].to("ann"), "How was working with bob"),
			count(h.sinks[bot.Slack].to("bob"), "How was working with Ann Smith")
	}
	if fa, fb := asked(); fa != 1 || fb != 1 {
		t.Fatalf("review requests after the last milestone: Ann %d, Bob %d; want 1 each", fa, fb)
	}
	if err := task(t, h.bot, "review-requests").Run(ctx, h.clock); err != nil {
		t.Fatal(err)
	}
	if fa, fb := asked(); fa != 1 || fb != 1 {
		t.Fatalf("the task asked again: Ann %d, Bob %d", fa, fb)
	}

	mustContain(t, h.say(carol, fmt.Sprintf("/review %d 1 terrible", e.ID)), "Only the two people")
	mustContain(t, h.press(ann, fmt.Sprintf("/review %d 5", e.ID)), "5-star review of bob is saved")
	mustContain(t, h.say(ann, fmt.Sprintf("/review %d 1 changed my mind", e.ID)), "already answered")

	// Where the platform has forms, a star opens an optional comment.
	ev := h.event(bob, bot.KindButton, fmt.Sprintf("/review %d 4", e.ID))
	ev.Forms = true
	replies, err := h.bot.Handle(ctx, ev)
	if err != nil || len(replies) != 1 || replies[0].Form == nil {
		t.Fatalf("star press with forms = %+v, %v; want a comment form", replies, err)
	}
	ev = h.event(bob, bot.KindForm, "")
	ev.Command, ev.Form = replies[0].Form.ID, map[string]string{"comment": "Solid work, on time."}
	replies, err = h.bot.Handle(ctx, ev)
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, flatten(replies), "4-star review of Ann Smith is saved")
	mustContain(t, h.say(bob, fmt.Sprintf("/review %d skip", e.ID)), "already answered")

	mustContain(t, h.say(bob, fmt.Sprintf("/view %d", a.ID)), "Reviews: 4★ (1 review)")
	mustContain(t, h.post(slackID("T2", "dan")), "rated 4★ (1 review)")
	mustContain(t, h.say(carol, fmt.Sprintf("/reviews %d", a.ID)), "Solid work, on time.", "[Report 1=/reportreview")

	rs, err := h.db.Reviews(ctx, a.ID)
	if err != nil || len(rs) != 1 {
		t.Fatalf("Reviews of Ann = %v, %v", rs, err)
	}
	mustContain(t, h.say(carol, fmt.Sprintf("/reportreview %d", rs[0].ID)), "passed it on")
	mustContain(t, h.say(carol, fmt.Sprintf("/reportreview %d", rs[0].ID)), "already reported")
	if n := count(h.sinks[bot.Telegram].to("mod"), "was reported"); n != 1 {
		t.Errorf("the moderator heard of the report %d times, want 1", n)
	}
	mustContain(t, h.say(carol, fmt.Sprintf("/hidereview %d", rs[0].ID)), "Only hirebot's moderators")
	mustContain(t, h.press(mod, fmt.Sprintf("/hidereview %d", rs[0].ID)), "hidden; its stars still count")
	got := h.say(carol, fmt.Sprintf("/reviews %d", a.ID))
	mustContain(t, got, "(comment hidden by a moderator)", "4★ (1 review)")
	mustNotContain(t, got, "Solid work")
}

func TestReviewSkipIsTheOneAnswer(t *testing.T) {
	h := newRH(t)
	ann, bob := tgID("ann"), tgID("bob")
	a := h.publish(ann, "Ann Smith")
	h.say(bob, "/help")
	_, e := engaged(t, h.db, a.ID, h.account(bob).ID, "All of it")
	h.say(bob, fmt.Sprintf("/done %d 1", e.ID))
	mustContain(t, h.press(bob, fmt.Sprintf("/review %d skip", e.ID)), "Skipped")
	mustContain(t, h.press(bob, fmt.Sprintf("/review %d 5", e.ID)), "already answered")
	if rs, _ := h.db.Reviews(context.Background(), a.ID); len(rs) != 0 {
		t.Errorf("a skip shows as a review: %+v", rs)
	}
}

func TestParseReview(t *testing.T) {
	cases := []struct {
		in      string
		want    hire.ReviewCommand
		wantErr bool
	}{
		{"12 5", hire.ReviewCommand{EngagementID: 12, Stars: 5}, false},
		{"#12 4/5  good   work ", hire.ReviewCommand{EngagementID: 12, Stars: 4, Comment: "good work"}, false},
		{"3 ★★★", hire.ReviewCommand{EngagementID: 3, Stars: 3}, false},
		{"3 2*", hire.ReviewCommand{EngagementID: 3, Stars: 2}, false},
		{"3 skip", hire.ReviewCommand{EngagementID: 3}, false},
		{"3 skip but why", hire.ReviewCommand{}, true},
		{"3 6", hire.ReviewCommand{}, true},
		{"3 0", hire.ReviewCommand{}, true},
		{"3", hire.ReviewCommand{}, true},
		{"x 3", hire.ReviewCommand{}, true},
		{"3 4 " + strings.Repeat("a", bot.MaxReviewComment+1), hire.ReviewCommand{}, true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := hire.ParseReview(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParseReview(%q) = %+v, %v; want %+v, error %v", tc.in, got, err, tc.want, tc.wantErr)
			}
			if err != nil && bot.ErrorCode(err) != bot.EINVALID {
				t.Errorf("error code %q, want EINVALID", bot.ErrorCode(err))
			}
		})
	}
}

func FuzzParseReview(f *testing.F) {
	for _, s := range []string{"12 5", "#1 4/5 ok", "3 ★★★★★", "3 skip", "9 2* x y", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := hire.ParseReview(s)
		if err != nil {
			if bot.ErrorCode(err) != bot.EINVALID {
				t.Fatalf("ParseReview(%q): code %q", s, bot.ErrorCode(err))
			}
			return
		}
		if c.EngagementID <= 0 || c.Stars < 0 || c.Stars > 5 || (c.Stars == 0 && c.Comment != "") {
			t.Fatalf("ParseReview(%q) = %+v", s, c)
		}
	})
}
