package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/coder/websocket"

	"github.com/hirebot/hirebot/bot"
)

func TestNewRefusesBadConfig(t *testing.T) {
	h := func(_ context.Context, _ bot.Event) ([]bot.Reply, error) { return nil, nil }
	for name, cfg := range map[string]Config{
		"short secret":       {Secret: []byte("short")},
		"origin with path":   {Secret: testSecret, Origins: []string{"https://jobs.example.com/careers"}},
		"origin not a URL":   {Secret: testSecret, Origins: []string{"jobs.example.com"}},
		"origin not http(s)": {Secret: testSecret, Origins: []string{"ftp://jobs.example.com"}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := New(cfg, h, nil); bot.ErrorCode(err) != bot.EINVALID {
				t.Errorf("New = %v, want EINVALID", err)
			}
		})
	}
}

func TestPageHeadersAndCookie(t *testing.T) {
	h := newHarness(t, Config{Origins: []string{"https://jobs.example.com"}})
	resp, err := http.Get(h.srv.URL + ChatPath + "?workspace=acme")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "default-src 'none'", "frame-ancestors 'self' https://jobs.example.com"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	// No inline script and no inline handlers: every <script> has a src.
	for _, tag := range regexp.MustCompile(`<script[^>]*>`).FindAllString(string(body), -1) {
		if !strings.Contains(tag, "src=") {
			t.Errorf("inline script %q", tag)
		}
	}
	if regexp.MustCompile(`\son[a-z]+=`).Match(body) {
		t.Error("the page has an inline event handler")
	}
	if !strings.Contains(string(body), `data-workspace="acme"`) || !strings.Contains(string(body), `role="log"`) {
		t.Errorf("page lacks the workspace or the live log:\n%s", body)
	}
	cookies := resp.Cookies()
	if len(cookies) != 1 || cookies[0].Name != cookieName || !cookies[0].HttpOnly || cookies[0].SameSite != http.SameSiteLaxMode {
		t.Fatalf("cookies = %+v, want one HttpOnly SameSite=Lax visitor cookie", cookies)
	}
	if h.web.sign.visitor(cookies[0].Value) == "" {
		t.Errorf("cookie %q does not verify", cookies[0].Value)
	}

	// Behind HTTPS the cookie works inside another site's frame.
	req, _ := http.NewRequest("GET", h.srv.URL+ChatPath, nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	c := resp.Cookies()[0]
	if !c.Secure || c.SameSite != http.SameSiteNoneMode || !c.Partitioned || !c.HttpOnly {
		t.Errorf("HTTPS cookie = %+v, want Secure, SameSite=None, Partitioned, HttpOnly", c)
	}

	resp, err = http.Get(h.srv.URL + ChatPath + "?workspace=" + "a%3Cb")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bad workspace: %s, want 400", resp.Status)
	}
}

func TestCookieSignature(t *testing.T) {
	s := signer{key: testSecret}
	v := newVisitor()
	good := s.value(v)
	if got := s.visitor(good); got != v {
		t.Fatalf("visitor(%q) = %q, want %q", good, got, v)
	}
	other := signer{key: []byte("another secret that is long enough!!")}
	for name, value := range map[string]string{
		"other secret":  other.value(v),
		"changed id":    "v1." + newVisitor() + good[strings.LastIndex(good, "."):],
		"no mac":        "v1." + v,
		"empty mac":     "v1." + v + ".",
		"other version": "v2" + good[2:],
		"not hex":       s.value("zz" + v[2:]),
		"extra part":    good + ".x",
		"empty":         "",
	} {
		if got := s.visitor(value); got != "" {
			t.Errorf("%s: %q verified as %q", name, value, got)
		}
	}
}

func TestSocketNeedsCookieAndAllowedOrigin(t *testing.T) {
	h := newHarness(t, Config{Origins: []string{"https://jobs.example.com"}})
	c := h.visitor()
	for name, tc := range map[string]struct {
		client *http.Client
		origin string
		status int
	}{
		"no cookie":          {http.DefaultClient, h.srv.URL, http.StatusUnauthorized},
		"another site":       {c, "https://evil.example", http.StatusForbidden},
		"allowed site's sub": {c, "https://x.jobs.example.com", http.StatusForbidden},
	} {
		t.Run(name, func(t *testing.T) {
			_, resp, err := h.dial(tc.client, "", tc.origin)
			if err == nil || resp == nil || resp.StatusCode != tc.status {
				t.Fatalf("dial = %v, %v; want status %d", err, resp, tc.status)
			}
		})
	}
	for _, origin := range []string{h.srv.URL, "https://jobs.example.com"} {
		p, _, err := h.dial(c, "", origin)
		if err != nil {
			t.Fatalf("origin %s: %v", origin, err)
		}
		p.say("/help")
		if f := p.next(); f.Type != "reply" {
			t.Errorf("origin %s: /help got %+v", origin, f)
		}
	}
	// A forged cookie is no visitor.
	jar := c.Jar
	u := urlOf(t, h.srv.URL)
	ck := jar.Cookies(u)[0]
	ck.Value = "v1." + newVisitor() + ".AAAA"
	jar.SetCookies(u, []*http.Cookie{ck})
	if _, resp, err := h.dial(c, "", h.srv.URL); err == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged cookie: %v %v, want 401", err, resp)
	}
}

