package main

import (
	"bytes"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// secretShapes are secrets recognised by their look, for the ones hirebot
// was not configured with: the token of another Slack workspace installed
// through OAuth, a Telegram token in a Bot API URL, the one-time code and
// any token or secret in a URL's query.
var secretShapes = []*regexp.Regexp{
	regexp.MustCompile(`xox[abeoprs]-[A-Za-z0-9-]{6,}`),                                    // Slack bot, user, refresh tokens
	regexp.MustCompile(`xapp-[A-Za-z0-9-]{6,}`),                                            // Slack app-level token
	regexp.MustCompile(`\d{5,}:[A-Za-z0-9_-]{30,}`),                                        // Telegram bot token
	regexp.MustCompile(`(?i)([?&](?:code|token|secret|client_secret|password)=)[^&\s"']+`), // in a URL query or a form
	regexp.MustCompile(`(?i)(Authorization: *(?:Bot|Bearer) )[^\s"']+`),
}

// redacted stands for every secret hirebot takes out of what it writes.
const redacted = "[REDACTED]"

// secrets lists what the configuration holds that must never be written to
// a log: tokens, signing secrets, the webhook secret, the passwords in the
// database and Redis URLs.
func (e env) secrets() []string {
	var out []string
	for _, s := range []string{
		e.SlackSigningSecret, e.SlackBotToken, e.SlackAppToken, e.SlackClientSecret,
		e.DiscordBotToken, e.TelegramBotToken, e.TelegramWebhookSecret, e.WebSecret,
		urlPassword(e.DB), urlPassword(e.RedisURL),
	} {
		// Very short values would blank ordinary words; the shapes above
		// still catch real tokens.
		if len(s) >= 6 {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) }) // longest first
	return out
}

func urlPassword(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return ""
	}
	p, _ := u.User.Password()
	return p
}

// redactor takes secrets out of text.
type redactor struct {
	replace *strings.Replacer
}

func newRedactor(secrets []string) *redactor {
	pairs := make([]string, 0, 2*len(secrets))
	for _, s := range secrets {
		pairs = append(pairs, s, redacted)
		// The same secret escaped in a URL or in JSON.
		if q := url.QueryEscape(s); q != s {
			pairs = append(pairs, q, redacted)
		}
	}
	return &redactor{replace: strings.NewReplacer(pairs...)}
}

// String returns s without the configured secrets and without anything that
// looks like one.
func (r *redactor) String(s string) string {
	s = r.replace.Replace(s)
	for _, re := range secretShapes {
		if re.NumSubexp() > 0 {
			s = re.ReplaceAllString(s, "${1}"+redacted)
		} else {
			s = re.ReplaceAllString(s, redacted)
		}
	}
	return s
}

// redactWriter is the process's log and error output with the secrets taken
// out. slog writes one record per Write, and errors are printed with one
// Fprintln, so a secret is never split between two writes.
type redactWriter struct {
	mu sync.Mutex
	w  io.Writer
	r  *redactor
}

func newRedactWriter(w io.Writer, secrets []string) *redactWriter {
	return &redactWriter{w: w, r: newRedactor(secrets)}
}

func (rw *redactWriter) Write(p []byte) (int, error) {
	clean := rw.r.String(string(p))
	rw.mu.Lock()
	defer rw.mu.Unlock()
	if _, err := io.Copy(rw.w, bytes.NewBufferString(clean)); err != nil {
		return 0, err
	}
	return len(p), nil
}
