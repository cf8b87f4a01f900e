package discord

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/hirebot/hirebot/bot"
)

// The gig board: posting a message and getting its ID back, editing it
// later, opening a thread under it, and buttons many members press.

var (
	_ bot.Poster   = (*Adapter)(nil)
	_ bot.Editor   = (*Adapter)(nil)
	_ bot.Threader = (*Adapter)(nil)
)

// sharedPrefix marks the custom_id of a bot.Button with Shared set: a
// button on a message everyone sees (a gig on the board). Pressing it
// leaves the message alone and answers privately.
const sharedPrefix = "hirebot:shared:"

// customID is the custom_id of a button: its Value, marked when shared.
func customID(b bot.Button) string {
	if b.Shared {
		return sharedPrefix + b.Value
	}
	return b.Value
}

// sharedPress reports whether the interaction is a press of a shared
// button.
func sharedPress(i *discordgo.Interaction) bool {
	return i.Type == discordgo.InteractionMessageComponent &&
		strings.HasPrefix(i.MessageComponentData().CustomID, sharedPrefix)
}

// privateReplies makes every reply that answers the event private: a
// shared button is pressed on a message everyone sees, but the answer is
// only for whoever pressed it.
func privateReplies(ev bot.Event, replies []bot.Reply) []bot.Reply {
	for k := range replies {
		if ev.Answers(replies[k]) {
			replies[k].Private = true
		}
	}
	return replies
}

// discordEpoch is the start of Discord's snowflake clock (2015-01-01 UTC).
const discordEpoch = 1420070400000

// accountCreated is when a Discord account was made, read from its
// snowflake ID; the zero time for an ID that is not a snowflake.
func accountCreated(userID string) time.Time {
	id, err := strconv.ParseUint(userID, 10, 64)
	if err != nil || id>>22 == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(id>>22) + discordEpoch).UTC()
}

// moderator reports whether a member may moderate the server's gig board:
// Manage Messages, Manage Server or Administrator (the member's
// permissions in the interaction are already computed by Discord).
func moderator(m *discordgo.Member) bool {
	if m == nil {
		return false
	}
	return m.Permissions&(discordgo.PermissionManageMessages|discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) != 0
}

// manager reports whether a member may change the server's settings (the
// core lets managers run /hire setup): Manage Server or Administrator.
func manager(m *discordgo.Member) bool {
	if m == nil {
		return false
	}
	return m.Permissions&(discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) != 0
}

// Post delivers r like Send and returns the message ID, so the message
// can be edited and a thread opened under it.
func (a *Adapter) Post(ctx context.Context, r bot.Reply) (string, error) {
	if r.To.Platform != "" && r.To.Platform != bot.Discord {
		return "", bot.Errorf(bot.EINVALID, "That reply is addressed to %s, not Discord.", r.To.Platform)
	}
	channelID := r.To.ChatID
	if r.To.UserID != "" && (channelID == "" || r.Private) {
		var ch *discordgo.Channel
		err := a.do(ctx, func(opts ...discordgo.RequestOption) error {
			var err error
			ch, err = a.session.UserChannelCreate(r.To.UserID, opts...)
			return err
		})
		if err != nil {
			return "", a.deliveryError("open a DM", err)
		}
		channelID = ch.ID
	}
	if channelID == "" {
		return "", bot.Errorf(bot.EINVALID, "A Discord reply needs a chat or a user.")
	}
	var m *discordgo.Message
	err := a.do(ctx, func(opts ...discordgo.RequestOption) error {
		var err error
		m, err = a.session.ChannelMessageSendComplex(channelID, a.renderSend(r), opts...)
		return err
	})
	if err != nil {
		return "", a.deliveryError("send a message", err)
	}
	return m.ID, nil
}

// Edit replaces the message ref in to.ChatID with r: content, embeds and
// buttons (none when r has none).
func (a *Adapter) Edit(ctx context.Context, to bot.Recipient, ref string, r bot.Reply) error {
	if to.ChatID == "" || ref == "" {
		return bot.Errorf(bot.EINVALID, "Editing a Discord message needs its channel and ID.")
	}
	w := a.render(r).webhookEdit() // the same full replacement: no embeds or buttons left over
	edit := &discordgo.MessageEdit{
		ID: ref, Channel: to.ChatID,
		Content: w.Content, Embeds: w.Embeds, Components: w.Components,
		AllowedMentions: w.AllowedMentions,
	}
	err := a.do(ctx, func(opts ...discordgo.RequestOption) error {
		_, err := a.session.ChannelMessageEditComplex(edit, opts...)
		return err
	})
	if err != nil {
		return a.deliveryError("edit a message", err)
	}
	return nil
}

// maxThreadName is Discord's limit on a channel name.
const maxThreadName = 100

// OpenThread starts a public thread named name under the message ref in
// to.ChatID; it archives after a week without messages.
func (a *Adapter) OpenThread(ctx context.Context, to bot.Recipient, ref, name string) error {
	if to.ChatID == "" || ref == "" {
		return bot.Errorf(bot.EINVALID, "Opening a Discord thread needs a channel and a message.")
	}
	data := &discordgo.ThreadStart{Name: truncate(cmpOr(strings.TrimSpace(name), "Questions"), maxThreadName), AutoArchiveDuration: 10080}
	err := a.do(ctx, func(opts ...discordgo.RequestOption) error {
		_, err := a.session.MessageThreadStartComplex(to.ChatID, ref, data, opts...)
		return err
	})
	if err != nil {
		return a.deliveryError("open a thread", err)
	}
	return nil
}
