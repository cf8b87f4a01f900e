// Package console is the terminal adapter: one person types lines, the bot
// answers with plain text. Buttons are shown as "[1] Publish  [2] Edit" and
// may be answered by number or by label. It can be scripted: with Color and
// Terminal off it prints no colour or control codes, and end of input ends
// the chat.
//
// What arrives for the person while the chat is open (an invite, a
// relayed message, a reminder, an alert) is printed without a keystroke.
// On an interactive terminal, lines are edited with golang.org/x/term, so
// what is printed while a line is being typed goes above that line, and
// the prompt and the half-typed line are drawn again below it.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/term"

	"github.com/hirebot/hirebot/bot"
)

// MaxLine is the longest line read; the rest of a longer line is dropped.
const MaxLine = 64 << 10

// DefaultSweep is how often an open chat asks what arrived for its person:
// a read on an index, well inside the second a message may take to show.
const DefaultSweep = 500 * time.Millisecond

// Config describes the terminal and who is typing.
type Config struct {
	In   io.Reader
	Out  io.Writer
	User string // the person's ID on the console platform
	Name string
	// Color turns on bold titles and a prompt, for an interactive terminal.
	Color bool
	// Terminal says In and Out are an interactive terminal in raw mode
	// (the caller puts it there and restores it): lines are edited with
	// golang.org/x/term, and Ctrl-D on an empty line or Ctrl-C ends the
	// chat.
	Terminal bool
	// Size reports the terminal's width and height; it is asked before
	// each line is read and each message printed (nil, or a width of 0:
	// 80 columns). Only with Terminal.
	Size func() (width, height int, err error)
	// Arrived returns, and marks delivered, what waits for the person
	// (hire.Bot.Arrived). It is shown when Run starts, under "While you
	// were away:", then asked every Sweep while the chat is open, so what
	// others send shows without a keystroke. Nil shows nothing.
	Arrived func(ctx context.Context, id bot.Identity, name string) ([]bot.Reply, error)
	// Sweep is how often Arrived is asked (DefaultSweep when 0).
	Sweep time.Duration
}

// Adapter runs a chat on a terminal.
type Adapter struct {
	cfg    Config
	handle bot.Handler
	log    *slog.Logger
	term   *term.Terminal // nil unless cfg.Terminal

	mu      sync.Mutex // guards buttons and keeps each print whole
	buttons []bot.Button
}

// New returns a console adapter that hands every line to h.
func New(cfg Config, h bot.Handler, log *slog.Logger) *Adapter {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Sweep <= 0 {
		cfg.Sweep = DefaultSweep
	}
	a := &Adapter{cfg: cfg, handle: h, log: log.With("adapter", bot.Console)}
	if cfg.Terminal {
		a.term = term.NewTerminal(struct {
			io.Reader
			io.Writer
		}{cfg.In, cfg.Out}, prompt(cfg.Color))
	}
	return a
}

// Platform implements bot.Adapter.
func (a *Adapter) Platform() string { return bot.Console }

var (
	_ bot.Holder    = (*Adapter)(nil)
	_ bot.Directory = (*Adapter)(nil)
)

// Lookup implements bot.Directory: on the terminal a person is their user
// ID, so "/invite @ann" invites ann, who reads it when she opens a chat.
func (a *Adapter) Lookup(handle string) (bot.Identity, bool) {
	if handle == "" || len(handle) > 64 || strings.ContainsFunc(handle, unicode.IsSpace) {
		return bot.Identity{}, false
	}
	return bot.Identity{Platform: bot.Console, UserID: handle}, true
}

// HoldsWhileAway implements bot.Holder: the terminal reaches only the
// person at it, so what it refuses for someone else waits for them.
func (a *Adapter) HoldsWhileAway() bool { return true }

// Send implements bot.Adapter: a reply for the person at this terminal is
// printed; the console cannot reach anyone else.
func (a *Adapter) Send(_ context.Context, r bot.Reply) error {
	if r.To.UserID != "" && r.To.UserID != a.cfg.User {
		return &bot.Error{Code: bot.EREFUSED, Message: "That person is not at this terminal."}
	}
	a.show([]bot.Reply{r}, false)
	return nil
}

