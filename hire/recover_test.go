package hire_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/hirebot/hirebot/bot"
)

// TestRecoverLogsEachFailureOnce: Recover is where a failed event is
// logged (the adapters only tell the person): an internal error and a
// panic at ERROR, a dependency that cannot be reached at WARN, and a
// person's mistake (EINVALID) not at all.
func TestRecoverLogsEachFailureOnce(t *testing.T) {
	for _, c := range []struct {
		name  string
		h     bot.Handler
		level string // "" for no line
	}{
		{"internal", func(context.Context, bot.Event) ([]bot.Reply, error) {
			return nil, &bot.Error{Code: bot.EINTERNAL, Message: "internal error"}
		}, "level=ERROR"},
		{"panic", func(context.Context, bot.Event) ([]bot.Reply, error) { panic("boom") }, "level=ERROR"},
		{"unavailable", func(context.Context, bot.Event) ([]bot.Reply, error) {
			return nil, &bot.Error{Code: bot.EUNAVAILABLE, Message: "I can't reach my memory right now."}
		}, "level=WARN"},
		{"invalid", func(context.Context, bot.Event) ([]bot.Reply, error) {
			return nil, &bot.Error{Code: bot.EINVALID, Message: "That is not a job number."}
		}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			h := bot.Chain(c.h, bot.Recover(slog.New(slog.NewTextHandler(&buf, nil))))
			if _, err := h(t.Context(), bot.Event{ID: "e1"}); err == nil {
				t.Fatal("the error was lost")
			}
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			switch {
			case c.level == "" && buf.Len() > 0:
				t.Errorf("logged %q, want nothing", buf.String())
			case c.level != "" && (len(lines) != 1 || !strings.Contains(lines[0], c.level)):
				t.Errorf("logged %q, want one %s line", buf.String(), c.level)
			}
		})
	}
}
