package telegram

import (
	"html"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/hirebot/hirebot/bot"
)

const (
	// maxMessage is Telegram's limit on a message's text. It counts
	// characters after HTML parsing; rendered text is measured before
	// parsing, in UTF-16 units, which is never less, so a chunk always fits.
	maxMessage = 4096
	// maxCallbackData is Telegram's limit on a button's callback_data.
	maxCallbackData = 64
	// shortLabel is the label length (in runes) up to which buttons share a row.
	shortLabel    = 12
	buttonsPerRow = 3
)

// outMessage is one sendMessage call: HTML text and an optional keyboard.
type outMessage struct {
	Text     string
	Keyboard *tgbotapi.InlineKeyboardMarkup
}

// render turns a reply into the messages that show it. Every piece of text
// is escaped, so nothing the bot writes (or quotes from a person) can be read
// as markup. Long replies are split between lines; the keyboard goes under
// the last part. dropped lists buttons that cannot be shown (a Value that
// does not fit in callback_data).
func render(r bot.Reply) (msgs []outMessage, dropped []bot.Button) {
	var lines []string
	add := func(block []string) {
		if len(block) == 0 {
			return
		}
		if len(lines) > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, block...)
	}
	if strings.TrimSpace(r.Text) != "" { // Telegram refuses blank messages
		add([]string{esc(r.Text)})
	}
	for _, c := range r.Cards {
		add(renderCard(c))
	}
	if r.Form != nil {
		add(renderForm(r.Form))
	}
	kb, dropped := keyboard(r.Buttons)
	if len(lines) == 0 {
		if kb == nil {
			return nil, dropped
		}
		lines = []string{"Choose one:"}
	}
	for _, text := range chunk(lines, maxMessage) {
		msgs = append(msgs, outMessage{Text: text})
	}
	msgs[len(msgs)-1].Keyboard = kb
	return msgs, dropped
}

func renderCard(c bot.Card) []string {
	var out []string
	if c.Title != "" {
		out = append(out, "<b>"+esc(clip(c.Title))+"</b>")
	}
	for _, f := range c.Fields {
		v := f.Value
		if v == "" {
			v = "—"
		}
		out = append(out, "<b>"+esc(clip(f.Label))+":</b> "+esc(v))
	}
	return out
}

// renderForm says what a form would have asked: Telegram has no forms, so
// the dialog asks for the fields one at a time.
func renderForm(f *bot.Form) []string {
	var out []string
	if f.Title != "" {
		out = append(out, "<b>"+esc(clip(f.Title))+"</b>")
	}
	out = append(out, "Forms don't exist on Telegram, so I'll ask for each field one at a time.")
	ids := make([]string, 0, len(f.Errors))
	for id := range f.Errors {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		label := id
		for _, field := range f.Fields {
			if field.ID == id && field.Label != "" {
				label = field.Label
			}
		}
		out = append(out, "<b>"+esc(clip(label))+":</b> "+esc(f.Errors[id]))
	}
	return out
}

// keyboard lays buttons out as an inline keyboard: short labels share rows,
// long ones get a row each. A Value starting with https:// is a link (deep
// links such as https://t.me/<bot>?start=gig_7); any other Value travels as
// callback_data and comes back as the Text of a button event.
func keyboard(buttons []bot.Button) (*tgbotapi.InlineKeyboardMarkup, []bot.Button) {
	var keys []tgbotapi.InlineKeyboardButton
	var dropped []bot.Button
	short := true
	for _, b := range buttons {
		label := b.Label
		if label == "" {
			label = b.Value
		}
		switch {
		case label == "":
			dropped = append(dropped, b)
			continue
		case strings.HasPrefix(b.Value, "https://"):
			keys = append(keys, tgbotapi.NewInlineKeyboardButtonURL(label, b.Value))
		case b.Value == "" || len(b.Value) > maxCallbackData || !utf8.ValidString(b.Value):
			dropped = append(dropped, b)
			continue
		default:
			keys = append(keys, tgbotapi.NewInlineKeyboardButtonData(label, b.Value))
		}
		if utf8.RuneCountInString(label) > shortLabel {
			short = false
		}
	}
	if len(keys) == 0 {
		return nil, dropped
	}
	perRow := 1
	if short {
		perRow = buttonsPerRow
	}
	var rows [][]tgbotapi.InlineKeyboardButton
	for len(keys) > 0 {
		n := min(perRow, len(keys))
		rows = append(rows, keys[:n:n])
		keys = keys[n:]
	}
	return &tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}, dropped
}

// maxBold is the longest title or label shown in bold, in runes. Bounding
// them keeps every bold span far below maxMessage, so a long line is only
// ever cut in its plain part.
const maxBold = 200

