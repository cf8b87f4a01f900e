package parse

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// longTextFrom is the length limit from which a text keeps its line breaks:
// a bio or a job description, rather than a title.
const longTextFrom = 200

// ParseText cleans free text (a title, a bio, a job description): control
// characters removed, runs of spaces collapsed, trimmed; line breaks kept
// (at most one blank line in a row) when max is over 200, else joined. The
// result has between min and max characters.
func ParseText(in string, min, max int) (string, error) {
	if len(in) > 8*max+64 {
		return "", Invalid(fmt.Sprintf("Please keep it under %d characters (yours has %d).", max, utf8.RuneCountInString(in)))
	}
	multiline := max > longTextFrom
	in = strings.ToValidUTF8(in, "")
	in = strings.ReplaceAll(in, "\r\n", "\n")
	var lines []string
	var b strings.Builder
	flush := func() {
		lines = append(lines, strings.TrimSpace(b.String()))
		b.Reset()
	}
	space := false
	for _, r := range in {
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			if multiline {
				flush()
				space = false
				continue
			}
			space = true
		case unicode.IsSpace(r):
			space = true
		case unicode.IsControl(r) || isInvisible(r):
		default:
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
	}
	flush()
	// At most one blank line in a row, none at the ends.
	var out []string
	for _, l := range lines {
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	if len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	s := strings.Join(out, "\n")
	n := utf8.RuneCountInString(s)
	switch {
	case n == 0 && min > 0:
		return "", Invalid("I didn't get any text.")
	case n < min:
		return "", Invalid(fmt.Sprintf("That's a bit short — at least %d characters, please.", min))
	case n > max:
		return "", Invalid(fmt.Sprintf("Please keep it under %d characters (yours has %d).", max, n))
	}
	return s, nil
}

// TextAnswer is the Parser of a free-text step with the given limits.
func TextAnswer(min, max int) Parser {
	return func(in string, _ Env) (string, error) { return ParseText(in, min, max) }
}
