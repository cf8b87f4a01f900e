package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
)

func TestSignatureChecked(t *testing.T) {
	routes := []struct {
		name, path, contentType, body string
	}{
		{"events", "/slack/events", "application/json", eventCallback("T1", "Ev1", messageIMJSON)},
		{"commands", "/slack/commands", "application/x-www-form-urlencoded", slashCommand("post", "https://hooks.slack.com/x").Encode()},
		{"interactions", "/slack/interactions", "application/x-www-form-urlencoded",
			url.Values{"payload": {blockActions("https://hooks.slack.com/x", "hirebot_actions", "publish", "Publish")}}.Encode()},
	}
	cases := []struct {
		name   string
		build  func(t *testing.T, url, ct, body string) *http.Request
		status int
	}{
		{"wrong secret", func(t *testing.T, u, ct, body string) *http.Request {
			return signedRequest(t, u, ct, body, time.Now(), "not-the-secret")
		}, http.StatusUnauthorized},
		{"body changed after signing", func(t *testing.T, u, ct, body string) *http.Request {
			r := signedRequest(t, u, ct, body, time.Now(), testSecret)
			forged := signedRequest(t, u, ct, body+" ", time.Now(), testSecret)
			forged.Header = r.Header
			return forged
		}, http.StatusUnauthorized},
		{"stale timestamp", func(t *testing.T, u, ct, body string) *http.Request {
			return signedRequest(t, u, ct, body, time.Now().Add(-6*time.Minute), testSecret)
		}, http.StatusUnauthorized},
		{"future timestamp", func(t *testing.T, u, ct, body string) *http.Request {
			return signedRequest(t, u, ct, body, time.Now().Add(6*time.Minute), testSecret)
		}, http.StatusUnauthorized},
		{"no signature", func(t *testing.T, u, ct, body string) *http.Request {
			r := signedRequest(t, u, ct, body, time.Now(), testSecret)
			r.Header.Del("X-Slack-Signature")
			return r
		}, http.StatusUnauthorized},
		{"body over 1 MiB", func(t *testing.T, u, ct, body string) *http.Request {
			return signedRequest(t, u, ct, body+strings.Repeat(" ", maxBody), time.Now(), testSecret)
		}, http.StatusRequestEntityTooLarge},
	}
	for _, rt := range routes {
		for _, tc := range cases {
			t.Run(rt.name+"/"+tc.name, func(t *testing.T) {
				f := newFakeSlack(t)
				b := newFakeBot(nil)
				_, srv := newTestAdapter(t, f, b, Config{}, 0)
				status, _ := do(t, tc.build(t, srv.URL+rt.path, rt.contentType, rt.body))
				if status != tc.status {
					t.Fatalf("status %d, want %d", status, tc.status)
				}
				b.none(t)
				if n := f.total(); n != 0 {
					t.Errorf("%d Web API calls after a refused request", n)
				}
			})
		}
		t.Run(rt.name+"/correctly signed", func(t *testing.T) {
			f := newFakeSlack(t)
			b := newFakeBot(nil)
			_, srv := newTestAdapter(t, f, b, Config{}, 0)
			status, _ := do(t, signedRequest(t, srv.URL+rt.path, rt.contentType, rt.body, time.Now(), testSecret))
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			b.next(t)
		})
	}
}

func TestURLVerification(t *testing.T) {
	f := newFakeSlack(t)
	b := newFakeBot(nil)
	_, srv := newTestAdapter(t, f, b, Config{}, 0)
	status, body := postEvent(t, srv, urlVerificationJSON)
	if status != http.StatusOK || body != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Fatalf("got %d %q", status, body)
	}
	b.none(t)
}

