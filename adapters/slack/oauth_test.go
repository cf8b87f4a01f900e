package slack

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
)

var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// install starts an installation and returns the state and the cookie.
func install(t *testing.T, srv string) (state string, cookie *http.Cookie) {
	t.Helper()
	resp, err := noRedirect.Get(srv + "/slack/install")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("install answered %d", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	q := loc.Query()
	if !strings.HasSuffix(loc.Path, "/oauth/v2/authorize") || q.Get("client_id") != "123.456" ||
		q.Get("redirect_uri") != "https://hirebot.example/slack/oauth/callback" ||
		!strings.Contains(q.Get("scope"), "commands") || !strings.Contains(q.Get("scope"), "im:history") {
		t.Errorf("authorize URL %s", loc)
	}
	for _, c := range resp.Cookies() {
		if c.Name == stateCookie {
			cookie = c
		}
	}
	if q.Get("state") == "" || cookie == nil || !cookie.HttpOnly {
		t.Fatalf("state %q cookie %+v", q.Get("state"), cookie)
	}
	return q.Get("state"), cookie
}

func callback(t *testing.T, srv, query string, cookie *http.Cookie) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, srv+"/slack/oauth/callback?"+query, nil)
	if cookie != nil {
		req.AddCookie(cookie)
	}
	return do(t, req)
}

func TestOAuthInstall(t *testing.T) {
	oauthCfg := func(tokens TokenStore) Config {
		return Config{ClientID: "123.456", ClientSecret: "s3cret", RedirectURL: "https://hirebot.example/slack/oauth/callback", Tokens: tokens}
	}

	t.Run("good state stores the workspace token", func(t *testing.T) {
		f := newFakeSlack(t)
		tokens := NewMemoryTokens("")
		_, srv := newTestAdapter(t, f, newFakeBot(nil), oauthCfg(tokens), 0)
		state, cookie := install(t, srv.URL)
		status, body := callback(t, srv.URL, url.Values{"code": {"good-code"}, "state": {state}}.Encode(), cookie)
		if status != http.StatusOK {
			t.Fatalf("callback %d %s", status, body)
		}
		if strings.Contains(body, "<Inc>") || !strings.Contains(body, "Acme &lt;Inc&gt;") {
			t.Errorf("page not escaped: %s", body)
		}
		c := f.next(t)
		if c.Method != "oauth.v2.access" || c.str("code") != "good-code" || c.str("client_id") != "123.456" ||
			c.str("redirect_uri") != "https://hirebot.example/slack/oauth/callback" {
			t.Errorf("exchange %+v", c)
		}
		if tok, err := tokens.Token(context.Background(), "T2"); err != nil || tok != "xoxb-acme" {
			t.Errorf("token %q %v", tok, err)
		}
	})

	bad := []struct {
		name  string
		query func(state string) string
		jar   func(c *http.Cookie) *http.Cookie
	}{
		{"missing state", func(string) string { return "code=good-code" }, keep},
		{"tampered state", func(s string) string {
			return url.Values{"code": {"good-code"}, "state": {s[:len(s)-2] + "xx"}}.Encode()
		}, keep},
		{"state of another install", func(s string) string {
			return url.Values{"code": {"good-code"}, "state": {"0123456789abcdef0123456789abcdef.9999999999.AAAA"}}.Encode()
		}, keep},
		{"no cookie", func(s string) string { return url.Values{"code": {"good-code"}, "state": {s}}.Encode() },
			func(*http.Cookie) *http.Cookie { return nil }},
		{"cookie of another browser", func(s string) string { return url.Values{"code": {"good-code"}, "state": {s}}.Encode() },
			func(c *http.Cookie) *http.Cookie { return &http.Cookie{Name: c.Name, Value: "ffff"} }},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeSlack(t)
			tokens := NewMemoryTokens("")
			_, srv := newTestAdapter(t, f, newFakeBot(nil), oauthCfg(tokens), 0)
			state, cookie := install(t, srv.URL)
			status, _ := callback(t, srv.URL, tt.query(state), tt.jar(cookie))
			if status != http.StatusUnauthorized {
				t.Errorf("status %d, want 401", status)
			}
			if n := f.count("oauth.v2.access"); n != 0 {
				t.Errorf("code exchanged %d times", n)
			}
			if _, err := tokens.Token(context.Background(), "T2"); bot.ErrorCode(err) != bot.ENOTFOUND {
				t.Errorf("token stored: %v", err)
			}
		})
	}

	t.Run("expired state", func(t *testing.T) {
		f := newFakeSlack(t)
		tokens := NewMemoryTokens("")
		a, srv := newTestAdapter(t, f, newFakeBot(nil), oauthCfg(tokens), 0)
		state, cookie := install(t, srv.URL)
		a.now = func() time.Time { return time.Now().Add(stateTTL + time.Minute) }
		status, _ := callback(t, srv.URL, url.Values{"code": {"good-code"}, "state": {state}}.Encode(), cookie)
		if status != http.StatusUnauthorized || f.count("oauth.v2.access") != 0 {
			t.Errorf("status %d", status)
		}
	})

	t.Run("code refused by Slack", func(t *testing.T) {
		f := newFakeSlack(t)
		f.answer = func(method string, n int) (int, map[string]string, string, bool) {
			return http.StatusOK, nil, `{"ok":false,"error":"invalid_code"}`, true
		}
		tokens := NewMemoryTokens("")
		_, srv := newTestAdapter(t, f, newFakeBot(nil), oauthCfg(tokens), 0)
		state, cookie := install(t, srv.URL)
		status, _ := callback(t, srv.URL, url.Values{"code": {"used"}, "state": {state}}.Encode(), cookie)
		if status != http.StatusBadGateway {
			t.Errorf("status %d", status)
		}
		if _, err := tokens.Token(context.Background(), "T2"); err == nil {
			t.Error("token stored")
		}
	})
}

func keep(c *http.Cookie) *http.Cookie { return c }
