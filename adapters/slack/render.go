package slack

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/hirebot/hirebot/bot"
)

// Block Kit limits (https://docs.slack.dev/reference/block-kit/blocks).
const (
	maxSectionText   = 3000
	maxFieldText     = 2000
	maxFieldsPerSect = 10
	maxButtonText    = 75
	maxButtonValue   = 2000
	maxActionsPerBlk = 25
	maxMessageBlocks = 50
	maxViewBlocks    = 100
	maxModalTitle    = 24
	maxModalButton   = 24
	maxInputLabel    = 2000
	maxPlaceholder   = 150
	maxInitialValue  = 3000
	maxFallbackText  = 4000
)

// actionsBlockID prefixes the block_id of hirebot's button rows. Slack sends
// an action of a block without block_id as a legacy attachment action.
const actionsBlockID = "hirebot_actions"

// escape escapes text for mrkdwn: with &, < and > escaped nobody can write
// <!channel>, <@U123> or <https://evil|innocent>.
func escape(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// truncate cuts s to at most n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// truncateEscaped escapes s and keeps the result within n characters
// without cutting an entity (&amp;) in half.
func truncateEscaped(s string, n int) string {
	r := []rune(escape(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:entitySafeCut(r, n-1)]) + "…"
}

// entitySafeCut returns where to cut escaped text r to keep at most n
// runes: at n, or before an entity that would straddle n.
func entitySafeCut(r []rune, n int) int {
	for i := n - 1; i >= 0 && i > n-5; i-- {
		if r[i] == '&' {
			return i
		}
	}
	return n
}

// mrkdwn is a section text object: escaped by the caller, verbatim so Slack
// does not turn bare "@channel", #names or URLs into mentions and links.
func mrkdwn(escaped string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, escaped, false, true)
}

func plain(s string, n int) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, truncate(s, n), true, false)
}

// replyBlocks renders a reply's text, cards and buttons as Block Kit.
func replyBlocks(r bot.Reply) []slack.Block {
	var blocks []slack.Block
	for _, chunk := range splitText(r.Text, maxSectionText) {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwn(chunk), nil, nil))
	}
	for _, c := range r.Cards {
		blocks = append(blocks, cardBlocks(c)...)
	}
	blocks = append(blocks, buttonBlocks(r.Buttons)...)
	if len(blocks) > maxMessageBlocks {
		blocks = blocks[:maxMessageBlocks]
	}
	return blocks
}

// splitText escapes text and splits it into pieces of at most n runes,
// at line breaks where possible.
func splitText(text string, n int) []string {
	r := []rune(escape(strings.TrimSpace(text)))
	var out []string
	for len(r) > 0 {
		if len(r) <= n {
			out = append(out, string(r))
			break
		}
		cut := entitySafeCut(r, n)
		for i := cut - 1; i > n/2; i-- {
			if r[i] == '\n' {
				cut = i + 1
				break
			}
		}
		out = append(out, strings.TrimRight(string(r[:cut]), "\n"))
		r = r[cut:]
	}
	return out
}

// cardBlocks renders a card: its title in bold, its fields as section
// fields (label in bold above the value), ten to a section.
func cardBlocks(c bot.Card) []slack.Block {
	var fields []*slack.TextBlockObject
	for _, f := range c.Fields {
		label := truncateEscaped(f.Label, 200)
		value := f.Value
		if strings.TrimSpace(value) == "" {
			value = "—"
		}
		text := "*" + label + "*\n" + truncateEscaped(value, maxFieldText-utf8.RuneCountInString(label)-3)
		fields = append(fields, mrkdwn(text))
	}
	var title *slack.TextBlockObject
	if strings.TrimSpace(c.Title) != "" {
		title = mrkdwn("*" + truncateEscaped(c.Title, maxSectionText-2) + "*")
	}
	if title == nil && len(fields) == 0 {
		return nil
	}
	var blocks []slack.Block
	for first := true; first || len(fields) > 0; first = false {
		n := min(len(fields), maxFieldsPerSect)
		var text *slack.TextBlockObject
		if first {
			text = title
		}
		var fs []*slack.TextBlockObject
		if n > 0 {
			fs = fields[:n]
		}
		blocks = append(blocks, slack.NewSectionBlock(text, fs, nil))
		fields = fields[n:]
	}
	return blocks
}

