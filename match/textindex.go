package match

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/hirebot/hirebot/bot"
)

// textIndex is the free-text half of the Index: the words of every
// published profile's skills, headline and bio, so a /search with free
// text is answered from memory together with its filters, with no trip to
// the store's text engine and no cap on how many text hits the filters
// see.
//
// Words are lower-cased runs of letters and digits (as SQLite's unicode61
// tokenizer splits them, without folding diacritics). Per slot the index
// keeps the headline's and the bio's words in order as word IDs, separated
// by 0 and written as uvarints (a byte for the 127 first words, two for
// the next 16k: a quarter of 32-bit IDs), which answers phrases and scores
// the fields; per word it keeps a
// posting list of slots, append-only between compactions like the skills'.
// The skills field is not copied: a word of a skill's name finds the
// skill's own posting list (wordSkills), and the entry's skills are
// matched through their names' words (skillWords).
type textIndex struct {
	words      map[string]uint32   // word -> ID (from 1)
	post       [][]uint32          // by word ID: slots, maybe stale or repeated
	stale      []uint32            // by word ID
	seq        [][]byte            // by slot: headline 0 bio, as uvarints (appendWords)
	skillWords [][]uint32          // by skill ID: the words of its name
	wordSkills map[uint32][]uint32 // word ID -> skill IDs whose name has it
}

// Field weights in score order, as the store's bm25 weights them: a skill
// is the strongest signal, then the headline, then the bio.
var fieldWeight = [3]float64{4, 2, 1}

func newTextIndex() *textIndex {
	return &textIndex{words: map[string]uint32{}, post: [][]uint32{nil}, stale: []uint32{0}, wordSkills: map[uint32][]uint32{}}
}

// word returns the ID of w, adding it. mu held (write).
func (t *textIndex) word(w string) uint32 {
	id, ok := t.words[w]
	if !ok {
		id = uint32(len(t.post))
		t.words[w] = id
		t.post = append(t.post, nil)
		t.stale = append(t.stale, 0)
	}
	return id
}

// skill learns the words of a skill's name. mu held (write).
func (t *textIndex) skill(id uint32, name string) {
	for int(id) >= len(t.skillWords) {
		t.skillWords = append(t.skillWords, nil)
	}
	if t.skillWords[id] != nil {
		return
	}
	words := []uint32{}
	for _, w := range textWords(name) {
		wid := t.word(w)
		words = append(words, wid)
		if !slices.Contains(t.wordSkills[wid], id) {
			t.wordSkills[wid] = append(t.wordSkills[wid], id)
		}
	}
	t.skillWords[id] = words
}

// textWords splits text into words.
func textWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// profileWords are the words of a profile's headline and bio, separated
// by "" (none when it has neither).
func profileWords(p bot.Profile) []string {
	h, b := textWords(p.Headline), textWords(p.Bio)
	if len(h)+len(b) == 0 {
		return nil
	}
	return append(append(h, ""), b...)
}

// appendWords appends word IDs (0 between fields) as uvarints. A 0 byte
// is only ever a separator: a longer uvarint never ends in one.
func appendWords(dst []byte, ids []uint32) []byte {
	for _, id := range ids {
		dst = binary.AppendUvarint(dst, uint64(id))
	}
	return dst
}

// uvarintLen is how many bytes appendWords writes for id.
func uvarintLen(id uint32) int {
	n := 1
	for ; id >= 0x80; id >>= 7 {
		n++
	}
	return n
}

// decodeWords appends the word IDs of seq to dst.
func decodeWords(dst []uint32, seq []byte) []uint32 {
	for len(seq) > 0 {
		v, n := binary.Uvarint(seq)
		if n <= 0 {
			break // written by appendWords or checked by the snapshot: never
		}
		dst = append(dst, uint32(v))
		seq = seq[n:]
	}
	return dst
}

// hasWord reports whether seq holds the word id.
func hasWord(seq []byte, id uint32) bool {
	for len(seq) > 0 {
		v, n := binary.Uvarint(seq)
		if n <= 0 {
			return false
		}
		if uint32(v) == id {
			return true
		}
		seq = seq[n:]
	}
	return false
}

// set replaces the words of slot. mu held (write).
func (t *textIndex) set(slot uint32, words []string) {
	for int(slot) >= len(t.seq) {
		t.seq = append(t.seq, nil)
	}
	old := decodeWords(nil, t.seq[slot])
	if len(words) == 0 {
		t.seq[slot] = nil
		t.forget(old, nil)
		return
	}
	seq := make([]uint32, len(words))
	for i, w := range words {
		if w == "" {
			continue
		}
		id := t.word(w)
		seq[i] = id
		if !slices.Contains(seq[:i], id) && !slices.Contains(old, id) {
			t.post[id] = append(t.post[id], slot)
		}
	}
	size := 0
	for _, id := range seq {
		size += uvarintLen(id)
	}
	t.seq[slot] = appendWords(make([]byte, 0, size), seq)
	t.forget(old, seq)
}

// clear drops the words of slot. mu held (write).
func (t *textIndex) clear(slot uint32) {
	if int(slot) < len(t.seq) {
		old := decodeWords(nil, t.seq[slot])
		t.seq[slot] = nil
		t.forget(old, nil)
	}
}

