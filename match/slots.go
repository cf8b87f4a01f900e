package match

// slotTable finds the slot of an account: an open-addressing hash table
// (linear probing) of slot+1, 0 for an empty cell, that compares the
// account the entry in the slot holds. 4 bytes a cell at most 3/4 full,
// where a map[int64]uint32 took about 24 bytes a profile.
type slotTable struct {
	cells []uint32 // a power of two of them, or none
	n     int      // cells in use
}

// home is the first cell account may be in: Fibonacci hashing, which
// spreads the dense IDs a database hands out.
func (t *slotTable) home(account int64) int {
	return int((uint64(account) * 0x9e3779b97f4a7c15) >> 32 & uint64(len(t.cells)-1))
}

// get returns the slot of account.
func (t *slotTable) get(entries []entry, account int64) (uint32, bool) {
	if len(t.cells) == 0 {
		return 0, false
	}
	mask := len(t.cells) - 1
	for i := t.home(account); ; i = (i + 1) & mask {
		c := t.cells[i]
		if c == 0 {
			return 0, false
		}
		if entries[c-1].account == account {
			return c - 1, true
		}
	}
}

// put adds slot, whose entry holds its account; the account must not be
// in the table.
func (t *slotTable) put(entries []entry, slot uint32) {
	if (t.n+1)*4 > len(t.cells)*3 {
		t.resize(entries, max(16, 2*len(t.cells)))
	}
	t.insert(entries, slot)
	t.n++
}

func (t *slotTable) insert(entries []entry, slot uint32) {
	mask := len(t.cells) - 1
	i := t.home(entries[slot].account)
	for t.cells[i] != 0 {
		i = (i + 1) & mask
	}
	t.cells[i] = slot + 1
}

// reserve makes room for n accounts without growing.
func (t *slotTable) reserve(entries []entry, n int) {
	size := 16
	for size*3 < n*4 {
		size *= 2
	}
	if size > len(t.cells) {
		t.resize(entries, size)
	}
}

func (t *slotTable) resize(entries []entry, size int) {
	old := t.cells
	t.cells = make([]uint32, size)
	for _, c := range old {
		if c != 0 {
			t.insert(entries, c-1)
		}
	}
}

// remove drops account, whose entry must still hold it. The cells after
// it that would no longer be found move back into the gap.
func (t *slotTable) remove(entries []entry, account int64) {
	if len(t.cells) == 0 {
		return
	}
	mask := len(t.cells) - 1
	i := t.home(account)
	for ; ; i = (i + 1) & mask {
		c := t.cells[i]
		if c == 0 {
			return
		}
		if entries[c-1].account == account {
			break
		}
	}
	for j := (i + 1) & mask; t.cells[j] != 0; j = (j + 1) & mask {
		h := t.home(entries[t.cells[j]-1].account)
		// j stays unless the gap at i lies between its home and it.
		if (j-h)&mask >= (j-i)&mask {
			t.cells[i] = t.cells[j]
			i = j
		}
	}
	t.cells[i] = 0
	t.n--
}
