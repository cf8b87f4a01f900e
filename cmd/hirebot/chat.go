package main

import (
	"context"
	"io"
	"os"

	"github.com/hirebot/hirebot/adapters/console"
)

func runChat(ctx context.Context, args []string, e env, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("chat", stderr)
	sc := storeFlags(fs, e)
	user := fs.String("user", osUser(), "who is talking: your user ID on the console")
	name := fs.String("name", "", "your display name (default: the user ID)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *name == "" {
		*name = *user
	}
	level := e.LogLevel
	if level == "" {
		level = "warn" // the terminal is the conversation: only problems go to stderr
	}
	log := newLogger(stderr, level).With("cmd", "chat")
	s, err := openStores(ctx, *sc, log)
	if err != nil {
		return err
	}
	defer s.Close()
	b, h, err := newBot(ctx, s, log)
	if err != nil {
		return err
	}
	a := console.New(console.Config{In: stdin, Out: stdout, User: *user, Name: *name, Color: isTerminal(stdin) && isTerminal(stdout)}, h, log)
	b.Register(a)
	if isTerminal(stdin) {
		io.WriteString(stdout, "hirebot — say /help to see what I can do, /profile to build your profile, /post to post a job. Ctrl-D quits.\n\n")
	}
	return a.Run(ctx)
}

// isTerminal reports whether v is a character device (an interactive
// terminal), so a piped chat prints no colour or prompts.
func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