func TestDMIsAnsweredInTheDM(t *testing.T) {
	f := newFakeSlack(t)
	b := newFakeBot(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		return []bot.Reply{{Text: "Hi <!channel> & <https://evil.example|click>", Buttons: []bot.Button{{Label: "Yes", Value: "yes"}}}}, nil
	})
	_, srv := newTestAdapter(t, f, b, Config{}, 0)
	if status, _ := postEvent(t, srv, eventCallback("T061EG9R6", "Ev1", messageIMJSON)); status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	ev := b.next(t)
	if ev.Kind != bot.KindMessage || ev.Text != "Hello hello can you hear me?" || !ev.Private {
		t.Errorf("event %+v", ev)
	}
	c := f.next(t)
	if c.Method != "chat.postMessage" || c.Token != testToken || c.str("channel") != "D024BE91L" {
		t.Fatalf("call %+v", c)
	}
	blocks := texts(c.str("blocks"))
	if strings.Contains(blocks, "<!channel>") || strings.Contains(blocks, "<https://") {
		t.Errorf("unescaped markup in %s", blocks)
	}
	if !strings.Contains(blocks, "&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;") {
		t.Errorf("escaped text missing in %s", blocks)
	}
	if !strings.Contains(c.str("blocks"), `"block_id":"hirebot_actions"`) {
		t.Errorf("buttons without block_id: %s", blocks)
	}
	if txt := c.str("text"); strings.Contains(txt, "<!channel>") {
		t.Errorf("unescaped fallback text %q", txt)
	}
}

func TestMentionIsAnsweredInTheChannel(t *testing.T) {
	f := newFakeSlack(t)
	b := newFakeBot(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		return []bot.Reply{{Text: "Found 2"}, {Text: "only you", Private: true}}, nil
	})
	_, srv := newTestAdapter(t, f, b, Config{}, 0)
	postEvent(t, srv, eventCallback("T061EG9R6", "Ev2", appMentionJSON))
	if ev := b.next(t); ev.Text != "search go developers" {
		t.Errorf("text %q", ev.Text)
	}
	post, eph := f.next(t), f.next(t)
	if post.Method != "chat.postMessage" || post.str("channel") != "C0LAN2Q65" {
		t.Errorf("post %+v", post)
	}
	if eph.Method != "chat.postEphemeral" || eph.str("channel") != "C0LAN2Q65" || eph.str("user") != "U061F7AUR" {
		t.Errorf("ephemeral %+v", eph)
	}
}

func TestRetriedEventKeepsItsID(t *testing.T) {
	f := newFakeSlack(t)
	b := newFakeBot(nil)
	_, srv := newTestAdapter(t, f, b, Config{}, 0)
	body := eventCallback("T061EG9R6", "Ev08MFMKH6", messageIMJSON)
	postEvent(t, srv, body)
	status, _ := postEvent(t, srv, body, "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout")
	if status != http.StatusOK {
		t.Fatalf("retry answered %d", status)
	}
	first, second := b.next(t), b.next(t)
	if first.ID != "Ev08MFMKH6" || second.ID != first.ID {
		t.Errorf("IDs %q and %q, want both Ev08MFMKH6", first.ID, second.ID)
	}
}

func TestAppHomeIsPublished(t *testing.T) {
	f := newFakeSlack(t)
	b := newFakeBot(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		if ev.Command != "home" {
			t.Errorf("command %q", ev.Command)
		}
		return []bot.Reply{
			{Cards: []bot.Card{{Title: "Your profile", Fields: []bot.Field{{Label: "Status", Value: "complete"}}}},
				Buttons: []bot.Button{{Label: "Edit", Value: "/profile"}}},
			{Text: "Open jobs: 1", Buttons: []bot.Button{{Label: "Post", Value: "/post"}}},
		}, nil
	})
	_, srv := newTestAdapter(t, f, b, Config{}, 0)
	postEvent(t, srv, eventCallback("T061EG9R6", "Ev3", appHomeOpenedJSON))
	b.next(t)
	c := f.next(t)
	if c.Method != "views.publish" || c.Token != testToken || c.str("user_id") != "U061F7AUR" {
		t.Fatalf("call %+v", c)
	}
	view := c.str("view")
	for _, want := range []string{`"type":"home"`, `Your profile`, `"block_id":"hirebot_actions_r0"`, `"block_id":"hirebot_actions_r1"`, `"/post"`} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %s: %s", want, view)
		}
	}
}

