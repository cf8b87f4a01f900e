package match

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"hash/fnv"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// A snapshot is the index's published profiles in a compact binary file,
// so a replica starts by reading it instead of rebuilding from the store
// (which decodes every profile row). It is stamped with a position in the
// store's profile log (bot.ProfileLog): every change up to that position is in
// it, and LoadSnapshot reloads the profiles changed after it.
//
// Layout (little-endian; v = uvarint, s = varint, str = v length + bytes):
//
//	magic "HBINDEX\x00", version uint32
//	fingerprint uint64   vocabulary and currencies the entries were made with
//	position s, written s (Unix ns), profiles v (a hint to size the tables)
//	entries: per profile 1, then account s, flags, hours (bytes),
//	         city v, rate v, from s, tzOff s,
//	         skills v + IDs as deltas v, words v + word IDs v; then 0
//	skills v + str...   by skill ID
//	cities v + str...   by city ID (0 is "")
//	words v + str...    by word ID from 1
//	crc32 (Castagnoli) of everything before, uint32
//
// Open jobs are few and not in it: they are read from the store at load.
// Slots are not kept: loading numbers the profiles in file order, which is
// slot order, and makes posting lists of exact length.

const (
	snapshotMagic   = "HBINDEX\x00"
	snapshotVersion = 1
	// snapshotChunk is how many slots are encoded under one hold of the
	// read lock, so a write waits at most that long for a snapshot.
	snapshotChunk = 1 << 14
)

var snapshotCRC = crc32.MakeTable(crc32.Castagnoli)

// ErrSnapshotUnusable says a snapshot cannot stand for the store: another
// format or vocabulary, damaged, or older than what the profile log still
// holds. The caller rebuilds from the store instead.
var ErrSnapshotUnusable = errors.New("index snapshot unusable")

func unusable(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrSnapshotUnusable, fmt.Sprintf(format, args...))
}

// fingerprint sums up what an entry depends on besides its profile: the
// skill vocabulary (names, aliases, relations) and the currency table.
// A snapshot made under another one is not loaded.
func (ix *Index) fingerprint() uint64 {
	h := fnv.New64a()
	put := func(s string) { h.Write([]byte(s)); h.Write([]byte{0}) }
	for _, s := range ix.cfg.Skills.All() {
		put(s.Name)
		put(s.Category)
		for _, a := range s.Aliases {
			put(a)
		}
		put("|")
		for _, r := range s.Related {
			put(r)
		}
		put("|")
	}
	codes := make([]string, 0, len(ix.cfg.Currencies))
	for c := range ix.cfg.Currencies {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		put(c)
		h.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(ix.cfg.Currencies[c])))
	}
	return h.Sum64()
}

// WriteSnapshot writes the index's published profiles to w, stamped with
// position (see bot.ProfileLog): the caller reads the position before the
// snapshot starts, so whatever changes meanwhile is after it. The read
// lock is taken a chunk of slots at a time, so writes and queries go on.
func (ix *Index) WriteSnapshot(ctx context.Context, w io.Writer, position int64) error {
	h := crc32.New(snapshotCRC)
	out := io.MultiWriter(w, h)
	buf := make([]byte, 0, 1<<20)
	buf = append(buf, snapshotMagic...)
	buf = binary.LittleEndian.AppendUint32(buf, snapshotVersion)
	buf = binary.LittleEndian.AppendUint64(buf, ix.fingerprint())
	buf = binary.AppendVarint(buf, position)
	buf = binary.AppendVarint(buf, time.Now().UnixNano())
	ix.mu.RLock()
	gen := ix.gen
	buf = binary.AppendUvarint(buf, uint64(ix.live))
	ix.mu.RUnlock()
	for from := 0; ; from += snapshotChunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		ix.mu.RLock()
		if ix.gen != gen {
			ix.mu.RUnlock()
			return errors.New("match: the index was rebuilt while a snapshot was written")
		}
		to := min(from+snapshotChunk, len(ix.entries))
		for slot := from; slot < to; slot++ {
			buf = ix.appendEntry(buf, uint32(slot))
		}
		more := to < len(ix.entries)
		ix.mu.RUnlock()
		if _, err := out.Write(buf); err != nil {
			return err
		}
		buf = buf[:0]
		if !more {
			break
		}
	}
	buf = append(buf, 0)
	ix.mu.RLock()
	if ix.gen != gen {
		ix.mu.RUnlock()
		return errors.New("match: the index was rebuilt while a snapshot was written")
	}
	buf = appendStrings(buf, ix.skillNames)
	buf = appendStrings(buf, ix.cityNames)
	words := make([]string, len(ix.text.post)) // by ID; 0 is unused
	for w, id := range ix.text.words {
		words[id] = w
	}
	ix.mu.RUnlock()
	buf = appendStrings(buf, words[1:])
	if _, err := out.Write(buf); err != nil {
		return err
	}
	_, err := w.Write(binary.LittleEndian.AppendUint32(nil, h.Sum32()))
	return err
}

