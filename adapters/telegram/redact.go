package telegram

import (
	"errors"
	"net/url"
	"regexp"
)

// botPath is the part of a Bot API URL that carries the token:
// <api>/bot<token>/<method>.
var botPath = regexp.MustCompile(`/bot[^/]+/`)

// hideToken takes the bot token out of an HTTP client error, whose URL
// carries it, so no log line or returned error shows the token.
func hideToken(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	clean := *ue
	clean.URL = botPath.ReplaceAllString(ue.URL, "/bot[REDACTED]/")
	return &clean
}
