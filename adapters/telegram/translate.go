package telegram

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hirebot/hirebot/bot"
)

// translate turns one Telegram update into one bot.Event. It reports false
// for updates hirebot does not act on: other bots' messages, edits, media
// without text, group chatter that neither commands, mentions nor replies
// to the bot, and commands addressed to another bot.
func translate(u tgbotapi.Update, me tgbotapi.User) (bot.Event, bool) {
	switch {
	case u.Message != nil:
		return translateMessage(u.UpdateID, u.Message, me)
	case u.CallbackQuery != nil:
		return translateCallback(u.UpdateID, u.CallbackQuery)
	}
	return bot.Event{}, false
}

func translateMessage(updateID int, m *tgbotapi.Message, me tgbotapi.User) (bot.Event, bool) {
	// Bots never talk to hirebot: that includes hirebot itself and the
	// anonymous-admin pseudo user, who cannot be identified anyway.
	if m.From == nil || m.From.IsBot || m.Chat == nil || m.Text == "" {
		return bot.Event{}, false
	}
	ev := bot.Event{
		ID:      eventID(updateID),
		From:    identity(m.From),
		Name:    displayName(m.From),
		Chat:    chatRecipient(m.Chat.ID),
		Private: m.Chat.IsPrivate(),
	}
	if !ev.Private {
		ev.Community = ev.Chat.ChatID // a group has a gig board
	}
	if isCommand(m) {
		cmd, target, args, ok := parseCommand(m.Text)
		if !ok {
			return bot.Event{}, false
		}
		if target != "" && !strings.EqualFold(target, me.UserName) {
			return bot.Event{}, false // "/post@otherbot" in a shared group
		}
		ev.Kind = bot.KindCommand
		ev.Command = cmd
		ev.Text = args
		return ev, true
	}
	text, mentioned := stripMentions(m.Text, m.Entities, me)
	repliedToMe := m.ReplyToMessage != nil && m.ReplyToMessage.From != nil && m.ReplyToMessage.From.ID == me.ID
	if !ev.Private && !mentioned && !repliedToMe {
		return bot.Event{}, false
	}
	// A message of only spaces (or only the mention) still gets a short
	// answer from the bot.
	ev.Kind = bot.KindMessage
	ev.Text = text
	return ev, true
}

func translateCallback(updateID int, q *tgbotapi.CallbackQuery) (bot.Event, bool) {
	if q.From == nil || q.Data == "" {
		return bot.Event{}, false
	}
	ev := bot.Event{
		ID:   eventID(updateID),
		Kind: bot.KindButton,
		From: identity(q.From),
		Name: displayName(q.From),
		Text: q.Data,
	}
	if q.Message != nil && q.Message.Chat != nil {
		ev.Chat = chatRecipient(q.Message.Chat.ID)
		ev.Private = q.Message.Chat.IsPrivate()
		if !ev.Private {
			ev.Community = ev.Chat.ChatID
		}
	} else {
		// A button under an inline-mode message has no chat: answer in the
		// person's private chat, whose ID is their user ID.
		ev.Chat = chatRecipient(q.From.ID)
		ev.Private = true
	}
	return ev, true
}

// eventID is the dedupe key: Telegram re-delivers an update with the same
// update_id.
func eventID(updateID int) string { return "tg:" + strconv.Itoa(updateID) }

func identity(u *tgbotapi.User) bot.Identity {
	return bot.Identity{Platform: bot.Telegram, UserID: strconv.FormatInt(u.ID, 10)}
}

func chatRecipient(id int64) bot.Recipient {
	return bot.Recipient{Platform: bot.Telegram, ChatID: strconv.FormatInt(id, 10)}
}

func displayName(u *tgbotapi.User) string {
	return strings.TrimSpace(u.FirstName + " " + u.LastName)
}

// isCommand reports whether the message starts with a bot_command entity.
// Without the entity, "/post" is just text (Telegram marks every real one).
func isCommand(m *tgbotapi.Message) bool {
	return len(m.Entities) > 0 && m.Entities[0].Type == "bot_command" && m.Entities[0].Offset == 0
}

// parseCommand splits "/start@hirebot gig_12" into "start", "hirebot" and
// "gig_12". The command is lower-cased; the arguments keep their case.
func parseCommand(text string) (cmd, target, args string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return "", "", "", false
	}
	head, rest := text[1:], ""
	if i := strings.IndexFunc(head, unicode.IsSpace); i >= 0 {
		head, rest = head[:i], head[i:]
	}
	if i := strings.IndexByte(head, '@'); i >= 0 {
		head, target = head[:i], head[i+1:]
	}
	if head == "" {
		return "", "", "", false
	}
	return strings.ToLower(head), target, strings.TrimSpace(rest), true
}

// stripMentions removes every mention of the bot (an "@username" mention or
// a text_mention of the bot's user) and reports whether there was one.
// Entity offsets count UTF-16 code units, as the Bot API defines them.
func stripMentions(text string, entities []tgbotapi.MessageEntity, me tgbotapi.User) (string, bool) {
	units := utf16.Encode([]rune(text))
	drop := make([]bool, len(units))
	mentioned := false
	for _, e := range entities {
		if e.Offset < 0 || e.Length <= 0 || e.Offset > len(units)-e.Length {
			continue
		}
		span := units[e.Offset : e.Offset+e.Length]
		switch {
		case e.Type == "mention" && me.UserName != "" && strings.EqualFold(string(utf16.Decode(span)), "@"+me.UserName):
		case e.Type == "text_mention" && e.User != nil && e.User.ID == me.ID:
		default:
			continue
		}
		mentioned = true
		for i := e.Offset; i < e.Offset+e.Length; i++ {
			drop[i] = true
		}
	}
	if !mentioned {
		return strings.TrimSpace(text), false
	}
	kept := make([]uint16, 0, len(units))
	for i, u := range units {
		if !drop[i] {
			kept = append(kept, u)
		}
	}
	// Tidy the gap the mention leaves, line by line so a multi-line
	// message keeps its lines.
	lines := strings.Split(string(utf16.Decode(kept)), "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.TrimSpace(strings.Join(lines, "\n")), true
}
