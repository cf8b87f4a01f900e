package match

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hirebot/hirebot/bot"
)

func collect32(seq func(func(uint32) bool)) []uint32 {
	var out []uint32
	for v := range seq {
		out = append(out, v)
	}
	return out
}

// TestPostListRoundTrip appends slots in any order, with repeats, gaps
// of every width and the extremes, and reads them back as they went in;
// a sorted list takes a byte a posting where slots are close.
func TestPostListRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var want []uint32
	var list postList
	var m postMeta
	add := func(s uint32) {
		list = m.add(list, s)
		want = append(want, s)
	}
	for _, s := range []uint32{0, 0, 1, 127, 128, 129, 5, 5, 1 << 20, 3, 1<<32 - 2, 0, 1<<32 - 2} {
		add(s)
	}
	for range 5000 {
		switch r.IntN(4) {
		case 0:
			add(r.Uint32N(1 << 31))
		case 1:
			add(want[r.IntN(len(want))]) // a repeat
		default:
			add(want[len(want)-1]%(1<<31) + 1 + r.Uint32N(300)) // close after
		}
	}
	if diff := cmp.Diff(want, collect32(list.all())); diff != "" {
		t.Fatalf("read back (-added +read):\n%s", diff)
	}
	if int(m.n) != len(want) || m.last != want[len(want)-1]+1 {
		t.Fatalf("meta %+v after %d postings ending in %d", m, len(want), want[len(want)-1])
	}

	var dense []uint32
	for s := uint32(0); s < 100_000; s += 1 + uint32(r.IntN(127)) {
		dense = append(dense, s)
	}
	enc, em := encodePostings(dense)
	if len(enc) != len(dense) || cap(enc) != len(enc) {
		t.Errorf("%d sorted slots under 128 apart took %d bytes (capacity %d), want a byte each", len(dense), len(enc), cap(enc))
	}
	if !slices.Equal(dense, collect32(enc.all())) || int(em.n) != len(dense) {
		t.Errorf("the encoded list does not read back as its slots")
	}
}

// TestCompactPostings drops refused and repeated slots and sorts the
// rest, so appends after it go on from its last slot.
func TestCompactPostings(t *testing.T) {
	var list postList
	var m postMeta
	for _, s := range []uint32{9, 3, 7, 3, 200, 9, 1, 4000, 7} {
		list = m.add(list, s)
	}
	odd := func(s uint32) bool { return s%2 == 1 }
	list, m, _ = compactPostings(list, odd, nil)
	if diff := cmp.Diff([]uint32{1, 3, 7, 9}, collect32(list.all())); diff != "" {
		t.Fatalf("compacted (-want +got):\n%s", diff)
	}
	if m.n != 4 || m.last != 10 || m.stale != 0 {
		t.Fatalf("meta after compaction = %+v", m)
	}
	list = m.add(list, 5)
	list = m.add(list, 11)
	if diff := cmp.Diff([]uint32{1, 3, 7, 9, 5, 11}, collect32(list.all())); diff != "" {
		t.Fatalf("appended after compaction (-want +got):\n%s", diff)
	}
}

// TestWordSeqs replaces, clears and regrows the sequences of slots at
// random and checks each against a copy kept aside; the block is
// rewritten along the way and never holds more than it points at plus
// the garbage it counts.
func TestWordSeqs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var s wordSeqs
	want := map[uint32][]byte{}
	compactions, lastLen := 0, 0
	for i := range 40_000 {
		slot := r.Uint32N(500)
		var seq []byte
		if r.IntN(6) != 0 {
			seq = make([]byte, r.IntN(200))
			for j := range seq {
				seq[j] = byte(r.IntN(256))
			}
		}
		s.set(slot, seq)
		if len(seq) == 0 {
			delete(want, slot)
		} else {
			want[slot] = seq
		}
		if len(s.data) < lastLen {
			compactions++
		}
		lastLen = len(s.data)
		if i%997 == 0 || i == 39_999 {
			live := 1
			for slot := range uint32(len(s.at)) {
				got := s.get(slot)
				if !slices.Equal(got, want[slot]) {
					t.Fatalf("after %d sets, slot %d holds %x, want %x", i+1, slot, got, want[slot])
				}
				if len(got) > 0 {
					live += uvarintLen(uint32(len(got))) + len(got)
				}
			}
			if live+s.garbage != len(s.data) {
				t.Fatalf("after %d sets: %d live bytes + %d garbage, block of %d", i+1, live, s.garbage, len(s.data))
			}
		}
	}
	if compactions == 0 {
		t.Fatalf("the block was never rewritten: %d bytes, %d garbage", len(s.data), s.garbage)
	}
	s.trim()
	if s.garbage != 0 || cap(s.data) != len(s.data) {
		t.Fatalf("trimmed: %d garbage, %d bytes in a capacity of %d", s.garbage, len(s.data), cap(s.data))
	}
	for slot, seq := range want {
		if !slices.Equal(s.get(slot), seq) {
			t.Fatalf("after the trim, slot %d holds %x, want %x", slot, s.get(slot), seq)
		}
	}
	if got := s.get(100_000); got != nil {
		t.Fatalf("a slot never set holds %x", got)
	}
}

