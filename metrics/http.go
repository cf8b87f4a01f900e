package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// slackStale is how old a signed Slack request may be (Slack's own rule,
// applied by its SDK in the adapter); an older one refused with 401 is
// counted as stale rather than as a bad signature.
const slackStale = 5 * time.Minute

// Refusals wraps the handler of the platform routes and counts the
// requests they refuse, by platform (the first segment of the path, when
// it is one of platforms) and reason: 401 and 403 are "bad_signature" (or
// "stale" for a Slack request whose timestamp is too old), 413
// "too_large", 400 "malformed".
func (m *Metrics) Refusals(next http.Handler, platforms ...string) http.Handler {
	known := make(map[string]bool, len(platforms))
	for _, p := range platforms {
		known[p] = true
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		platform, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
		if !known[platform] {
			next.ServeHTTP(w, r)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if reason := refusal(platform, rec.status, r, time.Now()); reason != "" {
			m.EventRefused(platform, reason)
		}
	})
}

// refusal names the reason a platform request got status, or "" when it
// was not refused.
func refusal(platform string, status int, r *http.Request, now time.Time) string {
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden:
		if platform == "slack" {
			if ts, err := strconv.ParseInt(r.Header.Get("X-Slack-Request-Timestamp"), 10, 64); err == nil {
				if d := now.Sub(time.Unix(ts, 0)); d > slackStale || d < -slackStale {
					return "stale"
				}
			}
		}
		return "bad_signature"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusBadRequest:
		return "malformed"
	}
	return ""
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer (flushes,
// deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
