package bot_test

import (
	"testing"

	"github.com/hirebot/hirebot/bot"
)

func TestParsePrivacy(t *testing.T) {
	cases := []struct {
		in      string
		want    bot.PrivacyCommand
		wantErr bool
	}{
		{"", bot.PrivacyCommand{}, false},
		{"everyone", bot.PrivacyCommand{Verb: "everyone"}, false},
		{"hide here", bot.PrivacyCommand{Verb: "hide", Here: true}, false},
		{"HIDE Here", bot.PrivacyCommand{Verb: "hide", Here: true}, false},
		{"hide slack:T123", bot.PrivacyCommand{Verb: "hide", Scope: bot.Scope{Platform: bot.Slack, Workspace: "T123"}}, false},
		{"hide Discord:998877", bot.PrivacyCommand{Verb: "hide", Scope: bot.Scope{Platform: bot.Discord, Workspace: "998877"}}, false},
		{"hide T123", bot.PrivacyCommand{Verb: "hide", Scope: bot.Scope{Workspace: "T123"}}, false},
		{"hide chat:-1001", bot.PrivacyCommand{Verb: "hide", Scope: bot.Scope{Workspace: "chat:-1001"}}, false},
		{"unhide slack:T1", bot.PrivacyCommand{Verb: "show", Scope: bot.Scope{Platform: bot.Slack, Workspace: "T1"}}, false},
		{"hide slack:", bot.PrivacyCommand{}, true},
		{"hide", bot.PrivacyCommand{}, true},
		{"hide a b", bot.PrivacyCommand{}, true},
		{"everyone else", bot.PrivacyCommand{}, true},
		{"burn", bot.PrivacyCommand{}, true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := bot.ParsePrivacy(tc.in)
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
		c, err := bot.ParsePrivacy(s)
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
			got, err := bot.ParseIdentity(tc.in)
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
		id, err := bot.ParseIdentity(s)
		if err != nil {
			return
		}
		again, err := bot.ParseIdentity(id.String())
		if err != nil || again != id {
			t.Fatalf("ParseIdentity(%q) = %+v, but its String %q reads back as %+v, %v", s, id, id.String(), again, err)
		}
	})
}