func TestSlashCommandOpensModal(t *testing.T) {
	f := newFakeSlack(t)
	b := newFakeBot(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		if !ev.Forms || ev.Command != "post" {
			t.Errorf("event %+v", ev)
		}
		return []bot.Reply{{Form: &bot.Form{ID: "post", Title: "Post a job", Submit: "Post", Fields: []bot.FormField{
			{ID: "title", Label: "Title", Placeholder: "Logo design"},
			{ID: "details", Label: "Details", Multiline: true, Optional: true},
		}}}}, nil
	})
	_, srv := newTestAdapter(t, f, b, Config{}, time.Minute)
	status, body := postCommand(t, srv, slashCommand("post", f.responseURL("cmd1")))
	if status != http.StatusOK || body != "" {
		t.Fatalf("ack %d %q", status, body)
	}
	c := f.next(t)
	if c.Method != "views.open" || c.Token != testToken || c.str("trigger_id") != "13345224609.738474920.8088930838d88f008e0" {
		t.Fatalf("call %+v", c)
	}
	view := c.str("view")
	for _, want := range []string{`"callback_id":"post"`, `"block_id":"title"`, `"action_id":"title"`, `"block_id":"details"`, `"multiline":true`, `"optional":true`, `\"c\":\"C2147483705\"`} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %s: %s", want, view)
		}
	}
}

func TestSlashCommandPrivateReply(t *testing.T) {
	f := newFakeSlack(t)
	b := newFakeBot(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		return []bot.Reply{{Text: "Your jobs: none", Private: true}, {Text: "Posted for all"}}, nil
	})
	_, srv := newTestAdapter(t, f, b, Config{}, time.Minute)
	postCommand(t, srv, slashCommand("jobs", f.responseURL("cmd2")))
	private, public := f.next(t), f.next(t)
	if private.Method != "response_url" || private.Path != "/respond/cmd2" || private.str("response_type") != "ephemeral" {
		t.Errorf("private %+v", private)
	}
	if public.str("response_type") != "in_channel" || private.Token != "" {
		t.Errorf("public %+v (token %q)", public, private.Token)
	}
}

func TestHandlerErrorShownPrivately(t *testing.T) {
	f := newFakeSlack(t)
	b := newFakeBot(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		return nil, bot.Errorf(bot.ENOTFOUND, "No job 7.")
	})
	_, srv := newTestAdapter(t, f, b, Config{}, time.Minute)
	postCommand(t, srv, slashCommand("close 7", f.responseURL("cmd3")))
	c := f.next(t)
	if c.str("response_type") != "ephemeral" || !strings.Contains(c.str("blocks"), "No job 7.") {
		t.Errorf("call %+v", c)
	}
}

// The 3-second rule: a bot that has not answered does not hold the ack.
func TestAckDoesNotWaitForSlowBot(t *testing.T) {
	f := newFakeSlack(t)
	entered, release := make(chan struct{}), make(chan struct{})
	b := newFakeBot(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		bot.Accept(ctx) // in the inbox
		close(entered)
		<-release
		return []bot.Reply{{Form: &bot.Form{ID: "post", Title: "Post a job", Fields: []bot.FormField{{ID: "title", Label: "Title"}}}}}, nil
	})
	// A short budget keeps the test fast; what is tested is the order of
	// events, not their timing.
	_, srv := newTestAdapter(t, f, b, Config{}, 10*time.Millisecond)
	acked := make(chan int, 1)
	go func() {
		status, _ := postCommand(t, srv, slashCommand("post", f.responseURL("slow")))
		acked <- status
	}()
	<-entered
	select {
	case status := <-acked:
		if status != http.StatusOK {
			t.Fatalf("ack %d", status)
		}
	case <-time.After(10 * time.Second):
		close(release)
		t.Fatal("the ack waited for the bot")
	}
	if n := len(f.got); n != 0 {
		t.Fatalf("%d calls before the bot answered", n)
	}
	close(release)
	// Late, the trigger may have expired: a button opens the form instead.
	c := f.next(t)
	if c.Method != "response_url" || !strings.Contains(c.str("blocks"), `"value":"/post"`) {
		t.Errorf("late delivery %+v", c)
	}
}

