package discord

import (
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/hirebot/hirebot/bot"
)

// actor returns who triggered an interaction: the member's user in a
// server, the user in a DM.
func actor(i *discordgo.Interaction) (*discordgo.User, string) {
	if i.Member != nil && i.Member.User != nil {
		return i.Member.User, displayName(i.Member.User, i.Member.Nick)
	}
	if i.User != nil {
		return i.User, displayName(i.User, "")
	}
	return nil, ""
}

func displayName(u *discordgo.User, nick string) string {
	switch {
	case nick != "":
		return nick
	case u.GlobalName != "":
		return u.GlobalName
	}
	return u.Username
}

// interactionEvent translates an application command, a component press
// or a modal submit into one bot.Event. ok is false for anything else
// (pings and autocomplete are answered by the adapter itself) and for an
// interaction without a user.
func interactionEvent(i *discordgo.Interaction) (ev bot.Event, ok bool) {
	u, name := actor(i)
	if u == nil {
		return bot.Event{}, false
	}
	ev = bot.Event{
		ID:        i.ID,
		From:      bot.Identity{Platform: bot.Discord, UserID: u.ID}, // Discord user IDs are global: one account in DMs and every server
		Name:      name,
		Chat:      bot.Recipient{Platform: bot.Discord, Workspace: i.GuildID, ChatID: i.ChannelID},
		Private:   i.GuildID == "",
		Community: i.GuildID, // a server has a gig board
		Forms:     true,
		// Discord user IDs are snowflakes that carry their creation time.
		AccountCreated: accountCreated(u.ID),
		Moderator:      moderator(i.Member),
		Manager:        manager(i.Member),
	}
	switch i.Type {
	case discordgo.InteractionApplicationCommand:
		ev.Kind = bot.KindCommand
		ev.Command, ev.Text = commandText(i.ApplicationCommandData())
	case discordgo.InteractionMessageComponent:
		data := i.MessageComponentData()
		ev.Kind = bot.KindButton
		ev.Text = strings.TrimPrefix(data.CustomID, sharedPrefix)
		if len(data.Values) > 0 {
			ev.Text = data.Values[0]
		}
	case discordgo.InteractionModalSubmit:
		data := i.ModalSubmitData()
		ev.Kind = bot.KindForm
		ev.Command = data.CustomID
		ev.Form = modalValues(data.Components)
		ev.Forms = false // a modal cannot answer a modal
	default:
		return bot.Event{}, false
	}
	return ev, true
}

// modalValues collects the TextInput values of a submitted modal by
// custom_id.
func modalValues(components []discordgo.MessageComponent) map[string]string {
	out := map[string]string{}
	var walk func([]discordgo.MessageComponent)
	walk = func(cs []discordgo.MessageComponent) {
		for _, c := range cs {
			switch c := c.(type) {
			case *discordgo.ActionsRow:
				walk(c.Components)
			case discordgo.ActionsRow:
				walk(c.Components)
			case *discordgo.TextInput:
				out[c.CustomID] = c.Value
			case discordgo.TextInput:
				out[c.CustomID] = c.Value
			}
		}
	}
	walk(components)
	return out
}

// pressedLabel finds the label of the pressed button or picked option on
// the message the component was attached to.
func pressedLabel(i *discordgo.Interaction) string {
	data := i.MessageComponentData()
	if i.Message == nil {
		return ""
	}
	label := ""
	var walk func([]discordgo.MessageComponent)
	walk = func(cs []discordgo.MessageComponent) {
		for _, c := range cs {
			switch c := c.(type) {
			case *discordgo.ActionsRow:
				walk(c.Components)
			case *discordgo.Button:
				if c.CustomID == data.CustomID {
					label = c.Label
				}
			case *discordgo.SelectMenu:
				if c.CustomID == data.CustomID && len(data.Values) > 0 {
					for _, o := range c.Options {
						if o.Value == data.Values[0] {
							label = o.Label
						}
					}
				}
			}
		}
	}
	walk(i.Message.Components)
	if label == "" && len(data.Values) > 0 {
		label = data.Values[0]
	}
	return label
}

// messageEvent translates a gateway message into a KindMessage event: any
// message in a DM, and in a server only messages that mention the bot,
// with the mention removed. Messages from the bot itself, other bots,
// webhooks and system messages are dropped.
func messageEvent(m *discordgo.Message, botID string) (bot.Event, bool) {
	if m == nil || m.Author == nil || m.Author.Bot || m.Author.ID == botID || m.WebhookID != "" {
		return bot.Event{}, false
	}
	if m.Type != discordgo.MessageTypeDefault && m.Type != discordgo.MessageTypeReply {
		return bot.Event{}, false
	}
	private := m.GuildID == ""
	text := m.Content
	if !private {
		mentioned := false
		for _, u := range m.Mentions {
			if u != nil && u.ID == botID {
				mentioned = true
			}
		}
		if botID != "" && (strings.Contains(text, "<@"+botID+">") || strings.Contains(text, "<@!"+botID+">")) {
			mentioned = true
		}
		if !mentioned || botID == "" {
			return bot.Event{}, false
		}
	}
	if botID != "" {
		text = strings.ReplaceAll(text, "<@!"+botID+">", "")
		text = strings.ReplaceAll(text, "<@"+botID+">", "")
	}
	nick := ""
	if m.Member != nil {
		nick = m.Member.Nick
	}
	return bot.Event{
		ID:        m.ID,
		Kind:      bot.KindMessage,
		From:      bot.Identity{Platform: bot.Discord, UserID: m.Author.ID},
		Name:      displayName(m.Author, nick),
		Chat:      bot.Recipient{Platform: bot.Discord, Workspace: m.GuildID, ChatID: m.ChannelID},
		Private:   private,
		Community: m.GuildID,
		Text:      strings.TrimSpace(text),
		// Discord user IDs are snowflakes that carry their creation time.
		AccountCreated: accountCreated(m.Author.ID),
	}, true
}
