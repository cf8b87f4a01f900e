package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The secrets of every platform, in the shapes the platforms hand out.
var testSecrets = map[string]string{
	"TELEGRAM_BOT_TOKEN":      "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
	"TELEGRAM_WEBHOOK_SECRET": "hook_secret-4711",
	"SLACK_SIGNING_SECRET":    "8f742231b10e8888abcd99yyyzzz85a5",
	"SLACK_BOT_TOKEN":         "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy",
	"SLACK_CLIENT_SECRET":     "3e1c2a8b7d6f5e4a3b2c1d0e9f8a7b6c",
	"DISCORD_BOT_TOKEN":       "MTA5ODc2NTQzMjEwOTg3NjU0.GhIjKl.mnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV",
}

// closedURL is an http URL on which nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + ln.Addr().String()
	ln.Close()
	return u
}

// failing is a platform API that answers every call with status and body.
func failing(t *testing.T, status int, body string) string {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(s.Close)
	return s.URL
}

func assertNoSecret(t *testing.T, log string) {
	t.Helper()
	for name, secret := range testSecrets {
		if strings.Contains(log, secret) {
			t.Errorf("the log shows %s:\n%s", name, log)
		}
	}
}

// TestCredentialsAndSecretsAtStart starts hirebot serve with each platform
// against a fake API that refuses the credentials or cannot be reached. A
// refusal stops the start with an error naming the platform and the
// setting; nothing written shows a secret.
func TestCredentialsAndSecretsAtStart(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want []string // in what hirebot writes
	}{
		{"telegram refuses", map[string]string{
			"TELEGRAM_BOT_TOKEN": testSecrets["TELEGRAM_BOT_TOKEN"],
			"TELEGRAM_API_URL":   failing(t, 401, `{"ok":false,"error_code":401,"description":"Unauthorized"}`),
		}, []string{"Telegram refused the bot token", "@BotFather"}},
		{"telegram unreachable", map[string]string{
			"TELEGRAM_BOT_TOKEN": testSecrets["TELEGRAM_BOT_TOKEN"], "TELEGRAM_API_URL": closedURL(t),
			"TELEGRAM_WEBHOOK_URL": "https://hirebot.example/telegram/webhook", "TELEGRAM_WEBHOOK_SECRET": testSecrets["TELEGRAM_WEBHOOK_SECRET"],
		}, []string{"did not answer getMe", "connection refused"}},
		{"slack refuses", map[string]string{
			"SLACK_SIGNING_SECRET": testSecrets["SLACK_SIGNING_SECRET"], "SLACK_BOT_TOKEN": testSecrets["SLACK_BOT_TOKEN"],
			"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": testSecrets["SLACK_CLIENT_SECRET"],
			"SLACK_API_URL": failing(t, 200, `{"ok":false,"error":"invalid_auth"}`) + "/api/",
		}, []string{"slack refused hirebot's credentials", "invalid_auth", "SLACK_BOT_TOKEN"}},
		{"discord refuses", map[string]string{
			"DISCORD_BOT_TOKEN": testSecrets["DISCORD_BOT_TOKEN"], "DISCORD_APP_ID": "1098765432109876543",
			"DISCORD_API_URL": failing(t, 401, `{"message":"401: Unauthorized","code":0}`),
		}, []string{"discord refused hirebot's credentials", "DISCORD_BOT_TOKEN"}},
		{"discord unreachable", map[string]string{
			"DISCORD_BOT_TOKEN": testSecrets["DISCORD_BOT_TOKEN"], "DISCORD_APP_ID": "1098765432109876543",
			"DISCORD_API_URL": closedURL(t),
		}, []string{"platform cannot be reached", "discord"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.env["HIREBOT_LOG"] = "debug"
			c.env["HIREBOT_DB"] = filepath.Join(t.TempDir(), "h.db")
			c.env["HIREBOT_ADDR"] = "127.0.0.1:0"
			var stderr bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a guard, not a timing check
			defer cancel()
			code := run(ctx, []string{"serve"}, nil, io.Discard, &stderr, func(k string) string { return c.env[k] })
			out := stderr.String()
			if code != 1 {
				t.Errorf("exit %d, want 1:\n%s", code, out)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("the output does not say %q:\n%s", w, out)
				}
			}
			assertNoSecret(t, out)
		})
	}
}

// TestReadyzReportsUnreachablePlatform: Slack cannot be reached at start;
// hirebot starts, /readyz names Slack, a signed event is taken and its
// reply fails, and no secret is in the log.
func TestReadyzReportsUnreachablePlatform(t *testing.T) {
	e := env{
		SlackSigningSecret: testSecrets["SLACK_SIGNING_SECRET"], SlackBotToken: testSecrets["SLACK_BOT_TOKEN"],
		SlackAPIURL: closedURL(t) + "/api/", LogLevel: "debug", LogFormat: "json",
	}
	var logs bytes.Buffer
	log := newLogger(newRedactWriter(&logs, e.secrets()), e)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, ln, storeConfig{DB: filepath.Join(t.TempDir(), "h.db"), SessionTTL: time.Hour}, e, log)
	}()
	var body string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if body = string(b); resp.StatusCode == http.StatusServiceUnavailable && strings.Contains(body, "slack:") {
			break
		}
	}
	if !strings.Contains(body, "slack: Slack's auth.test did not answer") {
		t.Errorf("/readyz said %q, want slack named", body)
	}
	ev := `{"type":"event_callback","team_id":"T1","event_id":"Ev1","event":{"type":"message","channel_type":"im","channel":"D1","user":"U1","text":"hi","ts":"1.1"}}`
	ts := time.Now().Unix()
	req, _ := http.NewRequest(http.MethodPost, base+"/slack/events", strings.NewReader(ev))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Slack-Signature", slackSign(e.SlackSigningSecret, strconv.FormatInt(ts, 10), ev))
	if resp, err := http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
	out := logs.String()
	if !strings.Contains(out, "could not deliver a reply") && !strings.Contains(out, "bot failed") {
		t.Errorf("the failed reply is not in the log:\n%s", out)
	}
	assertNoSecret(t, out)
}

func TestRedactor(t *testing.T) {
	r := newRedactor(env{SlackSigningSecret: "signing-secret", DB: "postgres://hb:pg-password@db/hb"}.secrets())
	cases := map[string]string{
		`err="Post \"https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe\""`: `err="Post \"https://api.telegram.org/bot[REDACTED]/getMe\""`,
		"token xoxb-1234-5678-abcdEFGH and xapp-1-A1-123-abc":                                           "token [REDACTED] and [REDACTED]",
		"GET /slack/oauth/callback?code=1234.5678.abcd&state=s":                                         "GET /slack/oauth/callback?code=[REDACTED]&state=s",
		"secret signing-secret, url signing-secret%21":                                                  "secret [REDACTED], url [REDACTED]%21",
		"dial postgres://hb:pg-password@db/hb":                                                          "dial postgres://hb:[REDACTED]@db/hb",
		`level=ERROR msg="handler failed" code=EINVALID`:                                                `level=ERROR msg="handler failed" code=EINVALID`,
	}
	for in, want := range cases {
		if got := r.String(in); got != want {
			t.Errorf("redact(%q)\n = %q\nwant %q", in, got, want)
		}
	}
}
