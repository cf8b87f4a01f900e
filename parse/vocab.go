package parse

import (
	_ "embed"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// skillsData is hirebot's curated skill list: one skill a line,
// "category<TAB>Name<TAB>aliases<TAB>related", lines starting with # ignored.
//
//go:embed data/skills.tsv
var skillsData string

// Skill is one entry of the vocabulary.
type Skill struct {
	ID       int // position in the vocabulary, from 1; stable while the data file keeps its order
	Name     string
	Category string
	Aliases  []string
	Related  []string
}

// Vocabulary is the set of skills hirebot knows by name, with their aliases
// and related skills. It is read-only once built and safe for concurrent use.
type Vocabulary struct {
	skills []Skill         // skills[i].ID == i+1
	index  map[string]int  // normKey of a name or alias -> index into skills
	keys   []vocabKey      // every name and alias, for near-miss search
	rel    map[[2]int]bool // related pairs, both directions
	stems  map[string]int  // stemKey of a name or alias -> index, where only one skill has it
	err    error
}

type vocabKey struct {
	key   string
	runes int    // length of key in runes
	mask  uint64 // runeMask of key
	skill int
	alias bool
}

var (
	vocabOnce sync.Once
	vocab     *Vocabulary
)

// Skills returns the vocabulary built from the embedded data. Broken data is
// a programming error that a test catches; it yields an empty vocabulary
// whose Err says what is wrong.
func Skills() *Vocabulary {
	vocabOnce.Do(func() {
		v, err := parseVocabulary(skillsData)
		if err != nil {
			v = &Vocabulary{index: map[string]int{}, rel: map[[2]int]bool{}, err: err}
		}
		vocab = v
	})
	return vocab
}

// Err is the problem found in the vocabulary's data, if any.
func (v *Vocabulary) Err() error { return v.err }

func parseVocabulary(data string) (*Vocabulary, error) {
	v := &Vocabulary{index: map[string]int{}, rel: map[[2]int]bool{}}
	add := func(word string, i int, alias bool, line int) error {
		k := normKey(word)
		if k == "" {
			return fmt.Errorf("skills.tsv:%d: %q has no letters or digits", line, word)
		}
		if j, dup := v.index[k]; dup {
			if j == i {
				return nil // an alias spelled like the name, harmless
			}
			return fmt.Errorf("skills.tsv:%d: %q already means %q", line, word, v.skills[j].Name)
		}
		v.index[k] = i
		v.keys = append(v.keys, vocabKey{key: k, runes: utf8.RuneCountInString(k), mask: runeMask(k), skill: i, alias: alias})
		return nil
	}
	var related [][]string
	for n, line := range strings.Split(data, "\n") {
		n++
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 2 || len(f) > 4 {
			return nil, fmt.Errorf("skills.tsv:%d: want 2 to 4 tab-separated fields, got %d", n, len(f))
		}
		for len(f) < 4 {
			f = append(f, "")
		}
		s := Skill{ID: len(v.skills) + 1, Category: strings.TrimSpace(f[0]), Name: strings.TrimSpace(f[1]), Aliases: splitComma(f[2])}
		if s.Category == "" || s.Name == "" {
			return nil, fmt.Errorf("skills.tsv:%d: category and name are required", n)
		}
		if len(s.Name) > maxSkillLen || strings.Contains(s.Name, ",") {
			return nil, fmt.Errorf("skills.tsv:%d: name %q must be short and without commas", n, s.Name)
		}
		i := len(v.skills)
		v.skills = append(v.skills, s)
		related = append(related, splitComma(f[3]))
		if err := add(s.Name, i, false, n); err != nil {
			return nil, err
		}
		for _, a := range s.Aliases {
			if err := add(a, i, true, n); err != nil {
				return nil, err
			}
		}
	}
	for i, names := range related {
		for _, name := range names {
			j, ok := v.index[normKey(name)]
			if !ok {
				return nil, fmt.Errorf("skills.tsv: %s: related skill %q is not in the vocabulary", v.skills[i].Name, name)
			}
			if j == i {
				return nil, fmt.Errorf("skills.tsv: %s is related to itself", v.skills[i].Name)
			}
			v.skills[i].Related = append(v.skills[i].Related, v.skills[j].Name)
			v.rel[[2]int{i, j}] = true
			v.rel[[2]int{j, i}] = true
		}
	}
	v.stems = map[string]int{}
	clash := map[string]bool{}
	for i, sk := range v.skills {
		for _, w := range append([]string{sk.Name}, sk.Aliases...) {
			st := stemKey(w)
			if st == "" || clash[st] || !strings.Contains(st, " ") && len(strings.FieldsFunc(w, wordBreak)) > 1 {
				// A name of several words that leaves one when its filler
				// goes ("data build tool", "a.i.") is not found by that
				// one word: "data" is not dbt.
				continue
			}
			if j, dup := v.stems[st]; dup && j != i {
				delete(v.stems, st)
				clash[st] = true
				continue
			}
			v.stems[st] = i
		}
	}
	// Names before aliases, so a near miss prefers the name.
	sort.SliceStable(v.keys, func(a, b int) bool { return !v.keys[a].alias && v.keys[b].alias })
	return v, nil
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Lookup finds a skill by name or alias, ignoring case, spaces and
// punctuation other than + and # ("nodejs" finds Node.js, "K8s" Kubernetes).
func (v *Vocabulary) Lookup(word string) (Skill, bool) {
	if len(word) > 4*maxSkillLen {
		return Skill{}, false
	}
	i, ok := v.index[normKey(word)]
	if !ok {
		if i, ok = v.loose(word, 2); !ok {
			return Skill{}, false
		}
	}
	return v.skills[i], true
}

var (
	skillVersion = regexp.MustCompile(`^(.*?[\p{L}+#])[\s-]?v?\d+(?:\.\d+)*$`)
	// skillPrefixes are vendors and hosts written before a skill's name
	// ("apache-cordova", "hashicorp-terraform", "python-pandas").
	skillPrefixes = []string{"apache", "hashicorp", "python", "windows", "google", "adobe", "microsoft", "ms", "aws", "amazon", "gnu"}
	// skillSuffixes are what people add after a skill's name: the
	// language, package or framework it is ("sveltejs", "dartlang",
	// "redisdb", "ionicframework"), or the tools and techniques of it
	// ("photo editing software", "video editing techniques").
	skillSuffixes = []string{"js", "lang", "db", "framework", "build", "pkg", "pkgs", "os", "macros", "macro", "script", "core", "cc", "software", "program", "programs", "programme", "programmes", "plugin", "plugins", "tool", "tools", "technique", "techniques", "skills", "services", "app", "apps"}
)

// loose finds a skill written with a version ("angular4", "python 3.12"),
// a vendor or kind around its name ("apache-cordova", "sveltejs"), British
// spelling ("localisation") or another form of its words ("graphic
// designing", "editing photographs"). depth bounds the retries.
func (v *Vocabulary) loose(word string, depth int) (int, bool) {
	w := strings.TrimSpace(strings.ToLower(word))
	if w == "" || depth < 0 {
		return 0, false
	}
	try := func(s string) (int, bool) {
		s = strings.Trim(s, " -_.")
		if s == "" || s == w {
			return 0, false
		}
		if i, ok := v.index[normKey(s)]; ok {
			return i, true
		}
		return v.loose(s, depth-1)
	}
	if strings.Contains(w, "isation") || strings.Contains(w, "ise") {
		if i, ok := try(strings.NewReplacer("isation", "ization", "ise", "ize").Replace(w)); ok {
			return i, true
		}
	}
	if last := w[len(w)-1]; last >= '0' && last <= '9' { // skillVersion ends with a digit
		if m := skillVersion.FindStringSubmatch(w); m != nil {
			if i, ok := try(m[1]); ok {
				return i, true
			}
		}
	}
	k := normKey(w)
	for _, p := range skillPrefixes {
		if strings.Contains(w, " ") {
			break // "golang postgres" is two skills, not a vendor and one
		}
		if strings.HasPrefix(k, p) && len(k) > len(p)+1 {
			if i, ok := v.index[k[len(p):]]; ok {
				return i, true
			}
		}
	}
	for _, sfx := range skillSuffixes {
		if strings.HasSuffix(k, sfx) && len(k) > len(sfx)+1 {
			if i, ok := v.index[k[:len(k)-len(sfx)]]; ok {
				return i, true
			}
			if i, ok := try(strings.TrimSuffix(w, sfx)); ok {
				return i, true
			}
		}
	}
	if head, _, ok := strings.Cut(w, "-"); ok && !strings.Contains(w[len(head)+1:], "-") && len(head) >= 2 && !isSkillPrefix(head) {
		if i, ok := v.index[normKey(head)]; ok {
			return i, true
		}
	}
	if i, ok := v.stems[stemKey(w)]; ok {
		return i, true
	}
	return 0, false
}

func isSkillPrefix(w string) bool {
	for _, p := range skillPrefixes {
		if p == w {
			return true
		}
	}
	return false
}

// stemFiller are words that don't change which skill a phrase names.
var stemFiller = map[string]bool{
	"develop": true, "do": true, "creat": true, "mak": true, "build": true, "us": true,
	"with": true, "of": true, "in": true, "for": true, "the": true, "a": true, "and": true,
	"techniqu": true, "softwar": true, "program": true, "programm": true, "plugin": true,
	"tool": true, "skill": true, "servic": true, "work": true, "basic": true, "some": true,
	"advanc": true, "computer": true,
}

// stemKey is a phrase's words cut to their stems, filler dropped, sorted:
// "editing photographs" and "photograph editing" meet, so do "graphic
// designs" and "Graphic Design".
func stemKey(s string) string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), wordBreak) {
		st := stem(w)
		if !stemFiller[st] {
			words = append(words, st)
		}
	}
	if len(words) == 0 {
		return ""
	}
	sort.Strings(words)
	return strings.Join(words, " ")
}

