package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
	"github.com/hirebot/hirebot/store/sqlite"
)

var testSecret = []byte("0123456789abcdef0123456789abcdef-test")

// harness is the web chat over the real core: a SQLite file, dialogs in
// it, the bot's handler with its middleware, served on 127.0.0.1.
type harness struct {
	t       *testing.T
	bot     *hire.Bot
	web     *Adapter
	srv     *httptest.Server
	handled atomic.Int64 // events that reached the bot
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	ctx := t.Context()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hirebot.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b, err := hire.New(hire.Config{Store: db, Sessions: db.Sessions(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, bot: b}
	count := func(next bot.Handler) bot.Handler {
		return func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
			h.handled.Add(1)
			return next(ctx, ev)
		}
	}
	handler := bot.Chain(b.Handle, count, hire.Dedupe(memory.NewDeduper(memory.DedupeOptions{}), nil))
	if cfg.Secret == nil {
		cfg.Secret = testSecret
	}
	if cfg.PerVisitor == (bot.Limit{}) { // people in tests are fast typists
		cfg.PerVisitor = bot.Limit{Rate: 100, Burst: 200}
	}
	if cfg.Limiter == nil {
		cfg.Limiter = memory.NewLimiter(memory.LimitOptions{})
	}
	if cfg.Arrived == nil {
		cfg.Arrived = b.Arrived
	}
	h.web, err = New(cfg, handler, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Register(h.web)
	mux := http.NewServeMux()
	h.web.Routes(mux)
	h.srv = httptest.NewServer(mux)
	t.Cleanup(h.srv.Close)
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = h.web.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-done })
	return h
}

// page is one browser tab, spoken to through the WebSocket as chat.js does.
type page struct {
	t  *testing.T
	ws *websocket.Conn
}

var frameSeq atomic.Int64

// visitor is one browser: a cookie jar that has loaded /chat.
func (h *harness) visitor() *http.Client {
	h.t.Helper()
	return browse(h.t, h.srv.URL)
}

// browse opens the chat at base in a new browser, which keeps the visitor
// cookie it is given.
func browse(t *testing.T, base string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Get(base + ChatPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /chat: %s", resp.Status)
	}
	return c
}

// open connects a tab of browser c; query is e.g. "as=employer".
func (h *harness) open(c *http.Client, query string) *page {
	h.t.Helper()
	p, resp, err := h.dial(c, query, h.srv.URL)
	if err != nil {
		h.t.Fatalf("dial: %v (%v)", err, resp)
	}
	return p
}

func (h *harness) dial(c *http.Client, query, origin string) (*page, *http.Response, error) {
	ws, resp, err := dialSocket(h.t, c, h.srv.URL, query, origin)
	if err != nil {
		return nil, resp, err
	}
	return &page{t: h.t, ws: ws}, resp, nil
}

// dialSocket opens the chat's WebSocket at base for browser c, sending
// origin (none when empty); the connection is closed when t ends.
func dialSocket(t *testing.T, c *http.Client, base, query, origin string) (*websocket.Conn, *http.Response, error) {
	u := "ws" + strings.TrimPrefix(base, "http") + SocketPath + "?" + query
	hdr := http.Header{}
	if origin != "" {
		hdr.Set("Origin", origin)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	ws, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPClient: c, HTTPHeader: hdr})
	if err != nil {
		return nil, resp, err
	}
	t.Cleanup(func() { ws.CloseNow() })
	return ws, resp, nil
}

func (p *page) sendRaw(typ websocket.MessageType, data []byte) {
	p.t.Helper()
	if err := p.ws.Write(p.t.Context(), typ, data); err != nil {
		p.t.Fatal(err)
	}
}

func (p *page) send(f map[string]any) {
	p.t.Helper()
	if _, ok := f["id"]; !ok {
		f["id"] = fmt.Sprintf("t%d", frameSeq.Add(1))
	}
	b, _ := json.Marshal(f)
	p.sendRaw(websocket.MessageText, b)
}

func (p *page) say(text string)    { p.send(map[string]any{"type": "message", "text": text}) }
func (p *page) press(value string) { p.send(map[string]any{"type": "button", "value": value}) }

// next reads one frame, failing after a few seconds.
func (p *page) next() outFrame {
	p.t.Helper()
	f, ok := p.read(5 * time.Second)
	if !ok {
		p.t.Fatal("no frame arrived")
	}
	return f
}

func (p *page) read(wait time.Duration) (outFrame, bool) {
	ctx, cancel := context.WithTimeout(p.t.Context(), wait)
	defer cancel()
	_, data, err := p.ws.Read(ctx)
	if err != nil {
		return outFrame{}, false
	}
	var f outFrame
	if err := json.Unmarshal(data, &f); err != nil {
		p.t.Fatalf("frame %q: %v", data, err)
	}
	return f, true
}

// until reads frames until one's HTML or message contains want, and
// returns it.
func (p *page) until(want string) outFrame {
	p.t.Helper()
	var seen []string
	for range 20 {
		f := p.next()
		if strings.Contains(f.HTML, want) || strings.Contains(f.Message, want) {
			return f
		}
		seen = append(seen, f.HTML+f.Message)
	}
	p.t.Fatalf("no frame with %q; saw:\n%s", want, strings.Join(seen, "\n"))
	return outFrame{}
}

func urlOf(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
