package slack

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/hirebot/hirebot/bot"
)

// ack is what the client writes back for an envelope.
type ackMsg struct {
	EnvelopeID string          `json:"envelope_id"`
	Payload    json.RawMessage `json:"payload"`
}

func TestSocketMode(t *testing.T) {
	f := newFakeSlack(t)
	b := newFakeBot(func(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
		if ev.Kind == bot.KindForm {
			return []bot.Reply{{Form: &bot.Form{ID: "post", Errors: map[string]string{"budget": "Write an amount."}}}}, nil
		}
		return nil, nil
	})
	envelopes := []string{
		`{"envelope_id":"env-event","type":"events_api","accepts_response_payload":false,"retry_attempt":0,"retry_reason":"",` +
			`"payload":` + eventCallback("T061EG9R6", "EvSock1", messageIMJSON) + `}`,
		`{"envelope_id":"env-command","type":"slash_commands","accepts_response_payload":true,` +
			`"payload":{"token":"x","team_id":"T0001","channel_id":"C1","user_id":"U1","user_name":"steve","command":"/hire","text":"jobs",` +
			`"response_url":"` + f.responseURL("sock") + `","trigger_id":"1.2.3"}}`,
		`{"envelope_id":"env-view","type":"interactive","accepts_response_payload":true,` +
			`"payload":` + viewSubmission(map[string]string{"budget": "lots"}, "") + `}`,
	}
	acks := make(chan ackMsg, len(envelopes))
	f.ws = func(conn *websocket.Conn) {
		if err := conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"hello","num_connections":1,"connection_info":{"app_id":"A1"},"debug_info":{"host":"fake"}}`)); err != nil {
			return
		}
		for _, e := range envelopes {
			if err := conn.WriteMessage(websocket.TextMessage, []byte(e)); err != nil {
				return
			}
		}
		for {
			var a ackMsg
			if err := conn.ReadJSON(&a); err != nil {
				return
			}
			acks <- a
		}
	}
	a, _ := newTestAdapter(t, f, b, Config{AppToken: "xapp-1-test"}, time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()

	got := map[string]ackMsg{}
	for range envelopes {
		select {
		case ack := <-acks:
			got[ack.EnvelopeID] = ack
		case <-time.After(10 * time.Second):
			t.Fatalf("acks so far: %v", got)
		}
	}
	for _, id := range []string{"env-event", "env-command", "env-view"} {
		if _, ok := got[id]; !ok {
			t.Errorf("no ack for %s", id)
		}
	}
	var resp struct {
		ResponseAction string            `json:"response_action"`
		Errors         map[string]string `json:"errors"`
	}
	if err := json.Unmarshal(got["env-view"].Payload, &resp); err != nil || resp.ResponseAction != "errors" || resp.Errors["budget"] != "Write an amount." {
		t.Errorf("view ack %s (%v)", got["env-view"].Payload, err)
	}

	seen := map[string]bot.Event{}
	for range envelopes {
		ev := b.next(t)
		seen[ev.Kind] = ev
	}
	if ev := seen[bot.KindMessage]; ev.ID != "EvSock1" || ev.Text != "Hello hello can you hear me?" {
		t.Errorf("message %+v", ev)
	}
	if ev := seen[bot.KindCommand]; ev.Command != "jobs" {
		t.Errorf("command %+v", ev)
	}
	if open := f.next(t); open.Method != "apps.connections.open" || open.Token != "xapp-1-test" {
		t.Errorf("open %+v", open)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

func TestRunWithoutAppTokenWaits(t *testing.T) {
	f := newFakeSlack(t)
	a, _ := newTestAdapter(t, f, newFakeBot(nil), Config{}, 0)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if len(f.got) != 0 {
		t.Error("Run called Slack without an app token")
	}
}
