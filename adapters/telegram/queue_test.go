package telegram

import (
	"fmt"
	"sync"
	"testing"
)

func TestDispatcherKeepsOrderPerChat(t *testing.T) {
	var d dispatcher
	var mu sync.Mutex
	got := map[string][]int{}
	for i := range 200 {
		key := fmt.Sprint(i % 4)
		d.push(key, func() {
			mu.Lock()
			got[key] = append(got[key], i)
			mu.Unlock()
		})
	}
	d.wait()
	for key, seq := range got {
		if len(seq) != 50 {
			t.Errorf("chat %s ran %d jobs, want 50", key, len(seq))
		}
		for j := 1; j < len(seq); j++ {
			if seq[j] < seq[j-1] {
				t.Fatalf("chat %s out of order: %v", key, seq)
			}
		}
	}
}
