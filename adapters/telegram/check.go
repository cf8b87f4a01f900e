package telegram

import (
	"context"
	"errors"
	"net/http"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hirebot/hirebot/bot"
)

// Check asks Telegram whether the bot token is good (getMe). It returns an
// *bot.Error with EUNAUTHORIZED when Telegram refuses the token,
// EUNAVAILABLE when the Bot API cannot be reached.
func (a *Adapter) Check(ctx context.Context) error {
	_, err := a.call(ctx).GetMe()
	return checkError(err)
}

// checkError sorts a getMe failure into a refused token and an unreachable
// Bot API.
func checkError(err error) error {
	if err == nil {
		return nil
	}
	var te *tgbotapi.Error
	if errors.As(err, &te) && (te.Code == http.StatusUnauthorized || te.Code == http.StatusNotFound) {
		// The Bot API answers 404 to a token of the wrong shape.
		return &bot.Error{Code: bot.EUNAUTHORIZED, Message: "Telegram refused the bot token (" + te.Message + "): copy it again from @BotFather", Err: err}
	}
	return &bot.Error{Code: bot.EUNAVAILABLE, Message: "the Telegram Bot API did not answer getMe: check the API URL and the network", Err: hideToken(err)}
}
