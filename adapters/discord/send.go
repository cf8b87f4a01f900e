package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/hirebot/hirebot/bot"
)

// Send delivers a reply addressed to a chat or a person on Discord: to
// To.ChatID, or to a DM opened with To.UserID. A private reply with a
// UserID goes to the DM, since a channel message outside an interaction
// cannot be ephemeral. A refusal (the person closed their DMs, the channel
// is gone) returns an *bot.Error with EREFUSED and is not retried.
func (a *Adapter) Send(ctx context.Context, r bot.Reply) error {
	_, err := a.Post(ctx, r)
	return err
}

// refusalCodes are Discord JSON error codes that mean "this will never be
// delivered as asked": retrying only earns invalid-request strikes.
var refusalCodes = map[int]bool{
	discordgo.ErrCodeCannotSendMessagesToThisUser: true, // 50007: DMs closed, or blocked the bot
	discordgo.ErrCodeMissingAccess:                true, // 50001
	discordgo.ErrCodeMissingPermissions:           true, // 50013
	discordgo.ErrCodeUnknownChannel:               true, // 10003
	discordgo.ErrCodeUnknownUser:                  true, // 10013
}

// deliveryError maps a REST failure to a bot error.
func (a *Adapter) deliveryError(what string, err error) error {
	var be *bot.Error
	if errors.As(err, &be) {
		return err
	}
	var re *discordgo.RESTError
	if errors.As(err, &re) {
		code := 0
		if re.Message != nil {
			code = re.Message.Code
		}
		if refusalCodes[code] || re.Response.StatusCode == http.StatusForbidden {
			return &bot.Error{Code: bot.EREFUSED, Message: "Discord would not deliver the message to that person or channel.", Err: err}
		}
	}
	return &bot.Error{Code: bot.EINTERNAL, Message: "Discord could not " + what + ".", Err: err}
}

// do runs one REST call and, when Discord answers 429, waits Retry-After
// (bounded by ctx and by maxRateLimitWaits) and calls again. discordgo's own
// retry sleeps without a context and retries forever, so it is switched off.
func (a *Adapter) do(ctx context.Context, call func(opts ...discordgo.RequestOption) error) error {
	for waits := 0; ; waits++ {
		err := call(discordgo.WithContext(ctx))
		var rl *discordgo.RateLimitError
		if !errors.As(err, &rl) {
			return err
		}
		if waits >= a.maxRateLimitWaits {
			return &bot.Error{Code: bot.EUNAVAILABLE, Message: "Discord is busy; please try again in a minute.", Err: err}
		}
		wait := rl.RetryAfter
		if wait <= 0 {
			wait = time.Second
		}
		a.log.Info("rate limited", "url", rl.URL, "retry_after", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// normalizeRateLimit makes a 429's body carry retry_after in the JSON shape
// discordgo decodes, taking the larger of the body's value and the
// Retry-After header; a 429 from a proxy has no JSON body at all, and
// without this discordgo would fail to decode it and never wait.
func normalizeRateLimit(resp *http.Response) {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	var body struct {
		Message    string  `json:"message"`
		RetryAfter float64 `json:"retry_after"`
		Global     bool    `json:"global"`
	}
	if json.Unmarshal(raw, &body) != nil {
		body.Message = "rate limited"
	}
	if h, err := strconv.ParseFloat(resp.Header.Get("Retry-After"), 64); err == nil && h > body.RetryAfter {
		body.RetryAfter = h
	}
	if body.RetryAfter <= 0 {
		body.RetryAfter = 1
	}
	out, _ := json.Marshal(body)
	resp.Body = io.NopCloser(bytes.NewReader(out))
	resp.ContentLength = int64(len(out))
	resp.Header.Set("Content-Type", "application/json")
	resp.Header.Del("Content-Length")
}
