package parse

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxParse is the longest input the short-answer parsers look at, in bytes.
// Rates, dates and the like are a few words; anything longer is refused
// before any real work is done.
const maxParse = 200

// tooLong is the message for a short answer that runs on.
const tooLong = "That's longer than I expected for this answer. Please keep it short."

// clean prepares an answer for the short-answer parsers: valid UTF-8, no
// control characters, spaces collapsed, trimmed. ok is false when the input
// is longer than max bytes (checked before cleaning, so huge input costs
// nothing).
func clean(in string, max int) (string, bool) {
	if len(in) > max*4 {
		return "", false
	}
	in = strings.ToValidUTF8(in, "")
	var b strings.Builder
	b.Grow(len(in))
	space := false
	for _, r := range in {
		if unicode.IsSpace(r) || unicode.IsControl(r) || isInvisible(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if utf8.RuneCountInString(out) > max {
		return "", false
	}
	return out, true
}

// isInvisible reports format characters that change how text looks without
// being text: zero-width spaces, direction overrides, the byte-order mark.
func isInvisible(r rune) bool {
	switch {
	case r == 0x200B || r == 0x200C || r == 0x200E || r == 0x200F || r == 0xFEFF:
		return true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// normKey is the lookup key of a name: lower case, letters and digits only,
// keeping + and # so C, C++ and C# stay apart ("Node.js" and "nodejs" meet).
func normKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '+' || r == '#' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// editDistance is the Damerau–Levenshtein distance (optimal string
// alignment) between a and b, counted in runes. It gives up and returns
// limit+1 as soon as the distance must exceed limit.
func editDistance(a, b string, limit int) int {
	// Most comparisons end at the lengths; the rest of short words run on
	// the stack: this is called for every key of a vocabulary.
	if d := utf8.RuneCountInString(a) - utf8.RuneCountInString(b); d > limit || -d > limit {
		return limit + 1
	}
	var bufA, bufB [48]rune
	var rows [3][49]int
	ra, rb := appendRunes(bufA[:0], a), appendRunes(bufB[:0], b)
	var prev2, prev, cur []int
	if len(rb) < len(rows[0]) {
		prev2, prev, cur = rows[0][:len(rb)+1], rows[1][:len(rb)+1], rows[2][:len(rb)+1]
	} else {
		prev2, prev, cur = make([]int, len(rb)+1), make([]int, len(rb)+1), make([]int, len(rb)+1)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			best = min(best, v)
		}
		if best > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// runeMask is the set of characters of s, folded onto 64 bits. Each edit
// adds or removes at most two characters, so two keys whose masks differ in
// more than 2·d bits are more than d edits apart: mayBeNear rules most of a
// vocabulary out before editDistance runs.
func runeMask(s string) uint64 {
	var m uint64
	for _, r := range s {
		m |= 1 << (uint32(r) % 64)
	}
	return m
}

// mayBeNear reports whether keys with masks a and b may be within limit
// edits of each other.
func mayBeNear(a, b uint64, limit int) bool {
	return bits.OnesCount64(a^b) <= 2*limit
}

// appendRunes appends the runes of s to buf.
func appendRunes(buf []rune, s string) []rune {
	for _, r := range s {
		buf = append(buf, r)
	}
	return buf
}

// nearLimit is how many edits a word of n runes may be from a known one and
// still count as a misspelling of it. Very short words are never guessed at.
func nearLimit(n int) int {
	switch {
	case n < 3:
		return 0
	case n <= 5:
		return 1
	case n <= 11:
		return 2
	}
	return 3
}

// quote puts typographic quotes around text shown back to a person,
// shortened so a long answer doesn't flood the message.
func quote(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		r := []rune(s)
		s = string(r[:39]) + "…"
	}
	return "“" + s + "”"
}
