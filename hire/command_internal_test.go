package hire

import (
	"testing"

	"github.com/hirebot/hirebot/bot"
)

// TestEveryCommandRuns: the table the domain holds is the one the router
// runs; a Command.Run of another type would fail only when typed.
func TestEveryCommandRuns(t *testing.T) {
	cmds := bot.Commands()
	if len(cmds) == 0 {
		t.Fatal("the command table is empty")
	}
	for _, c := range cmds {
		if _, ok := c.Run.(handler); !ok {
			t.Errorf("/%s: Run is a %T, not a handler", c.Name, c.Run)
		}
	}
}
