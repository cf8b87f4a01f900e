package conversation

import (
	_ "embed"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	_ "time/tzdata" // zone data inside the binary, for machines without zoneinfo
)

// zonesData names every IANA zone and the city and country names people use
// for them; see the header of the file for its format.
//
//go:embed data/zones.tsv
var zonesData string

// zoneTable is zonesData read into lookups.
type zoneTable struct {
	iana   map[string]string   // lower-case IANA name -> zone (links resolved)
	places map[string]string   // normKey of a city, alias or country -> zone
	multi  map[string][]string // normKey of a country with several zones -> zones
	names  []zonePlace         // places for near-miss suggestions, in file order
	err    error
}

type zonePlace struct {
	key, name, zone string
}

var (
	zonesOnce sync.Once
	zones     *zoneTable
)

func zoneData() *zoneTable {
	zonesOnce.Do(func() { zones = parseZones(zonesData) })
	return zones
}

func parseZones(data string) *zoneTable {
	t := &zoneTable{iana: map[string]string{}, places: map[string]string{}, multi: map[string][]string{}}
	place := func(name, zone string, override bool) {
		k := normKey(name)
		if k == "" {
			return
		}
		if _, dup := t.places[k]; dup && !override {
			return
		}
		if _, dup := t.places[k]; !dup {
			t.names = append(t.names, zonePlace{key: k, name: name, zone: zone})
		}
		t.places[k] = zone
	}
	cityOf := func(zone string) string {
		if strings.HasPrefix(zone, "Etc/") || !strings.Contains(zone, "/") {
			return ""
		}
		return strings.ReplaceAll(zone[strings.LastIndex(zone, "/")+1:], "_", " ")
	}
	for n, line := range strings.Split(data, "\n") {
		line = strings.TrimRight(line, "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		bad := func() { t.err = fmt.Errorf("zones.tsv:%d: malformed line %q", n+1, line) }
		switch {
		case f[0] == "Z" && len(f) == 2:
			t.iana[strings.ToLower(f[1])] = f[1]
			place(cityOf(f[1]), f[1], false)
		case f[0] == "L" && len(f) == 3:
			t.iana[strings.ToLower(f[1])] = f[2]
			place(cityOf(f[1]), f[2], false)
		case (f[0] == "A" || f[0] == "C") && len(f) == 3:
			place(f[1], f[2], true)
		case f[0] == "M" && len(f) == 3:
			t.multi[normKey(f[1])] = splitComma(f[2])
		default:
			bad()
		}
	}
	return t
}

// zoneAbbreviations are the short names people give; each means the zone
// most people using it live in, with its summer time.
var zoneAbbreviations = map[string]string{
	"utc": "UTC", "gmt": "UTC", "z": "UTC", "zulu": "UTC", "utc0": "UTC", "gmt0": "UTC",
	"cet": "Europe/Paris", "cest": "Europe/Paris", "central european": "Europe/Paris",
	"eet": "Europe/Athens", "eest": "Europe/Athens", "wet": "Europe/Lisbon", "west": "Europe/Lisbon",
	"bst": "Europe/London", "british": "Europe/London", "uk time": "Europe/London", "ist": "Asia/Kolkata",
	"msk": "Europe/Moscow", "est": "America/New_York", "edt": "America/New_York", "et": "America/New_York",
	"eastern": "America/New_York", "cst": "America/Chicago", "cdt": "America/Chicago", "ct": "America/Chicago",
	"central": "America/Chicago", "mst": "America/Denver", "mdt": "America/Denver", "mt": "America/Denver",
	"mountain": "America/Denver", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
	"pt": "America/Los_Angeles", "pacific": "America/Los_Angeles", "akst": "America/Anchorage",
	"hst": "Pacific/Honolulu", "ast": "America/Halifax", "atlantic": "America/Halifax",
	"nst": "America/St_Johns", "brt": "America/Sao_Paulo", "art": "America/Argentina/Buenos_Aires",
	"jst": "Asia/Tokyo", "kst": "Asia/Seoul", "hkt": "Asia/Hong_Kong", "sgt": "Asia/Singapore",
	"pht": "Asia/Manila", "wib": "Asia/Jakarta", "ict": "Asia/Bangkok", "pkt": "Asia/Karachi",
	"aest": "Australia/Sydney", "aedt": "Australia/Sydney", "acst": "Australia/Adelaide",
	"awst": "Australia/Perth", "nzst": "Pacific/Auckland", "nzdt": "Pacific/Auckland",
	"sast": "Africa/Johannesburg", "cat": "Africa/Maputo", "eat": "Africa/Nairobi", "wat": "Africa/Lagos",
	"gst": "Asia/Dubai",
}

// fractionalOffsets are zones for offsets that are not whole hours (there is
// no Etc zone for them).
var fractionalOffsets = map[int]string{
	330: "Asia/Kolkata", 345: "Asia/Kathmandu", 570: "Australia/Darwin", 210: "Asia/Tehran",
	-210: "America/St_Johns", 270: "Asia/Kabul", 390: "Asia/Yangon", 525: "Australia/Eucla",
	630: "Australia/Lord_Howe", 765: "Pacific/Chatham", -570: "Pacific/Marquesas",
}

var (
	zoneOffset  = regexp.MustCompile(`^(?:utc|gmt|z)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?(?:\s*h(?:ours?)?)?$`)
	zoneFiller  = regexp.MustCompile(`(?i)\s*\b(?:time\s*zone|timezone|tz|standard time|daylight time|summer time|time)\s*$`)
	zoneBracket = regexp.MustCompile(`\(([^)]*)\)`)
)

// ParseTimezone reads a time zone and returns its IANA name, which
// time.LoadLocation accepts: "Berlin" (Europe/Berlin), "UTC+2" (Etc/GMT-2,
// the sign is inverted by convention), "UTC+5:30" (Asia/Kolkata),
// "europe/london", "NYC", "PST", "Japan". An unknown name gets suggestions
// of the nearest city names when there are any.
func ParseTimezone(in string) (string, error) {
	s, ok := clean(in, 80)
	if !ok {
		return "", Invalid(tooLong)
	}
	s = strings.Trim(s, " .!")
	if s == "" {
		return "", Invalid("Which time zone? A city like Berlin, or an offset like UTC+2.")
	}
	t := zoneData()
	if z, ok := lookupZone(t, s); ok {
		return z, nil
	}
	// "CET (Berlin)", "Berlin, Germany": try the parts.
	var parts []string
	if m := zoneBracket.FindStringSubmatch(s); m != nil {
		parts = append(parts, m[1], zoneBracket.ReplaceAllString(s, ""))
	}
	parts = append(parts, strings.Split(s, ",")...)
	for _, p := range parts {
		if z, ok := lookupZone(t, strings.TrimSpace(p)); ok {
			return z, nil
		}
	}
	if zs, ok := t.multi[normKey(s)]; ok {
		var c []Choice
		for _, z := range zs {
			c = append(c, Choice{Label: strings.ReplaceAll(z[strings.LastIndex(z, "/")+1:], "_", " "), Value: z})
		}
		return "", &InputError{Msg: s + " has several time zones. Which city is closest to you?", Suggest: c}
	}
	if c := nearZones(t, s); len(c) > 0 {
		return "", &InputError{Msg: "I don't know the time zone of " + quote(s) + ". Did you mean one of these?", Suggest: c}
	}
	return "", Invalid("I don't know the time zone of " + quote(s) + ". Try a big city near you, like Berlin, or an offset like UTC+2.")
}

func lookupZone(t *zoneTable, s string) (string, bool) {
	if s == "" {
		return "", false
	}
	low := strings.ToLower(strings.TrimSpace(zoneFiller.ReplaceAllString(s, "")))
	if low == "" {
		low = strings.ToLower(s)
	}
	if z, ok := zoneAbbreviations[low]; ok {
		return z, true
	}
	if z, ok := t.iana[strings.ReplaceAll(low, " ", "_")]; ok {
		return z, true
	}
	if m := zoneOffset.FindStringSubmatch(low); m != nil {
		return offsetZone(m)
	}
	if z, ok := t.places[normKey(low)]; ok {
		return z, true
	}
	return "", false
}

// offsetZone turns a UTC offset into a zone name: whole hours into
// Etc/GMT∓N (POSIX inverts the sign), the common fractional ones into a
// representative city.
func offsetZone(m []string) (string, bool) {
	h, _ := strconv.Atoi(m[2])
	min := 0
	if m[3] != "" {
		min, _ = strconv.Atoi(m[3])
	}
	if min >= 60 {
		return "", false
	}
	total := h*60 + min
	if m[1] == "-" {
		total = -total
	}
	if min == 0 {
		switch {
		case total == 0:
			return "UTC", true
		case total > 0 && h <= 14:
			return "Etc/GMT-" + strconv.Itoa(h), true
		case total < 0 && h <= 12:
			return "Etc/GMT+" + strconv.Itoa(h), true
		}
		return "", false
	}
	z, ok := fractionalOffsets[total]
	return z, ok
}

// nearZones suggests up to three places whose names are a likely
// misspelling of s, nearest first.
func nearZones(t *zoneTable, s string) []Choice {
	k := normKey(s)
	limit := nearLimit(len([]rune(k)))
	if limit == 0 {
		return nil
	}
	type hit struct {
		p zonePlace
		d int
		i int
	}
	var hits []hit
	for i, p := range t.names {
		if d := editDistance(k, p.key, limit); d <= limit {
			hits = append(hits, hit{p, d, i})
		}
	}
	sort.SliceStable(hits, func(a, b int) bool { return hits[a].d < hits[b].d })
	var out []Choice
	seen := map[string]bool{}
	for _, h := range hits {
		if z, ok := lookupZone(t, h.p.zone); seen[h.p.zone] || !ok || z != h.p.zone {
			continue // offer only answers that read back as themselves
		}
		seen[h.p.zone] = true
		out = append(out, Choice{Label: h.p.name, Value: h.p.zone})
		if len(out) == 3 {
			break
		}
	}
	return out
}

// TimezoneAnswer is the Parser of a time-zone step: an IANA name.
func TimezoneAnswer(in string, _ Env) (string, error) { return ParseTimezone(in) }