// FuzzPostList reads arbitrary bytes as a posting list: it never
// panics, yields at most a slot a byte, and what it yields, written
// again, reads back the same.
func FuzzPostList(f *testing.F) {
	var m postMeta
	var seed postList
	for _, s := range []uint32{4, 2, 300, 300, 1 << 30} {
		seed = m.add(seed, s)
	}
	f.Add([]byte(seed))
	f.Add([]byte{0, 0, 0x80})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x7f, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		got := collect32(postList(data).all())
		if len(got) > len(data) {
			t.Fatalf("%d slots out of %d bytes", len(got), len(data))
		}
		var m postMeta
		var again postList
		for _, s := range got {
			again = m.add(again, s)
		}
		if !slices.Equal(got, collect32(again.all())) {
			t.Fatalf("%v does not read back after a write", got)
		}
	})
}

// FuzzDecodeSnapshot reads arbitrary bytes as the body of a snapshot
// (after its header, with a checksum that fits, so the damage reaches the
// decoder): it refuses them or gives an index that answers matches and
// searches, takes an update and writes a snapshot that loads the same.
func FuzzDecodeSnapshot(f *testing.F) {
	ix := newTestIndex(f)
	r := rand.New(rand.NewPCG(5, 6))
	words := []string{"fintech", "rest", "api", "payments", "w1", "w2", "w3"}
	for id := int64(1); id <= 12; id++ {
		p := randomProfile(r, id)
		p.Status = bot.ProfilePublished
		for range r.IntN(8) {
			p.Bio += words[r.IntN(len(words))] + " "
		}
		p.Headline = words[r.IntN(len(words))]
		ix.Put(p)
	}
	head := len(snapshotMagic) + 4 + 8
	var buf bytes.Buffer
	if err := ix.WriteSnapshot(f.Context(), &buf, 7); err != nil {
		f.Fatal(err)
	}
	good := buf.Bytes()
	f.Add(good[head : len(good)-4])
	f.Add([]byte{0, 0, 0, 0, 1, 2, 0, 0, 0})
	f.Fuzz(func(t *testing.T, body []byte) {
		data := append(bytes.Clone(good[:head]), body...)
		data = binary.LittleEndian.AppendUint32(data, crc32.Checksum(data, snapshotCRC))
		var info SnapshotInfo
		fresh, _, err := ix.decodeSnapshot(data, &info)
		if err != nil {
			if !errors.Is(err, ErrSnapshotUnusable) {
				t.Fatalf("decode = %v, want ErrSnapshotUnusable", err)
			}
			return
		}
		answer := func(ix *Index) []any {
			out := []any{ix.Len()}
			for _, q := range []SearchQuery{{Terms: []string{"fintech"}}, {Phrases: []string{"rest api"}}, {Terms: []string{"w2", "payments"}, Skills: []string{"Go"}}} {
				res, total := ix.Search(q, nil, 0, 5)
				out = append(out, res, total)
			}
			return append(out, ix.MatchJob(randomJob(rand.New(rand.NewPCG(1, 1)), 1), 5))
		}
		before := answer(fresh)
		var again bytes.Buffer
		if err := fresh.WriteSnapshot(t.Context(), &again, 7); err != nil {
			t.Fatal(err)
		}
		reloaded, _, err := ix.decodeSnapshot(again.Bytes(), &info)
		if err != nil {
			t.Fatalf("the snapshot of a decoded index does not load: %v", err)
		}
		if diff := cmp.Diff(before, answer(reloaded)); diff != "" {
			t.Fatalf("reloaded, the index answers otherwise (-decoded +reloaded):\n%s", diff)
		}
		p := randomProfile(r, 3)
		p.Status, p.Bio = bot.ProfilePublished, "fintech rest api"
		fresh.Put(p)
		if res, _ := fresh.Search(SearchQuery{Phrases: []string{"rest api"}}, nil, 0, 50); !slices.ContainsFunc(res, func(m Match) bool { return m.AccountID == 3 }) {
			t.Fatalf("an update after the load is not found: %+v", res)
		}
	})
}