// appendEntry encodes the profile in slot, if one is there. mu held (read).
func (ix *Index) appendEntry(buf []byte, slot uint32) []byte {
	e := &ix.entries[slot]
	if e.flags&flagLive == 0 {
		return buf
	}
	buf = append(buf, 1)
	buf = binary.AppendVarint(buf, e.account)
	buf = append(buf, e.flags, e.hours)
	buf = binary.AppendUvarint(buf, uint64(e.city))
	buf = binary.AppendUvarint(buf, uint64(e.rate))
	buf = binary.AppendVarint(buf, int64(e.from))
	buf = binary.AppendVarint(buf, int64(e.tzOff))
	skills := ix.skillsOf(e)
	buf = binary.AppendUvarint(buf, uint64(len(skills)))
	prev := uint32(0)
	for _, s := range skills { // sorted
		buf = binary.AppendUvarint(buf, uint64(s-prev))
		prev = s
	}
	seq := ix.text.seqs.get(slot) // uvarints already: a uvarint's last byte is below 0x80
	n := 0
	for _, b := range seq {
		if b < 0x80 {
			n++
		}
	}
	buf = binary.AppendUvarint(buf, uint64(n))
	return append(buf, seq...)
}

func appendStrings(buf []byte, list []string) []byte {
	buf = binary.AppendUvarint(buf, uint64(len(list)))
	for _, s := range list {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	return buf
}

// snapshotReader decodes a snapshot held in memory; the first error sticks.
type snapshotReader struct {
	data []byte
	err  error
}

func (r *snapshotReader) fail() {
	if r.err == nil {
		r.err = unusable("truncated or damaged")
	}
	r.data = nil
}

func (r *snapshotReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.data)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.data = r.data[n:]
	return v
}

func (r *snapshotReader) varint() int64 {
	v, n := binary.Varint(r.data)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.data = r.data[n:]
	return v
}

func (r *snapshotReader) byte() byte {
	if len(r.data) == 0 {
		r.fail()
		return 0
	}
	b := r.data[0]
	r.data = r.data[1:]
	return b
}

// count reads a length that must fit in what is left, each item taking
// at least min bytes.
func (r *snapshotReader) count(min int) int {
	n := r.uvarint()
	if n > uint64(len(r.data)/max(min, 1)) {
		r.fail()
		return 0
	}
	return int(n)
}

func (r *snapshotReader) strings() []string {
	out := make([]string, r.count(1))
	for i := range out {
		n := r.count(1)
		out[i] = string(r.data[:n])
		r.data = r.data[n:]
	}
	return out
}

// SnapshotInfo says what a loaded snapshot held.
type SnapshotInfo struct {
	Position int64     // the profile log position it covers
	Written  time.Time // when it was written
	Profiles int       // profiles it held
	Replayed int       // profiles changed after it, reloaded from the store
}

