package web

import (
	"context"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/hirebot/hirebot/adapters/adaptertest"
)

// TestRunWaitsForTheTurnInHand: when Run's context ends while a page's
// turn is in hand, Run tells the page it is going away and returns only
// once the turn is done; a page that opens after is turned away; and
// nothing Run or the pages' handlers started is left running.
func TestRunWaitsForTheTurnInHand(t *testing.T) {
	hold := adaptertest.NewHolder(1)
	a, srv := plainChat(t, hold.Handle)
	browser := browse(t, srv.URL)
	ws, resp, err := dialSocket(t, browser, srv.URL, "", srv.URL)
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, resp)
	}
	leaks := adaptertest.Goroutines(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	write(t, ws, map[string]any{"type": "message", "id": "f1", "text": "hello"})
	closed := make(chan error, 1)
	go func() { // the page reads, and so answers the closing handshake
		for {
			if _, _, err := ws.Read(context.Background()); err != nil {
				closed <- err
				return
			}
		}
	}()
	hold.Stop(t, 1, cancel, done)
	if err := <-closed; websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Errorf("the open page was closed with %v, want going away", err)
	}

	late, resp, err := dialSocket(t, browser, srv.URL, "", srv.URL)
	if err != nil {
		t.Fatalf("dial after Run: %v (%v)", err, resp)
	}
	read, stop := context.WithTimeout(context.Background(), 20*time.Second) // a hang guard
	defer stop()
	if _, _, err := late.Read(read); websocket.CloseStatus(err) != websocket.StatusGoingAway {
		t.Errorf("a page opened after Run got %v, want going away", err)
	}
	leaks()
}
