package conversation

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

const (
	maxHoursPerWeek = 80
	maxYears        = 60
)

var (
	countToken = regexp.MustCompile(`\d+(?:\.\d+)?|\p{L}+(?:['’]\p{L}+)*|\S`)
	wordHyphen = regexp.MustCompile(`(\p{L})-(\p{L})`)
)

// count is what a short numeric answer said: its numbers, whether it is a
// range, the unit words seen (by their canonical name) and whether a
// lone "a"/"an" stood for one.
type count struct {
	nums    []float64
	units   map[string]bool
	isRange bool
	words   []string // words that are neither numbers, units nor filler
}

// readCount splits "about twenty-five hours a week" into numbers, units and
// leftovers. units maps a word to its canonical unit; filler words are
// ignored.
func readCount(s string, units map[string]string, filler map[string]bool) count {
	s = strings.ToLower(s)
	for _, d := range []string{"–", "—", "−"} {
		s = strings.ReplaceAll(s, d, "-")
	}
	s = wordHyphen.ReplaceAllString(strings.ReplaceAll(s, "’", "'"), "$1 $2")
	c := count{units: map[string]bool{}}
	var one bool
	lastTens := false
	for _, w := range countToken.FindAllString(s, -1) {
		wasTens := lastTens
		lastTens = false
		switch {
		case w[0] >= '0' && w[0] <= '9':
			n, _ := strconv.ParseFloat(w, 64)
			c.nums = append(c.nums, n)
		case w == "a" || w == "an":
			one = true
		case units[w] != "":
			c.units[units[w]] = true
		case filler[w]:
		case w == "-" && len(c.nums) == 0:
			c.words = append(c.words, "-") // a minus sign
		case w == "-" || w == "to" || w == "or":
			if len(c.nums) > 0 {
				c.isRange = true
			}
		default:
			n, ok := numberWords[w]
			if !ok || w == "no" {
				c.words = append(c.words, w)
				continue
			}
			if wasTens && n >= 1 && n <= 9 && len(c.nums) > 0 {
				c.nums[len(c.nums)-1] += float64(n)
				continue
			}
			c.nums = append(c.nums, float64(n))
			lastTens = n >= 20 && n%10 == 0
		}
	}
	if one && len(c.nums) == 0 {
		c.nums = []float64{1}
	}
	return c
}

var hourUnits = map[string]string{
	"h": "hour", "hr": "hour", "hrs": "hour", "hour": "hour", "hours": "hour", "hourly": "hour",
	"week": "week", "weeks": "week", "weekly": "week", "wk": "week", "wks": "week", "w": "week", "pw": "week",
	"day": "day", "days": "day", "daily": "day", "d": "day",
	"month": "month", "months": "month", "monthly": "month", "year": "year", "years": "year",
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
	case len(c.nums) > 1 || c.isRange:
		return 0, Invalid("Please give one number of hours a week, like 25.")
	case c.units["day"] || c.units["month"] || c.units["year"]:
		return 0, Invalid("Please give hours per week, like “20 hours a week”.")
	}
	h := c.nums[0]
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
	"decade": "decade", "decades": "decade",
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
	case len(c.nums) > 1 || c.isRange:
		return 0, Invalid("Please give one number of years, like 5.")
	}
	y := c.nums[0]
	switch {
	case c.units["decade"]:
		y *= 10
	case c.units["month"] && !c.units["year"]:
		y /= 12
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
