package bot

import (
	"cmp"
	"strings"
)

// Command is one command, declared once in the command table
// (commands.go). The router, /help and the platforms' menus (Discord's
// /hire subcommands and their options, the Telegram menu, the usage hint of
// Slack's /hire) are all made from that table.
type Command struct {
	// Name is what is typed after the slash: lowercase letters.
	Name string
	// Aliases are other names the router takes for it (/pools is /pool).
	Aliases []string
	// Args are its arguments, in the order they are written.
	Args []Arg
	// Keyed commands take their arguments as name=value pairs
	// (/setup channel=C1 cooldown=10); the others by position.
	Keyed bool
	// Summary says what it does in one line of at most 100 characters: its
	// entry in a menu.
	Summary string
	// Help is its line in /help (Summary when empty); More is shown under
	// that line.
	Help, More string
	// Section is where /help lists it; "" keeps it out of /help (/start is
	// the platforms' own way in, not something to learn).
	Section string
	// Menu puts it in the platforms' command menus.
	Menu bool
	// Community commands run only in a community (a server or a group),
	// never in a private chat.
	Community bool
	// Who may run it; the router refuses everyone else.
	Who Role
	// Rights is set when anyone may run it but its handler reads the
	// person's rights in the community (Event.Moderator): a moderator's
	// /close closes a gig posted on the board.
	Rights bool

	// Run is the command's handler. The turn layer (package hire) declares
	// the table and sets it; the domain never calls it.
	Run any
}

// Role is who may run a command.
type Role int

// Roles.
const (
	Anyone Role = iota
	// Moderators of the community the event comes from (Event.Moderator).
	Moderators
	// Managers of the community the event comes from: those who may
	// change its settings (Event.Manager).
	Managers
	// Staff are hirebot's own moderators, named by the operator.
	Staff
)

// ArgKind is the kind of value an argument takes.
type ArgKind int

// Argument kinds.
const (
	ArgText    ArgKind = iota // words
	ArgNumber                 // a whole number (a job, a person's number on a card)
	ArgChannel                // a channel of the community
)

// Arg is one argument of a Command.
type Arg struct {
	// Name is lowercase letters and underscores (it names the option in
	// platforms that have forms for commands).
	Name string
	// Summary says what to give, in at most 100 characters.
	Summary  string
	Kind     ArgKind
	Required bool
	// Min and Max bound an ArgNumber; Max 0 means no upper bound.
	Min, Max int
	// Choices are the only values an ArgText takes, when it has a fixed set.
	Choices []ArgChoice
	// Suggest means values can be offered as they are typed (skills).
	Suggest bool
}

// ArgChoice is one value of an argument with a fixed set: Label is shown,
// Value is what the command reads.
type ArgChoice struct{ Label, Value string }

// /help sections, in the order /help shows them.
const (
	SectionFreelancers = "For freelancers"
	SectionEmployers   = "For employers"
	SectionAfter       = "After an acceptance"
	SectionCommunities = "For communities"
	SectionAnytime     = "At any time"
)

// helpSections are /help's sections: the topic that asks for one
// (/help freelancers), and the words under its title.
var helpSections = []struct{ title, topic, note string }{
	{SectionFreelancers, "freelancers", ""},
	{SectionEmployers, "employers", ""},
	{SectionAfter, "after", "Whatever you write to me is passed to the other side when you are on different platforms."},
	{SectionCommunities, "communities", ""},
	{SectionAnytime, "dialogs", "In a dialog you can also just say back, skip, cancel or help."},
}

// The command table, its index and what is made from it; set by package
// hire's init (SetCommands), which declares the table with its handlers, so
// that adapters read it without importing the turn layer.
var (
	commands      []Command
	commandByName map[string]*Command
	// HelpText is /help: every command by name under its section, short
	// enough for one message on every platform, and how to ask for more
	// (Help). It is shown for an unknown command too.
	HelpText string
	// helpTopics is the help on each section, by its topic.
	helpTopics map[string]string
	// hintCommands are the commands a reply may name (hints.go).
	hintCommands map[string]bool
)

