package sqldb

import (
	"testing"
	"time"
)

// TestFollowerGaps: a number missing below delivered ones holds the
// follower back until it has waited gapWait, then is given up.
func TestFollowerGaps(t *testing.T) {
	f := &follower{done: 1, seen: map[int64]bool{2: true, 4: true, 5: true}}
	f.advance()
	if f.done != 2 || !f.seen[4] || f.gapSince.IsZero() {
		t.Fatalf("after 2, 4, 5: done %d, seen %v, gap since %v; want done 2 waiting for 3", f.done, f.seen, f.gapSince)
	}
	f.advance()
	if f.done != 2 {
		t.Fatalf("a fresh gap was given up: done %d", f.done)
	}
	f.seen[3] = true // the late commit arrives
	f.advance()
	if f.done != 5 || len(f.seen) != 0 || !f.gapSince.IsZero() {
		t.Fatalf("after 3 came: done %d, seen %v, gap since %v; want done 5 and no gap", f.done, f.seen, f.gapSince)
	}
	f.seen[8] = true
	f.advance()
	f.gapSince = time.Now().Add(-gapWait - time.Second) // the gap has waited long enough
	f.advance()
	if f.done != 8 || len(f.seen) != 0 {
		t.Fatalf("after an old gap: done %d, seen %v; want done 8", f.done, f.seen)
	}
}