func TestBadFramesGetAnErrorAndNoEffect(t *testing.T) {
	h := newHarness(t, Config{PerVisitor: bot.Limit{Rate: 100, Burst: 100}})
	p := h.open(h.visitor(), "")
	before := h.handled.Load()
	long := strings.Repeat("a", DefaultMaxFrame)
	for name, raw := range map[string]string{
		"not JSON":          `hello`,
		"two objects":       `{"type":"message","text":"a"}{"type":"message","text":"b"}`,
		"array":             `[1,2]`,
		"no type":           `{"text":"/profile"}`,
		"unknown type":      `{"type":"delete_everything"}`,
		"unknown field":     `{"type":"message","text":"/help","admin":true}`,
		"empty message":     `{"type":"message","text":"   "}`,
		"message and value": `{"type":"message","text":"x","value":"/delete"}`,
		"bad id":            `{"type":"message","id":"a b","text":"/help"}`,
		"button too long":   `{"type":"button","value":"` + strings.Repeat("x", 65) + `"}`,
		"form without name": `{"type":"form","values":{"title":"x"}}`,
		"bad field name":    `{"type":"form","form":"post","values":{"<x>":"y"}}`,
		"NUL in text":       `{"type":"message","text":"a\u0000b"}`,
		"text too long":     `{"type":"message","text":"` + strings.Repeat("é", maxText+1) + `"}`,
		"frame too big":     `{"type":"message","text":"` + long + `"}`,
	} {
		t.Run(name, func(t *testing.T) {
			p.sendRaw(websocket.MessageText, []byte(raw))
			f := p.next()
			if f.Type != "error" || (f.Code != codeBadFrame && f.Code != codeTooBig) || f.Message == "" {
				t.Errorf("got %+v, want an error frame", f)
			}
		})
	}
	p.sendRaw(websocket.MessageBinary, []byte(`{"type":"message","text":"/help"}`))
	if f := p.next(); f.Code != codeBadFrame {
		t.Errorf("binary frame: %+v", f)
	}
	if n := h.handled.Load(); n != before {
		t.Errorf("%d bad frames reached the bot", n-before)
	}
	// The connection still works.
	p.say("/help")
	if f := p.next(); f.Type != "reply" || !strings.Contains(f.HTML, "/profile") {
		t.Errorf("/help after bad frames: %+v", f)
	}
	// A frame far over the limit closes the connection with 1009.
	p.sendRaw(websocket.MessageText, bytes.Repeat([]byte("x"), 4*DefaultMaxFrame+1))
	if _, _, err := p.ws.Read(t.Context()); websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
		t.Errorf("huge frame: %v, want close 1009", err)
	}
}

func TestRateLimitPerVisitor(t *testing.T) {
	h := newHarness(t, Config{PerVisitor: bot.Limit{Rate: 0.01, Burst: 3}})
	c := h.visitor()
	p := h.open(c, "")
	for range 3 {
		p.say("/help")
		if f := p.next(); f.Type != "reply" {
			t.Fatalf("within the burst: %+v", f)
		}
	}
	before := h.handled.Load()
	p.say("/help")
	if f := p.next(); f.Code != codeTooFast {
		t.Fatalf("over the limit: %+v, want %s", f, codeTooFast)
	}
	// Another tab of the same person shares the limit; another person
	// (a persona) has their own.
	p2 := h.open(c, "")
	p2.say("/help")
	if f := p2.next(); f.Code != codeTooFast {
		t.Errorf("second tab: %+v, want %s", f, codeTooFast)
	}
	if h.handled.Load() != before {
		t.Error("a limited frame reached the bot")
	}
	p3 := h.open(c, "as=employer")
	p3.say("/help")
	if f := p3.next(); f.Type != "reply" {
		t.Errorf("another persona: %+v", f)
	}
}

func TestRateLimitPerIP(t *testing.T) {
	h := newHarness(t, Config{PerIP: bot.Limit{Rate: 0.01, Burst: 4}})
	a, b := h.open(h.visitor(), ""), h.open(h.visitor(), "") // two connects take 2
	a.say("/help")
	b.say("/help")
	a.next()
	b.next()
	a.say("/help")
	if f := a.next(); f.Code != codeTooFast {
		t.Errorf("over the address's limit: %+v", f)
	}
	if _, resp, err := h.dial(h.visitor(), "", ""); err == nil || resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("connect over the limit: %v %v, want 429", err, resp)
	}
}

func TestWidgetIsSmall(t *testing.T) {
	h := newHarness(t, Config{})
	resp, err := http.Get(h.srv.URL + WidgetPath)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("Content-Type %q", ct)
	}
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	w.Write(body)
	w.Close()
	t.Logf("widget.js: %d bytes, %d gzipped", len(body), z.Len())
	if z.Len() >= 15<<10 {
		t.Errorf("widget.js is %d bytes gzipped, over 15 KB", z.Len())
	}
}

func TestSendRefusesAbsentVisitor(t *testing.T) {
	h := newHarness(t, Config{})
	err := h.web.Send(t.Context(), bot.Reply{To: bot.Recipient{Platform: bot.Web, UserID: newVisitor()}, Text: "hi"})
	if bot.ErrorCode(err) != bot.EREFUSED {
		t.Errorf("Send to nobody = %v, want EREFUSED", err)
	}
}
