package match

import (
	"bytes"
	"encoding/binary"
	"iter"
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
// the next 16k: a quarter of 32-bit IDs), all slots' in one block
// (wordSeqs), which answers phrases and scores the fields; per word it
// keeps a posting list of slots as gaps (postList, a byte a posting where
// a word is common), append-only between compactions like the skills'.
// The skills field is not copied: a word of a skill's name finds the
// skill's own posting list (wordSkills), and the entry's skills are
// matched through their names' words (skillWords).
type textIndex struct {
	words      map[string]uint32   // word -> ID (from 1)
	post       []postList          // by word ID: slots, maybe stale or repeated
	meta       []postMeta          // by word ID
	seqs       wordSeqs            // by slot: headline 0 bio, as uvarints (appendWords)
	skillWords [][]uint32          // by skill ID: the words of its name
	wordSkills map[uint32][]uint32 // word ID -> skill IDs whose name has it
	buf        []byte              // write-locked scratch
	slots      []uint32            // write-locked scratch
}

// Field weights in score order, as the store's bm25 weights them: a skill
// is the strongest signal, then the headline, then the bio.
var fieldWeight = [3]float64{4, 2, 1}

func newTextIndex() *textIndex {
	return &textIndex{words: map[string]uint32{}, post: []postList{nil}, meta: []postMeta{{}}, wordSkills: map[uint32][]uint32{}}
}

// word returns the ID of w, adding it. mu held (write).
func (t *textIndex) word(w string) uint32 {
	id, ok := t.words[w]
	if !ok {
		id = uint32(len(t.post))
		t.words[w] = id
		t.post = append(t.post, nil)
		t.meta = append(t.meta, postMeta{})
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
	old := decodeWords(nil, t.seqs.get(slot))
	if len(words) == 0 {
		t.seqs.set(slot, nil)
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
			t.post[id] = t.meta[id].add(t.post[id], slot)
		}
	}
	t.buf = appendWords(t.buf[:0], seq)
	t.seqs.set(slot, t.buf)
	t.forget(old, seq)
}

// clear drops the words of slot. mu held (write).
func (t *textIndex) clear(slot uint32) {
	old := decodeWords(nil, t.seqs.get(slot))
	t.seqs.set(slot, nil)
	t.forget(old, nil)
}

// forget counts the postings of words in old but not in now as stale, and
// compacts a list once half of it may be.
func (t *textIndex) forget(old, now []uint32) {
	for i, id := range old {
		if id == 0 || slices.Contains(old[:i], id) || slices.Contains(now, id) {
			continue
		}
		m := &t.meta[id]
		m.stale++
		if m.stale < 16 || int(m.stale)*2 < int(m.n) {
			continue
		}
		t.post[id], *m, t.slots = compactPostings(t.post[id], func(slot uint32) bool { return hasWord(t.seqs.get(slot), id) }, t.slots)
	}
}

// trim gives back the room appends left in the posting lists and the
// words' block, after a build.
func (t *textIndex) trim() {
	for id, list := range t.post {
		t.post[id] = clipped(list)
	}
	t.seqs.trim()
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
			df = min(df, int(t.meta[id].n))
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

// candidates are posting lists that hold every slot a search can match:
// a word's and skills'.
type candidates struct {
	words  postList
	nWords int // postings in words
	skills [][]uint32
}

// size is how many postings the lists hold.
func (c candidates) size() int {
	n := c.nWords
	for _, l := range c.skills {
		n += len(l)
	}
	return n
}

// all yields the postings of the word, then of the skills.
func (c candidates) all() iter.Seq[uint32] {
	return func(yield func(uint32) bool) {
		for slot := range c.words.all() {
			if !yield(slot) {
				return
			}
		}
		for _, list := range c.skills {
			for _, slot := range list {
				if !yield(slot) {
					return
				}
			}
		}
	}
}

// rarest returns the posting lists of the query's rarest word: its own,
// and those of the skills whose names have it. Every match is on one.
// skillPost is the Index's posting lists by skill ID.
func (t *textIndex) rarest(tq textQuery, skillPost [][]uint32) candidates {
	var best candidates
	bestN := -1
	for _, part := range tq.parts {
		for _, id := range part {
			c := candidates{words: t.post[id], nWords: int(t.meta[id].n)}
			for _, s := range t.wordSkills[id] {
				c.skills = append(c.skills, skillPost[s])
			}
			if n := c.size(); bestN < 0 || n < bestN {
				best, bestN = c, n
			}
		}
	}
	return best
}

// score reports whether every part of tq occurs in the skills (given by
// ID, without repeats) or the words of slot, and a bm25-like score: per part, its
// weighted occurrences per field, saturated, times its rarity. A part is
// found in the slot's uvarints as bytes: where its bytes start after a
// uvarint's last byte (below 0x80), they are the same words.
func (t *textIndex) score(slot uint32, skills []uint32, tq textQuery) (float64, bool) {
	seq := t.seqs.get(slot)
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
