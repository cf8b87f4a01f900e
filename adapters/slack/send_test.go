package slack

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/hirebot/hirebot/bot"
)

func TestSendOpensDM(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, newFakeBot(nil), Config{}, 0)
	err := a.Send(context.Background(), bot.Reply{
		To:   bot.Recipient{Platform: bot.Slack, Workspace: "T1", UserID: "U7"},
		Text: "You were invited to job 7.",
	})
	if err != nil {
		t.Fatal(err)
	}
	open, post := f.next(t), f.next(t)
	if open.Method != "conversations.open" || open.str("users") != "U7" || open.Token != testToken {
		t.Errorf("open %+v", open)
	}
	if post.Method != "chat.postMessage" || post.str("channel") != "D1" {
		t.Errorf("post %+v", post)
	}
}

func TestSendToChannel(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, newFakeBot(nil), Config{}, 0)
	if err := a.Send(context.Background(), bot.Reply{To: bot.Recipient{Platform: bot.Slack, Workspace: "T1", ChatID: "C9"}, Text: "New job"}); err != nil {
		t.Fatal(err)
	}
	if c := f.next(t); c.Method != "chat.postMessage" || c.str("channel") != "C9" {
		t.Errorf("call %+v", c)
	}
	if n := f.count("conversations.open"); n != 0 {
		t.Errorf("%d conversations.open for a known channel", n)
	}
}

func TestSendRefusals(t *testing.T) {
	for _, code := range []string{"not_in_channel", "channel_not_found", "cannot_dm_bot", "account_inactive", "token_revoked", "invalid_auth", "user_not_found"} {
		t.Run(code, func(t *testing.T) {
			f := newFakeSlack(t)
			f.answer = func(method string, n int) (int, map[string]string, string, bool) {
				if method == "chat.postMessage" {
					return http.StatusOK, nil, `{"ok":false,"error":"` + code + `"}`, true
				}
				return 0, nil, "", false
			}
			a, _ := newTestAdapter(t, f, newFakeBot(nil), Config{}, 0)
			err := a.Send(context.Background(), bot.Reply{To: bot.Recipient{Platform: bot.Slack, Workspace: "T1", ChatID: "C9"}, Text: "hello"})
			var be *bot.Error
			if !errors.As(err, &be) || be.Code != bot.EREFUSED || be.Message == "" {
				t.Fatalf("err %v, want EREFUSED", err)
			}
			if n := f.count("chat.postMessage"); n != 1 {
				t.Errorf("%d attempts, want 1 (refusals are not retried)", n)
			}
		})
	}
}

func TestSendWaitsOutRateLimit(t *testing.T) {
	f := newFakeSlack(t)
	f.answer = func(method string, n int) (int, map[string]string, string, bool) {
		if method == "chat.postMessage" && n == 0 {
			return http.StatusTooManyRequests, map[string]string{"Retry-After": "1"}, `{"ok":false,"error":"ratelimited"}`, true
		}
		return 0, nil, "", false
	}
	a, _ := newTestAdapter(t, f, newFakeBot(nil), Config{}, 0)
	err := a.Send(context.Background(), bot.Reply{To: bot.Recipient{Platform: bot.Slack, Workspace: "T1", ChatID: "C9"}, Text: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count("chat.postMessage"); n != 2 {
		t.Errorf("%d requests, want 2 (one limited, one delivered)", n)
	}
}

func TestSendRateLimitBoundedByContext(t *testing.T) {
	f := newFakeSlack(t)
	f.answer = func(method string, n int) (int, map[string]string, string, bool) {
		return http.StatusTooManyRequests, map[string]string{"Retry-After": "3600"}, `{"ok":false,"error":"ratelimited"}`, true
	}
	a, _ := newTestAdapter(t, f, newFakeBot(nil), Config{}, 0)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		f.next(t) // the first, limited attempt
		cancel()
	}()
	err := a.Send(ctx, bot.Reply{To: bot.Recipient{Platform: bot.Slack, Workspace: "T1", ChatID: "C9"}, Text: "hello"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if n := f.count("chat.postMessage"); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestSendNeedsAddress(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, newFakeBot(nil), Config{}, 0)
	if err := a.Send(context.Background(), bot.Reply{Text: "x"}); bot.ErrorCode(err) != bot.EINVALID {
		t.Errorf("err %v", err)
	}
}

func TestSendUnknownWorkspace(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, newFakeBot(nil), Config{Tokens: NewMemoryTokens("")}, 0)
	err := a.Send(context.Background(), bot.Reply{To: bot.Recipient{Platform: bot.Slack, Workspace: "TX", ChatID: "C9"}, Text: "x"})
	if bot.ErrorCode(err) != bot.EREFUSED {
		t.Errorf("err %v", err)
	}
	if n := f.total(); n != 0 {
		t.Errorf("%d calls", n)
	}
}
