package discord

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/hirebot/hirebot/bot"
)

func TestCheck(t *testing.T) {
	cases := []struct {
		name string
		c    *canned
		code string // "" when the check passes
	}{
		{"the configured application", &canned{status: http.StatusOK, body: `{"id":"APP","name":"hirebot"}`}, ""},
		{"an answer naming no application", &canned{status: http.StatusOK, body: `{}`}, ""},
		{"another application", &canned{status: http.StatusOK, body: `{"id":"OTHER"}`}, bot.EUNAUTHORIZED},
		{"a refused token", &canned{status: http.StatusUnauthorized, body: `{"message":"401: Unauthorized","code":0}`}, bot.EUNAUTHORIZED},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeDiscord(t)
			f.enqueue("GET /api/v9/applications/@me", *tc.c)
			a, _ := testAdapter(t, f, newFakeHandler(nil), nil)
			err := a.Check(context.Background())
			var be *bot.Error
			switch {
			case tc.code == "" && err != nil:
				t.Fatalf("Check: %v, want nil", err)
			case tc.code != "" && (!errors.As(err, &be) || be.Code != tc.code):
				t.Fatalf("Check: %v, want a %s error", err, tc.code)
			}
		})
	}
}
