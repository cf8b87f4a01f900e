package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestDrainingRefusesEvents: once the process is stopping, /readyz says so
// and every platform route answers 503 so the platform delivers again;
// /healthz still answers.
func TestDrainingRefusesEvents(t *testing.T) {
	rd := &readiness{problems: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {})
	mux.Handle("GET /readyz", rd)
	h := refuseWhileDraining(rd, mux)
	get := func(method, path string) (int, string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(method, path, nil))
		return w.Code, w.Body.String()
	}
	if code, _ := get(http.MethodPost, "/slack/events"); code != http.StatusOK {
		t.Errorf("before the stop: %d", code)
	}
	rd.Drain()
	for _, path := range []string{"/slack/events", "/telegram/webhook", "/discord/interactions"} {
		if code, _ := get(http.MethodPost, path); code != http.StatusServiceUnavailable {
			t.Errorf("POST %s while stopping: %d, want 503", path, code)
		}
	}
	if code, body := get(http.MethodGet, "/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "shutting down") {
		t.Errorf("/readyz while stopping: %d %q", code, body)
	}
	if code, _ := get(http.MethodGet, "/healthz"); code != http.StatusOK {
		t.Errorf("/healthz while stopping: %d", code)
	}
}
