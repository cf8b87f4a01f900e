package bot

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"
)

// SessionKey is the session store key of an account's dialog.
func SessionKey(accountID int64) string { return fmt.Sprintf("acct:%d", accountID) }

// Recover turns a panic in a handler into an internal error, logged with
// its stack, so one bad event never takes the process down.
func Recover(log *slog.Logger) Middleware {
	return func(next Handler) Handler {
		return func(ctx context.Context, ev Event) (replies []Reply, err error) {
			defer func() {
				if p := recover(); p != nil {
					log.Error("handler panic", "event", ev.ID, "panic", p, "stack", string(debug.Stack()))
					replies, err = nil, &Error{Code: EINTERNAL, Message: "internal error", Err: fmt.Errorf("panic: %v", p)}
				}
			}()
			replies, err = next(ctx, ev)
			switch ErrorCode(err) {
			case EINTERNAL:
				log.Error("handler failed", "event", ev.ID, "platform", ev.From.Platform, "err", err)
			case EUNAVAILABLE:
				log.Warn("handler could not reach what it needs", "event", ev.ID, "platform", ev.From.Platform, "err", err)
			}
			return replies, err
		}
	}
}

// SplitCommand splits "/search go rate<60" into "search" and "go rate<60".
// A Telegram-style "@botname" suffix on the command is dropped.
func SplitCommand(line string) (name, args string) {
	line = strings.TrimPrefix(strings.TrimSpace(line), "/")
	name, args, _ = strings.Cut(line, " ")
	name, _, _ = strings.Cut(name, "@")
	return strings.ToLower(name), strings.TrimSpace(args)
}