// Run shows what arrived while the person was away, then reads lines until
// the input ends (returning nil) or ctx is done, showing what arrives
// meanwhile.
func (a *Adapter) Run(ctx context.Context) error {
	ctx, stop := context.WithCancel(ctx)
	var sweeping sync.WaitGroup
	defer sweeping.Wait()
	defer stop()
	if a.cfg.Arrived != nil {
		if err := a.arrived(ctx, true); err != nil {
			a.log.Warn("cannot read what arrived while you were away", "err", err)
		}
		sweeping.Go(func() { a.sweep(ctx) })
	}
	// Lines are read on their own goroutine, so a chat ends when ctx does
	// even while its reader waits for a key; one is read only when asked,
	// after the answer to the last is printed.
	want, got := make(chan struct{}), make(chan typed, 1)
	defer close(want)
	go a.read(want, got)
	for {
		a.prompt()
		want <- struct{}{}
		var in typed
		select {
		case <-ctx.Done():
			return nil
		case in = <-got:
		}
		if errors.Is(in.err, io.EOF) && in.line == "" {
			a.end()
			return nil
		}
		if in.err != nil && !errors.Is(in.err, io.EOF) {
			return fmt.Errorf("console: read: %w", in.err)
		}
		if ctx.Err() != nil {
			return nil
		}
		a.mu.Lock()
		ev := Translate(in.line, a.buttons, a.cfg.User, a.cfg.Name)
		a.mu.Unlock()
		replies, herr := a.handle(ctx, ev)
		if herr != nil {
			a.log.Debug("handler error", "err", herr)
			replies = append(replies, bot.Reply{Text: bot.ErrorMessage(herr)})
		}
		a.show(replies, true)
		if errors.Is(in.err, io.EOF) {
			return nil
		}
	}
}

// typed is one line read, or why none was.
type typed struct {
	line string
	err  error
}

// read reads a line each time one is wanted, until want is closed.
func (a *Adapter) read(want <-chan struct{}, got chan<- typed) {
	next := a.readLine
	if a.term == nil {
		in := bufio.NewReaderSize(a.cfg.In, 4096)
		next = func() (string, error) { return readLine(in) }
	}
	for range want {
		line, err := next()
		got <- typed{line, err}
	}
}

// readLine reads a line from the terminal, which echoes and edits it.
func (a *Adapter) readLine() (string, error) {
	a.resize()
	return a.term.ReadLine()
}

// end leaves the terminal's cursor at the start of a fresh line.
func (a *Adapter) end() {
	if a.term != nil {
		a.mu.Lock()
		io.WriteString(a.cfg.Out, "\r\n")
		a.mu.Unlock()
	}
}

// arrived shows what waits for the person; greet says they just came.
func (a *Adapter) arrived(ctx context.Context, greet bool) error {
	replies, err := a.cfg.Arrived(ctx, bot.Identity{Platform: bot.Console, UserID: a.cfg.User}, a.cfg.Name)
	if err != nil {
		return err
	}
	if greet && len(replies) > 0 {
		replies = append([]bot.Reply{{Text: "While you were away:"}}, replies...)
	}
	// Printed even when ctx has ended: Arrived marked them delivered.
	a.show(replies, greet)
	return nil
}

// sweep asks what arrived every Sweep until ctx ends. A failure is logged
// once, not every Sweep, until a read succeeds again.
func (a *Adapter) sweep(ctx context.Context) {
	t := time.NewTicker(a.cfg.Sweep)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := a.arrived(ctx, false)
		if err != nil && !failing && ctx.Err() == nil {
			a.log.Warn("cannot read what arrived; trying again", "err", err)
		}
		failing = err != nil
	}
}

// readLine reads one line without its newline, keeping at most MaxLine bytes.
func readLine(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		chunk, isPrefix, err := r.ReadLine()
		if b.Len() < MaxLine {
			b.Write(chunk[:min(len(chunk), MaxLine-b.Len())])
		}
		if err != nil || !isPrefix {
			return b.String(), err
		}
	}
}

