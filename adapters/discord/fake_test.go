package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/memory"
)

// request is one REST call the fake received.
type request struct {
	Method string
	Path   string
	Query  string
	Auth   string
	Body   []byte
}

// canned is a response the fake gives instead of its default, once.
type canned struct {
	status int
	header map[string]string
	body   string
}

// fakeDiscord is a local Discord: the REST API under /api/v9 and a
// gateway websocket under /ws.
type fakeDiscord struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	requests []request
	queue    map[string][]canned // "METHOD path" -> responses to give first
	seen     chan request        // every request, in order

	gw *fakeGateway
}

func newFakeDiscord(t testing.TB) *fakeDiscord {
	t.Helper()
	f := &fakeDiscord{
		t:     t,
		queue: map[string][]canned{},
		seen:  make(chan request, 256),
	}
	f.gw = newFakeGateway(t)
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeDiscord) apiURL() string { return f.srv.URL + "/api/v9" }

func (f *fakeDiscord) wsURL() string { return "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws" }

// enqueue makes the next call to "METHOD path" answer with c.
func (f *fakeDiscord) enqueue(key string, c canned) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queue[key] = append(f.queue[key], c)
}

// calls returns the requests received so far whose "METHOD path" is key.
func (f *fakeDiscord) calls(key string) []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []request
	for _, r := range f.requests {
		if r.Method+" "+r.Path == key {
			out = append(out, r)
		}
	}
	return out
}

// next waits for the next request the fake receives.
func (f *fakeDiscord) next(t *testing.T) request {
	t.Helper()
	select {
	case r := <-f.seen:
		return r
	case <-time.After(10 * time.Second): // a hang guard, not a timing assertion
		t.Fatal("no request reached the fake Discord")
		return request{}
	}
}

func (f *fakeDiscord) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/ws") {
		f.gw.serve(w, r)
		return
	}
	body, _ := io.ReadAll(r.Body)
	req := request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Auth: r.Header.Get("Authorization"), Body: body}
	checkNoMentions(f.t, req.Method+" "+req.Path, body)
	f.mu.Lock()
	f.requests = append(f.requests, req)
	key := r.Method + " " + r.URL.Path
	var c *canned
	if q := f.queue[key]; len(q) > 0 {
		c = &q[0]
		f.queue[key] = q[1:]
	}
	f.mu.Unlock()
	select {
	case f.seen <- req:
	default: // a test that makes many requests reads f.requests instead
	}

	if c != nil {
		for k, v := range c.header {
			w.Header().Set(k, v)
		}
		if c.body != "" && strings.HasPrefix(c.body, "{") {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(c.status)
		io.WriteString(w, c.body)
		return
	}
	p := strings.TrimPrefix(r.URL.Path, "/api/v9")
	switch {
	case r.Method == "GET" && p == "/gateway":
		writeTestJSON(w, map[string]any{"url": f.wsURL()})
	case r.Method == "GET" && p == "/gateway/bot":
		writeTestJSON(w, f.gw.botInfo(f.wsURL()))
	case r.Method == "POST" && strings.HasPrefix(p, "/interactions/") && strings.HasSuffix(p, "/callback"):
		w.WriteHeader(http.StatusNoContent)
	case r.Method == "POST" && strings.HasPrefix(p, "/webhooks/"):
		w.WriteHeader(http.StatusNoContent)
	case r.Method == "PATCH" && strings.HasPrefix(p, "/webhooks/"):
		writeTestJSON(w, map[string]any{"id": "M-original", "channel_id": "C1"})
	case r.Method == "DELETE" && strings.HasPrefix(p, "/webhooks/"):
		w.WriteHeader(http.StatusNoContent)
	case r.Method == "POST" && p == "/users/@me/channels":
		writeTestJSON(w, map[string]any{"id": "DM1", "type": 1})
	case r.Method == "POST" && strings.HasPrefix(p, "/channels/") && strings.HasSuffix(p, "/messages"):
		writeTestJSON(w, map[string]any{"id": "M1", "channel_id": strings.Split(p, "/")[2]})
	case r.Method == "PUT" && strings.HasPrefix(p, "/applications/"):
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	default:
		http.Error(w, `{"message":"404: Not Found","code":0}`, http.StatusNotFound)
	}
}

func writeTestJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// checkNoMentions fails the test when a message body lacks
// allowed_mentions {"parse": []}.
func checkNoMentions(t testing.TB, what string, body []byte) {
	t.Helper()
	if len(body) == 0 {
		return
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return
	}
	if typ, ok := m["type"].(float64); ok && m["data"] != nil {
		// An interaction response: only message-bearing types carry mentions.
		switch discordgo.InteractionResponseType(typ) {
		case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseUpdateMessage,
			discordgo.InteractionResponseDeferredChannelMessageWithSource:
			m, _ = m["data"].(map[string]any)
		default:
			return
		}
	}
	_, hasContent := m["content"]
	_, hasEmbeds := m["embeds"]
	_, hasComponents := m["components"]
	if !hasContent && !hasEmbeds && !hasComponents && m["flags"] == nil {
		return
	}
	am, ok := m["allowed_mentions"].(map[string]any)
	if !ok {
		t.Errorf("%s: no allowed_mentions in %s", what, body)
		return
	}
	parse, ok := am["parse"].([]any)
	if !ok || len(parse) != 0 || len(am) > 2 || am["replied_user"] == true {
		t.Errorf("%s: allowed_mentions %v is not empty", what, am)
	}
}

// fakeHandler is a bot.Handler with a function field.
type fakeHandler struct {
	mu     sync.Mutex
	events []bot.Event
	seen   chan bot.Event
	fn     func(ctx context.Context, ev bot.Event) ([]bot.Reply, error)
}

func newFakeHandler(fn func(ctx context.Context, ev bot.Event) ([]bot.Reply, error)) *fakeHandler {
	return &fakeHandler{seen: make(chan bot.Event, 64), fn: fn}
}

func (h *fakeHandler) handle(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
	h.mu.Lock()
	h.events = append(h.events, ev)
	h.mu.Unlock()
	select {
	case h.seen <- ev:
	default: // a test that sends many events counts them instead
	}
	if h.fn == nil {
		return nil, nil
	}
	return h.fn(ctx, ev)
}

func (h *fakeHandler) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.events)
}

func (h *fakeHandler) next(t *testing.T) bot.Event {
	t.Helper()
	select {
	case ev := <-h.seen:
		return ev
	case <-time.After(10 * time.Second): // a hang guard, not a timing assertion
		t.Fatal("the handler was not called")
		return bot.Event{}
	}
}

// testAdapter builds an adapter against the fake with a long budget, so
// the bot always answers "in time" unless a test shortens it.
func testAdapter(t testing.TB, f *fakeDiscord, h *fakeHandler, mod func(*Config)) (*Adapter, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Token: "tok", AppID: "APP", PublicKey: hex.EncodeToString(pub), APIURL: f.apiURL(),
		Locker: memory.NewLocker(memory.LockOptions{}), Shared: memory.NewValues(memory.ValuesOptions{})}
	if mod != nil {
		mod(&cfg)
	}
	a, err := New(cfg, h.handle, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	a.budget = time.Hour
	t.Cleanup(a.inflight.Wait)
	return a, priv
}

// signed builds an interactions request signed with priv at time ts.
func signed(priv ed25519.PrivateKey, ts time.Time, body string) *http.Request {
	stamp := fmt.Sprint(ts.Unix())
	sig := ed25519.Sign(priv, []byte(stamp+body))
	r := httptest.NewRequest("POST", "/discord/interactions", strings.NewReader(body))
	r.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	r.Header.Set("X-Signature-Timestamp", stamp)
	r.Header.Set("Content-Type", "application/json")
	return r
}

// response is an interaction response as the fake or the test reads it.
type response struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data struct {
		Content         string                                      `json:"content"`
		Flags           discordgo.MessageFlags                      `json:"flags"`
		CustomID        string                                      `json:"custom_id"`
		Title           string                                      `json:"title"`
		Components      []json.RawMessage                           `json:"components"`
		Embeds          []*discordgo.MessageEmbed                   `json:"embeds"`
		Choices         []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
		AllowedMentions *discordgo.MessageAllowedMentions           `json:"allowed_mentions"`
	} `json:"data"`
}

// components decodes raw components with discordgo's own decoder.
func components(t *testing.T, raw []json.RawMessage) []discordgo.MessageComponent {
	t.Helper()
	var out []discordgo.MessageComponent
	for _, r := range raw {
		c, err := discordgo.MessageComponentFromJSON(r)
		if err != nil {
			t.Fatalf("component %s: %v", r, err)
		}
		out = append(out, c)
	}
	return out
}

// post sends a request through the adapter's routes and returns the
// status and the decoded response.
func post(t *testing.T, a *Adapter, req *http.Request) (int, response, []byte) {
	t.Helper()
	mux := http.NewServeMux()
	a.Routes(mux)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	var resp response
	raw := rec.Body.Bytes()
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(raw, &resp); err != nil {
			t.Fatalf("response %s: %v", raw, err)
		}
		checkNoMentions(t, "initial response", raw)
	}
	return rec.Code, resp, raw
}
