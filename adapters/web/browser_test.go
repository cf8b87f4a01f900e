package web

// Tests in a real browser: headless Chromium driven through the DevTools
// protocol over a WebSocket. They skip when no browser is installed,
// unless HIREBOT_REQUIRE_BROWSER=1 (as in .ci/run).

import (
	"bufio"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// browserWait bounds every wait for the page; a safety net, not a speed
// assertion.
const browserWait = 30 * time.Second

func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("HIREBOT_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if os.Getenv("HIREBOT_REQUIRE_BROWSER") == "1" {
		t.Fatal("HIREBOT_REQUIRE_BROWSER=1 but no Chromium found (set HIREBOT_CHROMIUM or apt-get install chromium)")
	}
	t.Skip("no Chromium installed: browser tests skipped (apt-get install chromium, or set HIREBOT_CHROMIUM)")
	return ""
}

// screenshotDir is kept after the test so a person can look.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := cmp.Or(os.Getenv("HIREBOT_SCREENSHOTS"), filepath.Join(os.TempDir(), "hirebot-web-screenshots"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browser is one headless Chromium and its DevTools connection.
type browser struct {
	t       *testing.T
	ws      *websocket.Conn
	seq     atomic.Int64
	mu      sync.Mutex
	pending map[int64]chan cdpAnswer
}

type cdpAnswer struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

var devtoolsURL = regexp.MustCompile(`DevTools listening on (ws://\S+)`)

