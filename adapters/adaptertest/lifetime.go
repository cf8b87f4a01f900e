package adaptertest

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
)

// pooled marks the goroutines that stay by design after a component
// stopped: net/http's kept-alive client connections and the server side
// of the fakes' connections. They hold no work of the component.
var pooled = []string{"net/http.(*persistConn).", "net/http.(*conn).serve"}

// passing marks goroutines that end by themselves right after the call
// that started them returned: database/sql's and the SQLite driver's
// watchers of a finished call's context, and a context.AfterFunc's call.
var passing = []string{"database/sql.(*DB).", "modernc.org/sqlite.interruptOnDone", "context.(*afterFuncCtx)"}

// Goroutines records the goroutines running now and returns a check to
// call once a component's Run has returned: it fails the test if a
// goroutine started since is still running, other than pooled
// connections. Goroutines that are on their way out (a socket's reader
// after its close) get a moment to end; the wait is a guard, not a figure.
func Goroutines(t testing.TB) (check func()) {
	t.Helper()
	_, before := goroutines()
	return func() {
		t.Helper()
		var left []string
		for guard := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
			if left = startedSince(before, pooled); len(left) == 0 || time.Now().After(guard) {
				break
			}
		}
		for _, stack := range left {
			t.Errorf("a goroutine outlived Run:\n%s", stack)
		}
	}
}

// GoroutinesNow is Goroutines without the moment: the check fails at once
// on any goroutine started since and still running, other than pooled
// connections and the passing ones. It is for a function that must have
// waited for everything it started before it returned (serve: the stores
// close after it).
func GoroutinesNow(t testing.TB) (check func()) {
	t.Helper()
	_, before := goroutines()
	return func() {
		t.Helper()
		for _, stack := range startedSince(before, append(pooled, passing...)) {
			t.Errorf("a goroutine was still running when it returned:\n%s", stack)
		}
	}
}

// startedSince returns the stacks of the goroutines running now, but the
// caller's, that were not in before and match none of ignore.
func startedSince(before map[string]string, ignore []string) []string {
	var left []string
	self, now := goroutines()
	for id, stack := range now {
		if _, old := before[id]; !old && id != self && !matches(stack, ignore) {
			left = append(left, stack)
		}
	}
	return left
}

func matches(stack string, patterns []string) bool {
	for _, p := range patterns {
		if strings.Contains(stack, p) {
			return true
		}
	}
	return false
}

// goroutines returns the stack of every goroutine by its header line
// ("goroutine 7 [select]:" gives "goroutine 7"), and the caller's.
func goroutines() (self string, all map[string]string) {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	all = map[string]string{}
	for i, g := range bytes.Split(buf, []byte("\n\n")) {
		s := string(g)
		head, _, _ := strings.Cut(s, " [")
		if i == 0 { // runtime.Stack puts the caller first
			self = head
		}
		all[head] = s
	}
	return self, all
}

// Holder is a bot that keeps every event in hand until the test lets it
// go, so that a test can stop an adapter's Run with work in flight.
type Holder struct {
	working chan string
	release chan struct{}
}

// NewHolder returns a Holder that can hold up to n events at once.
func NewHolder(n int) *Holder {
	return &Holder{working: make(chan string, n), release: make(chan struct{})}
}

// Handle takes the event in (bot.Accept: the platform may be
// acknowledged), holds it until Stop lets it go, and answers
// "answered <event ID>".
func (h *Holder) Handle(ctx context.Context, ev bot.Event) ([]bot.Reply, error) {
	bot.Accept(ctx)
	h.working <- ev.ID
	<-h.release
	return []bot.Reply{{Text: "answered " + ev.ID}}, nil
}

// Stop waits until n events are in hand, ends Run's context (cancel),
// checks that Run has not returned with them, lets them go and waits for
// Run's result on returned, which must be nil.
func (h *Holder) Stop(t testing.TB, n int, cancel context.CancelFunc, returned <-chan error) {
	t.Helper()
	for range n {
		select {
		case <-h.working:
		case <-time.After(20 * time.Second): // a hang guard
			t.Fatalf("the bot did not get %d events", n)
		}
	}
	cancel()
	select {
	case err := <-returned:
		t.Fatalf("Run returned (%v) with %d events in hand", err, n)
	default:
	}
	close(h.release)
	select {
	case err := <-returned:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(20 * time.Second): // a hang guard
		t.Fatal("Run did not return after its context ended")
	}
}
