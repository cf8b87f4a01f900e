package slack

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"

	"github.com/slack-go/slack"

	"github.com/hirebot/hirebot/bot"
)

// origin is where an event came from, kept to deliver its replies: the
// workspace (whose token is used), the conversation, the person, and the
// one-off handles Slack gave with it.
type origin struct {
	// event is the event these replies answer (bot.Event.Answers).
	event       bot.Event
	team        string
	channel     string
	user        string
	responseURL string
	triggerID   string
	// home: the replies are the person's App Home tab (views.publish).
	home bool
	// submission: the event is a modal submission, answered synchronously.
	submission bool
	// pressed is the button pressed, to mark its message as answered.
	pressed *pressedButton
	// command is the command line that opened this event's dialogs, to
	// offer as a button when a modal cannot be opened in time.
	command string
	// thread is the thread the message was in (thread_ts): answers go there.
	thread string
}

// pressedButton is a pressed button and the message that carried it.
type pressedButton struct {
	label       string
	channel     string
	ts          string
	text        string
	blocks      []slack.Block
	responseURL string
}

// modalMeta is the private_metadata of hirebot's modals: where the command
// that opened the modal was typed, so the answer to its submission goes
// there.
type modalMeta struct {
	Channel     string `json:"c,omitempty"`
	ResponseURL string `json:"r,omitempty"`
}

// isDM reports whether a conversation ID is a direct message.
func isDM(channel string) bool { return strings.HasPrefix(channel, "D") }

// mentionRe matches a user mention as Slack encodes it: <@U123> or <@U123|name>.
var mentionRe = regexp.MustCompile(`<@([A-Z0-9]+)(\|[^>]*)?>`)

// stripMention removes the mentions of the bot (botUserID) from text; with
// no botUserID known it removes a mention leading the text (an
// app_mention's text starts with the mention of the app).
func stripMention(text, botUserID string) string {
	if botUserID == "" {
		if loc := mentionRe.FindStringIndex(strings.TrimSpace(text)); loc != nil && loc[0] == 0 {
			return strings.TrimSpace(strings.TrimSpace(text)[loc[1]:])
		}
		return strings.TrimSpace(text)
	}
	out := mentionRe.ReplaceAllStringFunc(text, func(m string) string {
		if mentionRe.FindStringSubmatch(m)[1] == botUserID {
			return ""
		}
		return m
	})
	return strings.Join(strings.Fields(out), " ")
}

// parseCommandText splits the text after "/hire" into a verb and the rest.
// No verb means "help"; the verb is lower-cased and loses a leading slash.
func parseCommandText(text string) (verb, rest string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "help", ""
	}
	i := strings.IndexFunc(text, isSpace)
	if i < 0 {
		verb = text
	} else {
		verb, rest = text[:i], strings.TrimSpace(text[i:])
	}
	verb = strings.ToLower(strings.TrimLeft(verb, "/"))
	if verb == "" {
		verb = "help"
	}
	return verb, rest
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0'
}

// eventsPayload is what hirebot reads of an Events API payload: the envelope
// and the fields of the inner event it acts on, decoded in one pass
// (decodeEvents). slackevents decodes the envelope, then the inner event
// twice, its type and then its struct, and under load that was the
// largest cost of taking a message in.
type eventsPayload struct {
	Type      string `json:"type"`
	Challenge string `json:"challenge"` // url_verification
	TeamID    string `json:"team_id"`
	EventID   string `json:"event_id"`
	// Authorizations name the bot user of each installation the event is
	// for.
	Authorizations []struct {
		TeamID string `json:"team_id"`
		UserID string `json:"user_id"`
		IsBot  bool   `json:"is_bot"`
	} `json:"authorizations"`
	Event struct {
		Type        string `json:"type"`
		SubType     string `json:"subtype"`
		ChannelType string `json:"channel_type"`
		Channel     string `json:"channel"`
		User        string `json:"user"`
		BotID       string `json:"bot_id"`
		Text        string `json:"text"`
		ThreadTS    string `json:"thread_ts"`
		Tab         string `json:"tab"` // app_home_opened
	} `json:"event"`
}

