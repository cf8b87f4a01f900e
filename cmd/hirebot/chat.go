package main

import (
	"context"
	"io"
	"os"
	"sync"
	"time"

	"github.com/hirebot/hirebot/adapters/console"
	"github.com/hirebot/hirebot/bot"
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
	if e.LogLevel == "" {
		e.LogLevel = "warn" // the terminal is the conversation: only problems go to stderr
	}
	log := newLogger(stderr, e).With("cmd", "chat")
	s, err := openStores(ctx, *sc, log)
	if err != nil {
		return err
	}
	defer s.Close()
	b, h, _, err := newBot(ctx, s, e, log)
	if err != nil {
		return err
	}
	a := console.New(console.Config{In: stdin, Out: stdout, User: *user, Name: *name, Color: isTerminal(stdin) && isTerminal(stdout)}, h, log)
	b.Register(a)
	if isTerminal(stdin) {
		io.WriteString(stdout, "hirebot — say /help to see what I can do, /profile to build your profile, /post to post a job. Ctrl-D quits.\n\n")
	}
	// What arrived for this person while they were away (invites, answers,
	// relayed messages) is shown first.
	if arrived, err := b.Arrived(ctx, bot.Identity{Platform: bot.Console, UserID: *user}, *name); err != nil {
		log.Warn("cannot read what arrived while you were away", "err", err)
	} else if len(arrived) > 0 {
		a.Show(append([]bot.Reply{{Text: "While you were away:"}}, arrived...))
	}
	// Periodic work (delivering what others sent, expiring invites and
	// jobs) runs while the chat is open, as it does under serve, and what
	// other processes change reaches this chat's matches.
	ctx, stop := context.WithCancel(ctx)
	share := followChanges(s, b, log)
	var wg sync.WaitGroup
	wg.Go(func() { _ = bot.NewScheduler(s.Locker, nil, log, b.Tasks()...).Run(ctx, 10*time.Second) })
	wg.Go(func() { share(ctx) })
	err = a.Run(ctx)
	stop()
	wg.Wait()
	return err
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
