package slack

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/hirebot/hirebot/bot"
)

const (
	testSecret = "8f742231b10e8888abcd99yyyzzz85a5"
	testToken  = "xoxb-test-token"
)

// call is one request the fake Slack received.
type call struct {
	Method string // Web API method, or "response_url"
	Path   string
	Token  string         // form field token or Authorization: Bearer
	Form   url.Values     // form-encoded calls
	JSON   map[string]any // JSON calls
}

// str returns a request parameter, form or JSON.
func (c call) str(key string) string {
	if v := c.Form.Get(key); v != "" {
		return v
	}
	if v, ok := c.JSON[key]; ok {
		switch v := v.(type) {
		case string:
			return v
		default:
			b, _ := json.Marshal(v)
			return string(b)
		}
	}
	return ""
}

// fakeSlack is a local Slack: the Web API under /api/, response_url under
// /respond/, and a Socket Mode websocket under /ws.
type fakeSlack struct {
	t   testing.TB
	srv *httptest.Server
	got chan call

	mu    sync.Mutex
	calls []call
	// answer, when set, overrides the default answer to a method; ok=false
	// falls back to the default. n counts the calls of that method so far.
	answer func(method string, n int) (status int, header map[string]string, body string, ok bool)
	// ws, when set, serves the Socket Mode connection.
	ws func(conn *websocket.Conn)
	// lookups are the users.info calls, apart from calls.
	lookups []call
	// users answers users.info: display name by user ID; a user not in
	// it gets user_not_found, as Slack answers.
	users map[string]string
}

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{t: t, got: make(chan call, 100)}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeSlack) apiURL() string { return f.srv.URL + "/api/" }

func (f *fakeSlack) responseURL(id string) string { return f.srv.URL + "/respond/" + id }

func (f *fakeSlack) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/ws" {
		up := websocket.Upgrader{CheckOrigin: func(r *http.Request) bool {
			return r.Header.Get("Origin") == "https://api.slack.com"
		}}
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		if f.ws != nil {
			f.ws(conn)
		}
		return
	}
	c := call{Path: r.URL.Path}
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/"):
		c.Method = strings.TrimPrefix(r.URL.Path, "/api/")
	case strings.HasPrefix(r.URL.Path, "/respond/"):
		c.Method = "response_url"
	default:
		http.NotFound(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(body, &c.JSON)
	} else {
		c.Form, _ = url.ParseQuery(string(body))
		if q := r.URL.Query(); len(q) > 0 && len(c.Form) == 0 {
			c.Form = q
		}
	}
	c.Token = c.Form.Get("token")
	if bearer, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		c.Token = bearer
	}

	f.mu.Lock()
	n := 0
	for _, old := range f.calls {
		if old.Method == c.Method {
			n++
		}
	}
	// Name lookups (users.info) are kept apart from the calls tests wait
	// for in order: the adapter makes one per person an hour, before the
	// bot runs.
	lookup := c.Method == "users.info"
	if lookup {
		f.lookups = append(f.lookups, c)
	} else {
		f.calls = append(f.calls, c)
	}
	answer := f.answer
	f.mu.Unlock()

	status, header, out, ok := 0, map[string]string(nil), "", false
	if answer != nil {
		status, header, out, ok = answer(c.Method, n)
	}
	if !ok && lookup {
		status, out, ok = http.StatusOK, f.userInfo(c.str("user")), true
	}
	if !ok {
		status, out = http.StatusOK, defaultAnswer(c.Method, f.srv.URL)
	}
	for k, v := range header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, out)
	if !lookup {
		f.got <- c
	}
}

// userInfo is users.info's answer for user, shaped as Slack documents it.
func (f *fakeSlack) userInfo(user string) string {
	f.mu.Lock()
	name, ok := f.users[user]
	f.mu.Unlock()
	if !ok {
		return `{"ok":false,"error":"user_not_found"}`
	}
	b, _ := json.Marshal(map[string]any{"ok": true, "user": map[string]any{
		"id": user, "team_id": "T1", "name": strings.ToLower(strings.ReplaceAll(name, " ", ".")), "real_name": name,
		"profile": map[string]any{"real_name": name, "display_name": name},
	}})
	return string(b)
}

// lookupCount is how many users.info calls the fake received.
func (f *fakeSlack) lookupCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.lookups)
}

func defaultAnswer(method, base string) string {
	switch method {
	case "chat.postMessage", "chat.update":
		return `{"ok":true,"channel":"C1","ts":"1.1"}`
	case "chat.postEphemeral":
		return `{"ok":true,"message_ts":"1.2"}`
	case "views.open", "views.publish", "views.update":
		return `{"ok":true,"view":{"id":"V1"}}`
	case "conversations.open":
		return `{"ok":true,"channel":{"id":"D1"}}`
	case "apps.connections.open":
		return `{"ok":true,"url":"ws` + strings.TrimPrefix(base, "http") + `/ws"}`
	case "oauth.v2.access":
		return `{"ok":true,"access_token":"xoxb-acme","token_type":"bot","scope":"commands,chat:write",
			"bot_user_id":"U0BOT2","app_id":"A1","team":{"id":"T2","name":"Acme <Inc>"},"enterprise":null,
			"is_enterprise_install":false}`
	default:
		return `{"ok":true}`
	}
}