// decodeEvents decodes an Events API payload.
func decodeEvents(body []byte) (eventsPayload, error) {
	var cb eventsPayload
	err := json.Unmarshal(body, &cb)
	return cb, err
}

// fromEvents translates an event_callback into an event, or ok=false for
// events hirebot ignores (the bot's own messages, edits, other tabs).
func fromEvents(cb eventsPayload) (bot.Event, origin, bool) {
	if cb.Type != "event_callback" {
		return bot.Event{}, origin{}, false
	}
	team := cb.TeamID
	var botUser string
	for _, au := range cb.Authorizations {
		if au.IsBot && (au.TeamID == team || au.TeamID == "") {
			botUser = au.UserID
		}
	}
	out := bot.Event{ID: cb.EventID, From: bot.Identity{Platform: bot.Slack, Workspace: team}}
	o := origin{team: team}

	switch in := cb.Event; in.Type {
	case "message":
		// message.im only; subtypes are edits, joins, bot posts and the like.
		if in.ChannelType != "im" || in.SubType != "" || in.BotID != "" ||
			in.User == "" || (botUser != "" && in.User == botUser) {
			return bot.Event{}, origin{}, false
		}
		out.Kind = bot.KindMessage
		out.From.UserID = in.User
		out.Chat = bot.Recipient{Platform: bot.Slack, Workspace: team, ChatID: in.Channel, UserID: in.User}
		out.Private = true
		out.Text = stripMention(in.Text, botUser)
		o.channel, o.user, o.thread = in.Channel, in.User, in.ThreadTS
	case "app_mention":
		// A mention inside the DM also arrives as message.im: take that one.
		if in.BotID != "" || in.User == "" || isDM(in.Channel) || (botUser != "" && in.User == botUser) {
			return bot.Event{}, origin{}, false
		}
		out.Kind = bot.KindMessage
		out.From.UserID = in.User
		out.Chat = bot.Recipient{Platform: bot.Slack, Workspace: team, ChatID: in.Channel, UserID: in.User}
		out.Text = stripMention(in.Text, botUser)
		o.channel, o.user, o.thread = in.Channel, in.User, in.ThreadTS
	case "app_home_opened":
		if in.Tab != "home" || in.User == "" {
			return bot.Event{}, origin{}, false
		}
		out.Kind = bot.KindCommand
		out.Command = "home"
		out.From.UserID = in.User
		out.Chat = bot.Recipient{Platform: bot.Slack, Workspace: team, UserID: in.User}
		out.Private = true
		o.user, o.home = in.User, true
	default:
		return bot.Event{}, origin{}, false
	}
	o.event = out
	return out, o, true
}

// fromSlashCommand translates "/hire <verb> <rest>".
func fromSlashCommand(c slack.SlashCommand) (bot.Event, origin) {
	verb, rest := parseCommandText(c.Text)
	ev := bot.Event{
		ID:      c.TriggerID,
		Kind:    bot.KindCommand,
		From:    bot.Identity{Platform: bot.Slack, Workspace: c.TeamID, UserID: c.UserID},
		Name:    c.UserName,
		Chat:    bot.Recipient{Platform: bot.Slack, Workspace: c.TeamID, ChatID: c.ChannelID, UserID: c.UserID},
		Private: isDM(c.ChannelID),
		Forms:   c.TriggerID != "",
		Command: verb,
		Text:    rest,
	}
	line := "/" + verb
	if rest != "" {
		line += " " + rest
	}
	return ev, origin{
		event: ev, team: c.TeamID, channel: c.ChannelID, user: c.UserID,
		responseURL: c.ResponseURL, triggerID: c.TriggerID, command: line,
	}
}

