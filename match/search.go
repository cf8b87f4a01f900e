package match

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/parse"
)

// SearchQuery is a parsed /search: free text for the store's text engine,
// and structured filters for the Index. Every part must match (AND).
type SearchQuery struct {
	// Terms and Phrases are the free text, matched by Store.SearchProfiles
	// over skills, headline and bio. Words the vocabulary knows are not
	// here: they became Skills.
	Terms   []string
	Phrases []string
	// Skills are canonical skill names from skill: filters; a profile must
	// have every one.
	Skills []string
	// Broad are canonical skill names the vocabulary found among the
	// keywords ("backend", "golang"); a profile must have each one or a
	// skill related to it (ranked lower, with the reason saying so).
	Broad []string
	// MinRate and MaxRate bound the hourly rate (day rates count as 8
	// hours); a zero Amount means no bound. Both ends are inclusive.
	MinRate, MaxRate RateBound
	// Zone, when set, keeps profiles whose working day overlaps the zone's
	// by at least ZoneMinOverlap.
	Zone string
	// HasOffsets keeps profiles whose UTC offset, in minutes, lies in
	// [OffsetMin, OffsetMax].
	HasOffsets           bool
	OffsetMin, OffsetMax int
	// Available keeps profiles with hours to give, available today.
	Available bool
	// WorkTypes a profile must all take (gig, part-time, full-time).
	WorkTypes []string
	// Remote keeps profiles that work remotely.
	Remote bool
	// Page is the page asked for with page:N (from 1); 0 when not given.
	// The caller turns it into Search's offset: (Page-1) * page size.
	Page int
}

// RateBound is one end of a rate filter.
type RateBound struct {
	Amount   float64
	Currency string // ISO 4217
}

// ZoneMinOverlap is how much of a working day (in minutes) a profile must
// share with the zone of a tz:<zone> filter.
const ZoneMinOverlap = 4 * 60

// Limits of a search, so that any input gives bounded work and output.
const (
	MaxSearchBytes  = 500
	MaxSearchTokens = 24
)

// HasText reports whether the query has a free-text part.
func (q SearchQuery) HasText() bool { return len(q.Terms)+len(q.Phrases) > 0 }

// Text is what to ask Store.SearchProfiles: the free text, plus the skills
// when there is free text — each exact skill as a term, each broad one as
// a group of it and its related skills. Every profile that passes the skill
// filters has those names among its skills, so adding them never loses a
// result; it lets the text engine rank far fewer rows ("fintech" alone
// matches a large share of bios, "fintech" with Go a small one).
func (q SearchQuery) Text() bot.TextQuery { return q.text(parse.Skills()) }

func (q SearchQuery) text(v SkillVocabulary) bot.TextQuery {
	if !q.HasText() {
		return bot.TextQuery{}
	}
	tq := bot.TextQuery{Terms: append(slices.Clone(q.Terms), q.Skills...), Phrases: q.Phrases}
	for _, s := range q.Broad {
		group := []string{s}
		for _, o := range v.All() {
			if o.Name != s && v.Related(s, o.Name) {
				group = append(group, o.Name)
			}
		}
		tq.AnyOf = append(tq.AnyOf, group)
	}
	return tq
}

// SearchHelp explains the search syntax to a person.
const SearchHelp = `Search profiles with keywords and filters, all of which must match:
  go postgres            skills (a related one counts, ranked lower), or words in headlines and bios
  "rest api"             a phrase, word for word
  skill:react            exactly this skill (aliases work: skill:reactjs)
  rate<60  rate>30eur    hourly rate in USD, or in the currency given
  tz:Europe/Berlin       working hours overlapping Berlin's by 4 h or more
  tz:+1..+3              a UTC offset range
  available              free to start now
  type:gig               gig, part-time or full-time
  remote                 works remotely
  page:2                 the next page of results`

// stopWords carry no meaning in a search; everything is ANDed anyway.
var stopWords = map[string]bool{
	"a": true, "an": true, "and": true, "the": true, "or": true, "with": true,
	"for": true, "of": true, "in": true, "who": true, "knows": true, "someone": true,
}

// ParseSearch reads a person's search, e.g. `golang postgres rate<60
// tz:Europe/Berlin available "rest api"`. It returns an *Error with code
// EINVALID and a message saying how to fix a bad filter.
func ParseSearch(text string) (SearchQuery, error) {
	return parseSearch(text, parse.Skills())
}

