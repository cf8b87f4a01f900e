package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hirebot/hirebot/bot"
)

// Gig boards in groups: posting a gig and getting its message_id back,
// editing it later, deep links to apply in private, and telling the bot
// who administers a group.

var (
	_ bot.Poster     = (*Adapter)(nil)
	_ bot.Editor     = (*Adapter)(nil)
	_ bot.DeepLinker = (*Adapter)(nil)
)

// DeepLink returns https://t.me/<bot>?start=<payload>: opening it starts a
// private chat with the bot that sends "/start <payload>". Telegram allows
// up to 64 characters of A-Z, a-z, 0-9, _ and - in a payload; anything
// else gives "".
func (a *Adapter) DeepLink(payload string) string {
	if payload == "" || len(payload) > 64 || strings.TrimLeft(payload, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != "" {
		return ""
	}
	name := a.BotUsername()
	if name == "" {
		return ""
	}
	return "https://t.me/" + url.PathEscape(name) + "?start=" + payload
}

// Post delivers r like Send and returns the message_id of the message
// that carries its keyboard, so it can be edited later.
func (a *Adapter) Post(ctx context.Context, r bot.Reply) (string, error) {
	id, err := a.send(ctx, r)
	if err != nil {
		return "", err
	}
	if id == 0 {
		return "", nil
	}
	return strconv.Itoa(id), nil
}

// Edit replaces the text and keyboard of message ref in to's chat with r;
// a reply without buttons removes the keyboard. Only the first part of a
// reply too long for one message is shown.
func (a *Adapter) Edit(ctx context.Context, to bot.Recipient, ref string, r bot.Reply) error {
	t, err := resolve(to)
	if err != nil {
		return err
	}
	msgID, err := strconv.Atoi(ref)
	if err != nil || msgID <= 0 {
		return bot.Errorf(bot.EINVALID, "%q is not a Telegram message.", ref)
	}
	msgs, _ := render(r)
	if len(msgs) == 0 {
		return bot.Errorf(bot.EINVALID, "An edit needs some text.")
	}
	if len(msgs) > 1 {
		a.logger.Warn("edit too long for one message; only its first part is shown", "chat", t.key(), "parts", len(msgs))
	}
	kb := msgs[len(msgs)-1].Keyboard
	if kb == nil {
		kb = &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}}
	}
	cfg := tgbotapi.EditMessageTextConfig{
		BaseEdit:              tgbotapi.BaseEdit{ChatID: t.id, ChannelUsername: t.username, MessageID: msgID, ReplyMarkup: kb},
		Text:                  msgs[0].Text,
		ParseMode:             tgbotapi.ModeHTML,
		DisableWebPagePreview: true,
	}
	if err := a.pacer.wait(ctx, t.key(), t.group()); err != nil {
		return err
	}
	err = a.request(ctx, cfg, t.key())
	if notModified(err) {
		return nil // it already says so
	}
	return err
}

// notModified reports Telegram's answer to an edit that changes nothing.
func notModified(err error) bool {
	var te *tgbotapi.Error
	return errors.As(err, &te) && te.Code == http.StatusBadRequest && strings.Contains(te.Message, "message is not modified")
}

// needsModerator reports whether the event is a group command (typed or
// pressed) whose handling reads the sender's rights in the group.
func needsModerator(ev bot.Event) bool {
	if ev.Private {
		return false
	}
	switch ev.Kind {
	case bot.KindCommand:
		return needsRights(ev.Command)
	case bot.KindButton:
		if name, _ := bot.SplitCommand(ev.Text); strings.HasPrefix(ev.Text, "/") {
			return needsRights(name)
		}
	}
	return false
}

// needsRights reports whether the core reads the sender's group rights
// for the command name (bot.Command.NeedsRights).
func needsRights(name string) bool {
	c, ok := bot.LookupCommand(name)
	return ok && c.NeedsRights()
}

// markModerator sets ev.Moderator and ev.Manager for a group command that
// needs them, by asking Telegram whether the sender is the group's creator
// or an administrator (getChatMember). A failed lookup leaves them false:
// the bot then refuses, which is the safe side.
func (a *Adapter) markModerator(ctx context.Context, ev *bot.Event) {
	if !needsModerator(*ev) {
		return
	}
	chat, err1 := strconv.ParseInt(ev.Chat.ChatID, 10, 64)
	user, err2 := strconv.ParseInt(ev.From.UserID, 10, 64)
	if err1 != nil || err2 != nil {
		return
	}
	m, err := a.call(ctx).GetChatMember(tgbotapi.GetChatMemberConfig{
		ChatConfigWithUser: tgbotapi.ChatConfigWithUser{ChatID: chat, UserID: user},
	})
	if err != nil {
		a.logger.Warn("getChatMember failed; treating the sender as a member", "chat", chat, "err", err)
		return
	}
	// A group's administrators both moderate it and manage its settings.
	ev.Moderator = m.IsCreator() || m.IsAdministrator()
	ev.Manager = ev.Moderator
}