// forget counts the postings of words in old but not in now as stale, and
// compacts a list once half of it may be.
func (t *textIndex) forget(old, now []uint32) {
	for i, id := range old {
		if id == 0 || slices.Contains(old[:i], id) || slices.Contains(now, id) {
			continue
		}
		t.stale[id]++
		list := t.post[id]
		if t.stale[id] < 16 || int(t.stale[id])*2 < len(list) {
			continue
		}
		out := list[:0]
		for j, slot := range list {
			if hasWord(t.seq[slot], id) && !slices.Contains(list[:j], slot) {
				out = append(out, slot)
			}
		}
		t.post[id] = slices.Clip(out)
		t.stale[id] = 0
	}
}

// textQuery is a search's free text in word IDs: each term or phrase is a
// sequence that must occur in one field.
type textQuery struct {
	parts [][]uint32
	enc   [][]byte  // by part: its words as a slot's sequence writes them
	idf   []float64 // by part
	// skills, by part, are the skills whose names hold the part: a
	// profile with one of them has the part in its skills.
	skills []skillSet
	none   bool // a word no profile has: nothing matches
}

// compile resolves the terms and phrases of q. mu held (read).
func (t *textIndex) compile(q SearchQuery, live int) textQuery {
	var tq textQuery
	for _, s := range append(slices.Clone(q.Terms), q.Phrases...) {
		words := textWords(s)
		if len(words) == 0 {
			continue
		}
		part := make([]uint32, len(words))
		df := math.MaxInt
		for i, w := range words {
			id, ok := t.words[w]
			if !ok {
				return textQuery{none: true}
			}
			part[i] = id
			df = min(df, len(t.post[id]))
		}
		var skills []uint32
		for _, s := range t.wordSkills[part[0]] {
			if int(s) < len(t.skillWords) && contains(t.skillWords[s], part) {
				skills = append(skills, s)
			}
		}
		tq.skills = append(tq.skills, newSkillSet(skills))
		n := float64(max(live, 1))
		tq.parts = append(tq.parts, part)
		tq.enc = append(tq.enc, appendWords(nil, part))
		tq.idf = append(tq.idf, math.Log(1+(n-float64(df)+0.5)/(float64(df)+0.5)))
	}
	if len(tq.parts) == 0 {
		tq.none = true
	}
	return tq
}

// rarest returns the posting lists of the query's rarest word: its own,
// and those of the skills whose names have it. Every match is on one.
// skillPost is the Index's posting lists by skill ID.
func (t *textIndex) rarest(tq textQuery, skillPost [][]uint32) [][]uint32 {
	var best [][]uint32
	bestN := -1
	for _, part := range tq.parts {
		for _, id := range part {
			lists, n := [][]uint32{t.post[id]}, len(t.post[id])
			for _, s := range t.wordSkills[id] {
				lists, n = append(lists, skillPost[s]), n+len(skillPost[s])
			}
			if bestN < 0 || n < bestN {
				best, bestN = lists, n
			}
		}
	}
	return best
}

// size is how many postings lists hold.
func size(lists [][]uint32) int {
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	return n
}

// score reports whether every part of tq occurs in the skills (given by
// ID, without repeats) or the words of slot, and a bm25-like score: per part, its
// weighted occurrences per field, saturated, times its rarity. A part is
// found in the slot's uvarints as bytes: where its bytes start after a
// uvarint's last byte (below 0x80), they are the same words.
func (t *textIndex) score(slot uint32, skills []uint32, tq textQuery) (float64, bool) {
	var seq []byte
	if int(slot) < len(t.seq) {
		seq = t.seq[slot]
	}
	bio := bytes.IndexByte(seq, 0) // the headline's words come before it
	if bio < 0 {
		bio = len(seq)
	}
	total := 0.0
	for i, pat := range tq.enc {
		tf := fieldWeight[0] * float64(tq.skills[i].count(skills))
		for off := 0; ; {
			j := bytes.Index(seq[off:], pat)
			if j < 0 {
				break
			}
			at := off + j
			if at == 0 || seq[at-1] < 0x80 {
				if at < bio {
					tf += fieldWeight[1]
				} else {
					tf += fieldWeight[2]
				}
			}
			off = at + 1
		}
		if tf == 0 {
			return 0, false
		}
		const k1 = 1.2
		total += tq.idf[i] * tf * (k1 + 1) / (tf + k1)
	}
	return total, true
}

// skillSet is a set of skill IDs, a bit each, for the checks a search
// makes of every candidate.
type skillSet []uint64

func newSkillSet(ids []uint32) skillSet {
	var set skillSet
	for _, id := range ids {
		for int(id>>6) >= len(set) {
			set = append(set, 0)
		}
		set[id>>6] |= 1 << (id & 63)
	}
	return set
}

// count counts the IDs in the set.
func (set skillSet) count(ids []uint32) int {
	n := 0
	for _, id := range ids {
		if i := int(id >> 6); i < len(set) && set[i]&(1<<(id&63)) != 0 {
			n++
		}
	}
	return n
}

// contains reports whether part occurs in seq, in order.
func contains(seq, part []uint32) bool {
	for j := 0; j+len(part) <= len(seq); j++ {
		if seq[j] == part[0] && slices.Equal(seq[j:j+len(part)], part) {
			return true
		}
	}
	return false
}