// SetCommands makes table the command table: the router (package hire), /help
// and the platforms' menus read it. It is called once, before any event.
func SetCommands(table []Command) {
	commands = table
	commandByName = map[string]*Command{}
	hintCommands = map[string]bool{}
	for i := range table {
		c := &table[i]
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			commandByName[n] = c
		}
		if c.Section != "" {
			hintCommands[c.Name] = true
		}
	}
	HelpText, helpTopics = helpText(table)
}

// Commands returns the command table, in /help's order.
func Commands() []Command { return append([]Command(nil), commands...) }

// MenuCommands returns the commands the platforms' menus offer, in /help's
// order.
func MenuCommands() []Command {
	var out []Command
	for _, c := range commands {
		if c.Menu {
			out = append(out, c)
		}
	}
	return out
}

// LookupCommand returns the command name names (its name or an alias).
func LookupCommand(name string) (Command, bool) {
	c, ok := commandByName[name]
	if !ok {
		return Command{}, false
	}
	return *c, true
}

// NeedsRights reports whether handling the command reads the person's
// rights in the community, which a platform that must ask for them
// (Telegram's getChatMember) then asks for.
func (c Command) NeedsRights() bool {
	return c.Who == Moderators || c.Who == Managers || c.Rights
}

// Usage writes the command's arguments as /help shows them:
// <required> [optional], name=<value> for a keyed command, a|b|c for a
// fixed set of values.
func (c Command) Usage() string {
	var parts []string
	for _, a := range c.Args {
		v := "<" + a.Name + ">"
		if len(a.Choices) > 0 {
			vals := make([]string, len(a.Choices))
			for i, ch := range a.Choices {
				vals[i] = ch.Value
			}
			v = strings.Join(vals, "|")
		}
		switch {
		case c.Keyed:
			v = a.Name + "=" + v
		case !a.Required && len(a.Choices) == 0:
			v = a.Name
		}
		if !a.Required {
			v = "[" + v + "]"
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, " ")
}

func helpText(table []Command) (overview string, topics map[string]string) {
	var b strings.Builder
	b.WriteString("Here is what I can do:\n")
	topics = map[string]string{}
	var names []string
	for _, s := range helpSections {
		b.WriteString("\n" + s.title + ":")
		var t strings.Builder
		t.WriteString(s.title)
		if s.note != "" {
			t.WriteString("\n  " + s.note)
		}
		for _, c := range table {
			if c.Section != s.title {
				continue
			}
			b.WriteString(" /" + c.Name)
			t.WriteString("\n" + c.helpLine())
		}
		topics[s.topic] = t.String() + "\n\nSay /help for the other topics."
		names = append(names, "/help "+s.topic)
	}
	b.WriteString("\n\nSay /help and a command for what it does, e.g. /help apply, or a topic for all of it: " + strings.Join(names, ", ") + ".")
	return b.String(), topics
}

// helpLine is the command's entry in the help on its section: usage, what
// it does, and More under it.
func (c Command) helpLine() string {
	line := "  /" + c.Name
	if u := c.Usage(); u != "" {
		line += " " + u
	}
	line += " — " + cmp.Or(c.Help, lowerFirst(c.Summary))
	if c.More != "" {
		line += "\n    " + strings.ReplaceAll(c.More, "\n", "\n    ")
	}
	return line
}

// Help returns the help on topic: a section of /help (freelancers,
// employers, after, communities, dialogs; a singular does too), or one
// command by its name or an alias, with or without its slash. ok is false
// for anything else.
func Help(topic string) (text string, ok bool) {
	topic = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(topic)), "/")
	if t, ok := helpTopics[topic]; ok {
		return t, true
	}
	if t, ok := helpTopics[topic+"s"]; ok {
		return t, true
	}
	if c, ok := commandByName[topic]; ok {
		line := strings.TrimPrefix(c.helpLine(), "  ")
		if c.Section == "" {
			line = "/" + c.Name + " — " + lowerFirst(c.Summary)
		}
		return line, true
	}
	return "", false
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
