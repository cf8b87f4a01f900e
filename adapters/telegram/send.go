package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hirebot/hirebot/bot"
)

// target is a resolved chat: a numeric ID, or an @channel username.
type target struct {
	id       int64
	username string
}

func (t target) key() string {
	if t.username != "" {
		return t.username
	}
	return strconv.FormatInt(t.id, 10)
}

// group: groups, supergroups and channels have negative IDs; users positive.
func (t target) group() bool { return t.username != "" || t.id < 0 }

func resolve(to bot.Recipient) (target, error) {
	if to.Platform != "" && to.Platform != bot.Telegram {
		return target{}, bot.Errorf(bot.EINVALID, "That recipient is not on Telegram.")
	}
	id := to.ChatID
	if id == "" {
		// A private chat's ID is the person's user ID.
		id = to.UserID
	}
	if strings.HasPrefix(id, "@") && len(id) > 1 {
		return target{username: id}, nil
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n == 0 {
		return target{}, bot.Errorf(bot.EINVALID, "That is not a Telegram chat.")
	}
	return target{id: n}, nil
}

// Send implements bot.Adapter: it delivers r to r.To.ChatID, or to the
// private chat of r.To.UserID. When Telegram refuses (403: the person never
// started the bot or blocked it; the bot was removed from the group) it
// returns an *bot.Error with EREFUSED at once, and Blocked reports the
// chat from then on. A 429 waits retry_after and sends again, as long as
// ctx allows.
func (a *Adapter) Send(ctx context.Context, r bot.Reply) error {
	_, err := a.send(ctx, r)
	return err
}

// send is Send returning the message_id of the last message sent (the one
// that carries the keyboard); 0 when the reply had nothing to show.
func (a *Adapter) send(ctx context.Context, r bot.Reply) (int, error) {
	t, err := resolve(r.To)
	if err != nil {
		return 0, err
	}
	msgs, dropped := render(r)
	for _, b := range dropped {
		a.logger.Error("button dropped: its value must be 1-64 bytes of UTF-8 or an https:// link",
			"label", b.Label, "bytes", len(b.Value))
	}
	last := 0
	reserved := bot.IsPaced(ctx) // the outbox holds the first message's turn
	for i, m := range msgs {
		cfg := tgbotapi.MessageConfig{
			BaseChat:              tgbotapi.BaseChat{ChatID: t.id, ChannelUsername: t.username},
			Text:                  m.Text,
			ParseMode:             tgbotapi.ModeHTML,
			DisableWebPagePreview: true,
		}
		if m.Keyboard != nil {
			cfg.ReplyMarkup = m.Keyboard
		}
		if i > 0 || !reserved {
			if err := a.pacer.wait(ctx, t.key(), t.group()); err != nil {
				return 0, err
			}
		}
		resp, err := a.requestResult(ctx, cfg, t.key())
		if err != nil {
			return 0, err
		}
		var sent tgbotapi.Message
		if json.Unmarshal(resp.Result, &sent) == nil {
			last = sent.MessageID
		}
	}
	return last, nil
}

// request makes one Bot API call. A 429 waits retry_after and tries again
// until ctx ends; a 403 marks chat blocked (when given) and becomes
// EREFUSED; it is never retried.
func (a *Adapter) request(ctx context.Context, c tgbotapi.Chattable, chat string) error {
	_, err := a.requestResult(ctx, c, chat)
	return err
}

// requestResult is request returning the Bot API's answer.
func (a *Adapter) requestResult(ctx context.Context, c tgbotapi.Chattable, chat string) (*tgbotapi.APIResponse, error) {
	for {
		resp, err := a.call(ctx).Request(c)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("telegram: %w", ctx.Err())
		}
		if wait := retryAfter(err); wait > 0 {
			a.logger.Warn("rate limited by Telegram", "chat", chat, "retry_after", wait)
			if err := bot.Sleep(ctx, wait); err != nil {
				return nil, fmt.Errorf("telegram: rate limited: %w", err)
			}
			continue
		}
		var te *tgbotapi.Error
		if errors.As(err, &te) && te.Code == http.StatusForbidden {
			if chat != "" {
				a.setBlocked(chat, true)
			}
			msg := "I can't message that person on Telegram: they haven't started the bot or have blocked it."
			if strings.HasPrefix(chat, "-") || strings.HasPrefix(chat, "@") {
				msg = "I can't post in that Telegram chat any more: the bot was removed or muted there."
			}
			return nil, &bot.Error{Code: bot.EREFUSED, Message: msg, Err: err}
		}
		return nil, fmt.Errorf("telegram: %w", err)
	}
}