func parseSearch(text string, vocab SkillVocabulary) (SearchQuery, error) {
	var q SearchQuery
	if len(text) > MaxSearchBytes {
		return q, bot.Errorf(bot.EINVALID, "That search is too long; please keep it under %d characters.", MaxSearchBytes)
	}
	toks, err := tokenize(strings.ToValidUTF8(text, ""))
	if err != nil {
		return q, err
	}
	if len(toks) > MaxSearchTokens {
		return q, bot.Errorf(bot.EINVALID, "That search has too many words; please use at most %d.", MaxSearchTokens)
	}
	var words []string // plain keywords in order, resolved to skills at the end
	flush := func() {
		q.resolveWords(words, vocab)
		words = words[:0]
	}
	for _, t := range toks {
		if t.phrase {
			flush()
			q.Phrases = appendNew(q.Phrases, t.text)
			continue
		}
		lower := strings.ToLower(t.text)
		switch {
		case t.value != "" || strings.HasPrefix(lower, "skill:"):
			flush()
			v := t.value
			if v == "" {
				v = t.text[len("skill:"):]
			}
			if strings.TrimSpace(v) == "" {
				return q, bot.Errorf(bot.EINVALID, "skill: needs a skill after it, e.g. skill:go.")
			}
			name := strings.TrimSpace(v)
			if s, ok := vocab.Lookup(name); ok {
				name = s.Name
			}
			q.Skills = appendNew(q.Skills, name)
		case strings.HasPrefix(lower, "rate<"), strings.HasPrefix(lower, "rate>"), strings.HasPrefix(lower, "rate:"), strings.HasPrefix(lower, "rate="):
			flush()
			if err := q.parseRate(t.text); err != nil {
				return q, err
			}
		case strings.HasPrefix(lower, "tz:"):
			flush()
			if err := q.parseTZ(t.text[3:]); err != nil {
				return q, err
			}
		case strings.HasPrefix(lower, "type:"):
			flush()
			w, ok := workType(lower[5:])
			if !ok {
				return q, bot.Errorf(bot.EINVALID, "%q is not a work type; use type:gig, type:part-time or type:full-time.", t.text)
			}
			q.WorkTypes = appendNew(q.WorkTypes, w)
		case strings.HasPrefix(lower, "page:"):
			flush()
			n, err := strconv.Atoi(lower[5:])
			if err != nil || n < 1 || n > 1000 {
				return q, bot.Errorf(bot.EINVALID, "%q is not a page number; write page:2.", t.text)
			}
			q.Page = n
		case lower == "available":
			flush()
			q.Available = true
		case lower == "remote":
			flush()
			q.Remote = true
		default:
			w := trimWord(t.text)
			if w == "" || stopWords[strings.ToLower(w)] {
				continue
			}
			words = append(words, w)
		}
	}
	flush()
	return q, nil
}

// resolveWords turns runs of keywords the vocabulary knows into skills,
// longest run first ("machine learning" before "machine"), and keeps the
// rest as free-text terms.
func (q *SearchQuery) resolveWords(words []string, vocab SkillVocabulary) {
	for i := 0; i < len(words); {
		n := 0
		for k := min(3, len(words)-i); k >= 1; k-- {
			if s, ok := vocab.Lookup(strings.Join(words[i:i+k], " ")); ok {
				q.Broad = appendNew(q.Broad, s.Name)
				n = k
				break
			}
		}
		if n == 0 {
			q.Terms = appendNew(q.Terms, words[i])
			n = 1
		}
		i += n
	}
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return list
		}
	}
	return append(list, s)
}

// trimWord strips punctuation around a keyword ("go," -> "go") but keeps
// what belongs to skill names: "c++", "c#", ".net", "node.js".
func trimWord(w string) string {
	w = strings.TrimRightFunc(w, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '+' && r != '#'
	})
	w = strings.TrimLeftFunc(w, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.'
	})
	if !strings.ContainsFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return ""
	}
	return w
}

type token struct {
	text   string
	value  string // the quoted value of skill:"..."
	phrase bool
}

func isQuote(r rune) bool { return r == '"' || r == '“' || r == '”' || r == '„' }

