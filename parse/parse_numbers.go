package parse

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

const (
	maxHoursPerWeek = 80
	maxYears        = 60
)

// count is what a short numeric answer said: its numbers with the unit
// written after each, whether it is a range, the unit words seen (by their
// canonical name) and the words that are neither.
type count struct {
	nums    []float64
	parts   []countPart
	units   map[string]bool
	isRange bool
	words   []string // words that are neither numbers, units nor filler
}

// countPart is one number and the unit that follows it ("" for none yet).
type countPart struct {
	n    float64
	unit string
}

// readCount splits "about twenty-five hours a week" into numbers, units and
// leftovers. units maps a word to its canonical unit; filler words are
// ignored.
func readCount(s string, units map[string]string, filler map[string]bool) count {
	toks := tokenize(s)
	c := count{units: map[string]bool{}}
	one := false
	for i := 0; i < len(toks); {
		w := toks[i]
		if p, ok := readNumber(toks, i); ok {
			c.nums = append(c.nums, p.value)
			c.parts = append(c.parts, countPart{n: p.value})
			i = p.end
			continue
		}
		i++
		switch {
		case w == "a" || w == "an":
			one = true
		case units[w] != "":
			u := units[w]
			c.units[u] = true
			if one && len(c.parts) == 0 {
				c.nums = append(c.nums, 1)
				c.parts = append(c.parts, countPart{n: 1})
			}
			one = false
			if n := len(c.parts); n > 0 && c.parts[n-1].unit == "" {
				c.parts[n-1].unit = u
			}
		case filler[w], w == "and" || w == ",":
		case w == "-" && len(c.nums) == 0:
			c.words = append(c.words, "-") // a minus sign
		case w == "-" || w == "to" || w == "or":
			if len(c.nums) > 0 {
				c.isRange = true
			}
		default:
			c.words = append(c.words, w)
		}
	}
	if one && len(c.nums) == 0 {
		c.nums = []float64{1}
		c.parts = []countPart{{n: 1}}
	}
	return c
}

// total adds up "2 years and 3 months", "1 hour fifteen", "an hour and a
// half" in the unit whose factor is 1. A number after a unit without one of
// its own is a fraction of that unit when below one, else a count of the
// next smaller unit (minutes after hours, months after years).
func (c count) total(factor map[string]float64, smaller map[string]string) (float64, bool) {
	if len(c.parts) == 0 {
		return 0, false
	}
	sum, last := 0.0, ""
	for i, p := range c.parts {
		u := p.unit
		fraction := false
		if u == "" && i > 0 {
			if p.n < 1 {
				u, fraction = last, true
			} else if u = smaller[last]; u == "" {
				return 0, false
			}
		}
		f, ok := factor[u]
		if !ok || i > 0 && last == u && !fraction {
			return 0, false
		}
		sum += p.n * f
		last = u
	}
	return sum, true
}

var hourUnits = map[string]string{
	"h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour", "hours": "hour", "hourly": "hour",
	"week": "week", "weeks": "week", "weekly": "week", "wk": "week", "wks": "week", "w": "week", "pw": "week",
	"day": "day", "days": "day", "daily": "day", "d": "day",
	"month": "month", "months": "month", "monthly": "month", "year": "year", "years": "year",
	"min": "minute", "mins": "minute", "minute": "minute", "minutes": "minute",
}

var hourFiller = map[string]bool{
	"per": true, "/": true, "about": true, "around": true, "approx": true, "approximately": true,
	"roughly": true, "~": true, "max": true, "maximum": true, "up": true, "at": true, "most": true,
	"i": true, "can": true, "work": true, "available": true, "for": true, "of": true, "the": true,
	"week's": true, "usually": true, "+": true, "is": true, "am": true, "p": true,
}