// Translate turns a typed line into an event. A number or a label of the
// last buttons shown presses that button; "/x args" is a command.
func Translate(line string, buttons []bot.Button, user, name string) bot.Event {
	line = strings.TrimSpace(line)
	ev := bot.Event{
		Kind:    bot.KindMessage,
		From:    bot.Identity{Platform: bot.Console, UserID: user},
		Name:    name,
		Chat:    bot.Recipient{Platform: bot.Console, ChatID: user, UserID: user},
		Private: true,
		Text:    line,
	}
	if n, err := strconv.Atoi(line); err == nil && n >= 1 && n <= len(buttons) {
		ev.Kind, ev.Text = bot.KindButton, buttons[n-1].Value
		return ev
	}
	for _, b := range buttons {
		if strings.EqualFold(line, b.Label) {
			ev.Kind, ev.Text = bot.KindButton, b.Value
			return ev
		}
	}
	if strings.HasPrefix(line, "/") {
		ev.Kind = bot.KindCommand
		ev.Command, ev.Text = bot.SplitCommand(line)
	}
	return ev
}

// prompt is shown before a line is read.
func prompt(color bool) string {
	if color {
		return "\033[1m>\033[0m "
	}
	return "> "
}

// prompt prints the prompt on a coloured line-by-line chat; a terminal
// draws its own.
func (a *Adapter) prompt() {
	if a.cfg.Color && a.term == nil {
		a.mu.Lock()
		fmt.Fprint(a.cfg.Out, prompt(true))
		a.mu.Unlock()
	}
}

// show prints replies. The replies of a turn (the answer to a line typed,
// or what arrived while the person was away) number their buttons from 1,
// and those are what a number typed next presses. What arrives between
// turns numbers its buttons after those already shown, so a number typed
// for those still presses what it said.
func (a *Adapter) show(replies []bot.Reply, turn bool) {
	if len(replies) == 0 {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	var shown []bot.Button
	if !turn {
		shown = slices.Clone(a.buttons)
	}
	var b strings.Builder
	for _, r := range replies {
		b.WriteString(Render(r, a.cfg.Color, len(shown)))
		shown = append(shown, r.Buttons...)
	}
	a.buttons = shown
	if a.term == nil {
		io.WriteString(a.cfg.Out, b.String())
		return
	}
	// The terminal prints it above the line being typed and draws the
	// prompt and that line again below.
	a.resize()
	a.term.Write([]byte(b.String()))
}

// resize tells the terminal its width, so it redraws a long line right.
func (a *Adapter) resize() {
	if a.cfg.Size == nil {
		return
	}
	// A terminal that does not know its size (a bare pseudo-terminal)
	// says 0: keep the 80 columns assumed then.
	if w, h, err := a.cfg.Size(); err == nil && w > 0 {
		a.term.SetSize(w, h)
	}
}

// Render writes one reply as terminal text. Buttons are numbered from
// first+1, so the buttons of several replies in one turn get distinct
// numbers.
func Render(r bot.Reply, color bool, first int) string {
	bold := func(s string) string {
		if color {
			return "\033[1m" + s + "\033[0m"
		}
		return s
	}
	var b strings.Builder
	if r.Text != "" {
		b.WriteString(r.Text + "\n")
	}
	for _, c := range r.Cards {
		if c.Title != "" {
			b.WriteString(bold("── "+c.Title+" ──") + "\n")
		}
		for _, f := range c.Fields {
			fmt.Fprintf(&b, "  %s: %s\n", f.Label, f.Value)
		}
	}
	if r.Form != nil { // the console has no forms; the bot sends none here
		b.WriteString(r.Form.Title + "\n")
		for _, f := range r.Form.Fields {
			fmt.Fprintf(&b, "  %s: %s\n", f.Label, r.Form.Errors[f.ID])
		}
	}
	if len(r.Buttons) > 0 {
		parts := make([]string, len(r.Buttons))
		for i, btn := range r.Buttons {
			parts[i] = fmt.Sprintf("[%d] %s", first+i+1, btn.Label)
		}
		b.WriteString(bold(strings.Join(parts, "  ")) + "\n")
	}
	b.WriteString("\n")
	return b.String()
}
