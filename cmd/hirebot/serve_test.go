package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hirebot/hirebot/adapters/adaptertest"
	"github.com/hirebot/hirebot/bot"
)

// fakeTelegram is the smallest Bot API that hirebot serve needs: it hands
// out queued updates once each and records every sendMessage.
type fakeTelegram struct {
	mu      sync.Mutex
	updates []map[string]any
	sent    chan string
	// gate, when set, holds every sendMessage until it is closed, after
	// telling sending its text.
	gate    chan struct{}
	sending chan string
}

func (f *fakeTelegram) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	reply := func(result any) {
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
	}
	switch method {
	case "getMe":
		reply(map[string]any{"id": 42, "is_bot": true, "first_name": "hirebot", "username": "hirebot_test_bot"})
	case "getUpdates":
		offset, _ := strconv.Atoi(r.Form.Get("offset"))
		f.mu.Lock()
		var out []map[string]any
		for _, u := range f.updates {
			if id := u["update_id"].(int); id >= offset {
				out = append(out, u)
			}
		}
		f.mu.Unlock()
		if len(out) == 0 {
			select { // hold the poll a little, as the real API does
			case <-r.Context().Done():
			case <-time.After(100 * time.Millisecond):
			}
		}
		reply(out)
	case "sendMessage":
		if f.gate != nil {
			f.sending <- r.Form.Get("text")
			<-f.gate
		}
		f.sent <- r.Form.Get("text")
		reply(map[string]any{"message_id": 7, "date": 0, "chat": map[string]any{"id": 5, "type": "private"}})
	default: // setMyCommands, deleteWebhook, ...
		reply(true)
	}
}

// newFakeTelegramHelp is a fake Bot API holding one update: Ann's /help in
// a private chat.
func newFakeTelegramHelp() *fakeTelegram {
	return &fakeTelegram{sent: make(chan string, 10), updates: []map[string]any{{
		"update_id": 100,
		"message": map[string]any{
			"message_id": 1, "date": 1, "text": "/help",
			"from":     map[string]any{"id": 5, "is_bot": false, "first_name": "Ann"},
			"chat":     map[string]any{"id": 5, "type": "private"},
			"entities": []map[string]any{{"type": "bot_command", "offset": 0, "length": 5}},
		},
	}}}
}