// Events are acknowledged once the bot took them, whatever it does next.
func TestEventAckDoesNotWaitForSlowBot(t *testing.T) {
	f := newFakeSlack(t)
	entered, release := make(chan struct{}), make(chan struct{})
	b := newFakeBot(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		bot.Accept(ctx) // in the inbox
		close(entered)
		<-release
		return []bot.Reply{{Text: "done"}}, nil
	})
	_, srv := newTestAdapter(t, f, b, Config{}, time.Minute)
	acked := make(chan int, 1)
	go func() {
		status, _ := postEvent(t, srv, eventCallback("T061EG9R6", "EvSlow", messageIMJSON))
		acked <- status
	}()
	<-entered
	select {
	case status := <-acked:
		if status != http.StatusOK {
			t.Fatalf("ack %d", status)
		}
	case <-time.After(10 * time.Second):
		close(release)
		t.Fatal("the ack waited for the bot")
	}
	close(release)
	if c := f.next(t); c.Method != "chat.postMessage" {
		t.Errorf("delivery %+v", c)
	}
}

// Nothing is acknowledged before the bot has taken it (recorded it in the
// inbox): a kill after the 200 must not lose the event.
func TestAckWaitsUntilTheBotTookTheEvent(t *testing.T) {
	for _, post := range []struct {
		name string
		do   func(t *testing.T, srv *httptest.Server, f *fakeSlack) int
	}{
		{"event", func(t *testing.T, srv *httptest.Server, f *fakeSlack) int {
			status, _ := postEvent(t, srv, eventCallback("T061EG9R6", "EvTaken", messageIMJSON))
			return status
		}},
		{"command", func(t *testing.T, srv *httptest.Server, f *fakeSlack) int {
			status, _ := postCommand(t, srv, slashCommand("post", f.responseURL("taken")))
			return status
		}},
	} {
		t.Run(post.name, func(t *testing.T) {
			f := newFakeSlack(t)
			entered, take, release := make(chan struct{}), make(chan struct{}), make(chan struct{})
			var taken atomic.Bool
			b := newFakeBot(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
				close(entered)
				<-take
				taken.Store(true)
				bot.Accept(ctx)
				<-release
				return []bot.Reply{{Text: "done"}}, nil
			})
			_, srv := newTestAdapter(t, f, b, Config{}, time.Millisecond)
			acked := make(chan int, 1)
			go func() { acked <- post.do(t, srv, f) }()
			<-entered
			// Past the budget, the bot has not taken the event yet.
			time.Sleep(50 * time.Millisecond)
			close(take)
			if status := <-acked; status != http.StatusOK || !taken.Load() {
				t.Errorf("ack %d before the bot took the event (taken %v)", status, taken.Load())
			}
			close(release)
			f.next(t)
		})
	}
}

func TestButtonPressMarksMessage(t *testing.T) {
	f := newFakeSlack(t)
	b := newFakeBot(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		return []bot.Reply{{Text: "Published."}}, nil
	})
	_, srv := newTestAdapter(t, f, b, Config{}, time.Minute)
	status, body := postInteraction(t, srv, blockActions(f.responseURL("act1"), "hirebot_actions", "publish", "Publish"))
	if status != http.StatusOK || body != "" {
		t.Fatalf("ack %d %q", status, body)
	}
	ev := b.next(t)
	if ev.Kind != bot.KindButton || ev.Text != "publish" || !ev.Forms {
		t.Errorf("event %+v", ev)
	}
	calls := f.collect(t, 2)
	var update, reply call
	for _, c := range calls {
		if c.JSON["replace_original"] == true {
			update = c
		} else {
			reply = c
		}
	}
	blocks := update.str("blocks")
	if strings.Contains(blocks, `"type":"actions"`) || !strings.Contains(blocks, "✓ Publish") || !strings.Contains(blocks, "Publish this job?") {
		t.Errorf("update blocks %s", blocks)
	}
	if !strings.Contains(reply.str("blocks"), "Published.") {
		t.Errorf("reply %+v", reply)
	}
}

