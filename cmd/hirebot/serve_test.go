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
)

// fakeTelegram is the smallest Bot API that hirebot serve needs: it hands
// out queued updates once each and records every sendMessage.
type fakeTelegram struct {
	mu      sync.Mutex
	updates []map[string]any
	sent    chan string
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
		done <- serve(ctx, ln, storeConfig{DB: filepath.Join(t.TempDir(), "h.db"), SessionTTL: "1h"}, e, slog.New(slog.NewTextHandler(io.Discard, nil)))
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
	answered := strings.Contains(string(body), "Here is what I can do") // answered in time, in the HTTP response
	for !answered {
		select {
		case got := <-responded:
			answered = strings.Contains(got, "Here is what I can do")
		case <-time.After(20 * time.Second): // a guard against hanging, not a timing check
			t.Fatal("the slash command was never answered")
		}
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
