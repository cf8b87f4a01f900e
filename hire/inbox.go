package hire

import (
	"errors"

	"github.com/hirebot/hirebot/bot"
)

// inboxConversation is the key that orders a person's events.
func inboxConversation(ev bot.Event) string { return ev.From.String() }

// errInboxStopped is returned by Intake.Run when it has no handler.
var errInboxStopped = errors.New("bot: the intake has no handler: use its Middleware in the handler chain")
