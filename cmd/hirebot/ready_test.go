package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
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

// checkedPlatform counts the credential checks it is asked and answers
// with err.
type checkedPlatform struct {
	mu     sync.Mutex
	checks int
	err    error
}

func (p *checkedPlatform) Platform() string                      { return bot.Slack }
func (p *checkedPlatform) Send(context.Context, bot.Reply) error { return nil }
func (p *checkedPlatform) Routes(*http.ServeMux)                 {}
func (p *checkedPlatform) Run(ctx context.Context) error         { <-ctx.Done(); return nil }
func (p *checkedPlatform) count() int                            { p.mu.Lock(); defer p.mu.Unlock(); return p.checks }
func (p *checkedPlatform) Check(context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.checks++
	return p.err
}

// TestReadyzAsksPlatformsOnlyWhenAsked: /readyz starts from the start's
// credential check, asks the platforms again only when its answer is older
// than the probe period and someone asks, in the background, at most once
// a period however often it is asked; an idle process calls no platform.
func TestReadyzAsksPlatformsOnlyWhenAsked(t *testing.T) {
	s, err := openStores(t.Context(), storeConfig{DB: filepath.Join(t.TempDir(), "h.db"), SessionTTL: time.Hour}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := &checkedPlatform{}
	rd := newReadiness(s, []platform{p}, map[string]string{bot.Slack: "Slack's auth.test did not answer."}, slog.New(slog.DiscardHandler))
	rd.every = time.Hour
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- rd.Run(ctx) }()
	defer func() { cancel(); <-done }()
	get := func() (int, string) {
		w := httptest.NewRecorder()
		rd.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		return w.Code, w.Body.String()
	}

	for range 5 {
		if code, body := get(); code != http.StatusServiceUnavailable || !strings.Contains(body, "slack: Slack's auth.test did not answer.") {
			t.Fatalf("/readyz after a start that could not reach Slack: %d %q", code, body)
		}
	}
	if n := p.count(); n != 0 {
		t.Fatalf("Slack was asked %d times within the probe period, want 0", n)
	}

	// The period has passed: the next /readyz asks Slack again, once.
	rd.mu.Lock()
	rd.asked = time.Now().Add(-2 * time.Hour)
	rd.mu.Unlock()
	for range 5 {
		get()
	}
	var code int
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if code, _ = get(); code == http.StatusOK {
			break
		}
	}
	if code != http.StatusOK {
		t.Fatalf("/readyz after Slack answered again: %d", code)
	}
	if n := p.count(); n != 1 {
		t.Errorf("Slack was asked %d times for %d probes in one period, want 1", n, 10)
	}
}
