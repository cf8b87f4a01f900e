package parse

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

const (
	// maxSkills is how many skills one answer may list.
	maxSkills = 30
	// maxSkillLen is the longest skill name kept, in characters.
	maxSkillLen = 40
	// maxSkillsInput bounds the text ParseSkills looks at.
	maxSkillsInput = 1500
)

var (
	skillSeparators = regexp.MustCompile(`[,;\n|•]+`)
	skillAnd        = regexp.MustCompile(`(?i)(?:^|\s+)(?:and|or|&|plus)\s+`)
	// skillLead and skillTail are the words around a skill that are not
	// the skill: "I do figma", "some webflow", "a bit of Go", "React too".
	skillLead = regexp.MustCompile(`(?i)^(?:(?:i|we)(?:'m| am|'re| are)? (?:do|know|use|can do|work with|work in|am good at|'m good at|are good at|specialize in|specialise in|offer|have experience (?:in|with)|mostly do|mainly do)|my skills are|skills:?|mostly|mainly|also|plus|and|or|some|a (?:bit|little) of|basic|advanced|expert in|good at|experienced in|experience in|experience with|familiar with|proficient in)\b\s*`)
	skillTail = regexp.MustCompile(`(?i)\s*\b(?:too|as well|also|etc|and more|and so on|mostly|a bit|a little)\.?$`)
)

// ParseSkills reads a list of skills ("golang, k8s and Postgres") into the
// vocabulary's names (Go, Kubernetes, PostgreSQL), in the order given,
// without duplicates. A skill the vocabulary doesn't know is kept as
// written, unless it looks like a misspelling of a known one: then the
// answer is an *InputError asking which was meant, with both complete
// answers as suggestions.
func ParseSkills(in string) ([]string, error) {
	if len(in) > 4*maxSkillsInput || utf8.RuneCountInString(in) > maxSkillsInput {
		return nil, Invalid(fmt.Sprintf("That's a lot of text. Please list just your skills, separated by commas (at most %d).", maxSkills))
	}
	v := Skills()
	var items []string
	for _, part := range skillSeparators.Split(strings.ToValidUTF8(in, ""), -1) {
		items = append(items, splitSkillPart(v, part)...)
	}
	var (
		out      []string
		seen     = map[string]bool{}
		missed   []string // as written
		meant    []string // the vocabulary's guess for each miss
		replaced []string // out with every miss replaced by its guess
	)
	for _, item := range items {
		if utf8.RuneCountInString(item) > maxSkillLen {
			return nil, Invalid(fmt.Sprintf("%s is too long for one skill (at most %d characters). Please separate skills with commas.", quote(item), maxSkillLen))
		}
		name, fix := item, item
		if s, ok := v.Lookup(item); ok {
			name, fix = s.Name, s.Name
		} else if s, ok := v.Closest(item); ok {
			missed, meant = append(missed, item), append(meant, s.Name)
			fix = s.Name
		}
		k := strings.ToLower(name)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, name)
		replaced = append(replaced, fix)
	}
	switch {
	case len(out) == 0:
		return nil, Invalid("Please name at least one skill, for example: Go, PostgreSQL, Docker.")
	case len(out) > maxSkills:
		return nil, Invalid(fmt.Sprintf("That's %d skills. Please keep to your top %d.", len(out), maxSkills))
	case len(missed) > 0:
		replaced = dedupeFold(replaced)
		msg := fmt.Sprintf("I don't know %s. Did you mean %s?", quoteList(missed, "or"), strings.Join(meant, " and "))
		fixLabel, keepLabel := strings.Join(meant, ", "), "Keep "+quoteList(missed, "and")
		if utf8.RuneCountInString(fixLabel) > 60 {
			fixLabel = "Use the suggestions"
		}
		if utf8.RuneCountInString(keepLabel) > 60 {
			keepLabel = "Keep my spelling"
		}
		return nil, &InputError{Msg: msg, Suggest: []Choice{
			{Label: fixLabel, Value: ListString(replaced)},
			{Label: keepLabel, Value: ListString(out)},
		}}
	}
	return out, nil
}

// splitSkillPart splits one comma-separated part on "and", "&" and "/" —
// but only where the whole part isn't itself a known skill, so "CI/CD" and
// "A/B Testing" stay whole.
func splitSkillPart(v *Vocabulary, part string) []string {
	part, _ = clean(part, maxSkillsInput)
	part = strings.TrimLeft(part, "-*+·> ")
	part = strings.TrimRight(part, ".!:")
	part = stripSkillFiller(part)
	if part == "" {
		return nil
	}
	if _, ok := v.Lookup(part); ok {
		return []string{part}
	}
	pieces := skillAnd.Split(part, -1)
	// "technical or academic writing": the last word is shared by both.
	if len(pieces) == 2 && !strings.Contains(pieces[0], " ") {
		if _, ok := v.Lookup(pieces[0]); !ok {
			if i := strings.LastIndex(pieces[1], " "); i > 0 {
				if _, ok := v.Lookup(pieces[0] + pieces[1][i:]); ok {
					pieces[0] += pieces[1][i:]
				}
			}
		}
	}
	var out []string
	for _, p := range pieces {
		if _, ok := v.Lookup(p); ok && len(pieces) > 1 {
			out = append(out, strings.TrimSpace(p)) // a known piece has no filler to strip (one piece alone was looked up above)
			continue
		}
		switch p = stripSkillFiller(p); strings.ToLower(p) {
		case "", "and", "or", "&", "plus":
			continue
		}
		if _, ok := v.Lookup(p); !ok && strings.Contains(p, "/") {
			pieces := strings.Split(p, "/")
			all := true
			for i := range pieces {
				pieces[i] = strings.TrimSpace(pieces[i])
				if _, ok := v.Lookup(pieces[i]); !ok {
					all = false
				}
			}
			if all {
				out = append(out, pieces...)
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// stripSkillFiller drops the words around a skill: "I do some figma" is
// figma, "and also a bit of Go" is Go.
func stripSkillFiller(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < 4; i++ {
		t := strings.TrimSpace(skillTail.ReplaceAllString(skillLead.ReplaceAllString(s, ""), ""))
		if t == s {
			break
		}
		s = t
	}
	return s
}

func dedupeFold(items []string) []string {
	seen := map[string]bool{}
	out := items[:0:0]
	for _, s := range items {
		if k := strings.ToLower(s); !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}

func quoteList(items []string, conj string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = quote(s)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " " + conj + " " + q[len(q)-1]
}

// SkillsAnswer is the Parser of a skills step: the canonical list
// ("Go, Kubernetes, PostgreSQL").
func SkillsAnswer(in string, _ Env) (string, error) {
	s, err := ParseSkills(in)
	if err != nil {
		return "", err
	}
	return ListString(s), nil
}
