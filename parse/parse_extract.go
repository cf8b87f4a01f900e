package parse

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
)

var (
	nameLead = regexp.MustCompile(`(?i)^(?:(?:hi|hello|hey|hiya)[,!.]?\s+)?(?:i'?m|i am|my name is|my name's|name'?s|name:|this is|it'?s|call me|you can call me|they call me)\s+`)
	// nameEnd is where a name stops: a comma, a dash, a full stop, or
	// "and I'm" / "a designer" after it.
	nameEnd      = regexp.MustCompile(`(?i)\s*(?:[,;:(–—]|\s-\s|\.\s|\s+(?:and|&)\s+i|\s+(?:a|an|the)\s+|\s+(?:from|in|based)\s+|$)`)
	headlineLead = regexp.MustCompile(`(?i)^(?:and\s+)?(?:i'?m|i am|i work as|working as|currently)?\s*(?:an?\s+)`)
	placeAfter   = regexp.MustCompile(`(?i)\b(?:in|from|near|based in|based out of|living in|located in|live in)\s+([\p{L}][\p{L} .'’-]*?(?:,\s*[\p{L}][\p{L} .'’-]*?)?)\s*(?:[;.!)]|,\s*(?:and|but|i|remote|available)\b|\s+(?:and|but|or|time)\b|$)`)
	clauseSplit  = regexp.MustCompile(`(?i)\s*(?:[,;]|\s(?:and|but|&)\s|\s(?:starting|start|from|available|beginning|as of|until)\b)\s*`)
	startClause  = regexp.MustCompile(`(?i)\b(?:starting|start|from|available|beginning|as of|free)\b.*$`)
)

// ParseName reads the name someone wants shown: "I'm Maria Santos" is
// Maria Santos, "Maria, a designer in Lisbon" is Maria.
func ParseName(in string) (string, error) {
	s, ok := clean(in, 400)
	if !ok {
		return "", Invalid(tooLong)
	}
	s = strings.TrimSpace(nameLead.ReplaceAllString(s, ""))
	if loc := nameEnd.FindStringIndex(s); loc != nil && loc[0] > 0 {
		s = s[:loc[0]]
	}
	return ParseText(strings.Trim(s, " .!,"), 2, 80)
}

// NameAnswer is the Parser of a name step.
func NameAnswer(in string, _ Env) (string, error) { return ParseName(in) }

// ExtractHeadline finds a headline said after a name: "Maria, a designer in
// Lisbon" gives "Designer in Lisbon".
func ExtractHeadline(in string, _ Env) (string, bool) {
	s, ok := clean(in, 400)
	if !ok {
		return "", false
	}
	s = nameLead.ReplaceAllString(s, "")
	i := strings.IndexAny(s, ",–—(")
	if i < 0 {
		return "", false
	}
	rest := strings.TrimSpace(s[i+1:])
	if !headlineLead.MatchString(rest) {
		return "", false // "Maria, Lisbon" names no role
	}
	rest = strings.Trim(headlineLead.ReplaceAllString(rest, ""), " .!)")
	r := []rune(rest)
	if len(r) == 0 {
		return "", false
	}
	r[0] = unicode.ToUpper(r[0])
	h, err := ParseText(string(r), 5, 120)
	return h, err == nil
}

// ExtractTimezone finds a place said in passing ("a designer in Lisbon",
// "I'm in Lisbon, Portugal") and returns its zone.
func ExtractTimezone(in string, _ Env) (string, bool) {
	s, ok := clean(in, 400)
	if !ok {
		return "", false
	}
	for _, m := range placeAfter.FindAllStringSubmatch(s, -1) {
		if z, err := ParseTimezone(m[1]); err == nil {
			return z, true
		}
	}
	return "", false
}

// ExtractHours finds weekly hours in one clause of a longer answer.
func ExtractHours(in string, _ Env) (string, bool) {
	for _, c := range clauses(in) {
		if h, err := ParseHoursPerWeek(c); err == nil {
			return HoursString(h), true
		}
	}
	return "", false
}

// ExtractDate finds a start date in a longer answer: "20 hrs a week,
// starting next monday".
func ExtractDate(in string, env Env) (string, bool) {
	cands := clauses(in)
	if m := startClause.FindString(in); m != "" {
		cands = append([]string{m}, cands...)
	}
	for _, c := range cands {
		if t, err := ParseDate(c, env.Now); err == nil {
			return FormatDate(t), true
		}
	}
	return "", false
}

// clauses splits an answer where one fact may end and another begin.
func clauses(in string) []string {
	s, ok := clean(in, 400)
	if !ok {
		return nil
	}
	var out []string
	for _, c := range clauseSplit.Split(s, -1) {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// WorkTypesFromHours infers the kinds of work from weekly hours: gigs and
// part-time under 30 hours, full-time too from 30.
func WorkTypesFromHours(hours string) (string, bool) {
	h, err := ReadHours(hours)
	if err != nil {
		return "", false
	}
	if h < 30 {
		return ListString([]string{WorkGig, WorkPartTime}), true
	}
	return ListString([]string{WorkGig, WorkPartTime, WorkFullTime}), true
}

// TimezoneFromLocation infers the zone of the city a location answer names.
func TimezoneFromLocation(location string) (string, bool) {
	l, err := ReadLocation(location)
	if err != nil || l.City == "" {
		return "", false
	}
	z, err := ParseTimezone(l.City)
	return z, err == nil
}

// DateEcho says a stored date back with its weekday: "Monday 7 December
// 2026", so a wrong guess is seen at once.
func DateEcho(v string) string {
	t, err := ReadDate(v)
	if err != nil {
		return v
	}
	return t.Format("Monday 2 January 2006")
}

// ZoneEcho says a zone back the way people write offsets: Etc/GMT+3 is
// UTC-3 (the tz database inverts the sign), a named zone keeps its name.
func ZoneEcho(z string) string {
	if rest, ok := strings.CutPrefix(z, "Etc/GMT"); ok && rest != "" {
		switch rest[0] {
		case '+':
			return "UTC-" + rest[1:]
		case '-':
			return "UTC+" + rest[1:]
		}
	}
	if loc, err := time.LoadLocation(z); err == nil && strings.Contains(z, "/") {
		_, off := time.Now().In(loc).Zone()
		return z + " (" + offsetString(off) + ")"
	}
	return z
}

func offsetString(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	if m := sec % 3600 / 60; m != 0 {
		return fmt.Sprintf("UTC%s%d:%02d", sign, sec/3600, m)
	}
	return fmt.Sprintf("UTC%s%d", sign, sec/3600)
}
