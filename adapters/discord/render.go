package discord

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/hirebot/hirebot/bot"
)

// Discord's limits.
const (
	maxContent      = 2000
	maxEmbeds       = 10
	maxEmbedTitle   = 256
	maxEmbedFields  = 25
	maxFieldName    = 256
	maxFieldValue   = 1024
	maxButtonLabel  = 80
	maxCustomID     = 100
	maxRows         = 5
	maxPerRow       = 5
	maxSelectOpts   = 25
	maxModalTitle   = 45
	maxModalInputs  = 5
	maxInputLabel   = 45
	maxPlaceholder  = 100
	maxInputValue   = 4000
	maxChoices      = 25
	maxChoiceLength = 100
)

// formButtonPrefix marks a button that opens a Form the adapter kept
// because it could not open the modal at the time (see formCache).
const formButtonPrefix = "hirebot:form:"

// selectPrefix names select menus used when a reply offers more choices
// than fit as buttons; the picked value comes back as the event Text.
const selectPrefix = "hirebot:select:"

// noMentions is sent on every message: nobody is ever pinged, whatever the
// text says. Parse must be an empty list, not null.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// Escape makes plain text safe for Discord markdown: formatting characters
// are backslash-escaped, mention syntax is broken up, and line-leading
// headings, lists and quotes are neutralised. Words that are links
// (http:// or https://) are kept as they are, so they stay clickable; a
// masked link cannot be forged because its brackets are escaped.
func Escape(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	lineStart := true
	for i := 0; i < len(s); {
		if isLinkAt(s, i) && (i == 0 || isSpace(s[i-1])) {
			j := i
			for j < len(s) && !isSpace(s[j]) && s[j] != '<' && s[j] != '>' {
				j++
			}
			b.WriteString(s[i:j])
			i = j
			lineStart = false
			continue
		}
		c := s[i]
		switch {
		case c == '\n':
			b.WriteByte(c)
			lineStart = true
			i++
			continue
		case lineStart && (c == ' ' || c == '\t'):
			b.WriteByte(c)
			i++
			continue
		case strings.ContainsRune(`\*_~`+"`"+`|><[]`, rune(c)):
			b.WriteByte('\\')
			b.WriteByte(c)
		case lineStart && (c == '#' || c == '-' || c == '+'):
			b.WriteByte('\\')
			b.WriteByte(c)
		case lineStart && c >= '0' && c <= '9':
			// "1. item" is an ordered list: escape the dot.
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			b.WriteString(s[i:j])
			if j < len(s) && s[j] == '.' {
				b.WriteString(`\.`)
				j++
			}
			i = j
			lineStart = false
			continue
		case c == '@' && (strings.HasPrefix(s[i+1:], "everyone") || strings.HasPrefix(s[i+1:], "here")):
			// A zero-width space after @ keeps the word readable and inert.
			b.WriteString("@\u200b")
		default:
			b.WriteByte(c)
		}
		lineStart = false
		i++
	}
	return b.String()
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func isLinkAt(s string, i int) bool {
	return strings.HasPrefix(s[i:], "https://") || strings.HasPrefix(s[i:], "http://")
}

// truncate shortens s to at most n runes, ending with "…" when cut, and
// never leaves a dangling escape backslash.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	out := string(r)
	// An odd run of trailing backslashes would escape the ellipsis.
	trail := len(out) - len(strings.TrimRight(out, `\`))
	if trail%2 == 1 {
		out = out[:len(out)-1]
	}
	return out + "…"
}

// message is a rendered reply, before it is put in one of discordgo's
// several message structs.
type message struct {
	content    string
	embeds     []*discordgo.MessageEmbed
	components []discordgo.MessageComponent
	ephemeral  bool
}

// render turns a reply into a Discord message. A Form cannot be a message:
// callers open it as a modal, or call formMessage.
func (a *Adapter) render(r bot.Reply) message {
	m := message{
		content:    truncate(Escape(r.Text), maxContent),
		embeds:     renderCards(r.Cards),
		components: renderButtons(r.Buttons),
		ephemeral:  r.Private,
	}
	if r.Form != nil {
		// Field errors concern only the person who filled the form.
		m.ephemeral = m.ephemeral || len(r.Form.Errors) > 0
		fm := a.formMessage(r.Form)
		if m.content == "" {
			m.content = fm.content
		} else if fm.content != "" {
			m.content = truncate(m.content+"\n"+fm.content, maxContent)
		}
		if len(m.components) < maxRows {
			m.components = append(m.components, fm.components...)
		}
	}
	if m.content == "" && len(m.embeds) == 0 && len(m.components) == 0 {
		m.content = "\u200b" // Discord rejects an empty message.
	}
	return m
}

// formMessage is what stands in for a modal when one cannot be opened
// (outside an interaction, after a deferred answer, or to show a Form's
// errors): the errors, if any, and a button that opens the form.
func (a *Adapter) formMessage(f *bot.Form) message {
	var m message
	if len(f.Errors) > 0 {
		m.content = truncate(formErrors(f), maxContent)
	}
	key := a.forms.put(f)
	label := "Open form"
	if len(f.Errors) > 0 {
		label = "Fix the form"
	} else if f.Title != "" {
		label = truncate(f.Title, maxButtonLabel)
	}
	m.components = []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: label, Style: discordgo.PrimaryButton, CustomID: formButtonPrefix + key},
	}}}
	return m
}

// formErrors lists a Form's field errors in field order, escaped.
func formErrors(f *bot.Form) string {
	var b strings.Builder
	b.WriteString("Please fix the form:")
	seen := map[string]bool{}
	line := func(label, msg string) {
		fmt.Fprintf(&b, "\n• %s: %s", Escape(label), Escape(msg))
	}
	for _, fld := range f.Fields {
		if msg, ok := f.Errors[fld.ID]; ok {
			line(cmpOr(fld.Label, fld.ID), msg)
			seen[fld.ID] = true
		}
	}
	var rest []string
	for id := range f.Errors {
		if !seen[id] {
			rest = append(rest, id)
		}
	}
	slices.Sort(rest)
	for _, id := range rest {
		line(id, f.Errors[id])
	}
	return b.String()
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// renderCards makes one embed per card, fields inline.
func renderCards(cards []bot.Card) []*discordgo.MessageEmbed {
	var out []*discordgo.MessageEmbed
	for _, c := range cards {
		if len(out) == maxEmbeds {
			break
		}
		e := &discordgo.MessageEmbed{Title: truncate(Escape(c.Title), maxEmbedTitle)}
		for _, f := range c.Fields {
			if len(e.Fields) == maxEmbedFields {
				break
			}
			name := truncate(Escape(f.Label), maxFieldName)
			value := truncate(Escape(f.Value), maxFieldValue)
			if strings.TrimSpace(name) == "" {
				name = "\u200b"
			}
			if strings.TrimSpace(value) == "" {
				value = "—"
			}
			e.Fields = append(e.Fields, &discordgo.MessageEmbedField{Name: name, Value: value, Inline: true})
		}
		out = append(out, e)
	}
	return out
}

// renderButtons lays buttons out five to a row, at most five rows. More
// than fit become select menus of up to 25 options each. The custom_id is
// the button's Value, which comes back as the Text of the press. Labels
// are not markdown, so they are not escaped.
func renderButtons(buttons []bot.Button) []discordgo.MessageComponent {
	var usable []bot.Button
	seen := map[string]bool{}
	for _, b := range buttons {
		// Discord refuses a message whose custom_ids repeat.
		if b.Value == "" || len(customID(b)) > maxCustomID || seen[b.Value] {
			continue
		}
		seen[b.Value] = true
		usable = append(usable, b)
	}
	if len(usable) == 0 {
		return nil
	}
	var rows []discordgo.MessageComponent
	if len(usable) <= maxRows*maxPerRow {
		for chunk := range slices.Chunk(usable, maxPerRow) {
			var row []discordgo.MessageComponent
			for _, b := range chunk {
				row = append(row, discordgo.Button{
					Label:    truncate(cmpOr(b.Label, b.Value), maxButtonLabel),
					Style:    buttonStyle(b.Style),
					CustomID: customID(b),
				})
			}
			rows = append(rows, discordgo.ActionsRow{Components: row})
		}
		return rows
	}
	for chunk := range slices.Chunk(usable, maxSelectOpts) {
		if len(rows) == maxRows {
			break
		}
		var opts []discordgo.SelectMenuOption
		for _, b := range chunk {
			opts = append(opts, discordgo.SelectMenuOption{
				Label: truncate(cmpOr(b.Label, b.Value), 100),
				Value: b.Value,
			})
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.SelectMenu{
				MenuType:    discordgo.StringSelectMenu,
				CustomID:    fmt.Sprintf("%s%d", selectPrefix, len(rows)),
				Placeholder: "Choose…",
				Options:     opts,
			},
		}})
	}
	return rows
}

func buttonStyle(s string) discordgo.ButtonStyle {
	switch s {
	case "primary":
		return discordgo.PrimaryButton
	case "danger":
		return discordgo.DangerButton
	}
	return discordgo.SecondaryButton
}

// modal renders a Form as a Discord modal: ActionsRow + TextInput only
// (discordgo v0.29 cannot decode the newer Label component), at most five
// inputs, the required ones first.
func modal(f *bot.Form) *discordgo.InteractionResponseData {
	fields := slices.Clone(f.Fields)
	slices.SortStableFunc(fields, func(x, y bot.FormField) int {
		switch {
		case x.Optional == y.Optional:
			return 0
		case !x.Optional:
			return -1
		}
		return 1
	})
	if len(fields) > maxModalInputs {
		fields = fields[:maxModalInputs]
	}
	var rows []discordgo.MessageComponent
	for _, fld := range fields {
		style := discordgo.TextInputShort
		if fld.Multiline {
			style = discordgo.TextInputParagraph
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.TextInput{
				CustomID:    fld.ID,
				Label:       truncate(cmpOr(fld.Label, fld.ID), maxInputLabel),
				Style:       style,
				Placeholder: truncate(fld.Placeholder, maxPlaceholder),
				Value:       truncate(fld.Value, maxInputValue),
				Required:    !fld.Optional,
				MaxLength:   maxInputValue,
			},
		}})
	}
	return &discordgo.InteractionResponseData{
		CustomID:   f.ID,
		Title:      truncate(cmpOr(f.Title, "hirebot"), maxModalTitle),
		Components: rows,
	}
}

// Adapters for discordgo's message structs; every one carries noMentions.

func (m message) flags() discordgo.MessageFlags {
	if m.ephemeral {
		return discordgo.MessageFlagsEphemeral
	}
	return 0
}

func (m message) responseData() *discordgo.InteractionResponseData {
	return &discordgo.InteractionResponseData{
		Content:         m.content,
		Embeds:          m.embeds,
		Components:      m.components,
		AllowedMentions: noMentions(),
		Flags:           m.flags(),
	}
}

func (m message) webhookParams() *discordgo.WebhookParams {
	return &discordgo.WebhookParams{
		Content:         m.content,
		Embeds:          m.embeds,
		Components:      m.components,
		AllowedMentions: noMentions(),
		Flags:           m.flags(),
	}
}

func (m message) webhookEdit() *discordgo.WebhookEdit {
	content := m.content
	embeds := m.embeds
	if embeds == nil {
		embeds = []*discordgo.MessageEmbed{}
	}
	components := m.components
	if components == nil {
		components = []discordgo.MessageComponent{}
	}
	return &discordgo.WebhookEdit{
		Content:         &content,
		Embeds:          &embeds,
		Components:      &components,
		AllowedMentions: noMentions(),
	}
}

func (a *Adapter) renderSend(r bot.Reply) *discordgo.MessageSend {
	m := a.render(r)
	return &discordgo.MessageSend{
		Content:         m.content,
		Embeds:          m.embeds,
		Components:      m.components,
		AllowedMentions: noMentions(),
	}
}