// tokenize splits on spaces, keeping "quoted phrases" (an unclosed quote
// runs to the end) and skill:"quoted names" together.
func tokenize(s string) ([]token, error) {
	var out []token
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			s = s[size:]
			continue
		}
		if isQuote(r) {
			body, rest := untilQuote(s[size:])
			s = rest
			if p := strings.Join(strings.Fields(body), " "); p != "" && trimWord(p) != "" {
				out = append(out, token{text: p, phrase: true})
			}
			continue
		}
		end := strings.IndexFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) || isQuote(r) })
		if end < 0 {
			end = len(s)
		}
		word := s[:end]
		s = s[end:]
		if strings.EqualFold(word, "skill:") && len(s) > 0 {
			if r, size := utf8.DecodeRuneInString(s); isQuote(r) {
				body, rest := untilQuote(s[size:])
				s = rest
				v := strings.Join(strings.Fields(body), " ")
				if v == "" {
					return nil, bot.Errorf(bot.EINVALID, "skill: needs a skill after it, e.g. skill:go.")
				}
				out = append(out, token{text: word, value: v})
				continue
			}
		}
		out = append(out, token{text: word})
	}
	return out, nil
}

func untilQuote(s string) (body, rest string) {
	if i := strings.IndexFunc(s, isQuote); i >= 0 {
		_, size := utf8.DecodeRuneInString(s[i:])
		return s[:i], s[i+size:]
	}
	return s, ""
}

func workType(s string) (string, bool) {
	switch strings.NewReplacer("-", "", "_", "", " ", "").Replace(s) {
	case "gig", "gigs":
		return bot.WorkGig, true
	case "parttime":
		return bot.WorkPartTime, true
	case "fulltime":
		return bot.WorkFullTime, true
	}
	return "", false
}

// parseRate reads rate<60, rate<=60, rate>30eur, rate<€50, rate<50/h.
func (q *SearchQuery) parseRate(tok string) error {
	bad := bot.Errorf(bot.EINVALID, "%q is not a rate filter; write rate<60 or rate>30 (USD per hour), or rate<50eur.", tok)
	rest := tok[len("rate"):]
	op := rest[0]
	rest = strings.TrimPrefix(rest[1:], "=")
	if op != '<' && op != '>' {
		return bad
	}
	amount, cur, ok := parseMoney(rest)
	if !ok {
		return bad
	}
	b := RateBound{Amount: amount, Currency: cur}
	if op == '<' {
		q.MaxRate = b
	} else {
		q.MinRate = b
	}
	return nil
}

