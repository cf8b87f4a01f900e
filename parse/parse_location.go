package parse

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

const maxCityLen = 60

var (
	locationSplit  = regexp.MustCompile(`(?i)\s*(?:,|;|/|\bor\b|\band\b|&|\+)\s*`)
	onSitePrefix   = regexp.MustCompile(`(?i)^(?:(?:i'?m|i am|we'?re|we are|i live|we live|living|currently|mostly|but|also|and|can|could|willing to|happy to|open to|able to|travel|commute|come|go|relocate|on[- ]?site|in[- ]person|in[- ]office|office|at the office|based|located|local|hybrid)\b\s*)*(?:in|at|near|around|to)?\s+`)
	locationFiller = regexp.MustCompile(`(?i)\b(?:pls|plz|please|preferably|ideally|only|fully|mostly|thanks|prefer|i'd prefer|i prefer|is fine|works|ok)\b`)
	remoteWords    = map[string]bool{"remote": true, "anywhere": true, "remotely": true, "fully remote": true, "remote only": true, "100% remote": true, "wfh": true, "work from home": true, "from home": true, "home": true, "online": true, "worldwide": true, "anywhere in the world": true, "remote-first": true, "remote first": true, "distributed": true}
	hybridWords    = map[string]bool{"hybrid": true, "both": true, "either": true, "partly remote": true}
	onSiteWords    = map[string]bool{"on-site": true, "onsite": true, "on site": true, "in person": true, "in-person": true, "office": true, "in office": true, "in the office": true}
	countryLikeEnd = regexp.MustCompile(`^[\p{L} .'-]+$`)
)

// ParseLocation reads where someone works or where a job is: "remote",
// "on-site in Berlin", "Berlin" (on site), "remote or Berlin",
// "hybrid, London" (remote and the city).
func ParseLocation(in string) (Location, error) {
	s, ok := clean(in, 120)
	if !ok {
		return Location{}, Invalid(tooLong)
	}
	s = strings.Trim(s, " !")
	if s == "" {
		return Location{}, Invalid("Remote, or which city? For example “remote” or “on-site in Berlin”.")
	}
	var loc Location
	hybrid, onSite := false, false
	for _, part := range locationSplit.Split(s, -1) {
		p := strings.TrimSpace(strings.Join(strings.Fields(locationFiller.ReplaceAllString(part, " ")), " "))
		lp := strings.TrimRight(strings.ToLower(p), ".!")
		switch {
		case p == "":
			continue
		case remoteWords[lp]:
			loc.Remote = true
			continue
		case hybridWords[lp]:
			hybrid = true
			continue
		case onSiteWords[lp]:
			onSite = true
			continue
		}
		if strings.HasPrefix(lp, "hybrid") {
			hybrid = true
		}
		city := strings.TrimSpace(onSitePrefix.ReplaceAllString(p, ""))
		if strings.HasPrefix(strings.ToLower(city), "in ") {
			city = strings.TrimSpace(city[3:])
		}
		if city == "" {
			continue
		}
		if loc.City != "" {
			// "Berlin, Germany": the first place is the city.
			if countryLikeEnd.MatchString(city) {
				continue
			}
		}
		c, err := cleanCity(city)
		if err != nil {
			return Location{}, err
		}
		if loc.City == "" {
			loc.City = c
		}
	}
	if hybrid {
		loc.Remote = true
	}
	switch {
	case loc.City == "" && (hybrid || onSite):
		return Location{}, Invalid("Which city? For example “on-site in Berlin” or “hybrid, London”.")
	case loc.City == "" && !loc.Remote:
		return Location{}, Invalid("Remote, or which city? For example “remote” or “on-site in Berlin”.")
	}
	return loc, nil
}

// cleanCity keeps a city name as the person wrote it, with spaces
// collapsed; an all-lower-case name gets capitals ("new york" → "New York").
func cleanCity(c string) (string, error) {
	c = strings.Join(strings.Fields(c), " ")
	// A full stop ends the sentence unless it ends an abbreviation ("St.", "D.C.").
	if w := c[strings.LastIndex(c, " ")+1:]; strings.HasSuffix(w, ".") && utf8.RuneCountInString(w) > 4 && !strings.Contains(strings.TrimSuffix(w, "."), ".") {
		c = strings.TrimRight(c, ".")
	}
	if utf8.RuneCountInString(c) > maxCityLen {
		return "", Invalid("That city name is too long. Please write just the city, like Berlin.")
	}
	letters := 0
	for _, r := range c {
		switch {
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			letters++
		case r == ' ' || r == '-' || r == '.' || r == '\'' || r == '’':
		default:
			return "", Invalid("I couldn't read " + quote(c) + " as a city. Please write just the city name, like Berlin, or “remote”.")
		}
	}
	if letters < 2 {
		return "", Invalid("I couldn't read " + quote(c) + " as a city. Please write just the city name, like Berlin, or “remote”.")
	}
	c = strings.ReplaceAll(c, "’", "'")
	if c == strings.ToLower(c) {
		c = titleWords(c)
	}
	return c, nil
}

// titleWords capitalises the first letter of every space-separated word.
func titleWords(s string) string {
	rs := []rune(s)
	start := true
	for i, r := range rs {
		if start && unicode.IsLetter(r) {
			rs[i] = unicode.ToUpper(r)
		}
		start = r == ' '
	}
	return string(rs)
}

// LocationAnswer is the Parser of a location step: "remote",
// "on-site in Berlin" or "remote or on-site in Berlin".
func LocationAnswer(in string, _ Env) (string, error) {
	l, err := ParseLocation(in)
	if err != nil {
		return "", err
	}
	return l.String(), nil
}

// ReadLocation turns a stored location answer back into a Location.
func ReadLocation(s string) (Location, error) { return ParseLocation(s) }