// buttonBlocks renders buttons as actions blocks, each with a block_id.
func buttonBlocks(buttons []bot.Button) []slack.Block {
	var blocks []slack.Block
	for start := 0; start < len(buttons); start += maxActionsPerBlk {
		end := min(start+maxActionsPerBlk, len(buttons))
		var elems []slack.BlockElement
		for i, b := range buttons[start:end] {
			el := slack.NewButtonBlockElement("b"+strconv.Itoa(start+i), truncate(b.Value, maxButtonValue), plain(b.Label, maxButtonText))
			switch b.Style {
			case "primary":
				el.Style = slack.StylePrimary
			case "danger":
				el.Style = slack.StyleDanger
			}
			elems = append(elems, el)
		}
		id := actionsBlockID
		if start > 0 {
			id += "_" + strconv.Itoa(start/maxActionsPerBlk)
		}
		blocks = append(blocks, slack.NewActionBlock(id, elems...))
	}
	return blocks
}

// fallbackText is the notification text of a message: escaped like the
// blocks, since Slack parses it as mrkdwn too.
func fallbackText(r bot.Reply) string {
	t := strings.TrimSpace(r.Text)
	if t == "" && len(r.Cards) > 0 {
		t = r.Cards[0].Title
	}
	if t == "" && r.Form != nil {
		t = r.Form.Title
	}
	return truncateEscaped(t, maxFallbackText)
}

// modalView renders a form as a modal. Every input's block_id and action_id
// is the field ID; meta says where the answer to the submission goes.
func modalView(f bot.Form, meta modalMeta) slack.ModalViewRequest {
	title := f.Title
	if strings.TrimSpace(title) == "" {
		title = "hirebot"
	}
	submit := f.Submit
	if strings.TrimSpace(submit) == "" {
		submit = "Submit"
	}
	var blocks []slack.Block
	for _, fld := range f.Fields {
		el := slack.NewPlainTextInputBlockElement(nil, fld.ID)
		if fld.Placeholder != "" {
			el.Placeholder = plain(fld.Placeholder, maxPlaceholder)
		}
		el.Multiline = fld.Multiline
		el.InitialValue = truncate(fld.Value, maxInitialValue)
		label := fld.Label
		if strings.TrimSpace(label) == "" {
			label = fld.ID
		}
		in := slack.NewInputBlock(fld.ID, plain(label, maxInputLabel), nil, el)
		in.Optional = fld.Optional
		blocks = append(blocks, in)
	}
	if len(blocks) > maxViewBlocks {
		blocks = blocks[:maxViewBlocks]
	}
	var md string
	if meta != (modalMeta{}) {
		b, _ := json.Marshal(meta)
		md = string(b)
	}
	return slack.ModalViewRequest{
		Type:            slack.VTModal,
		Title:           plain(title, maxModalTitle),
		Submit:          plain(submit, maxModalButton),
		Close:           plain("Cancel", maxModalButton),
		CallbackID:      f.ID,
		PrivateMetadata: md,
		Blocks:          slack.Blocks{BlockSet: blocks},
	}
}

// homeView renders the replies to "home" as the person's App Home tab.
func homeView(replies []bot.Reply) slack.HomeTabViewRequest {
	var blocks []slack.Block
	for i, r := range replies {
		if i > 0 {
			blocks = append(blocks, slack.NewDividerBlock())
		}
		bs := replyBlocks(r)
		// block_ids must be unique in a view.
		for _, b := range bs {
			if ab, ok := b.(*slack.ActionBlock); ok {
				ab.BlockID += "_r" + strconv.Itoa(i)
			}
		}
		blocks = append(blocks, bs...)
	}
	if len(blocks) > maxViewBlocks {
		blocks = blocks[:maxViewBlocks]
	}
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}

// answeredBlocks is a message after one of its buttons was pressed: the
// same blocks without the buttons, and a line showing the choice.
func answeredBlocks(blocks []slack.Block, label string) []slack.Block {
	out := make([]slack.Block, 0, len(blocks)+1)
	for _, b := range blocks {
		if b.BlockType() == slack.MBTAction {
			continue
		}
		out = append(out, b)
	}
	if label == "" {
		label = "Done"
	}
	return append(out, slack.NewContextBlock("hirebot_answered", plain("✓ "+label, maxSectionText)))
}

// formErrorsText lists a form's field errors, for when the modal is gone.
func formErrorsText(f bot.Form) string {
	var b strings.Builder
	b.WriteString("Please fix these and try again:")
	for _, fld := range f.Fields {
		if msg, ok := f.Errors[fld.ID]; ok {
			b.WriteString("\n• " + fld.Label + ": " + msg)
		}
	}
	return b.String()
}

// errorsResponse is the synchronous answer to an invalid submission: the
// errors shown under the modal's inputs (block_id = field ID).
func errorsResponse(f bot.Form) *slack.ViewSubmissionResponse {
	errs := make(map[string]string, len(f.Errors))
	for id, msg := range f.Errors {
		errs[id] = truncate(msg, 150)
	}
	return slack.NewErrorsViewSubmissionResponse(errs)
}
