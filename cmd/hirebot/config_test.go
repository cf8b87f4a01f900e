package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hirebot/hirebot/bot"
)

func TestBotRules(t *testing.T) {
	tests := []struct {
		name              string
		env               env
		ttl, every, grace time.Duration
		mods              []bot.Identity
		err               string
	}{
		{name: "defaults", env: env{}},
		{name: "all set", env: env{InviteTTL: "24h", CheckinEvery: "168h", CheckinGrace: "2m", Moderators: "slack:T1:U1, telegram:42"},
			ttl: 24 * time.Hour, every: 168 * time.Hour, grace: 2 * time.Minute,
			mods: []bot.Identity{{Platform: "slack", Workspace: "T1", UserID: "U1"}, {Platform: "telegram", UserID: "42"}}},
		{name: "bad duration", env: env{InviteTTL: "soon"}, err: `HIREBOT_INVITE_TTL="soon" is not a positive duration`},
		{name: "negative duration", env: env{CheckinEvery: "-1h"}, err: "HIREBOT_CHECKIN_EVERY"},
		{name: "bad grace", env: env{CheckinGrace: "a week"}, err: "HIREBOT_CHECKIN_GRACE"},
		{name: "bad moderator", env: env{Moderators: "nobody"}, err: `HIREBOT_MODERATORS: "nobody"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ttl, r, err := botRules(tt.env)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ttl != tt.ttl || r.CheckinEvery != tt.every || r.CheckinGrace != tt.grace {
				t.Errorf("ttl %v every %v grace %v, want %v %v %v", ttl, r.CheckinEvery, r.CheckinGrace, tt.ttl, tt.every, tt.grace)
			}
			if diff := cmp.Diff(tt.mods, r.Moderators); diff != "" {
				t.Errorf("moderators (-want +got):\n%s", diff)
			}
		})
	}
}