func slackSign(secret, ts, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// TestServe runs hirebot serve with Slack and Telegram configured against
// local fakes: health checks answer, a Telegram command is answered through
// the real bot, a forged Slack request is refused, and shutdown is clean.
func TestServe(t *testing.T) {
	tg := newFakeTelegramHelp()
	tgServer := httptest.NewServer(tg)
	defer tgServer.Close()
	responded := make(chan string, 10) // what the bot posts to a slash command's response_url
	slackAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/respond" {
			body, _ := io.ReadAll(r.Body)
			responded <- string(body)
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	defer slackAPI.Close()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	e := env{
		TelegramBotToken: "123:abc", TelegramAPIURL: tgServer.URL,
		SlackSigningSecret: "s3cret", SlackBotToken: "xoxb-test", SlackAPIURL: slackAPI.URL + "/api/",
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, ln, storeConfig{DB: filepath.Join(t.TempDir(), "h.db"), SessionTTL: time.Hour}, e, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()

	for _, path := range []string{"/healthz", "/readyz"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
		}
	}

	select {
	case text := <-tg.sent:
		if !strings.Contains(text, "Here is what I can do") {
			t.Errorf("Telegram /help answered %q", text)
		}
	case <-time.After(20 * time.Second): // a guard against hanging, not a timing check
		t.Fatal("Telegram /help was never answered")
	}

	form := url.Values{"command": {"/hire"}, "text": {"help"}, "team_id": {"T1"}, "user_id": {"U1"}, "channel_id": {"C1"}, "trigger_id": {"1.2"}}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	for name, sig := range map[string]string{"forged": "v0=deadbeef", "missing": ""} {
		req, _ := http.NewRequest(http.MethodPost, base+"/slack/commands", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		if sig != "" {
			req.Header.Set("X-Slack-Signature", sig)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s signature: status %d, want 401", name, resp.StatusCode)
		}
	}
	challenge := `{"type":"url_verification","challenge":"c-123","token":"x"}`
	req, _ := http.NewRequest(http.MethodPost, base+"/slack/events", strings.NewReader(challenge))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slackSign("s3cret", ts, challenge))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "c-123") {
		t.Errorf("url_verification: %d %s", resp.StatusCode, body)
	}

	// A signed /hire help is answered through its response_url.
	form = url.Values{"command": {"/hire"}, "text": {"help"}, "team_id": {"T1"}, "user_id": {"U1"}, "user_name": {"ann"},
		"channel_id": {"C1"}, "trigger_id": {"1.2"}, "response_url": {slackAPI.URL + "/respond"}}.Encode()
	req, _ = http.NewRequest(http.MethodPost, base+"/slack/commands", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", slackSign("s3cret", ts, form))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("signed slash command: %d %s", resp.StatusCode, body)
	}
	help := string(body) // answered in time, in the HTTP response
	for !strings.Contains(help, "Here is what I can do") {
		select {
		case help = <-responded:
		case <-time.After(20 * time.Second): // a guard against hanging, not a timing check
			t.Fatal("the slash command was never answered")
		}
	}
	// Slack refuses a "/profile" typed in a message: help names the verbs
	// of /hire, as the Slack adapter types them.
	if !strings.Contains(help, "/hire profile") {
		t.Errorf("help on Slack does not name /hire profile:\n%s", help)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
}

// TestServeStopsInOrder: serve is stopped (as by SIGTERM) while the answer
// to a Telegram /help is still being sent. Either the answer goes out
// before serve returns, or, when Telegram holds it past the stop's bound,
// it is ended. Either way nothing serve started is left running when it
// returns, and nothing touches the stores after they are closed.
func TestServeStopsInOrder(t *testing.T) {
	for _, tc := range []struct {
		name      string
		pastBound bool
	}{{"the answer in flight goes out", false}, {"the answer held past the bound is ended", true}} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.pastBound {
				bound := drainTimeout
				drainTimeout = 100 * time.Millisecond
				t.Cleanup(func() { drainTimeout = bound })
			}
			tg := newFakeTelegramHelp()
			tg.gate, tg.sending = make(chan struct{}), make(chan string, 1)
			tgServer := httptest.NewServer(tg)
			t.Cleanup(tgServer.Close)
			t.Cleanup(func() {
				select {
				case <-tg.gate:
				default:
					close(tg.gate) // before the fake closes: it waits for its requests
				}
			})
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			ctx, stop := context.WithCancel(context.Background())
			defer stop()
			s, err := openStores(ctx, storeConfig{DB: filepath.Join(t.TempDir(), "h.db"), SessionTTL: time.Hour}, log)
			if err != nil {
				t.Fatal(err)
			}
			w := watchStores(s)
			running := adaptertest.GoroutinesNow(t)
			done := make(chan error, 1)
			go func() {
				err := serveOn(ctx, ln, s, env{TelegramBotToken: "123:abc", TelegramAPIURL: tgServer.URL}, log)
				running() // here: this goroutine is on its way out once it sends
				done <- err
			}()

			select {
			case <-tg.sending:
			case <-time.After(20 * time.Second): // a guard against hanging, not a timing check
				t.Fatal("Telegram /help was never answered")
			}
			stop() // SIGTERM, while the answer is on its way
			if !tc.pastBound {
				select {
				case err := <-done:
					t.Fatalf("serve returned (%v) with an answer on its way", err)
				default:
				}
				close(tg.gate)
			}
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve returned %v", err)
				}
			case <-time.After(30 * time.Second): // a guard against hanging
				t.Fatal("serve did not stop")
			}
			if !tc.pastBound {
				select {
				case text := <-tg.sent:
					if !strings.Contains(text, "Here is what I can do") {
						t.Errorf("Telegram /help answered %q", text)
					}
				default:
					t.Error("the answer in flight was not sent when serve returned")
				}
			}
			s.Close() // as serve does when serveOn returns
			if calls := w.afterClose(); len(calls) > 0 {
				t.Errorf("the stores were used after they closed: %v", calls)
			}
		})
	}
}