// LoadSnapshot replaces the contents of the index with a snapshot (as
// WriteSnapshot wrote it), the open jobs of s, and the profiles that the
// log says changed after the snapshot, reloaded from s. It returns an
// error wrapping ErrSnapshotUnusable when the snapshot cannot stand for
// the store (another format or vocabulary, damaged, or older than the
// log), and the store's error when s fails; in both cases the index keeps
// its old contents and the caller rebuilds (Rebuild).
func (ix *Index) LoadSnapshot(ctx context.Context, data []byte, s bot.Store, log bot.ProfileLog) (SnapshotInfo, error) {
	var info SnapshotInfo
	fresh, pos, err := ix.decodeSnapshot(data, &info)
	if err != nil {
		return info, err
	}
	oldest, newest, err := log.ProfileLogSpan(ctx)
	if err != nil {
		return info, err
	}
	switch {
	case pos > newest:
		return info, unusable("it covers position %d and the profile log ends at %d: another database", pos, newest)
	case oldest > pos+1:
		return info, unusable("the profile log starts at %d, past its position %d", oldest, pos)
	}
	if err := fresh.loadJobs(ctx, s); err != nil {
		return info, err
	}
	changed := map[int64]bool{}
	if err := log.ProfileChanges(ctx, pos, func(id int64) error { changed[id] = true; return nil }); err != nil {
		return info, err
	}
	if n := len(changed); n > maxReplay(info.Profiles) {
		return info, unusable("%d profiles changed after it: a rebuild reads them faster", n)
	}
	for id := range changed {
		if err := fresh.Apply(ctx, s, bot.Change{Kind: bot.ChangeProfile, ID: id}); err != nil {
			return info, err
		}
	}
	info.Replayed = len(changed)
	ix.swap(fresh)
	return info, nil
}

// maxReplay is how many changed profiles a load reloads one by one
// before a rebuild, which reads every profile in one pass, is quicker: a
// quarter of the snapshot (a reload costs about what two profiles of a
// rebuild do, plus the rebuild's own decoding).
func maxReplay(profiles int) int { return max(1000, profiles/4) }

// decodeSnapshot reads data into a new index.
func (ix *Index) decodeSnapshot(data []byte, info *SnapshotInfo) (*Index, int64, error) {
	head := len(snapshotMagic) + 4 + 8
	if len(data) < head+4 || !bytes.Equal(data[:len(snapshotMagic)], []byte(snapshotMagic)) {
		return nil, 0, unusable("not an index snapshot")
	}
	if v := binary.LittleEndian.Uint32(data[len(snapshotMagic):]); v != snapshotVersion {
		return nil, 0, unusable("format version %d, this build reads %d", v, snapshotVersion)
	}
	body, sum := data[:len(data)-4], binary.LittleEndian.Uint32(data[len(data)-4:])
	if crc32.Checksum(body, snapshotCRC) != sum {
		return nil, 0, unusable("checksum mismatch")
	}
	if binary.LittleEndian.Uint64(data[len(snapshotMagic)+4:]) != ix.fingerprint() {
		return nil, 0, unusable("made with another skill vocabulary or currency table")
	}
	r := &snapshotReader{data: body[head:]}
	pos := r.varint()
	info.Position, info.Written = pos, time.Unix(0, r.varint())
	hint := r.count(1)

	fresh := &Index{cfg: ix.cfg}
	fresh.reset()
	fresh.entries = make([]entry, 0, hint)
	fresh.slots.reserve(fresh.entries, hint)
	// The skills of the entries go to the index's skill block, their
	// words to the text index's.
	seqs := &fresh.text.seqs
	for r.err == nil && r.byte() == 1 {
		e := entry{account: r.varint()}
		e.flags, e.hours = r.byte(), r.byte()
		e.city = uint32(r.uvarint())
		e.rate = uint32(r.uvarint())
		e.from = int32(r.varint())
		e.tzOff = int16(r.varint())
		n, prev := r.count(1), uint64(0)
		e.skillAt, e.nSkills = uint32(len(fresh.skillBlock)), uint32(n)
		for range n {
			prev += r.uvarint()
			fresh.skillBlock = append(fresh.skillBlock, uint32(prev))
		}
		words, raw := r.count(1), r.data
		for range words {
			if r.uvarint() > math.MaxUint32 {
				r.fail()
			}
		}
		if r.err != nil {
			break
		}
		seq := raw[:len(raw)-len(r.data)]
		if e.flags&flagLive == 0 || e.account == 0 {
			r.fail()
			break
		}
		slot, ok := fresh.slots.get(fresh.entries, e.account)
		if ok {
			// Written twice (removed and put again while the snapshot was
			// written): the later one is newer.
			fresh.skillWaste += int(fresh.entries[slot].nSkills)
			fresh.entries[slot] = e
		} else {
			slot = uint32(len(fresh.entries))
			fresh.entries = append(fresh.entries, e)
			fresh.slots.put(fresh.entries, slot)
		}
		seqs.set(slot, seq)
	}
	skills, cities, words := r.strings(), r.strings(), r.strings()
	if r.err != nil {
		return nil, 0, r.err
	}
	if len(r.data) != 0 {
		return nil, 0, unusable("%d bytes past the end", len(r.data))
	}
	for i, name := range skills {
		if fresh.intern(name) != uint32(i) {
			return nil, 0, unusable("skill %d (%q) is out of order", i, name)
		}
	}
	if len(cities) == 0 || cities[0] != "" {
		return nil, 0, unusable("no empty city first")
	}
	for _, name := range cities[1:] {
		fresh.cities[strings.ToLower(strings.TrimSpace(name))] = uint32(len(fresh.cityNames))
		fresh.cityNames = append(fresh.cityNames, name)
	}
	t := fresh.text
	for i, w := range words {
		if t.word(w) != uint32(i+1) {
			return nil, 0, unusable("word %d (%q) is out of order", i+1, w)
		}
	}
	if err := fresh.index(); err != nil {
		return nil, 0, err
	}
	info.Profiles = fresh.live
	return fresh, pos, nil
}

