package bot

import (
	"context"
	"time"
)

// Event kinds.
const (
	// KindMessage is free text: a DM, a mention, a line typed in the terminal.
	KindMessage = "message"
	// KindCommand is a command: Command holds its name without the slash
	// ("post"), Text its arguments.
	KindCommand = "command"
	// KindButton is a button press or a menu pick: Text holds the pressed
	// Choice's Value.
	KindButton = "button"
	// KindForm is a submitted form (a Slack or Discord modal): Form holds
	// the values by step ID.
	KindForm = "form"
)

// Event is one thing a person did, translated by an adapter from its
// platform's shape.
//
// Its JSON, the inbox's record of it, leaves zero fields out under their
// Go names: a DM is about a third shorter, and records written with every
// field still decode.
type Event struct {
	// ID is the platform's delivery ID (Slack event_id, Telegram update_id,
	// Discord interaction id): an event seen twice has its effect once.
	// Empty means the platform does not re-deliver (the terminal).
	ID   string `json:",omitzero"`
	Kind string `json:",omitzero"`
	// From is who acted; Name their display name, when known.
	From Identity `json:",omitzero"`
	Name string   `json:",omitzero"`
	// Chat is where to answer: the DM, channel or group the event came from.
	Chat Recipient `json:",omitzero"`
	// Private is true in a direct conversation with the bot.
	Private bool `json:",omitzero"`
	// Community is the community the event comes from, on platforms whose
	// communities have gig boards: the Discord server, the Telegram group.
	// Empty in a private chat and on the other platforms.
	Community string `json:",omitzero"`
	// Forms is true when this event can be answered with a Form (a Slack
	// slash command or button with a trigger_id, a Discord interaction).
	Forms bool `json:",omitzero"`

	Command string            `json:",omitzero"`
	Text    string            `json:",omitzero"`
	Form    map[string]string `json:",omitzero"`

	// AccountCreated is when the person's platform account was made, where
	// the adapter knows it (Discord derives it from the user ID); zero
	// means unknown, and rules on account age are then not applied.
	AccountCreated time.Time `json:",omitzero"`
	// Moderator is true when the person may moderate the community the
	// event comes from (Discord: Manage Messages, Manage Server or
	// Administrator; Telegram: a group administrator). Adapters that
	// cannot tell leave it false.
	Moderator bool `json:",omitzero"`
	// Manager is true when the person may change the settings of the
	// community the event comes from (Discord: Manage Server or
	// Administrator; Telegram: a group administrator). Adapters that
	// cannot tell leave it false.
	Manager bool `json:",omitzero"`
}

// Recipient is where a reply goes: a chat on a platform, or a person (the
// adapter opens a DM when ChatID is empty).
type Recipient struct {
	Platform  string `json:"platform"`
	Workspace string `json:"workspace,omitempty"`
	ChatID    string `json:"chat_id,omitempty"`
	UserID    string `json:"user_id,omitempty"`
}

// Button is a choice offered under a reply. Value comes back as the Text of
// a KindButton event: a value starting with "/" is a command line
// ("/apply 7"), anything else is an answer to the running dialog. Values
// are at most 64 bytes (Telegram's callback_data limit).
type Button struct {
	Label string `json:"label"`
	Value string `json:"value"`
	// Style is "primary", "danger" or "" (platforms without styles ignore it).
	Style string `json:"style,omitempty"`
	// Shared marks a button on a message many people see (a gig on a
	// board): pressing it leaves the message as it is for everyone, and the
	// answer goes privately to whoever pressed.
	Shared bool `json:"shared,omitempty"`
}

// Field is one line of a card.
type Field struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Card is a titled block of fields, e.g. a profile or a job.
type Card struct {
	Title  string  `json:"title,omitempty"`
	Fields []Field `json:"fields"`
}

// FormField is one input of a Form.
type FormField struct {
	ID          string `json:"id"`
	Label       string `json:"label"`
	Placeholder string `json:"placeholder,omitempty"`
	Optional    bool   `json:"optional,omitempty"`
	Multiline   bool   `json:"multiline,omitempty"`
	Value       string `json:"value,omitempty"`
}

