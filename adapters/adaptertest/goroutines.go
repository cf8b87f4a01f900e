package adaptertest

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"
)

// pooled marks the goroutines that stay by design after a component
// stopped: net/http's kept-alive client connections and the server side
// of the fakes' connections. They hold no work of the component.
var pooled = []string{"net/http.(*persistConn).", "net/http.(*conn).serve"}

// Goroutines records the goroutines running now and returns a check to
// call once a component's Run has returned: it fails the test if a
// goroutine started since is still running, other than pooled
// connections. Goroutines that are on their way out (a socket's reader
// after its close) get a moment to end; the wait is a guard, not a figure.
func Goroutines(t testing.TB) (check func()) {
	t.Helper()
	before := goroutines()
	return func() {
		t.Helper()
		var left []string
		for guard := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			left = left[:0]
			for id, stack := range goroutines() {
				if _, old := before[id]; !old && !isPooled(stack) {
					left = append(left, stack)
				}
			}
			if len(left) == 0 || time.Now().After(guard) {
				break
			}
		}
		for _, stack := range left {
			t.Errorf("a goroutine outlived Run:\n%s", stack)
		}
	}
}

func isPooled(stack string) bool {
	for _, p := range pooled {
		if strings.Contains(stack, p) {
			return true
		}
	}
	return false
}

// goroutines returns the stack of every goroutine but the caller's, by
// its header line ("goroutine 7 [select]:" gives "goroutine 7").
func goroutines() map[string]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := map[string]string{}
	for i, g := range bytes.Split(buf, []byte("\n\n")) {
		if i == 0 {
			continue // this goroutine
		}
		s := string(g)
		head, _, _ := strings.Cut(s, " [")
		out[head] = s
	}
	return out
}
