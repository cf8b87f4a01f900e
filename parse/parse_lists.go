package parse

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Work types, in the order a canonical answer lists them.
const (
	WorkGig      = "gig"
	WorkPartTime = "part-time"
	WorkFullTime = "full-time"
)

var workTypeWords = map[string][]string{
	"gig": {WorkGig}, "gigs": {WorkGig}, "freelance": {WorkGig}, "freelancing": {WorkGig},
	"contract": {WorkGig}, "contracts": {WorkGig}, "project": {WorkGig}, "projects": {WorkGig},
	"micro": {WorkGig}, "one-off": {WorkGig}, "oneoff": {WorkGig}, "short-term": {WorkGig},
	"part-time": {WorkPartTime}, "parttime": {WorkPartTime}, "pt": {WorkPartTime},
	"full-time": {WorkFullTime}, "fulltime": {WorkFullTime}, "ft": {WorkFullTime},
	"permanent": {WorkFullTime},
	"any":       {WorkGig, WorkPartTime, WorkFullTime}, "all": {WorkGig, WorkPartTime, WorkFullTime},
	"everything": {WorkGig, WorkPartTime, WorkFullTime}, "anything": {WorkGig, WorkPartTime, WorkFullTime},
	"either": {WorkGig, WorkPartTime, WorkFullTime},
}

var workTypeFiller = map[string]bool{
	"and": true, "or": true, "&": true, "/": true, "work": true, "jobs": true, "job": true,
	"roles": true, "role": true, "positions": true, "position": true, "i": true, "want": true,
	"open": true, "to": true, "prefer": true, "of": true, "them": true, "the": true, "also": true,
	"both": true, "plus": true, "+": true, "tasks": true, "employment": true, "types": true,
	"kinds": true, "three": true, "only": true, "a": true, "some": true, "mostly": true,
}

var workTypeToken = regexp.MustCompile(`[\p{L}\d]+(?:-[\p{L}\d]+)*|[^\s\p{L}\d,;]`)

// ParseWorkTypes reads the kinds of work someone wants: any of gig,
// part-time and full-time, returned in that order ("freelance or full time"
// is gig, full-time; "any" is all three).
func ParseWorkTypes(in string) ([]string, error) {
	s, ok := clean(in, 120)
	if !ok {
		return nil, Invalid(tooLong)
	}
	s = strings.ToLower(s)
	s = strings.NewReplacer("part time", "part-time", "full time", "full-time", "half time", "part-time",
		"half-time", "part-time", "one off", "one-off", "short term", "short-term").Replace(s)
	want := map[string]bool{}
	for _, w := range workTypeToken.FindAllString(s, -1) {
		if kinds, ok := workTypeWords[w]; ok {
			for _, k := range kinds {
				want[k] = true
			}
			continue
		}
		if !workTypeFiller[w] {
			return nil, Invalid("I know three kinds of work: gigs, part-time and full-time. Which would you take? Any mix is fine.")
		}
	}
	var out []string
	for _, k := range []string{WorkGig, WorkPartTime, WorkFullTime} {
		if want[k] {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return nil, Invalid("Which kinds of work: gigs, part-time, full-time, or any?")
	}
	return out, nil
}

// WorkTypesAnswer is the Parser of a work-types step: "gig, full-time".
func WorkTypesAnswer(in string, _ Env) (string, error) {
	w, err := ParseWorkTypes(in)
	if err != nil {
		return "", err
	}
	return ListString(w), nil
}

const (
	maxURLs   = 5
	maxURLLen = 300
)

var (
	urlSeparators = regexp.MustCompile(`[\s,;]+`)
	schemePrefix  = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9+.-]*):`)
)

// ParseURLs reads up to five web links (portfolio, GitHub, LinkedIn),
// separated by spaces or commas. A link without a scheme gets https://.
// Only http and https links with a real host name are taken.
func ParseURLs(in string) ([]string, error) {
	if len(in) > 4*maxURLs*maxURLLen {
		return nil, Invalid(fmt.Sprintf("That's too much text for links. Please give at most %d links.", maxURLs))
	}
	var out []string
	seen := map[string]bool{}
	for _, f := range urlSeparators.Split(strings.ToValidUTF8(in, ""), -1) {
		f = strings.Trim(f, "<>()[]\"'“”‘’.:")
		if f == "" || !strings.ContainsAny(f, "./:") {
			continue // "and", "my site": words around the links
		}
		u, err := readURL(f)
		if err != nil {
			return nil, err
		}
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	switch {
	case len(out) == 0:
		return nil, Invalid("I didn't find a link. Try something like github.com/yourname.")
	case len(out) > maxURLs:
		return nil, Invalid(fmt.Sprintf("That's %d links. Please pick at most %d.", len(out), maxURLs))
	}
	return out, nil
}

func readURL(f string) (string, error) {
	if utf8.RuneCountInString(f) > maxURLLen {
		return "", Invalid(fmt.Sprintf("That link is too long (at most %d characters).", maxURLLen))
	}
	for _, r := range f {
		if unicode.IsSpace(r) || unicode.IsControl(r) || isInvisible(r) {
			return "", Invalid("A link can't contain spaces or control characters.")
		}
	}
	if !strings.Contains(f, "://") {
		if m := schemePrefix.FindStringSubmatch(f); m != nil && !strings.Contains(m[1], ".") {
			return "", Invalid(quote(f) + " isn't a web link. Please give links starting with https://.")
		}
		f = "https://" + f
	}
	u, err := url.Parse(f)
	if err != nil {
		return "", Invalid(quote(f) + " isn't a link I can read.")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", Invalid(quote(f) + " isn't a web link. Please give links starting with https://.")
	}
	if u.User != nil || u.Opaque != "" {
		return "", Invalid(quote(f) + " isn't a link I can use.")
	}
	host := strings.ToLower(u.Hostname())
	if !validHost(host) {
		return "", Invalid(quote(f) + " doesn't have a web address I recognise, like example.com.")
	}
	if p := u.Port(); p != "" {
		host = net.JoinHostPort(host, p)
	}
	u.Host = host
	return u.String(), nil
}

// validHost accepts dotted names whose labels are letters, digits and
// hyphens, ending in a top-level domain of letters.
func validHost(h string) bool {
	if len(h) > 253 || !strings.Contains(h, ".") {
		return false
	}
	labels := strings.Split(h, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-') {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if utf8.RuneCountInString(tld) < 2 {
		return false
	}
	for _, r := range tld {
		if !unicode.IsLetter(r) && !strings.HasPrefix(tld, "xn--") {
			return false
		}
	}
	return true
}

// URLsAnswer is the Parser of a links step: "https://github.com/ann, https://ann.dev".
func URLsAnswer(in string, _ Env) (string, error) {
	u, err := ParseURLs(in)
	if err != nil {
		return "", err
	}
	return ListString(u), nil
}