// TestSlotTable puts, finds and removes accounts at random against a
// map, with slots reused as the index reuses them, dense IDs and sparse.
func TestSlotTable(t *testing.T) {
	for _, spread := range []int64{1, 1 << 40} {
		r := rand.New(rand.NewPCG(7, uint64(spread)))
		var tab slotTable
		var entries []entry
		var free []uint32
		want := map[int64]uint32{}
		for i := range 60_000 {
			account := (1 + r.Int64N(4000)) * spread
			slot, ok := tab.get(entries, account)
			if w, had := want[account]; ok != had || ok && slot != w {
				t.Fatalf("step %d: get(%d) = %d, %v; want %d, %v", i, account, slot, ok, w, had)
			}
			switch {
			case ok && r.IntN(2) == 0:
				tab.remove(entries, account)
				entries[slot] = entry{}
				free = append(free, slot)
				delete(want, account)
			case !ok:
				if n := len(free); n > 0 {
					slot, free = free[n-1], free[:n-1]
					entries[slot] = entry{account: account}
				} else {
					slot = uint32(len(entries))
					entries = append(entries, entry{account: account})
				}
				tab.put(entries, slot)
				want[account] = slot
			}
			if tab.n != len(want) || tab.n*4 > len(tab.cells)*3 {
				t.Fatalf("step %d: %d in the table of %d cells, want %d", i, tab.n, len(tab.cells), len(want))
			}
		}
		for account, slot := range want {
			if got, ok := tab.get(entries, account); !ok || got != slot {
				t.Fatalf("at the end, get(%d) = %d, %v; want %d", account, got, ok, slot)
			}
		}
		if _, ok := tab.get(entries, 5000*spread); ok {
			t.Fatal("an account never put is found")
		}
	}
}

// TestBlocksRewrittenUnderUpdates updates profiles until the skill block
// and the words' block have each been rewritten (more than half waste)
// and checks that matches and searches agree with an index built once
// from the final profiles, and that the blocks hold nothing more than the
// profiles' skills and words and the waste they count.
func TestBlocksRewrittenUnderUpdates(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	ix := newTestIndex(t)
	final := map[int64]bot.Profile{}
	words := []string{"fintech", "rest", "api", "payments", "ledger", "dashboards"}
	skillRewrites, wordRewrites, lastSkills, lastWords := 0, 0, 0, 0
	for i := range 40_000 {
		p := randomProfile(r, int64(1+r.IntN(200)))
		p.Status = bot.ProfilePublished
		if i%20 == 19 {
			p.Status = bot.ProfilePaused // out of the index
		}
		p.Skills = testSkillPool[:1+i%2*(1+r.IntN(len(testSkillPool)-1))] // one skill, then more
		for range i % 2 * r.IntN(30) {
			p.Bio += words[r.IntN(len(words))] + " "
		}
		ix.Put(p)
		final[p.AccountID] = p
		if len(ix.skillBlock) < lastSkills {
			skillRewrites++
		}
		if len(ix.text.seqs.data) < lastWords {
			wordRewrites++
		}
		lastSkills, lastWords = len(ix.skillBlock), len(ix.text.seqs.data)
	}
	if skillRewrites == 0 || wordRewrites == 0 {
		t.Fatalf("rewritten %d times (skills) and %d times (words): the test did not reach a rewrite", skillRewrites, wordRewrites)
	}
	fresh := newTestIndex(t)
	skills := 0
	for _, p := range final {
		fresh.Put(p)
		if p.Status == bot.ProfilePublished {
			skills += len(fresh.skillSet(p.Skills))
		}
	}
	if len(ix.skillBlock) != skills+ix.skillWaste {
		t.Fatalf("the skill block holds %d IDs: %d skills and %d counted waste", len(ix.skillBlock), skills, ix.skillWaste)
	}
	for i := range 100 {
		j := randomJob(r, int64(i))
		if diff := cmp.Diff(fresh.MatchJob(j, 15), ix.MatchJob(j, 15)); diff != "" {
			t.Fatalf("job %+v: MatchJob differs (-fresh +updated):\n%s", j, diff)
		}
		// One term: its rarity, which stale postings change, weighs
		// every result alike.
		q := SearchQuery{Terms: []string{words[i%len(words)]}, Skills: j.Skills[:1]}
		gs, gt := ix.Search(q, nil, 0, 10)
		ws, wt := fresh.Search(q, nil, 0, 10)
		if diff := cmp.Diff(ws, gs); diff != "" || gt != wt {
			t.Fatalf("search %+v differs (total %d vs %d) (-fresh +updated):\n%s", q, wt, gt, diff)
		}
	}
}
