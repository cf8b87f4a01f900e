package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hirebot/hirebot/bot"
)

func TestEnvironmentDurationsAndCounts(t *testing.T) {
	tests := []struct {
		name string
		vars map[string]string
		want func(env) bool
		err  []string
	}{
		{name: "defaults", vars: nil, want: func(e env) bool {
			return e.SessionTTL == 0 && e.InviteTTL == 0 && e.CheckinEvery == 0 && e.CheckinGrace == 0 && e.DiscordShards == 0
		}},
		{name: "all set", vars: map[string]string{"HIREBOT_SESSION_TTL": "1h", "HIREBOT_INVITE_TTL": "24h",
			"HIREBOT_CHECKIN_EVERY": "168h", "HIREBOT_CHECKIN_GRACE": "2m", "HIREBOT_DISCORD_SHARDS": "4"}, want: func(e env) bool {
			return e.SessionTTL == time.Hour && e.InviteTTL == 24*time.Hour && e.CheckinEvery == 168*time.Hour &&
				e.CheckinGrace == 2*time.Minute && e.DiscordShards == 4
		}},
		{name: "bad duration", vars: map[string]string{"HIREBOT_INVITE_TTL": "soon"},
			err: []string{`HIREBOT_INVITE_TTL="soon" is not a positive duration`}},
		{name: "negative duration", vars: map[string]string{"HIREBOT_CHECKIN_EVERY": "-1h"}, err: []string{"HIREBOT_CHECKIN_EVERY"}},
		{name: "every bad value is named", vars: map[string]string{"HIREBOT_CHECKIN_GRACE": "a week", "HIREBOT_SESSION_TTL": "0s",
			"HIREBOT_DISCORD_SHARDS": "two"}, err: []string{"HIREBOT_CHECKIN_GRACE", "HIREBOT_SESSION_TTL", `HIREBOT_DISCORD_SHARDS="two"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := environment(func(k string) string { return tt.vars[k] })
			if len(tt.err) > 0 {
				for _, want := range tt.err {
					if err == nil || !strings.Contains(err.Error(), want) {
						t.Errorf("err = %v, want it to say %q", err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.want(e) {
				t.Errorf("env %+v", e)
			}
		})
	}
}

func TestBotRules(t *testing.T) {
	tests := []struct {
		name string
		env  env
		mods []bot.Identity
		err  string
	}{
		{name: "defaults", env: env{}},
		{name: "all set", env: env{InviteTTL: 24 * time.Hour, CheckinEvery: 168 * time.Hour, CheckinGrace: 2 * time.Minute, Moderators: "slack:T1:U1, telegram:42"},
			mods: []bot.Identity{{Platform: "slack", Workspace: "T1", UserID: "U1"}, {Platform: "telegram", UserID: "42"}}},
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
			if ttl != tt.env.InviteTTL || r.CheckinEvery != tt.env.CheckinEvery || r.CheckinGrace != tt.env.CheckinGrace {
				t.Errorf("ttl %v every %v grace %v, want those of %+v", ttl, r.CheckinEvery, r.CheckinGrace, tt.env)
			}
			if diff := cmp.Diff(tt.mods, r.Moderators); diff != "" {
				t.Errorf("moderators (-want +got):\n%s", diff)
			}
		})
	}
}
