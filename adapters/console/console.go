// Package console is the terminal adapter: one person types lines, the bot
// answers with plain text. Buttons are shown as "[1] Publish  [2] Edit" and
// may be answered by number or by label. It can be scripted: with Color off
// it prints no colour or control codes, and end of input ends the chat.
package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"

	"github.com/hirebot/hirebot/bot"
)

// MaxLine is the longest line read; the rest of a longer line is dropped.
const MaxLine = 64 << 10

// Config describes the terminal and who is typing.
type Config struct {
	In   io.Reader
	Out  io.Writer
	User string // the person's ID on the console platform
	Name string
	// Color turns on bold titles and a prompt, for an interactive terminal.
	Color bool
}

// Adapter runs a chat on a terminal.
type Adapter struct {
	cfg     Config
	handle  bot.Handler
	log     *slog.Logger
	mu      sync.Mutex // guards out and buttons
	buttons []bot.Button
}

// New returns a console adapter that hands every line to h.
func New(cfg Config, h bot.Handler, log *slog.Logger) *Adapter {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Adapter{cfg: cfg, handle: h, log: log.With("adapter", bot.Console)}
}

// Platform implements bot.Adapter.
func (a *Adapter) Platform() string { return bot.Console }

// Send implements bot.Adapter: a reply for the person at this terminal is
// printed; the console cannot reach anyone else.
func (a *Adapter) Send(_ context.Context, r bot.Reply) error {
	if r.To.UserID != "" && r.To.UserID != a.cfg.User {
		return &bot.Error{Code: bot.EREFUSED, Message: "That person is not at this terminal."}
	}
	a.render([]bot.Reply{r})
	return nil
}

// Run reads lines until the input ends (returning nil) or ctx is done.
func (a *Adapter) Run(ctx context.Context) error {
	in := bufio.NewReaderSize(a.cfg.In, 4096)
	for {
		a.prompt()
		line, err := readLine(in)
		if errors.Is(err, io.EOF) && line == "" {
			return nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("console: read: %w", err)
		}
		if ctx.Err() != nil {
			return nil
		}
		a.mu.Lock()
		ev := Translate(line, a.buttons, a.cfg.User, a.cfg.Name)
		a.mu.Unlock()
		replies, herr := a.handle(ctx, ev)
		if herr != nil {
			a.log.Debug("handler error", "err", herr)
			replies = append(replies, bot.Reply{Text: bot.ErrorMessage(herr)})
		}
		a.render(replies)
		if errors.Is(err, io.EOF) {
			return nil
		}
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

func (a *Adapter) prompt() {
	if a.cfg.Color {
		a.mu.Lock()
		fmt.Fprint(a.cfg.Out, "\033[1m>\033[0m ")
		a.mu.Unlock()
	}
}

// Show prints replies as one turn, so their buttons get distinct numbers
// and can be pressed next (what arrived while the person was away).
func (a *Adapter) Show(replies []bot.Reply) { a.render(replies) }

func (a *Adapter) render(replies []bot.Reply) {
	a.mu.Lock()
	defer a.mu.Unlock()
	var shown []bot.Button
	for _, r := range replies {
		fmt.Fprint(a.cfg.Out, Render(r, a.cfg.Color, len(shown)))
		shown = append(shown, r.Buttons...)
	}
	if len(replies) > 0 {
		a.buttons = shown
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