// storeWatch records the calls made on the durable store's outbox, inbox
// and accounts after the stores were closed.
type storeWatch struct {
	mu     sync.Mutex
	closed bool
	late   []string
}

// watchStores puts a storeWatch around s's durable store and inbox, and
// has s.Close tell it, first, that the stores are closing.
func watchStores(s *stores) *storeWatch {
	w := &storeWatch{}
	s.DB.Store = watchedStore{s.DB.Store, w}
	s.DB.Inbox = watchedInbox{s.DB.Inbox, w}
	s.closers = append(s.closers, func() error {
		w.mu.Lock()
		defer w.mu.Unlock()
		w.closed = true
		return nil
	})
	return w
}

func (w *storeWatch) call(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		w.late = append(w.late, name)
	}
}

func (w *storeWatch) afterClose() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.late
}

type watchedStore struct {
	bot.Store
	w *storeWatch
}

func (s watchedStore) ResolveAccount(ctx context.Context, id bot.Identity, name string) (bot.Account, error) {
	s.w.call("ResolveAccount")
	return s.Store.ResolveAccount(ctx, id, name)
}

func (s watchedStore) Enqueue(ctx context.Context, ns []bot.Notification) error {
	s.w.call("Enqueue")
	return s.Store.Enqueue(ctx, ns)
}

func (s watchedStore) Claim(ctx context.Context, r bot.ClaimRequest) ([]bot.Notification, error) {
	s.w.call("Claim")
	return s.Store.Claim(ctx, r)
}

func (s watchedStore) Waiting(ctx context.Context, r bot.ClaimRequest) (bool, error) {
	s.w.call("Waiting")
	return s.Store.Waiting(ctx, r)
}

func (s watchedStore) Settle(ctx context.Context, id int64, claim string, st bot.Settlement) error {
	s.w.call("Settle")
	return s.Store.Settle(ctx, id, claim, st)
}

type watchedInbox struct {
	bot.Inbox
	w *storeWatch
}

func (i watchedInbox) Record(ctx context.Context, e bot.InboxEntry, owner string, ttl time.Duration) (bot.InboxState, error) {
	i.w.call("Record")
	return i.Inbox.Record(ctx, e, owner, ttl)
}

func (i watchedInbox) Take(ctx context.Context, owner string, ttl time.Duration) (bot.InboxEntry, bool, error) {
	i.w.call("Take")
	return i.Inbox.Take(ctx, owner, ttl)
}

func (i watchedInbox) Renew(ctx context.Context, id, owner string, ttl time.Duration) error {
	i.w.call("Renew")
	return i.Inbox.Renew(ctx, id, owner, ttl)
}

func (i watchedInbox) Done(ctx context.Context, id, owner string, pending []bot.Reply, ttl time.Duration) error {
	i.w.call("Done")
	return i.Inbox.Done(ctx, id, owner, pending, ttl)
}

func (i watchedInbox) Delivered(ctx context.Context, owner string, ids ...string) error {
	i.w.call("Delivered")
	return i.Inbox.Delivered(ctx, owner, ids...)
}

func (i watchedInbox) Release(ctx context.Context, id, owner string, at time.Time) error {
	i.w.call("Release")
	return i.Inbox.Release(ctx, id, owner, at)
}

func (i watchedInbox) Forget(ctx context.Context, id, owner string) error {
	i.w.call("Forget")
	return i.Inbox.Forget(ctx, id, owner)
}

func (i watchedInbox) Purge(ctx context.Context, before time.Time) (int64, error) {
	i.w.call("Purge")
	return i.Inbox.Purge(ctx, before)
}
