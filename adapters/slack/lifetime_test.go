package slack

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/hirebot/hirebot/adapters/adaptertest"
)

// TestRunFinishesTheEventsInHandAndLeavesNothing: when Run's context ends
// with events in hand (one from Socket Mode, one over HTTP, the bot still
// working on both), Run returns only once both are answered; an event
// after that is refused with 503, for Slack to send again; and no
// goroutine that Run, Socket Mode or the routes started is left.
func TestRunFinishesTheEventsInHandAndLeavesNothing(t *testing.T) {
	f := newFakeSlack(t)
	f.ws = func(conn *websocket.Conn) {
		for _, m := range []string{`{"type":"hello","num_connections":1,"connection_info":{"app_id":"A1"},"debug_info":{"host":"fake"}}`,
			`{"envelope_id":"env-1","type":"events_api","accepts_response_payload":false,"retry_attempt":0,"retry_reason":"",` +
				`"payload":` + eventCallback("T061EG9R6", "EvSock", messageIMJSON) + `}`} {
			if conn.WriteMessage(websocket.TextMessage, []byte(m)) != nil {
				return
			}
		}
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	}
	hold := adaptertest.NewHolder(2)
	b := newFakeBot(hold.Handle)
	a, srv := newTestAdapter(t, f, b, Config{AppToken: "xapp-1-test"}, time.Minute)
	leaks := adaptertest.Goroutines(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()

	if status, body := postEvent(t, srv, eventCallback("T061EG9R6", "EvHTTP", messageIMJSON)); status != http.StatusOK {
		t.Fatalf("event over HTTP: %d %s", status, body)
	}
	hold.Stop(t, 2, cancel, done)
	if n := f.count("chat.postMessage"); n != 2 {
		t.Errorf("%d answers sent when Run returned, want both", n)
	}
	if status, _ := postEvent(t, srv, eventCallback("T061EG9R6", "EvLate", messageIMJSON)); status != http.StatusServiceUnavailable {
		t.Errorf("an event after Run returned got %d, want 503", status)
	}
	for range 2 {
		b.next(t)
	}
	b.none(t)
	leaks()
}