// index makes the posting lists of freshly decoded entries, each of its
// exact size, and checks every ID against the dictionaries.
func (ix *Index) index() error {
	t := ix.text
	t.seqs.trim()
	if ix.skillWaste > 0 {
		ix.compactSkills()
	}
	ix.skillBlock = clipped(ix.skillBlock)
	skillN := make([]int, len(ix.skillNames))
	wordBytes := make([]int, len(t.post))
	seen := make([]uint32, len(t.post)) // slot+1 that last counted the word
	var ids []uint32
	for slot := range ix.entries {
		e := &ix.entries[slot]
		if e.city >= uint32(len(ix.cityNames)) {
			return unusable("a city ID past its dictionary")
		}
		for _, s := range ix.skillsOf(e) {
			if int(s) >= len(skillN) {
				return unusable("a skill ID past its dictionary")
			}
			skillN[s]++
		}
		ids = decodeWords(ids[:0], t.seqs.get(uint32(slot)))
		for _, id := range ids {
			if int(id) >= len(wordBytes) {
				return unusable("a word ID past its dictionary")
			}
			if id != 0 && seen[id] != uint32(slot)+1 {
				wordBytes[id] += uvarintLen(uint32(slot) + 1 - seen[id]) // slots ascend: see postMeta.add
				seen[id] = uint32(slot) + 1
			}
		}
	}
	for s, n := range skillN {
		ix.postings[s] = make([]uint32, 0, n)
	}
	for id, n := range wordBytes {
		if n > 0 {
			t.post[id] = make(postList, 0, n)
		}
	}
	clear(seen)
	for slot := range ix.entries {
		for _, s := range ix.skillsOf(&ix.entries[slot]) {
			ix.postings[s] = append(ix.postings[s], uint32(slot))
			t.skill(s, ix.skillNames[s])
		}
		ids = decodeWords(ids[:0], t.seqs.get(uint32(slot)))
		for _, id := range ids {
			if id != 0 && seen[id] != uint32(slot)+1 {
				seen[id] = uint32(slot) + 1
				t.post[id] = t.meta[id].add(t.post[id], uint32(slot))
			}
		}
	}
	ix.live = len(ix.entries)
	return nil
}