var symbolCurrency = map[string]string{"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}

// parseMoney reads "60", "$60", "60usd", "€50/h", "1,200eur".
func parseMoney(s string) (float64, string, bool) {
	s = strings.ToLower(s)
	for _, suf := range []string{"/hour", "/hr", "/h", "ph"} {
		s = strings.TrimSuffix(s, suf)
	}
	cur := "USD"
	for sym, code := range symbolCurrency {
		if rest, ok := strings.CutPrefix(s, sym); ok {
			s, cur = rest, code
		} else if rest, ok := strings.CutSuffix(s, sym); ok {
			s, cur = rest, code
		}
	}
	if i := strings.IndexFunc(s, unicode.IsLetter); i >= 0 {
		code := strings.ToUpper(s[i:])
		if _, ok := bot.DefaultCurrencies()[code]; !ok {
			return 0, "", false
		}
		s, cur = s[:i], code
	}
	s = strings.ReplaceAll(s, ",", "")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 || v > 1e7 || strings.ContainsAny(s, "xXpP_") {
		return 0, "", false
	}
	return v, cur, true
}

// parseTZ reads tz:Europe/Berlin, tz:Berlin, tz:UTC+2, tz:+1..+3, tz:-5.
func (q *SearchQuery) parseTZ(v string) error {
	bad := bot.Errorf(bot.EINVALID, "%q is not a time zone; write tz:Europe/Berlin, tz:Berlin or an offset range like tz:+1..+3.", "tz:"+v)
	if v == "" {
		return bad
	}
	if lo, hi, ok := strings.Cut(v, ".."); ok {
		a, ok1 := parseOffset(stripUTC(lo))
		b, ok2 := parseOffset(stripUTC(strings.TrimLeft(hi, ".")))
		if !ok1 || !ok2 {
			return bad
		}
		q.HasOffsets, q.OffsetMin, q.OffsetMax = true, min(a, b), max(a, b)
		return nil
	}
	if c := v[0]; c == '+' || c == '-' || strings.HasPrefix(strings.ToUpper(v), "UTC") || strings.HasPrefix(strings.ToUpper(v), "GMT") {
		off, ok := parseOffset(stripUTC(v))
		if !ok {
			return bad
		}
		q.HasOffsets, q.OffsetMin, q.OffsetMax = true, off, off
		return nil
	}
	zone, ok := resolveZone(v)
	if !ok {
		return bad
	}
	q.Zone = zone
	return nil
}

func stripUTC(s string) string {
	u := strings.ToUpper(s)
	if strings.HasPrefix(u, "UTC") || strings.HasPrefix(u, "GMT") {
		s = s[3:]
		if s == "" {
			return "+0"
		}
	}
	return s
}

// parseOffset reads "+2", "-5", "+5:30", "+0530", "2" as minutes east of UTC.
func parseOffset(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	sign := 1
	switch s[0] {
	case '+':
		s = s[1:]
	case '-':
		sign, s = -1, s[1:]
	case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
	default:
		return 0, false
	}
	h, m := s, ""
	if a, b, ok := strings.Cut(s, ":"); ok {
		h, m = a, b
	} else if len(s) == 4 {
		h, m = s[:2], s[2:]
	}
	hh, err := strconv.Atoi(h)
	if err != nil || len(h) == 0 || len(h) > 2 || hh > 14 {
		return 0, false
	}
	mm := 0
	if m != "" {
		mm, err = strconv.Atoi(m)
		if err != nil || len(m) != 2 || mm >= 60 {
			return 0, false
		}
	}
	return sign * (hh*60 + mm), true
}

// resolveZone finds an IANA zone for a tz: filter: "Europe/Berlin",
// "Berlin", "new_york", "PST".
func resolveZone(v string) (string, bool) {
	if z, err := parse.ParseTimezone(v); err == nil {
		return z, true
	}
	if z, err := parse.ParseTimezone(strings.ReplaceAll(v, "_", " ")); err == nil {
		return z, true
	}
	return "", false
}

// searchFilter is a SearchQuery in index terms.
type searchFilter struct {
	skills     []uint32
	broad      [][]uint32 // per Broad skill: it and its related skills
	broadSet   []skillSet // the same, as sets
	minC, maxC uint32     // USD cents per hour; 0 = no bound
	rate       bool
	zone       bool
	zoneOff    int
	offsets    bool
	offLo      int
	offHi      int
	available  bool
	today      int32
	flags      uint8
	none       bool // nothing can match (an unknown skill or currency)
}

// pass reports whether e passes the filter; the checks of single fields
// come first, as they are the cheapest.
func (f *searchFilter) pass(e *entry, skills skillList) bool {
	if e.flags&flagLive == 0 || e.flags&f.flags != f.flags {
		return false
	}
	if f.rate && (e.rate == 0 || e.flags&flagProject != 0 || e.rate < f.minC || (f.maxC != 0 && e.rate > f.maxC)) {
		return false
	}
	if (f.zone || f.offsets) && e.flags&flagTZ == 0 {
		return false
	}
	if f.zone && overlap(int(e.tzOff), f.zoneOff) < ZoneMinOverlap {
		return false
	}
	if f.offsets && (int(e.tzOff) < f.offLo || int(e.tzOff) > f.offHi) {
		return false
	}
	if f.available && (e.hours == 0 || e.from > f.today) {
		return false
	}
	for _, s := range f.skills {
		if !skills.has(s) {
			return false
		}
	}
	for _, group := range f.broadSet {
		if group.count(skills) == 0 {
			return false
		}
	}
	return true
}

// Search finds published profiles for a query, a page at a time: results
// from offset, at most limit, and the total that match. The free text of q
// is matched by the index's own words (textindex.go) when text is nil, with
// results in the order of a bm25-like text score; otherwise text is the
// ranked account IDs a text engine (Store.SearchProfiles) returned for
// q.Text(), and results keep its order. Without free text they are ordered
// by a relevance score like a match against the query. Ties go by account
// ID. Every result has a reason.
func (ix *Index) Search(q SearchQuery, text []int64, offset, limit int) (results []Match, total int) {
	return ix.SearchHiding(q, text, offset, limit, nil)
}

// SearchHiding is Search seen from a workspace: the accounts in hidden
// (people who chose not to be found there, privacy.go) are neither shown
// nor counted.
func (ix *Index) SearchHiding(q SearchQuery, text []int64, offset, limit int, hidden map[int64]bool) (results []Match, total int) {
	offset = max(offset, 0)
	now := ix.cfg.Now()
	today := day(now)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	f, cj := ix.compileSearch(q, now, today)
	own := q.HasText() && text == nil
	if f.none || (q.HasText() && !own && len(text) == 0) {
		return nil, 0
	}
	render := func(slot uint32) Match {
		e := &ix.entries[slot]
		skills := ix.skillsOf(e)
		exact, related := masks(skills, cj)
		p := score(e, cj, exact, related, today)
		if len(ix.cfg.Signals) > 0 {
			addSignals(&p, ix.cfg.Signals, e.account, cj.job)
		}
		r := ix.reason(p, e, skills, cj, today)
		if q.HasText() {
			r = textReason(q) + ", " + r
		}
		return Match{AccountID: e.account, Score: p.total, Reason: r}
	}
	if own {
		tq := ix.text.compile(q, ix.live)
		if tq.none {
			return nil, 0
		}
		cands := ix.text.rarest(tq, ix.postings)
		if skills := ix.searchWalk(f); skills != nil {
			var walk candidates
			for _, s := range skills {
				walk.skills = append(walk.skills, ix.postings[s])
			}
			if walk.size() < cands.size() { // the skill filter is narrower
				cands = walk
			}
		}
		top := &topK{limit: offset + limit}
		sc := ix.getScratch()
		for slot := range cands.all() {
			if sc.masks[slot] != 0 {
				continue
			}
			sc.masks[slot] = 1
			sc.touched = append(sc.touched, slot)
			e := &ix.entries[slot]
			skills := ix.skillsOf(e)
			if hidden[e.account] || !f.pass(e, skills) {
				continue
			}
			score, ok := ix.text.score(slot, skills, tq)
			if !ok {
				continue
			}
			total++
			if limit > 0 {
				top.offer(ranked{score: score, id: e.account, slot: slot})
			}
		}
		for _, slot := range sc.touched {
			sc.masks[slot] = 0
		}
		ix.scratch.Put(sc)
		ranks := top.sorted()
		if offset < len(ranks) {
			for _, r := range ranks[offset:] {
				results = append(results, render(r.slot))
			}
		}
		return results, total
	}
	if q.HasText() {
		seen := make(map[int64]bool, len(text))
		for _, id := range text {
			slot, ok := ix.slots.get(ix.entries, id)
			if !ok || seen[id] || hidden[id] || !f.pass(&ix.entries[slot], ix.skillsOf(&ix.entries[slot])) {
				continue
			}
			seen[id] = true
			if total >= offset && len(results) < limit {
				results = append(results, render(slot))
			}
			total++
		}
		return results, total
	}
	top := &topK{limit: offset + limit}
	consider := func(slot uint32) {
		e := &ix.entries[slot]
		skills := ix.skillsOf(e)
		if hidden[e.account] || !f.pass(e, skills) {
			return
		}
		total++
		if limit <= 0 {
			return
		}
		exact, related := masks(skills, cj)
		p := score(e, cj, exact, related, today)
		if len(ix.cfg.Signals) > 0 {
			addSignals(&p, ix.cfg.Signals, e.account, cj.job)
		}
		top.offer(ranked{score: p.total, id: e.account, slot: slot})
	}
	if walk := ix.searchWalk(f); walk != nil {
		// Walk the shortest posting lists; the filter checks the rest.
		sc := ix.getScratch()
		for _, s := range walk {
			for _, slot := range ix.postings[s] {
				if sc.masks[slot] != 0 {
					continue // a repeated posting, or one seen under another skill
				}
				sc.masks[slot] = 1
				sc.touched = append(sc.touched, slot)
				consider(slot)
			}
		}
		for _, slot := range sc.touched {
			sc.masks[slot] = 0
		}
		ix.scratch.Put(sc)
	} else {
		for slot := range ix.entries {
			consider(uint32(slot))
		}
	}
	ranks := top.sorted()
	if offset < len(ranks) {
		for _, r := range ranks[offset:] {
			results = append(results, render(r.slot))
		}
	}
	return results, total
}

// searchWalk picks the skills whose posting lists hold every candidate:
// the shortest list of an exact skill, or else the smallest group of a
// broad skill (a candidate has one of the group). nil means every entry.
// mu held (read).
func (ix *Index) searchWalk(f *searchFilter) []uint32 {
	size := func(group []uint32) int {
		n := 0
		for _, s := range group {
			n += len(ix.postings[s])
		}
		return n
	}
	var best []uint32
	for _, s := range f.skills {
		if best == nil || len(ix.postings[s]) < size(best) {
			best = []uint32{s}
		}
	}
	for _, group := range f.broad {
		if best == nil || size(group) < size(best) {
			best = group
		}
	}
	return best
}

// compileSearch turns a query into a filter and a job-like target for the
// relevance score and the reason. mu held (read).
func (ix *Index) compileSearch(q SearchQuery, now time.Time, today int32) (*searchFilter, *compiledJob) {
	f := &searchFilter{available: q.Available, today: today}
	job := &bot.Job{Skills: append(slices.Clone(q.Skills), q.Broad...)}
	for _, s := range q.Skills {
		id := ix.skillID(ix.canonical(s))
		if id == noSkill {
			f.none = true
			continue
		}
		f.skills = append(f.skills, id)
	}
	for _, s := range q.Broad {
		id := ix.skillID(ix.canonical(s))
		if id == noSkill {
			f.none = true
			continue
		}
		group := append([]uint32{id}, ix.relatedOf[id]...)
		f.broad, f.broadSet = append(f.broad, group), append(f.broadSet, newSkillSet(group))
	}
	bound := func(b RateBound) uint32 {
		if b.Amount <= 0 {
			return 0
		}
		f.rate = true
		usd, ok := ix.cfg.Currencies.ToUSD(b.Amount, b.Currency)
		if !ok {
			f.none = true
			return 0
		}
		return clampCents(usd)
	}
	f.minC, f.maxC = bound(q.MinRate), bound(q.MaxRate)
	if f.maxC != 0 {
		cur := q.MaxRate.Currency
		lo := 0.0
		if q.MinRate.Amount > 0 {
			usd, _ := ix.cfg.Currencies.ToUSD(q.MinRate.Amount, q.MinRate.Currency)
			lo, _ = ix.cfg.Currencies.FromUSD(usd, cur)
		}
		job.Budget = parse.Budget{Min: lo, Max: q.MaxRate.Amount, Currency: cur, Unit: parse.BudgetHourly}
	}
	switch {
	case q.Zone != "":
		loc := ix.location(q.Zone)
		if loc == nil {
			f.none = true
			break
		}
		f.zone, f.zoneOff = true, offsetAt(loc, now)
		job.Timezone = q.Zone
	case q.HasOffsets:
		f.offsets, f.offLo, f.offHi = true, q.OffsetMin, q.OffsetMax
	}
	if q.Remote {
		f.flags |= flagRemote
	}
	for _, w := range q.WorkTypes {
		f.flags |= workFlag(w)
	}
	cj := ix.compile(job, now)
	if q.HasOffsets && q.Zone == "" {
		mid := (q.OffsetMin + q.OffsetMax) / 2
		cj.hasTZ, cj.tzOff, cj.tzName = true, mid, offsetName(mid)
	}
	return f, cj
}

// offsetName writes an offset for a reason: "UTC+2", "UTC-5:30", "UTC".
func offsetName(min int) string {
	if min == 0 {
		return "UTC"
	}
	sign := "+"
	if min < 0 {
		sign, min = "-", -min
	}
	s := "UTC" + sign + strconv.Itoa(min/60)
	if min%60 != 0 {
		s += ":" + strconv.Itoa(min%60)
	}
	return s
}

// textReason says which words matched, e.g. `matches api, "rest api"`.
func textReason(q SearchQuery) string {
	parts := slices.Clone(q.Terms)
	for _, p := range q.Phrases {
		parts = append(parts, `"`+p+`"`)
	}
	return "matches " + strings.Join(parts, ", ")
}
