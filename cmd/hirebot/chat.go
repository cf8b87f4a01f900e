package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/hirebot/hirebot/adapters/console"
	"github.com/hirebot/hirebot/hire"
	"golang.org/x/term"
)

func runChat(ctx context.Context, args []string, e env, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("chat", stderr)
	sc := storeFlags(fs, e)
	user := fs.String("user", osUser(), "who is talking: your user ID on the console")
	name := fs.String("name", "", "your display name (default: the user ID)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *name == "" {
		*name = *user
	}
	if e.LogLevel == "" {
		e.LogLevel = "warn" // the terminal is the conversation: only problems go to stderr
	}
	inFd, inTerm := terminal(stdin)
	outFd, outTerm := terminal(stdout)
	interactive := inTerm && outTerm
	if interactive {
		stderr = crlfWriter{stderr} // a raw terminal moves down a line without going back to its start
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
	// What arrives for this person (invites, answers, relayed messages,
	// reminders, alerts) is shown when the chat opens and, while it stays
	// open, within console.DefaultSweep: the adapter asks b.Arrived,
	// which reads this person's outbox rows on an index and claims only
	// when something waits.
	cfg := console.Config{In: stdin, Out: stdout, User: *user, Name: *name, Arrived: b.Arrived}
	if inTerm {
		io.WriteString(stdout, "hirebot — say /help to see what I can do, /profile to build your profile, /post to post a job. Ctrl-D or Ctrl-C quits.\n\n")
	}
	if interactive {
		old, err := term.MakeRaw(inFd)
		if err != nil {
			return fmt.Errorf("chat: cannot take the terminal's keys: %w", err)
		}
		defer term.Restore(inFd, old)
		cfg.Color, cfg.Terminal = true, true
		cfg.Size = func() (int, int, error) { return term.GetSize(outFd) }
	}
	a := console.New(cfg, h, log)
	b.Register(a)
	// Periodic work (delivering what others sent, expiring invites and
	// jobs) runs while the chat is open, as it does under serve, and what
	// other processes change reaches this chat's matches. The chat ends
	// when one of them fails; they stop after the chat, before the stores
	// close.
	chat, endChat := context.WithCancel(ctx)
	defer endChat()
	failed := newFirstError(log)
	core := newStage(ctx, func(err error) {
		failed.fail(err)
		endChat()
	})
	core.Go("change feed", b.ShareChanges(s.Changes, replicaName()))
	core.Go("delivery", b.RunDelivery)
	core.Go("scheduler", func(ctx context.Context) error {
		return hire.NewScheduler(s.Locker, nil, log, b.Tasks()...).Run(ctx, 10*time.Second)
	})
	err = a.Run(chat)
	<-core.stop()
	return errors.Join(err, failed.err)
}

// terminal returns v's file descriptor and whether it is an interactive
// terminal, so a piped chat prints no colour or prompts.
func terminal(v any) (int, bool) {
	f, ok := v.(*os.File)
	if !ok {
		return 0, false
	}
	fd := int(f.Fd())
	return fd, term.IsTerminal(fd)
}

// crlfWriter ends each line with "\r\n", as a terminal in raw mode needs.
type crlfWriter struct{ w io.Writer }

func (c crlfWriter) Write(p []byte) (int, error) {
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
