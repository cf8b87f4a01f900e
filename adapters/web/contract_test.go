package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/hirebot/hirebot/adapters/adaptertest"
	"github.com/hirebot/hirebot/bot"
)

func TestContract(t *testing.T) {
	adaptertest.Run(t, func(t *testing.T, h bot.Handler) adaptertest.Harness {
		a, srv := plainChat(t, h) // no rate limit: the suite is a fast typist
		c := &contract{a: a, srv: srv, pages: map[string]*websocket.Conn{}}
		c.browser = browse(t, srv.URL)
		return c
	})
}

// plainChat is the web chat with the test secret and no rate limit,
// handing frames to h, served on a test server.
func plainChat(t *testing.T, h bot.Handler) (*Adapter, *httptest.Server) {
	t.Helper()
	a, err := New(Config{Secret: testSecret}, h, nil)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	a.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return a, srv
}

// contract drives the web chat the way chat.js does: one browser that has
// loaded /chat, and one tab per person (a persona, ?as=name), each a
// WebSocket speaking frames.
type contract struct {
	a       *Adapter
	srv     *httptest.Server
	browser *http.Client
	pages   map[string]*websocket.Conn // by person
	n       int
}

func (c *contract) Adapter() bot.Adapter { return c.a }

// Forms: a form is shown in the chat as an HTML form.
func (c *contract) Forms() bool { return true }

// Shared: every web chat is between one visitor and the bot.
func (c *contract) Shared() bool { return false }

// page is user's open tab, opened at their first action.
func (c *contract) page(t *testing.T, user string) *websocket.Conn {
	t.Helper()
	if ws, ok := c.pages[user]; ok {
		return ws
	}
	ws, resp, err := dialSocket(t, c.browser, c.srv.URL, "as="+user, c.srv.URL)
	if err != nil {
		t.Fatalf("dial as %s: %v (%v)", user, err, resp)
	}
	c.pages[user] = ws
	return ws
}

func (c *contract) frame(a adaptertest.Action) map[string]any {
	id := a.ID
	if id == "" {
		c.n++
		id = fmt.Sprintf("f%d", c.n)
	}
	switch a.Kind {
	case bot.KindCommand:
		return map[string]any{"type": "message", "id": id, "text": strings.TrimSpace("/" + a.Command + " " + a.Text)}
	case bot.KindButton:
		return map[string]any{"type": "button", "id": id, "value": a.Text}
	case bot.KindForm:
		return map[string]any{"type": "form", "id": id, "form": a.Command, "values": a.Form}
	}
	return map[string]any{"type": "message", "id": id, "text": a.Text}
}

func write(t *testing.T, ws *websocket.Conn, f any) {
	t.Helper()
	b, _ := json.Marshal(f)
	if err := ws.Write(t.Context(), websocket.MessageText, b); err != nil {
		t.Fatal(err)
	}
}

// syncType is a frame type the chat does not know. The adapter reads a
// page's frames one at a time and answers a frame it does not understand
// with an error frame and nothing else, so that error frame comes after
// everything the frames before it caused: it marks the end of a turn.
const syncType = "contract-sync"

// drain sends the sync frame on ws and returns the frames that arrive
// before its answer.
func drain(t *testing.T, ws *websocket.Conn) []outFrame {
	t.Helper()
	write(t, ws, map[string]any{"type": syncType})
	var got []outFrame
	for {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second) // turns a hang into a failure
		_, data, err := ws.Read(ctx)
		cancel()
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		var f outFrame
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatalf("frame %q: %v", data, err)
		}
		if f.Type == "error" && strings.Contains(f.Message, `"`+syncType+`"`) {
			return got
		}
		got = append(got, f)
	}
}

func (c *contract) Do(t *testing.T, a adaptertest.Action) []adaptertest.Output {
	t.Helper()
	if a.Place != adaptertest.Private {
		t.Fatal("the web has no shared chats")
	}
	ws := c.page(t, a.User)
	write(t, ws, c.frame(a))
	return outputs(drain(t, ws))
}

// Received implements adaptertest.Harness: what arrived on the people's
// open pages since their last action. The adapter writes to a page before
// the other platform's turn returns, so it comes before the sync frame's
// answer.
func (c *contract) Received(t *testing.T) []adaptertest.Output {
	t.Helper()
	var out []adaptertest.Output
	for _, ws := range c.pages {
		out = append(out, outputs(drain(t, ws))...)
	}
	return out
}

// Forged opens the chat with a visitor cookie signed by another secret,
// and then with a good cookie from a site that is not allowed; it returns
// the first status that is not a refusal, or the last one.
func (c *contract) Forged(t *testing.T, a adaptertest.Action) int {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	forged := &http.Client{Jar: jar}
	other := signer{key: []byte("not the secret of this hirebot, but long enough")}
	jar.SetCookies(urlOf(t, c.srv.URL), []*http.Cookie{{Name: cookieName, Value: other.value(newVisitor()), Path: "/"}})
	status := 0
	for _, try := range []struct {
		browser *http.Client
		origin  string
	}{{forged, c.srv.URL}, {c.browser, "https://evil.example"}} {
		ws, resp, err := dialSocket(t, try.browser, c.srv.URL, "as="+a.User, try.origin)
		if err == nil {
			write(t, ws, c.frame(a))
			ws.CloseNow()
			return http.StatusSwitchingProtocols
		}
		if resp == nil {
			t.Fatalf("dial: %v", err)
		}
		if status = resp.StatusCode; status != http.StatusUnauthorized && status != http.StatusForbidden {
			return status
		}
	}
	return status
}

var (
	tag        = regexp.MustCompile(`<[^>]*>`)
	htmlButton = regexp.MustCompile(`<button type="button"[^>]*data-value="([^"]*)"[^>]*>([^<]*)</button>`)
	htmlForm   = regexp.MustCompile(`<form class="form" data-form="`)
	blankLines = regexp.MustCompile(`\n\s*\n+`)
)

// outputs reads frames as a person reads the page: a reply's text, its
// buttons and forms; an error frame's message. Nothing on the page is read
// by anyone else.
func outputs(frames []outFrame) []adaptertest.Output {
	var out []adaptertest.Output
	for _, f := range frames {
		if f.Type == "error" {
			out = append(out, adaptertest.Output{Text: f.Message})
			continue
		}
		o := adaptertest.Output{Modal: htmlForm.MatchString(f.HTML)}
		for _, m := range htmlButton.FindAllStringSubmatch(f.HTML, -1) {
			o.Buttons = append(o.Buttons, bot.Button{Label: html.UnescapeString(m[2]), Value: html.UnescapeString(m[1])})
		}
		o.Text = strings.TrimSpace(blankLines.ReplaceAllString(html.UnescapeString(tag.ReplaceAllString(f.HTML, "\n")), "\n"))
		out = append(out, o)
	}
	return out
}
