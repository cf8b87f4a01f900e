package match

import (
	"encoding/binary"
	"iter"
	"math"
	"slices"
)

// postList is a word's posting list: slots as gaps between uvarints, a
// byte a posting while they are less than 128 slots apart. A slot is
// written as slot+1 minus the last one's slot+1 when that is more; a
// slot not after the last one (a profile that got the word again in an
// update, or a reused slot) is written as a 0 and then slot+1 in full.
// A list is appended to in any order and may repeat a slot, like the
// skills' []uint32 lists; compaction writes it back sorted, where
// neighbours are closest.
type postList []byte

// postMeta is what a posting list needs besides its bytes.
type postMeta struct {
	n     uint32 // postings, stale and repeated ones included
	last  uint32 // the last slot appended, plus 1; 0 when none is
	stale uint32 // postings that may be stale
}

// add appends slot to list.
func (m *postMeta) add(list postList, slot uint32) postList {
	x := slot + 1
	if x > m.last {
		list = binary.AppendUvarint(list, uint64(x-m.last))
	} else {
		list = binary.AppendUvarint(append(list, 0), uint64(x))
	}
	m.last = x
	m.n++
	return list
}

// all yields the slots of list in the order they were added. Lists are
// only ever written by postMeta.add and encodePostings, so they decode;
// a damaged tail would end the walk.
func (list postList) all() iter.Seq[uint32] {
	return func(yield func(uint32) bool) {
		var x uint64
		for i := 0; i < len(list); {
			g := uint64(list[i])
			if g-1 < 0x7f { // 1..127: one byte, the common case
				i++
			} else {
				var n int
				if g, n = binary.Uvarint(list[i:]); n <= 0 {
					return
				}
				i += n
				if g == 0 {
					if g, n = binary.Uvarint(list[i:]); n <= 0 || g == 0 {
						return
					}
					i += n
					x = 0
				}
				if g > math.MaxUint32 {
					return
				}
			}
			x += g
			if x > math.MaxUint32 || !yield(uint32(x-1)) {
				return
			}
		}
	}
}

// encodePostings writes sorted slots (without repeats) as a list of its
// exact size, with its meta.
func encodePostings(slots []uint32) (postList, postMeta) {
	var m postMeta
	size, last := 0, uint32(0)
	for _, s := range slots {
		size += uvarintLen(s + 1 - last)
		last = s + 1
	}
	list := make(postList, 0, size)
	for _, s := range slots {
		list = m.add(list, s)
	}
	return list, m
}

// compactPostings rewrites list without the slots keep refuses and
// without repeats, sorted. buf is scratch.
func compactPostings(list postList, keep func(slot uint32) bool, buf []uint32) (postList, postMeta, []uint32) {
	buf = buf[:0]
	for s := range list.all() {
		buf = append(buf, s)
	}
	slices.Sort(buf)
	buf = slices.Compact(buf)
	kept := buf[:0]
	for _, s := range buf {
		if keep(s) {
			kept = append(kept, s)
		}
	}
	list, m := encodePostings(kept)
	return list, m, buf
}

// wordSeqs keeps every slot's words (headline 0 bio, as appendWords
// writes them) in one block of bytes, each sequence as its length
// (uvarint) and its bytes, instead of a slice and an allocation a slot:
// 5 bytes a slot point into the block (40 bits: up to a terabyte of
// words). A sequence that is replaced by one no longer is written over in
// place; a longer one goes to the end, and the block is rewritten once
// more than half of it is no longer pointed at.
type wordSeqs struct {
	data    []byte   // data[0] is the empty sequence, where every slot starts
	at      []uint32 // by slot: where its sequence starts, low 32 bits
	atHi    []uint8  // by slot: the high 8 bits
	garbage int      // bytes of data no slot points at
}

// minSeqGarbage is how much garbage a block may hold before it is
// rewritten, however small it is.
const minSeqGarbage = 1 << 16

func (s *wordSeqs) ref(slot uint32) int {
	if int(slot) >= len(s.at) {
		return 0
	}
	return int(s.atHi[slot])<<32 | int(s.at[slot])
}

func (s *wordSeqs) setRef(slot uint32, off int) {
	s.at[slot], s.atHi[slot] = uint32(off), uint8(off>>32)
}

// get returns the sequence of slot, nil when it has none. The caller
// must not keep it past the next set.
func (s *wordSeqs) get(slot uint32) []byte {
	off := s.ref(slot)
	if off == 0 {
		return nil
	}
	n, k := binary.Uvarint(s.data[off:])
	start := off + k
	return s.data[start : start+int(n) : start+int(n)]
}

// grow makes room for slots up to slot. A new slot has no words.
func (s *wordSeqs) grow(slot uint32) {
	if len(s.data) == 0 {
		s.data = []byte{0}
	}
	if n := int(slot) + 1 - len(s.at); n > 0 {
		s.at = append(s.at, make([]uint32, n)...)
		s.atHi = append(s.atHi, make([]uint8, n)...)
	}
}

// set replaces the sequence of slot with seq (copied).
func (s *wordSeqs) set(slot uint32, seq []byte) {
	s.grow(slot)
	off := s.ref(slot)
	had := 0
	if off != 0 {
		n, k := binary.Uvarint(s.data[off:])
		had = k + int(n)
	}
	size := uvarintLen(uint32(len(seq))) + len(seq)
	switch {
	case len(seq) == 0:
		s.setRef(slot, 0)
		s.garbage += had
	case size <= had:
		copy(s.data[binary.PutUvarint(s.data[off:], uint64(len(seq)))+off:], seq)
		s.garbage += had - size
	default:
		s.setRef(slot, len(s.data))
		s.data = append(binary.AppendUvarint(s.data, uint64(len(seq))), seq...)
		s.garbage += had
	}
	if s.garbage >= minSeqGarbage && s.garbage*2 > len(s.data) {
		s.compact()
	}
}

// compact rewrites the block with only the sequences slots point at, in
// slot order, at its exact size.
func (s *wordSeqs) compact() {
	data := make([]byte, 1, len(s.data)-s.garbage)
	for slot := range s.at {
		seq := s.get(uint32(slot))
		if len(seq) == 0 {
			continue
		}
		s.setRef(uint32(slot), len(data))
		data = append(binary.AppendUvarint(data, uint64(len(seq))), seq...)
	}
	s.data, s.garbage = data, 0
}

// trim gives back the room appends left at the ends of the block and the
// slots' offsets, after a build or a load.
func (s *wordSeqs) trim() {
	if s.garbage > 0 {
		s.compact()
	}
	s.data = clipped(s.data)
	s.at, s.atHi = clipped(s.at), clipped(s.atHi)
}

// clipped returns s in an allocation of its length when more than an
// eighth of its capacity is unused.
func clipped[T any](s []T) []T {
	if cap(s)-len(s) <= len(s)/8 {
		return s
	}
	return append(make([]T, 0, len(s)), s...)
}