// fromInteraction translates a button press (block_actions) or a modal
// submission (view_submission); ok=false for anything else.
func fromInteraction(ic slack.InteractionCallback) (bot.Event, origin, bool) {
	team := ic.Team.ID
	if team == "" {
		team = ic.User.TeamID
	}
	ev := bot.Event{
		ID:    ic.TriggerID,
		From:  bot.Identity{Platform: bot.Slack, Workspace: team, UserID: ic.User.ID},
		Name:  ic.User.Name,
		Forms: ic.TriggerID != "",
	}
	o := origin{team: team, user: ic.User.ID, triggerID: ic.TriggerID}
	if ev.From.UserID == "" {
		return bot.Event{}, origin{}, false
	}

	switch ic.Type {
	case slack.InteractionTypeBlockActions:
		value, label, ok := pressedAction(ic)
		if !ok {
			return bot.Event{}, origin{}, false
		}
		ev.Kind = bot.KindButton
		ev.Text = value
		channel := ic.Channel.ID
		if channel == "" {
			channel = ic.Container.ChannelID
		}
		o.channel = channel
		o.responseURL = ic.ResponseURL
		o.command = value
		ev.Chat = bot.Recipient{Platform: bot.Slack, Workspace: team, ChatID: channel, UserID: ic.User.ID}
		ev.Private = channel == "" || isDM(channel)
		if channel != "" && (ic.Message.Timestamp != "" || ic.Container.MessageTs != "") {
			ts := ic.Container.MessageTs
			if ts == "" {
				ts = ic.Message.Timestamp
			}
			o.pressed = &pressedButton{
				label: label, channel: channel, ts: ts, text: ic.Message.Text,
				blocks: ic.Message.Blocks.BlockSet, responseURL: ic.ResponseURL,
			}
		}
	case slack.InteractionTypeViewSubmission:
		ev.Kind = bot.KindForm
		ev.Command = ic.View.CallbackID
		ev.Form = formValues(ic.View.State)
		var meta modalMeta
		if ic.View.PrivateMetadata != "" {
			_ = json.Unmarshal([]byte(ic.View.PrivateMetadata), &meta) // ours; tolerate others
		}
		o.channel, o.responseURL, o.submission = meta.Channel, meta.ResponseURL, true
		ev.Chat = bot.Recipient{Platform: bot.Slack, Workspace: team, ChatID: meta.Channel, UserID: ic.User.ID}
		ev.Private = meta.Channel == "" || isDM(meta.Channel)
	default:
		return bot.Event{}, origin{}, false
	}
	o.event = ev
	return ev, o, true
}

// pressedAction returns the value and label of the pressed button. Actions
// of blocks without a block_id decode as legacy attachment actions; both
// are read.
func pressedAction(ic slack.InteractionCallback) (value, label string, ok bool) {
	for _, a := range ic.ActionCallback.BlockActions {
		if a == nil {
			continue
		}
		if a.Text.Text != "" {
			label = a.Text.Text
		}
		if a.Value != "" {
			return a.Value, label, true
		}
		if a.SelectedOption.Value != "" {
			if a.SelectedOption.Text != nil {
				label = a.SelectedOption.Text.Text
			}
			return a.SelectedOption.Value, label, true
		}
	}
	for _, a := range ic.ActionCallback.AttachmentActions {
		if a != nil && a.Value != "" {
			return a.Value, a.Text, true
		}
	}
	return "", "", false
}

// formValues reads a submitted modal: block_id is the field ID.
func formValues(state *slack.ViewState) map[string]string {
	out := map[string]string{}
	if state == nil {
		return out
	}
	blocks := make([]string, 0, len(state.Values))
	for id := range state.Values {
		blocks = append(blocks, id)
	}
	sort.Strings(blocks)
	for _, id := range blocks {
		for _, a := range state.Values[id] {
			v := a.Value
			if v == "" {
				v = a.SelectedOption.Value
			}
			out[id] = strings.TrimSpace(v)
		}
	}
	return out
}
