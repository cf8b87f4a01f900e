package slack

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bench/cpu"
	"github.com/hirebot/hirebot/bot"
)

// BenchmarkServeEvent measures the acknowledged path of one message.im:
// signature check, parsing, translation (the bot runs after the ack).
func BenchmarkServeEvent(b *testing.B) {
	f := newFakeSlack(b)
	a, _ := newTestAdapter(b, f, newFakeBot(nil), Config{}, 0)
	// The bot does nothing: only the path to the ack is measured.
	a.handler = func(context.Context, bot.Event) ([]bot.Reply, error) { return nil, nil }
	mux := http.NewServeMux()
	a.Routes(mux)
	body := eventCallback("T061EG9R6", "Ev1", messageIMJSON)
	b.ReportAllocs()
	defer cpu.PerOp(b)()
	for b.Loop() {
		req := signedRequest(b, "/slack/events", "application/json", body, time.Now(), testSecret)
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkReplyBlocks measures rendering a match list: text, five cards,
// three buttons.
func BenchmarkReplyBlocks(b *testing.B) {
	r := bot.Reply{Text: "5 freelancers match *Logo design*", Buttons: []bot.Button{{Label: "Invite", Value: "/invite 7 1"}, {Label: "Shortlist", Value: "/shortlist 7 1"}, {Label: "View", Value: "/profile 1"}}}
	for range 5 {
		r.Cards = append(r.Cards, bot.Card{Title: "Ana <Ruiz>", Fields: []bot.Field{{Label: "Rate", Value: "$40/h"}, {Label: "Why", Value: "figma & illustrator"}}})
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = replyBlocks(r)
	}
}
