package discord

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
)

func TestSend(t *testing.T) {
	tests := []struct {
		name  string
		reply bot.Reply
		want  []string // "METHOD path" in order
	}{
		{"to a channel", bot.Reply{To: bot.Recipient{Platform: bot.Discord, ChatID: "C5"}, Text: "New gig: *Logo*"},
			[]string{"POST /api/v9/channels/C5/messages"}},
		{"to a person", bot.Reply{To: bot.Recipient{Platform: bot.Discord, UserID: "U7"}, Text: "You were shortlisted"},
			[]string{"POST /api/v9/users/@me/channels", "POST /api/v9/channels/DM1/messages"}},
		{"private goes to the DM, not the channel", bot.Reply{To: bot.Recipient{Platform: bot.Discord, ChatID: "C5", UserID: "U7"}, Text: "Only you", Private: true},
			[]string{"POST /api/v9/users/@me/channels", "POST /api/v9/channels/DM1/messages"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeDiscord(t)
			a, _ := testAdapter(t, f, newFakeHandler(nil), nil)
			if err := a.Send(context.Background(), tt.reply); err != nil {
				t.Fatal(err)
			}
			var got []string
			for range tt.want {
				r := f.next(t)
				got = append(got, r.Method+" "+r.Path)
				if r.Auth != "Bot tok" {
					t.Errorf("authorization %q", r.Auth)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSendRefused(t *testing.T) {
	tests := []struct {
		name   string
		key    string
		status int
		body   string
	}{
		{"DMs closed (50007)", "POST /api/v9/channels/DM1/messages", 403, `{"message":"Cannot send messages to this user","code":50007}`},
		{"unknown user on DM open (10013)", "POST /api/v9/users/@me/channels", 400, `{"message":"Unknown User","code":10013}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeDiscord(t)
			a, _ := testAdapter(t, f, newFakeHandler(nil), nil)
			f.enqueue(tt.key, canned{status: tt.status, body: tt.body})
			err := a.Send(context.Background(), bot.Reply{To: bot.Recipient{Platform: bot.Discord, UserID: "U7"}, Text: "Hi"})
			var be *bot.Error
			if !errors.As(err, &be) || be.Code != bot.EREFUSED {
				t.Fatalf("err = %v, want EREFUSED", err)
			}
			if n := len(f.calls(tt.key)); n != 1 {
				t.Errorf("%s called %d times, want once (no retry)", tt.key, n)
			}
		})
	}
}

func TestSendRateLimited(t *testing.T) {
	tests := []struct {
		name string
		resp canned
	}{
		{"discord 429 with retry_after and Retry-After", canned{status: 429,
			header: map[string]string{"Retry-After": "1", "X-RateLimit-Scope": "user"},
			body:   `{"message":"You are being rate limited.","retry_after":0.2,"global":false}`}},
		{"proxy 429 without a JSON body", canned{status: 429, header: map[string]string{"Retry-After": "1"}, body: "slow down"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeDiscord(t)
			a, _ := testAdapter(t, f, newFakeHandler(nil), nil)
			key := "POST /api/v9/channels/C5/messages"
			f.enqueue(key, tt.resp)
			err := a.Send(context.Background(), bot.Reply{To: bot.Recipient{Platform: bot.Discord, ChatID: "C5"}, Text: "Hi"})
			if err != nil {
				t.Fatal(err)
			}
			calls := f.calls(key)
			if len(calls) != 2 {
				t.Fatalf("%d calls, want a 429 then one delivery", len(calls))
			}
			if string(calls[0].Body) != string(calls[1].Body) {
				t.Errorf("retry sent a different body")
			}
		})
	}
}

func TestSendRateLimitBoundedByContext(t *testing.T) {
	f := newFakeDiscord(t)
	a, _ := testAdapter(t, f, newFakeHandler(nil), nil)
	key := "POST /api/v9/channels/C5/messages"
	f.enqueue(key, canned{status: 429, body: `{"message":"You are being rate limited.","retry_after":3600,"global":true}`})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		f.next(t) // the 429 arrived: give up waiting
		cancel()
	}()
	err := a.Send(ctx, bot.Reply{To: bot.Recipient{Platform: bot.Discord, ChatID: "C5"}, Text: "Hi"})
	if err == nil {
		t.Fatal("delivered during an hour-long rate limit")
	}
	if n := len(f.calls(key)); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

func TestSendRateLimitGivesUp(t *testing.T) {
	f := newFakeDiscord(t)
	a, _ := testAdapter(t, f, newFakeHandler(nil), nil)
	a.maxRateLimitWaits = 2
	key := "POST /api/v9/channels/C5/messages"
	for range 5 {
		f.enqueue(key, canned{status: 429, body: `{"message":"You are being rate limited.","retry_after":0.001}`})
	}
	err := a.Send(context.Background(), bot.Reply{To: bot.Recipient{Platform: bot.Discord, ChatID: "C5"}, Text: "Hi"})
	if bot.ErrorCode(err) != bot.EUNAVAILABLE {
		t.Fatalf("err = %v, want EUNAVAILABLE", err)
	}
	if n := len(f.calls(key)); n != 3 {
		t.Errorf("%d calls, want 3 (two waits)", n)
	}
}

func TestRegister(t *testing.T) {
	tests := []struct{ guild, path string }{
		{"", "/api/v9/applications/APP/commands"},
		{"G1", "/api/v9/applications/APP/guilds/G1/commands"},
	}
	for _, tt := range tests {
		t.Run("guild "+tt.guild, func(t *testing.T) {
			f := newFakeDiscord(t)
			a, _ := testAdapter(t, f, newFakeHandler(nil), nil)
			if err := a.Register(context.Background(), tt.guild); err != nil {
				t.Fatal(err)
			}
			r := f.next(t)
			if r.Method != "PUT" || r.Path != tt.path {
				t.Fatalf("%s %s, want PUT %s", r.Method, r.Path, tt.path)
			}
			var cmds []*discordgo.ApplicationCommand
			if err := json.Unmarshal(r.Body, &cmds); err != nil || len(cmds) != 1 || cmds[0].Name != "hire" || len(cmds[0].Options) != len(Commands()[0].Options) {
				t.Errorf("body %s (%v)", r.Body, err)
			}
		})
	}
}
