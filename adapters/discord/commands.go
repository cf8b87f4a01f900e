package discord

import (
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/hirebot/hirebot/bot"
)

// CommandName is hirebot's one application command; the verbs are its
// subcommands.
const CommandName = "hire"

// Commands returns the application commands hirebot registers: /hire with
// the menu commands of bot's command table as subcommands, their
// arguments as options.
//
// default_member_permissions applies to a whole command, never to one
// subcommand, so it cannot restrict /hire setup alone without hiding /hire
// from every member; the core decides who may run each command.
func Commands() []*discordgo.ApplicationCommand {
	dms := true
	var subs []*discordgo.ApplicationCommandOption
	for _, c := range bot.MenuCommands() {
		sub := &discordgo.ApplicationCommandOption{
			Type: discordgo.ApplicationCommandOptionSubCommand, Name: c.Name, Description: c.Summary,
		}
		for _, a := range c.Args {
			sub.Options = append(sub.Options, option(a))
		}
		subs = append(subs, sub)
	}
	return []*discordgo.ApplicationCommand{{
		Name:         CommandName,
		Type:         discordgo.ChatApplicationCommand,
		Description:  "Find freelance work or hire freelancers",
		DMPermission: &dms,
		Options:      subs,
	}}
}

// option is a command argument as a Discord option: numbers are integers,
// channels the community's text and announcement channels, words at most
// 200 characters, or a fixed set of choices.
func option(a bot.Arg) *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{Name: a.Name, Description: a.Summary, Required: a.Required}
	switch a.Kind {
	case bot.ArgNumber:
		low := float64(a.Min)
		o.Type, o.MinValue, o.MaxValue = discordgo.ApplicationCommandOptionInteger, &low, float64(a.Max)
	case bot.ArgChannel:
		o.Type = discordgo.ApplicationCommandOptionChannel
		o.ChannelTypes = []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews}
	default:
		o.Type, o.Autocomplete = discordgo.ApplicationCommandOptionString, a.Suggest
		for _, c := range a.Choices {
			o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: c.Label, Value: c.Value})
		}
		if len(o.Choices) == 0 {
			o.MaxLength = 200
		}
	}
	return o
}

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
	// Options arrive in the order the person filled them; use the table's.
	cmd, _ := bot.LookupCommand(command)
	order := map[string]int{}
	for i, a := range cmd.Args {
		order[a.Name] = i + 1
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
		case cmd.Keyed: // name=value pairs: "channel=123 cooldown=10"
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