func TestViewSubmission(t *testing.T) {
	meta := `{"c":"C42","r":"` + "RESPONSE" + `"}`
	tests := []struct {
		name    string
		replies []bot.Reply
		wantAck string
		wantMsg bool
	}{
		{"invalid shows errors in the modal", []bot.Reply{{Form: &bot.Form{ID: "post", Fields: []bot.FormField{{ID: "budget", Label: "Budget"}},
			Errors: map[string]string{"budget": "Write an amount, like $300."}}}},
			`{"response_action":"errors","errors":{"budget":"Write an amount, like $300."}}`, false},
		{"valid closes the modal and answers", []bot.Reply{{Text: "Job 7 posted."}}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSlack(t)
			b := newFakeBot(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
				return tt.replies, nil
			})
			_, srv := newTestAdapter(t, f, b, Config{}, time.Minute)
			payload := viewSubmission(map[string]string{"title": "Logo", "budget": "lots"},
				strings.Replace(meta, "RESPONSE", f.responseURL("cmd9"), 1))
			status, body := postInteraction(t, srv, payload)
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			if tt.wantAck == "" {
				if body != "" {
					t.Errorf("ack %q, want empty", body)
				}
			} else {
				var got, want any
				_ = json.Unmarshal([]byte(body), &got)
				_ = json.Unmarshal([]byte(tt.wantAck), &want)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("ack (-want +got):\n%s", diff)
				}
			}
			ev := b.next(t)
			if ev.Kind != bot.KindForm || ev.Command != "post" || ev.Form["budget"] != "lots" {
				t.Errorf("event %+v", ev)
			}
			if tt.wantMsg {
				c := f.next(t)
				if c.Path != "/respond/cmd9" || !strings.Contains(c.str("blocks"), "Job 7 posted.") {
					t.Errorf("answer %+v", c)
				}
			}
		})
	}
}

func TestEachWorkspaceUsesItsToken(t *testing.T) {
	f := newFakeSlack(t)
	b := newFakeBot(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		return []bot.Reply{{Text: "hi"}}, nil
	})
	tokens := NewMemoryTokens("")
	_ = tokens.SaveToken(context.Background(), "TA", "xoxb-a")
	_ = tokens.SaveToken(context.Background(), "TB", "xoxb-b")
	_, srv := newTestAdapter(t, f, b, Config{Tokens: tokens}, 0)
	for _, tc := range []struct{ team, token string }{{"TA", "xoxb-a"}, {"TB", "xoxb-b"}} {
		postEvent(t, srv, eventCallback(tc.team, "Ev-"+tc.team, messageIMJSON))
		b.next(t)
		if c := f.next(t); c.Token != tc.token {
			t.Errorf("workspace %s served with %q", tc.team, c.Token)
		}
	}
	// A workspace that never installed hirebot gets nothing sent.
	postEvent(t, srv, eventCallback("TX", "Ev-TX", messageIMJSON))
	b.next(t)
	postEvent(t, srv, eventCallback("TA", "Ev-TA2", messageIMJSON))
	b.next(t)
	if c := f.next(t); c.Token != "xoxb-a" {
		t.Errorf("next call %+v", c)
	}
}

// texts returns the strings inside a JSON document, decoded, one a line.
func texts(doc string) string {
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return doc
	}
	var b strings.Builder
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			b.WriteString(v + "\n")
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	return b.String()
}

func TestProfileCommandMovesToDM(t *testing.T) {
	f := newFakeSlack(t)
	b := newFakeBot(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		return []bot.Reply{
			{Text: "I sent you a DM.", Private: true},
			{To: bot.Recipient{Platform: bot.Slack, Workspace: ev.From.Workspace, UserID: ev.From.UserID}, Text: "Let's build your profile. What do you do?"},
		}, nil
	})
	_, srv := newTestAdapter(t, f, b, Config{}, time.Minute)
	postCommand(t, srv, slashCommand("profile", f.responseURL("cmd-profile")))
	calls := f.collect(t, 3)
	if c := byMethod(t, calls, "response_url"); c.str("response_type") != "ephemeral" {
		t.Errorf("notice %+v", c)
	}
	if c := byMethod(t, calls, "conversations.open"); c.str("users") != "U2147483697" {
		t.Errorf("open %+v", c)
	}
	if c := byMethod(t, calls, "chat.postMessage"); c.str("channel") != "D1" || !strings.Contains(c.str("blocks"), "build your profile") {
		t.Errorf("DM %+v", c)
	}
}
