package hire_test

import (
	"testing"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
)

func TestParsePrivacy(t *testing.T) {
	cases := []struct {
		in      string
		want    hire.PrivacyCommand
		wantErr bool
	}{
		{"", hire.PrivacyCommand{}, false},
		{"everyone", hire.PrivacyCommand{Verb: "everyone"}, false},
		{"hide here", hire.PrivacyCommand{Verb: "hide", Here: true}, false},
		{"HIDE Here", hire.PrivacyCommand{Verb: "hide", Here: true}, false},
		{"hide slack:T123", hire.PrivacyCommand{Verb: "hide", Scope: bot.Scope{Platform: bot.Slack, Workspace: "T123"}}, false},
		{"hide Discord:998877", hire.PrivacyCommand{Verb: "hide", Scope: bot.Scope{Platform: bot.Discord, Workspace: "998877"}}, false},
		{"hide T123", hire.PrivacyCommand{Verb: "hide", Scope: bot.Scope{Workspace: "T123"}}, false},
		{"hide chat:-1001", hire.PrivacyCommand{Verb: "hide", Scope: bot.Scope{Workspace: "chat:-1001"}}, false},
		{"unhide slack:T1", hire.PrivacyCommand{Verb: "show", Scope: bot.Scope{Platform: bot.Slack, Workspace: "T1"}}, false},
		{"hide slack:", hire.PrivacyCommand{}, true},
		{"hide", hire.PrivacyCommand{}, true},
		{"hide a b", hire.PrivacyCommand{}, true},
		{"everyone else", hire.PrivacyCommand{}, true},
		{"burn", hire.PrivacyCommand{}, true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := hire.ParsePrivacy(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParsePrivacy(%q) = %+v, %v; want %+v, error %v", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func FuzzParsePrivacy(f *testing.F) {
	for _, s := range []string{"", "hide here", "hide slack:T1", "show T1", "everyone", "hide :"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := hire.ParsePrivacy(s)
		if err != nil {
			if bot.ErrorCode(err) != bot.EINVALID {
				t.Fatalf("ParsePrivacy(%q): code %q", s, bot.ErrorCode(err))
			}
			return
		}
		if (c.Verb == "hide" || c.Verb == "show") && !c.Here && c.Scope.Workspace == "" {
			t.Fatalf("ParsePrivacy(%q) = %+v: a rule without a workspace", s, c)
		}
	})
}

func TestParseIdentity(t *testing.T) {
	cases := []struct {
		in      string
		want    bot.Identity
		wantErr bool
	}{
		{"telegram:42", bot.Identity{Platform: bot.Telegram, UserID: "42"}, false},
		{"Slack:T1:U9", bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: "U9"}, false},
		{"console:ann", bot.Identity{Platform: bot.Console, UserID: "ann"}, false},
		{"icq:1", bot.Identity{}, true},
		{"slack:T1:", bot.Identity{}, true},
		{"slack", bot.Identity{}, true},
		{"a:b:c:d", bot.Identity{}, true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := hire.ParseIdentity(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ParseIdentity(%q) = %+v, %v; want %+v, error %v", tc.in, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func FuzzParseIdentity(f *testing.F) {
	for _, s := range []string{"telegram:42", "slack:T1:U1", "x", "discord::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := hire.ParseIdentity(s)
		if err != nil {
			return
		}
		again, err := hire.ParseIdentity(id.String())
		if err != nil || again != id {
			t.Fatalf("ParseIdentity(%q) = %+v, but its String %q reads back as %+v, %v", s, id, id.String(), again, err)
		}
	})
}