// wordBreak is what separates the words of a skill's name.
func wordBreak(r rune) bool {
	return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '+' && r != '#'
}

// stem cuts common English endings: "designing", "designs", "designer" ->
// "design"; "translation", "translating" -> "translat".
func stem(w string) string {
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && len(w) > 3:
		w = w[:len(w)-1]
	}
	for _, sfx := range []string{"ing", "ion", "er", "ed", "e"} {
		if strings.HasSuffix(w, sfx) && len(w)-len(sfx) >= 4 {
			return w[:len(w)-len(sfx)]
		}
	}
	return w
}

// Closest returns the skill whose name or alias is the nearest misspelling
// of word, and false when none is close enough to be a likely typo. A word
// that is itself known is not a near miss of anything.
func (v *Vocabulary) Closest(word string) (Skill, bool) {
	if len(word) > 4*maxSkillLen {
		return Skill{}, false
	}
	k := normKey(word)
	if _, known := v.index[k]; known {
		return Skill{}, false
	}
	n := utf8.RuneCountInString(k)
	limit := nearLimit(n)
	if limit == 0 {
		return Skill{}, false
	}
	best, bestD := -1, limit+1
	mask := runeMask(k)
	for _, c := range v.keys {
		if c.runes < 3 || c.runes-n >= bestD || n-c.runes >= bestD || !mayBeNear(mask, c.mask, bestD-1) {
			continue // "ai", "ci", "r" are too short to guess towards; lengths too far apart
		}
		if d := editDistance(k, c.key, bestD-1); d < bestD {
			best, bestD = c.skill, d
		}
	}
	if best < 0 {
		return Skill{}, false
	}
	return v.skills[best], true
}

// ByID returns the skill with the ID, or the zero Skill.
func (v *Vocabulary) ByID(id int) Skill {
	if id < 1 || id > len(v.skills) {
		return Skill{}
	}
	return v.skills[id-1]
}

// Len is the number of skills.
func (v *Vocabulary) Len() int { return len(v.skills) }

// All returns every skill in ID order. The slice is a copy.
func (v *Vocabulary) All() []Skill { return append([]Skill(nil), v.skills...) }

// Related reports whether the data relates a and b (either way round).
func (v *Vocabulary) Related(a, b string) bool {
	i, ok1 := v.index[normKey(a)]
	j, ok2 := v.index[normKey(b)]
	return ok1 && ok2 && v.rel[[2]int{i, j}]
}

// Canonical returns the vocabulary's name for a skill, or the input trimmed
// when the skill is unknown.
func (v *Vocabulary) Canonical(name string) string {
	if s, ok := v.Lookup(name); ok {
		return s.Name
	}
	return strings.TrimSpace(name)
}
