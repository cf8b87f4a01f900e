package discord

import (
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// CommandName is hirebot's one application command; the verbs are its
// subcommands.
const CommandName = "hire"

// Commands returns the application commands hirebot registers: /hire with
// the verbs of every platform as subcommands, plus setup.
//
// default_member_permissions applies to a whole command, never to one
// subcommand, so it cannot restrict /hire setup alone without hiding /hire
// from every member; the adapter checks Manage Server itself (setupAllowed).
func Commands() []*discordgo.ApplicationCommand {
	dms := true
	zero := 0.0
	one := 1.0
	integer := func(name, desc string, required bool, min *float64, max float64) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{
			Type: discordgo.ApplicationCommandOptionInteger, Name: name, Description: desc,
			Required: required, MinValue: min, MaxValue: max,
		}
	}
	text := func(name, desc string, required bool) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{
			Type: discordgo.ApplicationCommandOptionString, Name: name, Description: desc, Required: required, MaxLength: 200,
		}
	}
	sub := func(name, desc string, opts ...*discordgo.ApplicationCommandOption) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{
			Type: discordgo.ApplicationCommandOptionSubCommand, Name: name, Description: desc, Options: opts,
		}
	}
	textChannels := []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews}
	return []*discordgo.ApplicationCommand{{
		Name:         CommandName,
		Type:         discordgo.ChatApplicationCommand,
		Description:  "Find freelance work or hire freelancers",
		DMPermission: &dms,
		Options: []*discordgo.ApplicationCommandOption{
			sub("profile", "Build or edit your freelancer profile"),
			sub("post", "Post a micro job"),
			sub("search", "Search freelancers",
				&discordgo.ApplicationCommandOption{
					Type: discordgo.ApplicationCommandOptionString, Name: "query",
					Description: "Words to look for, e.g. react native", MaxLength: 200,
				},
				&discordgo.ApplicationCommandOption{
					Type: discordgo.ApplicationCommandOptionString, Name: "skill",
					Description: "A skill", Autocomplete: true, MaxLength: 100,
				},
			),
			sub("jobs", "Your posted jobs"),
			sub("matches", "Freelancers who match a job", integer("job", "Job number", true, &one, 0)),
			sub("close", "Close a job", integer("job", "Job number", true, &one, 0)),
			sub("saved", "Gigs you saved from a gig board"),
			sub("edit", "Change one field of your profile", text("field", "e.g. rate, skills, timezone", true)),
			sub("pause", "Stop appearing in matches"),
			sub("resume", "Appear in matches again"),
			sub("apply", "Apply to a job", integer("job", "Job number", true, &one, 0), text("note", "A short note for the poster", false)),
			sub("invite", "Invite a freelancer to one of your jobs",
				integer("person", "The number on their card", true, &one, 0), integer("job", "Job number", true, &one, 0)),
			sub("applicants", "Who was invited to or applied for a job", integer("job", "Job number", true, &one, 0)),
			sub("fill", "Mark a job filled", integer("job", "Job number", true, &one, 0)),
			sub("pool", "This server's talent pools", text("name", "A pool's name", false)),
			sub("alerts", "Hear of new jobs that match you",
				&discordgo.ApplicationCommandOption{
					Type: discordgo.ApplicationCommandOptionString, Name: "mode", Description: "As they come, once a day, or never",
					Required: true, Choices: []*discordgo.ApplicationCommandOptionChoice{
						{Name: "as they come", Value: "on"}, {Name: "daily digest", Value: "daily"}, {Name: "off", Value: "off"}},
				}),
			sub("privacy", "Who can find you", text("rule", "hide here, show here or everyone", false)),
			sub("link", "Join your accounts on two platforms", text("code", "The code you got on the other platform", false)),
			sub("unlink", "Separate this account from the linked one"),
			sub("delete", "Erase everything hirebot keeps about you"),
			sub("help", "What hirebot can do"),
			sub("setup", "Set up the gig board (Manage Server)",
				&discordgo.ApplicationCommandOption{
					Type: discordgo.ApplicationCommandOptionChannel, Name: "channel",
					Description: "Channel where gigs are posted", Required: true, ChannelTypes: textChannels,
				},
				&discordgo.ApplicationCommandOption{
					Type: discordgo.ApplicationCommandOptionChannel, Name: "moderators",
					Description: "Channel where reported gigs go", ChannelTypes: textChannels,
				},
				integer("cooldown", "Minutes a member waits between posts", false, &zero, 10080),
				integer("min_age", "Minimum Discord account age in days to post", false, &zero, 3650),
			),
		},
	}}
}

