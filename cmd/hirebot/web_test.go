package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// startServe runs serve with e on a free port and returns its base URL and
// a stop function that returns serve's error.
func startServe(t *testing.T, e env) (string, func() error) {
	t.Helper()
	return startServeOn(t, filepath.Join(t.TempDir(), "h.db"), e)
}

// startServeOn is startServe on the database db.
func startServeOn(t *testing.T, db string, e env) (string, func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, ln, storeConfig{DB: db, SessionTTL: time.Hour}, e, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	return "http://" + ln.Addr().String(), func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second): // a guard against hanging, not a timing check
			t.Fatal("serve did not stop")
			return nil
		}
	}
}

func TestServeWithoutPlatformsIsTheWebChat(t *testing.T) {
	base, stop := startServe(t, env{})
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	var resp *http.Response
	var err error
	for range 100 { // serve is starting
		if resp, err = client.Get(base + "/chat"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Security-Policy") == "" {
		t.Fatalf("GET /chat: %s, CSP %q", resp.Status, resp.Header.Get("Content-Security-Policy"))
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/chat/ws", &websocket.DialOptions{HTTPClient: client})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	if err := ws.Write(ctx, websocket.MessageText, []byte(`{"type":"message","text":"/help"}`)); err != nil {
		t.Fatal(err)
	}
	_, data, err := ws.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Type, HTML string }
	if err := json.Unmarshal(data, &f); err != nil || f.Type != "reply" || !strings.Contains(f.HTML, "/profile") {
		t.Fatalf("/help answered %s (%v)", data, err)
	}
	// Stopping serve closes the page's connection as "going away", so the
	// page reconnects elsewhere.
	if err := stop(); err != nil {
		t.Errorf("serve returned %v", err)
	}
	if _, _, err := ws.Read(ctx); websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Errorf("after the stop the page read %v, want close 1001", err)
	}
}

func TestWebChatSettings(t *testing.T) {
	for name, e := range map[string]env{
		"short secret":     {WebSecret: "short"},
		"origin not a URL": {WebSecret: strings.Repeat("s", 32), WebOrigins: "jobs.example.com"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := withWebChat(nil, e, nil, nil, nil, slog.New(slog.NewTextHandler(io.Discard, nil))); err == nil {
				t.Error("accepted")
			}
		})
	}
}