// next returns the next call the fake receives. The deadline only turns a
// hang into a failure; nothing here measures speed.
func (f *fakeSlack) next(t testing.TB) call {
	t.Helper()
	select {
	case c := <-f.got:
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("the fake Slack received no call")
		return call{}
	}
}

// collect returns the next n calls.
func (f *fakeSlack) collect(t testing.TB, n int) []call {
	t.Helper()
	out := make([]call, n)
	for i := range out {
		out[i] = f.next(t)
	}
	return out
}

func (f *fakeSlack) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c.Method == method {
			n++
		}
	}
	return n
}

func (f *fakeSlack) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// byMethod finds the call of a method among calls.
func byMethod(t testing.TB, calls []call, method string) call {
	t.Helper()
	for _, c := range calls {
		if c.Method == method {
			return c
		}
	}
	t.Fatalf("no %s call among %v", method, methods(calls))
	return call{}
}

func methods(calls []call) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Method)
	}
	return out
}

// fakeBot is a bot.Handler with a function field, recording the events.
type fakeBot struct {
	fn     func(ctx context.Context, ev bot.Event) ([]bot.Reply, error)
	events chan bot.Event
}

func newFakeBot(fn func(ctx context.Context, ev bot.Event) ([]bot.Reply, error)) *fakeBot {
	return &fakeBot{fn: fn, events: make(chan bot.Event, 100)}
}

func (b *fakeBot) handle(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
	b.events <- ev
	if b.fn == nil {
		return nil, nil
	}
	return b.fn(ctx, ev)
}

func (b *fakeBot) next(t testing.TB) bot.Event {
	t.Helper()
	select {
	case ev := <-b.events:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("the bot received no event")
		return bot.Event{}
	}
}

func (b *fakeBot) none(t testing.TB) {
	t.Helper()
	select {
	case ev := <-b.events:
		t.Fatalf("the bot received %+v", ev)
	default:
	}
}

// newTestAdapter returns an adapter against the fake, with the routes on
// a test server. budget 0 means a budget that is never exceeded by a bot
// that answers at once (the real one).
func newTestAdapter(t testing.TB, f *fakeSlack, b *fakeBot, cfg Config, budget time.Duration) (*Adapter, *httptest.Server) {
	t.Helper()
	return newTestAdapterWith(t, f, b, cfg, options{budget: budget})
}

// newTestAdapterWith is newTestAdapter with every option.
func newTestAdapterWith(t testing.TB, f *fakeSlack, b *fakeBot, cfg Config, o options) (*Adapter, *httptest.Server) {
	t.Helper()
	cfg.SigningSecret = testSecret
	cfg.APIURL = f.apiURL()
	if cfg.BotToken == "" && cfg.Tokens == nil {
		cfg.BotToken = testToken
	}
	a, err := newAdapter(cfg, b.handle, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	// At the end of the test the work still in hand is ended, as serve's
	// drain bound ends it, and has returned before the next test.
	drain, abort := context.WithCancel(context.Background())
	t.Cleanup(a.inflight.Close)
	t.Cleanup(abort)
	mux := http.NewServeMux()
	a.Routes(mux)
	srv := httptest.NewUnstartedServer(mux)
	srv.Config.BaseContext = func(net.Listener) context.Context { return bot.WithDrain(drain, drain) }
	srv.Start()
	t.Cleanup(srv.Close)
	return a, srv
}

// signedRequest builds a request signed the way Slack signs it.
func signedRequest(t testing.TB, url, contentType, body string, ts time.Time, secret string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	stamp := strconv.FormatInt(ts.Unix(), 10)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("v0:" + stamp + ":" + body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", stamp)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(m.Sum(nil)))
	return req
}

func do(t testing.TB, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// postEvent, postCommand and postInteraction send correctly signed requests.
func postEvent(t testing.TB, srv *httptest.Server, body string, header ...string) (int, string) {
	t.Helper()
	req := signedRequest(t, srv.URL+"/slack/events", "application/json", body, time.Now(), testSecret)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, req)
}

func postCommand(t testing.TB, srv *httptest.Server, form url.Values) (int, string) {
	t.Helper()
	return do(t, signedRequest(t, srv.URL+"/slack/commands", "application/x-www-form-urlencoded", form.Encode(), time.Now(), testSecret))
}

func postInteraction(t testing.TB, srv *httptest.Server, payload string) (int, string) {
	t.Helper()
	body := url.Values{"payload": {payload}}.Encode()
	return do(t, signedRequest(t, srv.URL+"/slack/interactions", "application/x-www-form-urlencoded", body, time.Now(), testSecret))
}