// keyedOptions are subcommands whose options reach the bot as key=value
// pairs ("channel=123 cooldown=10"); the others' values are joined by
// spaces, in the order the command defines them.
var keyedOptions = map[string]bool{"setup": true}

// commandText flattens /hire's data into the verb and the argument text
// the bot parses: "search" -> the query words (and the skill, quoted when
// it has spaces), "matches"/"close" -> the job number.
func commandText(data discordgo.ApplicationCommandInteractionData) (command, text string) {
	if data.Name != CommandName || len(data.Options) == 0 ||
		data.Options[0].Type != discordgo.ApplicationCommandOptionSubCommand {
		return data.Name, joinOptions(data.Name, data.Options)
	}
	sub := data.Options[0]
	return sub.Name, joinOptions(sub.Name, sub.Options)
}

func joinOptions(command string, opts []*discordgo.ApplicationCommandInteractionDataOption) string {
	// Options arrive in the order the person filled them; use ours.
	order := map[string]int{}
	for _, c := range Commands() {
		for _, s := range c.Options {
			if s.Name == command {
				for i, o := range s.Options {
					order[o.Name] = i + 1
				}
			}
		}
	}
	sorted := make([]*discordgo.ApplicationCommandInteractionDataOption, 0, len(opts))
	sorted = append(sorted, opts...)
	for i := 1; i < len(sorted); i++ { // insertion sort: a handful of options
		for j := i; j > 0 && rank(order, sorted[j].Name) < rank(order, sorted[j-1].Name); j-- {
			sorted[j], sorted[j-1] = sorted[j-1], sorted[j]
		}
	}
	var parts []string
	for _, o := range sorted {
		v := optionString(o)
		if v == "" {
			continue
		}
		switch {
		case keyedOptions[command]:
			parts = append(parts, o.Name+"="+v)
		case o.Name == "skill" && strings.ContainsAny(v, " \t"):
			parts = append(parts, strconv.Quote(v))
		default:
			parts = append(parts, v)
		}
	}
	return strings.Join(parts, " ")
}

func rank(order map[string]int, name string) int {
	if r, ok := order[name]; ok {
		return r
	}
	return len(order) + 1
}

// optionString renders an option value as the bot reads it. JSON numbers
// decode as float64: whole numbers are written without a decimal point.
func optionString(o *discordgo.ApplicationCommandInteractionDataOption) string {
	switch v := o.Value.(type) {
	case string:
		return strings.TrimSpace(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return ""
	default:
		return ""
	}
}

// focusedOption returns the value being typed in an autocomplete request.
func focusedOption(data discordgo.ApplicationCommandInteractionData) string {
	opts := data.Options
	if len(opts) > 0 && opts[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		opts = opts[0].Options
	}
	for _, o := range opts {
		if o.Focused {
			s, _ := o.Value.(string)
			return s
		}
	}
	return ""
}

// setupAllowed reports whether the member may run /hire setup: Manage
// Server or Administrator in the server (the member's permissions in the
// interaction are already computed by Discord).
func setupAllowed(m *discordgo.Member) bool {
	if m == nil {
		return false
	}
	return m.Permissions&(discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) != 0
}

// verbs are the subcommands of /hire.
var verbs = func() map[string]bool {
	m := map[string]bool{}
	for _, c := range Commands() {
		for _, s := range c.Options {
			m[s.Name] = true
		}
	}
	return m
}()

// TypedCommand is how a command is typed on Discord (bot.CommandTyper):
// "/hire profile" for a verb /hire carries; "/end" for one it does not,
// which a direct message delivers to hirebot as text.
func (a *Adapter) TypedCommand(name string) string {
	if verbs[name] {
		return "/" + CommandName + " " + name
	}
	return "/" + name
}
