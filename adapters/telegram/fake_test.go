package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
)

const (
	testToken    = "123456:TEST-token"
	testBotID    = 777000
	testUsername = "hirebot_test_bot"
)

// call is one request the fake Bot API received.
type call struct {
	Method string
	Form   url.Values
}

// fakeAPI is a local Bot API server: it answers the methods the adapter
// uses, queues updates for getUpdates, plays scripted error answers and
// records every call.
type fakeAPI struct {
	t   testing.TB
	srv *httptest.Server

	mu        sync.Mutex
	calls     []call
	updates   []json.RawMessage // queued for getUpdates, ordered by update_id
	ids       []int
	scripts   map[string][]string // method -> raw answers played before the default
	nextMsg   int
	changed   chan struct{} // closed and replaced on every queued update or call
	pollHeld  chan struct{} // receives when a getUpdates starts holding
	polling   int           // getUpdates calls in progress
	conflicts int           // getUpdates calls refused with 409
}

func newFakeAPI(t testing.TB) *fakeAPI {
	t.Helper()
	f := &fakeAPI{
		t:        t,
		scripts:  map[string][]string{},
		nextMsg:  100,
		changed:  make(chan struct{}),
		pollHeld: make(chan struct{}, 100),
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) URL() string { return f.srv.URL }

// notify wakes everyone waiting for a change. Call with f.mu held.
func (f *fakeAPI) notify() {
	close(f.changed)
	f.changed = make(chan struct{})
}

// queue adds an update (raw JSON with an update_id) for getUpdates.
func (f *fakeAPI) queue(raw string) {
	f.t.Helper()
	var u struct {
		UpdateID int `json:"update_id"`
	}
	if err := json.Unmarshal([]byte(raw), &u); err != nil {
		f.t.Fatalf("queue: %v", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updates = append(f.updates, json.RawMessage(raw))
	f.ids = append(f.ids, u.UpdateID)
	f.notify()
}

// script makes the next calls of method answer with these raw bodies, in
// order, before the default answers resume.
func (f *fakeAPI) script(method string, answers ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.scripts[method] = append(f.scripts[method], answers...)
}

// Calls returns the recorded calls of one method ("" for all).
func (f *fakeAPI) Calls(method string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if method == "" || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// waitHeld blocks until a getUpdates call is holding for lack of updates;
// it fails the test when the guard runs out (a hang, not a speed check).
func (f *fakeAPI) waitHeld() {
	f.t.Helper()
	select {
	case <-f.pollHeld:
	case <-time.After(20 * time.Second):
		f.t.Fatal("no getUpdates call came to wait for updates")
	}
}

// waitCalls blocks until method has been called n times; it fails the test
// when the guard runs out (a hang, not a speed check).
func (f *fakeAPI) waitCalls(method string, n int) []call {
	f.t.Helper()
	guard := time.After(20 * time.Second)
	for {
		f.mu.Lock()
		ch := f.changed
		f.mu.Unlock()
		if calls := f.Calls(method); len(calls) >= n {
			return calls
		}
		select {
		case <-ch:
		case <-guard:
			f.t.Fatalf("waited for %d %s calls, got %d", n, method, len(f.Calls(method)))
		}
	}
}

const (
	answer429 = `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}`
	answer409 = `{"ok":false,"error_code":409,"description":"Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}`
	answer403 = `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`
)

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	token, method, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/bot"), "/")
	if r.Method != http.MethodPost || !ok {
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"ok":false,"error_code":404,"description":"Not Found"}`)
		return
	}
	if token != testToken {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"ok":false,"error_code":401,"description":"Unauthorized"}`)
		return
	}
	if err := r.ParseForm(); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"ok":false,"error_code":400,"description":"Bad Request: bad form"}`)
		return
	}
	f.mu.Lock()
	f.calls = append(f.calls, call{Method: method, Form: r.PostForm})
	var scripted string
	if s := f.scripts[method]; len(s) > 0 {
		scripted, f.scripts[method] = s[0], s[1:]
	}
	f.notify()
	f.mu.Unlock()
	if scripted != "" {
		fmt.Fprint(w, scripted)
		return
	}
	switch method {
	case "getMe":
		fmt.Fprintf(w, `{"ok":true,"result":{"id":%d,"is_bot":true,"first_name":"Hirebot","username":%q,"can_join_groups":true}}`, testBotID, testUsername)
	case "getUpdates":
		f.getUpdates(w, r)
	case "sendMessage", "editMessageText", "editMessageReplyMarkup":
		f.mu.Lock()
		f.nextMsg++
		id := f.nextMsg
		f.mu.Unlock()
		chat, _ := strconv.ParseInt(r.PostForm.Get("chat_id"), 10, 64)
		if method != "sendMessage" {
			id, _ = strconv.Atoi(r.PostForm.Get("message_id"))
		}
		res, _ := json.Marshal(map[string]any{
			"message_id": id, "date": 1700000000, "text": r.PostForm.Get("text"),
			"from": map[string]any{"id": testBotID, "is_bot": true, "first_name": "Hirebot", "username": testUsername},
			"chat": map[string]any{"id": chat, "type": "private"},
		})
		fmt.Fprintf(w, `{"ok":true,"result":%s}`, res)
	case "answerCallbackQuery", "setMyCommands", "setWebhook", "deleteWebhook":
		fmt.Fprint(w, `{"ok":true,"result":true}`)
	default:
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"ok":false,"error_code":404,"description":"Not Found: method not found"}`)
	}
}