// clip shortens a title or label to maxBold runes.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= maxBold {
		return s
	}
	return string([]rune(s)[:maxBold-1]) + "…"
}

// esc escapes text for Telegram's HTML parse mode.
func esc(s string) string { return html.EscapeString(s) }

// utf16Len is the length Telegram measures text in.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r) // ranging yields no surrogates: 1 or 2
	}
	return n
}

// chunk joins lines into texts of at most limit UTF-16 units, breaking
// between lines. Each line is self-contained markup (its tags close on the
// line), so a break never splits a tag. A single line longer than limit is
// cut between characters, outside escapes and tags.
func chunk(lines []string, limit int) []string {
	var out []string
	var cur strings.Builder
	curLen := 0
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
			curLen = 0
		}
	}
	for _, line := range lines {
		for _, piece := range cutLine(line, limit) {
			n := utf16Len(piece)
			sep := 0
			if cur.Len() > 0 {
				sep = 1
			}
			if curLen+sep+n > limit {
				flush()
				sep = 0
			}
			if sep == 1 {
				cur.WriteByte('\n')
			}
			cur.WriteString(piece)
			curLen += sep + n
		}
	}
	flush()
	return out
}

// cutLine splits one rendered line into pieces of at most limit UTF-16
// units without cutting an escape (&amp;) or a tag (<b>). Bold spans are
// short (see clip), so the cut falls in plain text.
func cutLine(line string, limit int) []string {
	if utf16Len(line) <= limit {
		return []string{line}
	}
	var out []string
	start, n := 0, 0
	lastSafe := 0 // byte offset where a cut leaves no escape or tag open
	inEntity, inTag := false, false
	for i, r := range line {
		if !inEntity && !inTag {
			lastSafe = i
		}
		w := utf16.RuneLen(r)
		if n+w > limit && lastSafe > start {
			out = append(out, line[start:lastSafe])
			n = utf16Len(line[lastSafe:i])
			start = lastSafe
		}
		n += w
		switch {
		case r == '&':
			inEntity = true
		case r == ';' && inEntity:
			inEntity = false
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
		}
	}
	if start < len(line) {
		out = append(out, line[start:])
	}
	return out
}

// entitiesToHTML rebuilds the HTML of a received message from its text and
// formatting entities (offsets in UTF-16 units), so that editing a message
// to show the pressed button keeps its bold labels. Unknown entity types
// and malformed spans are kept as plain text; the tags always nest.
func entitiesToHTML(text string, entities []tgbotapi.MessageEntity) string {
	units := utf16.Encode([]rune(text))
	type span struct {
		start, end  int
		open, close string
	}
	var spans []span
	for _, e := range entities {
		if e.Offset < 0 || e.Length <= 0 || e.Offset > len(units)-e.Length {
			continue
		}
		tag := htmlTags[e.Type]
		if tag == "" {
			continue
		}
		spans = append(spans, span{e.Offset, e.Offset + e.Length, "<" + tag + ">", "</" + tag + ">"})
	}
	// Outer spans open first.
	sort.SliceStable(spans, func(i, j int) bool {
		if spans[i].start != spans[j].start {
			return spans[i].start < spans[j].start
		}
		return spans[i].end > spans[j].end
	})
	var b strings.Builder
	opened := make([]bool, len(spans))
	var open []int // indexes into spans, innermost last
	for i := 0; ; {
		// Close the spans that have ended; closing one that is not
		// innermost closes and reopens the ones inside it.
		for {
			k := -1
			for x := len(open) - 1; x >= 0; x-- {
				if spans[open[x]].end <= i {
					k = x
					break
				}
			}
			if k < 0 {
				break
			}
			for j := len(open) - 1; j >= k; j-- {
				b.WriteString(spans[open[j]].close)
			}
			inner := append([]int(nil), open[k+1:]...)
			open = append(open[:k], inner...)
			for _, j := range inner {
				b.WriteString(spans[j].open)
			}
		}
		if i >= len(units) {
			break
		}
		for j, s := range spans {
			if !opened[j] && s.start <= i && s.end > i {
				opened[j] = true
				open = append(open, j)
				b.WriteString(s.open)
			}
		}
		// One character: a surrogate pair is two units.
		end := i + 1
		if utf16.IsSurrogate(rune(units[i])) && end < len(units) {
			end++
		}
		b.WriteString(esc(string(utf16.Decode(units[i:end]))))
		i = end
	}
	return b.String()
}

// htmlTags maps the Bot API's formatting entity types to HTML tags.
var htmlTags = map[string]string{
	"bold": "b", "italic": "i", "underline": "u", "strikethrough": "s",
	"code": "code", "pre": "pre", "spoiler": "tg-spoiler",
}
