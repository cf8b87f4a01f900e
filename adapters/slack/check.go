package slack

import (
	"context"
	"errors"

	"github.com/slack-go/slack"

	"github.com/hirebot/hirebot/bot"
)

// Check asks Slack whether the bot token is good (auth.test). It returns an
// *bot.Error with EUNAUTHORIZED when Slack refuses the token, EUNAVAILABLE
// when Slack cannot be reached. Without a bot token (workspaces installed
// through OAuth only) there is no token to check; the app token of Socket
// Mode is checked when Run connects.
func (a *Adapter) Check(ctx context.Context) error {
	if a.cfg.BotToken == "" {
		return nil
	}
	c := slack.New(a.cfg.BotToken, slack.OptionAPIURL(a.cfg.APIURL), slack.OptionHTTPClient(a.http))
	_, err := c.AuthTestContext(ctx)
	if err == nil {
		return nil
	}
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type":
			return &bot.Error{Code: bot.EUNAUTHORIZED, Message: "Slack refused the bot token (" + se.Err + "): use the Bot User OAuth Token (xoxb-) from the app's OAuth & Permissions page", Err: err}
		}
	}
	return &bot.Error{Code: bot.EUNAVAILABLE, Message: "Slack's auth.test did not answer: check the API URL and the network", Err: err}
}