// ParseHoursPerWeek reads weekly availability: "20 hours a week",
// "20h/week", "20", "full time" (40), "part time" or "half time" (20).
func ParseHoursPerWeek(in string) (int, error) {
	s, ok := clean(in, 80)
	if !ok {
		return 0, Invalid(tooLong)
	}
	s = strings.ToLower(strings.Trim(s, " .!"))
	switch strings.NewReplacer("-", " ", "_", " ").Replace(s) {
	case "":
		return 0, Invalid("How many hours a week? For example 20, or “full time”.")
	case "full time", "fulltime", "ft", "full":
		return 40, nil
	case "part time", "parttime", "pt", "half time", "halftime", "half":
		return 20, nil
	}
	c := readCount(s, hourUnits, hourFiller)
	switch {
	case len(c.words) > 0:
		return 0, Invalid("I couldn't read " + quote(c.words[0]) + " in a number of hours. Try “20 hours a week” or “full time”.")
	case len(c.nums) == 0:
		return 0, Invalid("How many hours a week? For example 20, or “full time”.")
	case c.units["day"] || c.units["month"] || c.units["year"]:
		return 0, Invalid("Please give hours per week, like “20 hours a week”.")
	}
	h, ok := c.total(map[string]float64{"hour": 1, "": 1, "week": 1, "minute": 1.0 / 60}, map[string]string{"hour": "minute"})
	if !ok || c.isRange {
		return 0, Invalid("Please give one number of hours a week, like 25.")
	}
	if h != math.Trunc(h) {
		h = math.Round(h)
	}
	if h < 1 || h > maxHoursPerWeek {
		return 0, Invalid(fmt.Sprintf("Hours a week go from 1 to %d.", maxHoursPerWeek))
	}
	return int(h), nil
}

// HoursAnswer is the Parser of a weekly-hours step: "20 h/week".
func HoursAnswer(in string, _ Env) (string, error) {
	h, err := ParseHoursPerWeek(in)
	if err != nil {
		return "", err
	}
	return HoursString(h), nil
}

// ReadHours turns a stored hours answer ("20 h/week") back into a number.
func ReadHours(s string) (int, error) {
	var h int
	if _, err := fmt.Sscanf(strings.TrimSpace(s), "%d h/week", &h); err != nil || HoursString(h) != strings.TrimSpace(s) {
		return 0, Invalid("That isn't a number of hours in the form “20 h/week”.")
	}
	return h, nil
}

var yearUnits = map[string]string{
	"y": "year", "yr": "year", "yrs": "year", "year": "year", "years": "year",
	"month": "month", "months": "month", "mo": "month", "mos": "month",
	"decade": "decade", "decades": "decade", "quarter": "quarter", "quarters": "quarter",
	"week": "week", "weeks": "week",
}

var yearFiller = map[string]bool{
	"of": true, "experience": true, "exp": true, "about": true, "around": true, "over": true,
	"more": true, "than": true, "almost": true, "nearly": true, "roughly": true, "+": true,
	"~": true, "approx": true, "approximately": true, "i": true, "have": true, "i've": true,
	"been": true, "doing": true, "this": true, "it": true, "for": true, "professional": true,
	"professionally": true, "just": true, "the": true, "past": true, "last": true, "plus": true,
	"and": true, "ish": true, "already": true, "years'": true, "s": true,
}

// ParseYears reads years of experience: "5", "5 years", "10+", "five",
// "half a year" or "less than a year" (0). Fractions round down.
func ParseYears(in string) (int, error) {
	s, ok := clean(in, 80)
	if !ok {
		return 0, Invalid(tooLong)
	}
	s = strings.ToLower(strings.Trim(s, " .!"))
	if s == "" {
		return 0, Invalid("How many years? A number like 5 is fine.")
	}
	for _, zero := range []string{"less than a year", "under a year", "half a year", "few months",
		"couple of months", "couple months", "none", "no experience", "just starting", "beginner", "new"} {
		if strings.Contains(s, zero) {
			return 0, nil
		}
	}
	c := readCount(s, yearUnits, yearFiller)
	switch {
	case len(c.words) > 0:
		return 0, Invalid("I couldn't read " + quote(c.words[0]) + " as years. A number like 5 is fine.")
	case len(c.nums) == 0:
		return 0, Invalid("How many years? A number like 5 is fine.")
	}
	y, ok := c.total(map[string]float64{"year": 1, "": 1, "month": 1.0 / 12, "quarter": 0.25, "decade": 10, "week": 1.0 / 52}, map[string]string{"year": "month", "decade": "year"})
	if !ok || c.isRange {
		return 0, Invalid("Please give one number of years, like 5.")
	}
	if y > maxYears {
		return 0, Invalid(fmt.Sprintf("Please give a number of years from 0 to %d.", maxYears))
	}
	return int(math.Floor(y)), nil
}

// YearsAnswer is the Parser of a years-of-experience step: "5".
func YearsAnswer(in string, _ Env) (string, error) {
	y, err := ParseYears(in)
	if err != nil {
		return "", err
	}
	return strconv.Itoa(y), nil
}