// Form asks for several fields at once, where the platform has forms
// (Slack and Discord modals); elsewhere the dialog asks one at a time.
type Form struct {
	ID     string      `json:"id"`
	Title  string      `json:"title"`
	Submit string      `json:"submit"`
	Fields []FormField `json:"fields"`
	// Errors holds a message per field ID for a form sent back as invalid.
	Errors map[string]string `json:"errors,omitempty"`
}

// Reply is one message of the bot. Text is plain text written by the bot;
// adapters escape it for their markup, so user text can never ping or link.
// Where it goes is decided by To and Private, by the rule in the package
// documentation ("Where a reply goes").
type Reply struct {
	// To is where the reply goes. Handle fills an empty To with the
	// event's Chat: such a reply answers the event (Event.Answers).
	To      Recipient `json:"to"`
	Text    string    `json:"text,omitempty"`
	Cards   []Card    `json:"cards,omitempty"`
	Buttons []Button  `json:"buttons,omitempty"`
	Form    *Form     `json:"form,omitempty"`
	// Private means only the person who acted may see it: a message in
	// their private chat, or an ephemeral one in a shared chat. It is never
	// posted where others can read it.
	Private bool `json:"private,omitempty"`
}

// Answers reports whether r answers ev where ev happened (the interaction,
// the command's response_url, the thread or chat the message came from),
// rather than being a new message to another chat or person. It is true
// when r.To is empty or ev.Chat, names the same chat, or names the actor
// while ev came from their private chat.
func (ev Event) Answers(r Reply) bool {
	to := r.To
	switch {
	case to == (Recipient{}) || to == ev.Chat:
		return true
	case to.Platform != "" && to.Platform != ev.Chat.Platform:
		return false
	case to.Workspace != "" && to.Workspace != ev.Chat.Workspace:
		return false
	case to.ChatID != "":
		return to.ChatID == ev.Chat.ChatID
	}
	return ev.Private && to.UserID == ev.From.UserID
}

// Adapter delivers replies on one platform.
type Adapter interface {
	// Platform returns the platform name, e.g. Slack.
	Platform() string
	// Send delivers one reply. It returns an *Error with EREFUSED when the
	// platform refuses to deliver to that person or chat (they blocked the
	// bot, never opened it, the bot left the channel), so the caller can
	// tell whoever waits and must not retry; EUNAVAILABLE when the platform
	// is busy or down, worth retrying later.
	Send(ctx context.Context, r Reply) error
}

// Poster posts a reply and returns a reference to the posted message, so
// it can be edited later (Discord message ID, Telegram message_id).
type Poster interface {
	Post(ctx context.Context, r Reply) (ref string, err error)
}

// Editor replaces a message the bot posted with r (buttons included: a
// reply without buttons removes them).
type Editor interface {
	Edit(ctx context.Context, to Recipient, ref string, r Reply) error
}

// Threader opens a discussion thread under a posted message (Discord).
type Threader interface {
	OpenThread(ctx context.Context, to Recipient, ref, name string) error
}

// DeepLinker makes a link that opens a private chat with the bot and
// sends it "/start <payload>" (Telegram: https://t.me/<bot>?start=<payload>).
type DeepLinker interface {
	DeepLink(payload string) string
}

// Contacter is an optional ability of an Adapter: a link that opens a
// private chat with one of the platform's users (slack://user, a Discord
// profile, tg://user). After an accepted invite, two people on the same
// platform and workspace get each other's link and write directly; on a
// platform without it (the terminal, the web chat) they have no way to
// reach each other but hirebot, so it relays their messages.
type Contacter interface {
	ContactLink(id Identity) string
}

// Directory is an optional ability of an Adapter whose people are named
// by a handle anyone can type, and can be reached before they first write
// (the terminal, where a person is their user ID): "/invite @name" sent
// on that platform invites the person Lookup names.
type Directory interface {
	Lookup(handle string) (id Identity, ok bool)
}

// Handler handles one event and returns the replies to send.
type Handler func(ctx context.Context, ev Event) ([]Reply, error)

// Middleware wraps a Handler (dedupe, recover, logging, rate limits).
type Middleware func(Handler) Handler

// Chain applies middleware so that the first one is the outermost.
func Chain(h Handler, mw ...Middleware) Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}