func startBrowser(t *testing.T) *browser {
	t.Helper()
	bin := chromiumPath(t)
	profile, err := os.MkdirTemp("", "hirebot-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+profile, "--remote-debugging-port=0", "about:blank")
	cmd.WaitDelay = 5 * time.Second
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var b *browser
	t.Cleanup(func() {
		if b != nil {
			_ = b.call("", "Browser.close", map[string]any{}, nil) // lets Chromium end its helpers
		}
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(browserWait):
		}
		cancel()
		<-done
		_ = os.RemoveAll(profile) // best effort: a helper may still be writing
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := devtoolsURL.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	var u string
	select {
	case u = <-found:
	case <-time.After(browserWait):
		t.Fatal("Chromium did not print its DevTools address")
	}
	ws, _, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	ws.SetReadLimit(64 << 20) // screenshots
	b = &browser{t: t, ws: ws, pending: map[int64]chan cdpAnswer{}}
	go b.read(ctx)
	return b
}

func (b *browser) read(ctx context.Context) {
	for {
		_, data, err := b.ws.Read(ctx)
		if err != nil {
			return
		}
		var m struct {
			ID int64 `json:"id"`
			cdpAnswer
		}
		if json.Unmarshal(data, &m) != nil || m.ID == 0 {
			continue // an event
		}
		b.mu.Lock()
		ch := b.pending[m.ID]
		delete(b.pending, m.ID)
		b.mu.Unlock()
		if ch != nil {
			ch <- m.cdpAnswer
		}
	}
}

// call sends one DevTools command (in session, if not empty) and decodes
// its result into out.
func (b *browser) call(session, method string, params, out any) error {
	id := b.seq.Add(1)
	ch := make(chan cdpAnswer, 1)
	b.mu.Lock()
	b.pending[id] = ch
	b.mu.Unlock()
	msg := map[string]any{"id": id, "method": method, "params": params}
	if session != "" {
		msg["sessionId"] = session
	}
	data, _ := json.Marshal(msg)
	ctx, cancel := context.WithTimeout(context.Background(), browserWait)
	defer cancel()
	if err := b.ws.Write(ctx, websocket.MessageText, data); err != nil {
		return err
	}
	select {
	case a := <-ch:
		if a.Error != nil {
			return fmt.Errorf("%s: %s", method, a.Error.Message)
		}
		if out != nil {
			return json.Unmarshal(a.Result, out)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%s: no answer", method)
	}
}

// tab is one page; each tab has its own browser context (cookies), so two
// tabs are two visitors.
type tab struct {
	t       *testing.T
	b       *browser
	session string
	name    string
}

func (b *browser) open(name, url string, width, height int) *tab {
	b.t.Helper()
	var bc struct {
		ID string `json:"browserContextId"`
	}
	if err := b.call("", "Target.createBrowserContext", map[string]any{}, &bc); err != nil {
		b.t.Fatal(err)
	}
	var tg struct {
		ID string `json:"targetId"`
	}
	if err := b.call("", "Target.createTarget", map[string]any{"url": "about:blank", "browserContextId": bc.ID}, &tg); err != nil {
		b.t.Fatal(err)
	}
	var at struct {
		Session string `json:"sessionId"`
	}
	if err := b.call("", "Target.attachToTarget", map[string]any{"targetId": tg.ID, "flatten": true}, &at); err != nil {
		b.t.Fatal(err)
	}
	p := &tab{t: b.t, b: b, session: at.Session, name: name}
	p.do("Emulation.setDeviceMetricsOverride", map[string]any{"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
	p.do("Page.enable", nil)
	p.do("Page.navigate", map[string]any{"url": url})
	p.waitFor(`document.readyState === "complete"`)
	return p
}

func (p *tab) do(method string, params any) {
	p.t.Helper()
	if params == nil {
		params = map[string]any{}
	}
	if err := p.b.call(p.session, method, params, nil); err != nil {
		p.t.Fatalf("%s: %v", p.name, err)
	}
}

// eval runs JavaScript in the page (or in an isolated world of a frame,
// when ctxID is not 0) and decodes its value into out.
func (p *tab) evalIn(ctxID int, js string, out any) error {
	params := map[string]any{"expression": js, "returnByValue": true, "awaitPromise": true}
	if ctxID != 0 {
		params["contextId"] = ctxID
	}
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	if err := p.b.call(p.session, "Runtime.evaluate", params, &r); err != nil {
		return err
	}
	if r.Exception != nil {
		return errors.New(r.Exception.Text + " in " + js)
	}
	if out != nil && len(r.Result.Value) > 0 {
		return json.Unmarshal(r.Result.Value, out)
	}
	return nil
}

func (p *tab) eval(js string, out any) {
	p.t.Helper()
	if err := p.evalIn(0, js, out); err != nil {
		p.t.Fatalf("%s: %v", p.name, err)
	}
}

// waitFor polls a JavaScript condition until it holds.
func (p *tab) waitFor(cond string) { p.t.Helper(); p.waitForIn(0, cond) }

func (p *tab) waitForIn(ctxID int, cond string) {
	p.t.Helper()
	deadline := time.Now().Add(browserWait)
	for {
		var ok bool
		err := p.evalIn(ctxID, "Boolean("+cond+")", &ok)
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			var log string
			_ = p.evalIn(ctxID, `(document.getElementById("log")||document.body).innerText.slice(-1500)`, &log)
			p.t.Fatalf("%s: %s never held (err %v); the page ends with:\n%s", p.name, cond, err, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// key presses one key as a keyboard does.
func (p *tab) key(name string) {
	p.t.Helper()
	modifiers := 0
	if k, ok := strings.CutPrefix(name, "Shift+"); ok {
		name, modifiers = k, 8
	}
	codes := map[string]int{"Enter": 13, "Tab": 9, "Escape": 27, " ": 32}
	down := map[string]any{"type": "keyDown", "key": name, "code": name, "windowsVirtualKeyCode": codes[name], "modifiers": modifiers}
	if name == "Enter" {
		down["text"] = "\r"
	}
	if name == " " {
		down["code"], down["text"] = "Space", " "
	}
	p.do("Input.dispatchKeyEvent", down)
	p.do("Input.dispatchKeyEvent", map[string]any{"type": "keyUp", "key": name, "code": down["code"], "windowsVirtualKeyCode": codes[name], "modifiers": modifiers})
}

// typeText types into the focused element.
func (p *tab) typeText(s string) {
	p.t.Helper()
	p.do("Input.insertText", map[string]any{"text": s})
}

// click moves the mouse to the middle of the element and clicks it.
func (p *tab) click(selector string) {
	p.t.Helper()
	p.waitFor(fmt.Sprintf(`document.querySelector(%q)`, selector))
	var r struct{ X, Y float64 }
	p.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); e.scrollIntoView({block: "center"});
		const r = e.getBoundingClientRect(); return {X: r.x + r.width/2, Y: r.y + r.height/2}; })()`, selector), &r)
	for _, typ := range []string{"mousePressed", "mouseReleased"} {
		p.do("Input.dispatchMouseEvent", map[string]any{"type": typ, "x": r.X, "y": r.Y, "button": "left", "clickCount": 1})
	}
}

// replies counts the bot's messages in the log.
func (p *tab) replies() int {
	p.t.Helper()
	var n int
	p.eval(`document.querySelectorAll("#log .msg.bot").length`, &n)
	return n
}

// answer types a line in the message box and presses Enter, and waits for
// the bot's next message.
func (p *tab) answer(line string) {
	p.t.Helper()
	n := p.replies()
	p.eval(`document.getElementById("text").focus()`, nil)
	p.typeText(line)
	p.key("Enter")
	p.waitFor(fmt.Sprintf(`document.querySelectorAll("#log .msg.bot").length > %d`, n))
}

// press clicks the last button with this value and waits for the answer.
func (p *tab) press(value string) {
	p.t.Helper()
	n := p.replies()
	p.click(fmt.Sprintf(`#log .msg.bot:last-of-type button[data-value=%q]`, value))
	p.waitFor(fmt.Sprintf(`document.querySelectorAll("#log .msg.bot").length > %d`, n))
}

func (p *tab) lastReply() string {
	p.t.Helper()
	var s string
	p.eval(`(() => { const m = document.querySelectorAll("#log .msg.bot"); return m.length ? m[m.length-1].innerText : ""; })()`, &s)
	return s
}

func (p *tab) screenshot(file string) {
	p.t.Helper()
	var r struct {
		Data string `json:"data"`
	}
	if err := p.b.call(p.session, "Page.captureScreenshot", map[string]any{"format": "png"}, &r); err != nil {
		p.t.Fatal(err)
	}
	png, err := base64.StdEncoding.DecodeString(r.Data)
	if err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join(screenshotDir(p.t), file)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot: %s", path)
}

// browserProfile goes through the whole profile dialog in the page, typing
// answers and clicking the choices.
func browserProfile(t *testing.T, p *tab) {
	t.Helper()
	p.answer("/profile")
	if !strings.Contains(p.lastReply(), "name") {
		t.Fatalf("the profile dialog did not start: %q", p.lastReply())
	}
	confirm := `document.querySelector('#log .msg.bot:last-of-type button[data-value="confirm"]')`
	for _, a := range profileAnswers {
		var ok bool
		if p.eval(confirm, &ok); ok {
			break // inferred answers left the rest unasked
		}
		if a.kind == "button" {
			if p.eval(fmt.Sprintf(`!!document.querySelector('#log .msg.bot:last-of-type button[data-value=%q]')`, a.value), &ok); !ok {
				continue // a question this dialog no longer asks
			}
			p.press(a.value)
		} else {
			p.answer(a.value)
		}
		if r := p.lastReply(); strings.Contains(r, "Please") {
			t.Fatalf("answer %q refused: %q", a.value, r)
		}
	}
	p.waitFor(confirm)
	if r := p.lastReply(); !strings.Contains(r, "Ann Smith") {
		t.Fatalf("the summary lacks the name: %q", r)
	}
	p.press("confirm")
	if r := p.lastReply(); !strings.Contains(r, "published") {
		t.Fatalf("not published: %q", r)
	}
}

func TestBrowserProfileJobAndLiveInvite(t *testing.T) {
	b := startBrowser(t)
	h := newHarness(t, Config{Sweep: 50 * time.Millisecond})
	ann := b.open("ann", h.srv.URL+ChatPath, 1024, 800)
	ann.waitFor(`document.getElementById("status").textContent === "Connected"`)
	browserProfile(t, ann)
	ann.screenshot("chat-profile.png")

	// Bob, another visitor (other cookies), on a phone-sized screen.
	bob := b.open("bob", h.srv.URL+ChatPath, 375, 740)
	bob.waitFor(`document.getElementById("status").textContent === "Connected"`)
	bob.answer("/post")
	bob.waitFor(`document.querySelector('#log form[data-form="post"]')`)
	fields := map[string]string{
		"title": "Build a Go invoices API", "description": "A small REST API in Go that stores invoices in PostgreSQL.",
		"skills": "golang, postgres", "budget": "$500", "deadline": "in 2 weeks",
	}
	for _, name := range []string{"title", "description", "skills", "budget", "deadline"} {
		bob.click(fmt.Sprintf(`#log form[data-form="post"] [name=%q]`, name))
		bob.typeText(fields[name])
	}
	n := bob.replies()
	bob.click(`#log form[data-form="post"] button[type="submit"], #log form[data-form="post"] input[type="submit"]`)
	bob.waitFor(fmt.Sprintf(`document.querySelectorAll("#log .msg.bot").length > %d && /Invite Ann/.test(document.getElementById("log").innerText)`, n))
	var card bool
	bob.eval(`!!document.querySelector('#log .card') && !!document.querySelector('#log button[data-value^="/invite "]')`, &card)
	if !card {
		t.Fatal("the matches are not cards with an Invite button")
	}
	var overflow int
	bob.eval(`document.documentElement.scrollWidth - window.innerWidth`, &overflow)
	if overflow > 0 {
		t.Errorf("on a 375px screen the page scrolls sideways by %dpx", overflow)
	}
	bob.screenshot("chat-job-matches-phone.png")

	bob.click(`#log button[data-value^="/invite "]`)
	// Ann's tab is open: the invite arrives live, inside the live region.
	ann.waitFor(`/invites you/.test(document.getElementById("log").innerText)`)
	var live struct {
		Live, Role string
		Accept     bool
	}
	ann.eval(`(() => { const l = document.getElementById("log"); return {Live: l.getAttribute("aria-live"), Role: l.getAttribute("role"),
		Accept: !!l.querySelector('button[data-value^="/accept"]')}; })()`, &live)
	if live.Live != "polite" || live.Role != "log" || !live.Accept {
		t.Errorf("the invite is not in a polite live log with an Accept button: %+v", live)
	}
	ann.screenshot("chat-invite-live.png")
}

func TestBrowserKeyboardOnly(t *testing.T) {
	b := startBrowser(t)
	h := newHarness(t, Config{})
	p := b.open("keys", h.srv.URL+ChatPath, 1024, 800)
	p.waitFor(`document.getElementById("status").textContent === "Connected"`)
	var focused string
	p.eval(`document.activeElement.id`, &focused)
	if focused != "text" {
		t.Fatalf("the message box is not focused on load: %q", focused)
	}
	// Walk back with Shift+Tab from the message box until a choice button
	// of the welcome has the focus, then press it with Enter.
	n := p.replies()
	for i := 0; ; i++ {
		if i > 20 {
			t.Fatal("Shift+Tab never reached a choice button")
		}
		p.key("Shift+Tab")
		var isChoice bool
		p.eval(`!!document.activeElement.matches("#log button[data-value]")`, &isChoice)
		if isChoice {
			break
		}
	}
	var value string
	p.eval(`document.activeElement.dataset.value`, &value)
	p.key("Enter")
	p.waitFor(fmt.Sprintf(`document.querySelectorAll("#log .msg.bot").length > %d`, n))
	var mine string
	p.eval(`(() => { const m = document.querySelectorAll("#log .msg.me"); return m[m.length-1].innerText; })()`, &mine)
	if mine == "" {
		t.Fatalf("pressing %q by keyboard sent nothing", value)
	}
	p.eval(`document.activeElement.id`, &focused)
	if focused != "text" {
		t.Errorf("after a choice the focus is on %q, not the message box", focused)
	}
}

func TestBrowserWidgetOnAnotherOrigin(t *testing.T) {
	b := startBrowser(t)
	// The host site: a static page on another origin (another port).
	var hub *harness
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><meta name="viewport" content="width=device-width">
<title>Acme careers</title></head><body><h1>Acme careers</h1><p>We are hiring.</p>
<script src="%s/widget.js" data-workspace="acme" data-label="Talk to us" async></script></body></html>`, hub.srv.URL)
	}))
	t.Cleanup(site.Close)
	hub = newHarness(t, Config{Origins: []string{site.URL}})

	p := b.open("site", site.URL, 1024, 800)
	p.waitFor(`document.querySelector('button[aria-controls="hirebot-chat"]')`)
	var label string
	p.eval(`document.querySelector('button[aria-controls="hirebot-chat"]').textContent`, &label)
	if label != "Talk to us" {
		t.Errorf("bubble text %q, want data-label", label)
	}
	p.click(`button[aria-controls="hirebot-chat"]`)
	p.waitFor(`document.querySelector("#hirebot-chat iframe") && !document.getElementById("hirebot-chat").hidden`)
	var src string
	p.eval(`document.querySelector("#hirebot-chat iframe").src`, &src)
	if !strings.HasPrefix(src, hub.srv.URL+"/chat?") || !strings.Contains(src, "workspace=acme") {
		t.Fatalf("the widget frame is %q", src)
	}

	// Speak in the chat inside the frame, through an isolated world of it.
	ctxID := p.frameWorld(hub.srv.URL)
	p.waitForIn(ctxID, `document.body && document.body.dataset.workspace === "acme" && document.getElementById("status").textContent === "Connected"`)
	if err := p.evalIn(ctxID, `document.getElementById("text").focus()`, nil); err != nil {
		t.Fatal(err)
	}
	p.typeText("/help")
	p.key("Enter")
	p.waitForIn(ctxID, `document.querySelectorAll("#log .msg.bot").length >= 2`)
	p.screenshot("widget-open.png")

	// Escape closes it and gives the focus back to the bubble.
	p.eval(`document.querySelector('button[aria-controls="hirebot-chat"]').focus()`, nil)
	p.key("Escape")
	p.waitFor(`document.getElementById("hirebot-chat").hidden && document.activeElement.matches('button[aria-controls="hirebot-chat"]')`)
}

// frameWorld returns an execution context in the frame whose URL starts
// with prefix.
func (p *tab) frameWorld(prefix string) int {
	p.t.Helper()
	deadline := time.Now().Add(browserWait)
	for {
		var tree struct {
			FrameTree struct {
				ChildFrames []struct {
					Frame struct {
						ID  string `json:"id"`
						URL string `json:"url"`
					} `json:"frame"`
				} `json:"childFrames"`
			} `json:"frameTree"`
		}
		if err := p.b.call(p.session, "Page.getFrameTree", map[string]any{}, &tree); err != nil {
			p.t.Fatal(err)
		}
		for _, c := range tree.FrameTree.ChildFrames {
			if strings.HasPrefix(c.Frame.URL, prefix) {
				var w struct {
					ID int `json:"executionContextId"`
				}
				if err := p.b.call(p.session, "Page.createIsolatedWorld", map[string]any{"frameId": c.Frame.ID, "worldName": "test"}, &w); err != nil {
					p.t.Fatal(err)
				}
				return w.ID
			}
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("no frame from %s", prefix)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