// getUpdates answers with the queued updates whose update_id >= offset,
// holding the request up to timeout seconds while there are none.
// A second concurrent call gets 409 Conflict, as from Telegram.
func (f *fakeAPI) getUpdates(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	if f.polling > 0 {
		f.conflicts++
		f.mu.Unlock()
		w.WriteHeader(http.StatusConflict)
		fmt.Fprint(w, answer409)
		return
	}
	f.polling++
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.polling--
		f.mu.Unlock()
	}()
	offset, _ := strconv.Atoi(r.PostForm.Get("offset"))
	timeout, _ := strconv.Atoi(r.PostForm.Get("timeout"))
	deadline := time.After(time.Duration(timeout) * time.Second)
	held := false
	for {
		f.mu.Lock()
		var ready []json.RawMessage
		for i, id := range f.ids {
			if id >= offset {
				ready = append(ready, f.updates[i])
			}
		}
		ch := f.changed
		f.mu.Unlock()
		if len(ready) > 0 || timeout == 0 {
			res, _ := json.Marshal(ready)
			if ready == nil {
				res = []byte("[]")
			}
			fmt.Fprintf(w, `{"ok":true,"result":%s}`, res)
			return
		}
		if !held {
			held = true
			f.pollHeld <- struct{}{}
		}
		select {
		case <-ch:
		case <-deadline:
			fmt.Fprint(w, `{"ok":true,"result":[]}`)
			return
		case <-r.Context().Done():
			return
		}
	}
}

// fakeHandler is a bot.Handler whose behaviour is a function field; it
// records every event.
type fakeHandler struct {
	mu     sync.Mutex
	events []bot.Event
	seen   chan bot.Event
	reply  func(bot.Event) ([]bot.Reply, error)
}

func newFakeHandler() *fakeHandler {
	return &fakeHandler{seen: make(chan bot.Event, 100)}
}

func (h *fakeHandler) Handle(_ context.Context, ev bot.Event) ([]bot.Reply, error) {
	h.mu.Lock()
	h.events = append(h.events, ev)
	h.mu.Unlock()
	h.seen <- ev
	if h.reply == nil {
		return nil, nil
	}
	return h.reply(ev)
}

func (h *fakeHandler) Events() []bot.Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]bot.Event(nil), h.events...)
}

// next returns the next handled event, failing the test if none comes.
func (h *fakeHandler) next(t testing.TB) bot.Event {
	t.Helper()
	select {
	case ev := <-h.seen:
		return ev
	case <-time.After(20 * time.Second):
		t.Fatal("no event reached the handler")
		return bot.Event{}
	}
}

// mustAdapter starts an adapter against the fake with test settings.
func mustAdapter(tb testing.TB, f *fakeAPI, cfg Config, h *fakeHandler) *Adapter {
	tb.Helper()
	cfg.Token = testToken
	cfg.APIURL = f.URL()
	if cfg.PollTimeout == 0 {
		cfg.PollTimeout = 30 * time.Second
	}
	logger := slog.New(slog.DiscardHandler)
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(testWriter{tb}, nil))
	}
	a, err := New(context.Background(), cfg, h.Handle, logger)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return a
}

type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}
