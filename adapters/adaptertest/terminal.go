package adaptertest

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/hirebot/hirebot/adapters/console"
	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
)

// terminal is a person at the real console adapter, registered with the
// core beside the adapter under test: the other platform of a
// cross-platform case.
type terminal struct {
	in  bytes.Buffer // lines not yet typed; the console reads it to its end
	out *syncBuffer
	a   *console.Adapter
}

func newTerminal(t *testing.T, b *hire.Bot, h bot.Handler, user string) *terminal {
	t.Helper()
	c := &terminal{out: &syncBuffer{}}
	c.a = console.New(console.Config{In: &c.in, Out: c.out, User: user, Name: user}, h, nil)
	b.Register(c.a)
	return c
}

// say types lines at the terminal and returns what it printed since the
// last say or said. The console reads until its input ends, so when Run
// returns every line has been answered.
func (c *terminal) say(t *testing.T, lines ...string) string {
	t.Helper()
	for _, l := range lines {
		c.in.WriteString(l + "\n")
	}
	if err := c.a.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return c.said()
}

// said returns what the terminal printed since the last say or said.
func (c *terminal) said() string { return c.out.take() }

// syncBuffer is the terminal's screen: the console prints its own answers
// and, from another platform's turn, what is sent to the person there.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) take() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.buf.String()
	s.buf.Reset()
	return out
}

func mustPrint(t *testing.T, screen string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(screen, w) {
			t.Errorf("the terminal did not print %q; it printed:\n%s", w, screen)
		}
	}
}
