package discord

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/bwmarrin/discordgo"

	"github.com/hirebot/hirebot/bot"
)

// Check asks Discord for the bot's current application (GET
// /applications/@me). It returns an *bot.Error with EUNAUTHORIZED when
// Discord refuses the token or the application is not the configured one,
// EUNAVAILABLE when Discord cannot be reached.
func (a *Adapter) Check(ctx context.Context) error {
	var body []byte
	err := a.do(ctx, func(opts ...discordgo.RequestOption) error {
		var err error
		me := discordgo.EndpointApplication("@me")
		body, err = a.session.RequestWithBucketID(http.MethodGet, me, nil, me, opts...)
		return err
	})
	var re *discordgo.RESTError
	switch {
	case errors.As(err, &re) && re.Response != nil && (re.Response.StatusCode == http.StatusUnauthorized || re.Response.StatusCode == http.StatusForbidden):
		return &bot.Error{Code: bot.EUNAUTHORIZED, Message: "Discord refused the bot token: copy it again from the Bot page of the application in the Developer Portal", Err: err}
	case err != nil:
		return &bot.Error{Code: bot.EUNAVAILABLE, Message: "Discord did not answer: check the API URL and the network", Err: err}
	}
	var app struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &app); err != nil {
		return &bot.Error{Code: bot.EUNAVAILABLE, Message: "Discord's answer about the application was not understood", Err: err}
	}
	// An answer that names no application cannot contradict the setting;
	// only a different ID is a mismatch.
	if a.cfg.AppID != "" && app.ID != "" && app.ID != a.cfg.AppID {
		return &bot.Error{Code: bot.EUNAUTHORIZED, Message: "the bot token belongs to application " + app.ID + ", not to the configured application ID " + a.cfg.AppID}
	}
	return nil
}
