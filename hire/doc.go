// Package hire is the turn: it takes one bot.Event, resolves the person's
// account, runs the command the table names or steps the person's dialog
// (package conversation), and returns the replies. The handlers of
// profiles, jobs, invites, relays, boards, reviews, pools, alerts, privacy
// and retention live here, with the Intake (the durable inbox in front of
// Handle), the delivery of the outbox, and the Scheduler's periodic tasks.
//
// The command table is declared once, in commands.go, and handed to the
// domain (bot.SetCommands), so adapters build their menus from it without
// importing this package. hire imports bot, conversation, match and parse;
// only cmd and tests import it.
package hire
