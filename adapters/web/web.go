// Package web is hirebot in a browser: a full-page chat at /chat, a
// one-tag widget (/widget.js) that opens the same chat in a bubble on any
// allowed site, and a WebSocket between the page and hirebot. Like the
// other adapters it only translates: a frame from the page becomes one
// bot.Event, and each bot.Reply is rendered as HTML (text, cards, buttons,
// forms) and sent back.
//
// A visitor is an anonymous identity in a signed cookie (identity.go);
// /link joins it to the person's account elsewhere. Messages for a visitor
// who has the page open arrive at once; the others are held by the outbox
// and shown when they come back.
package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/hirebot/hirebot/bot"
)

// Defaults of Config.
var (
	// DefaultPerVisitor lets one visitor send a message a second, twenty
	// in a burst (pressing through a dialog's buttons is quick).
	DefaultPerVisitor = bot.Limit{Rate: 1, Burst: 20}
	// DefaultPerIP is shared by every visitor behind one address (an
	// office, a phone network), so it is looser.
	DefaultPerIP = bot.Limit{Rate: 5, Burst: 40}
)

const (
	// DefaultMaxFrame is the largest frame handled, in bytes; a larger
	// one gets an error frame. Frames over four times this close the
	// connection.
	DefaultMaxFrame = 16 << 10
	defaultSweep    = 5 * time.Second
	handleTimeout   = 30 * time.Second
	writeTimeout    = 10 * time.Second
)

// Config configures the web chat.
type Config struct {
	// Secret signs visitor cookies; at least MinSecret bytes. Changing it
	// makes every visitor a new one.
	Secret []byte
	// Origins are the sites allowed to embed the widget and open its
	// WebSocket, as origins ("https://jobs.example.com"); a host may start
	// with "*." for its subdomains. The chat's own origin is always
	// allowed.
	Origins []string
	// Arrived returns, and marks delivered, what is waiting for a visitor
	// (hire.Bot.Arrived): it is shown when the page connects, and checked
	// every Sweep while it stays open (so what another replica held
	// arrives too). Nil shows nothing.
	Arrived func(ctx context.Context, id bot.Identity, name string) ([]bot.Reply, error)
	// Limiter counts frames against PerVisitor and PerIP; nil means no
	// rate limit.
	Limiter           bot.Limiter
	PerVisitor, PerIP bot.Limit
	MaxFrame          int
	Sweep             time.Duration
}

// Adapter is the web chat. It implements bot.Adapter and bot.Holder.
type Adapter struct {
	cfg     Config
	sign    signer
	handle  bot.Handler
	log     *slog.Logger
	render  renderer
	origins []string // coder/websocket origin patterns

	mu    sync.Mutex
	conns map[string]map[*conn]bool // by visitorKey
	// open counts the pages' handlers, which Run waits for; stopping is
	// set when Run stops, and a page that opens after it is turned away.
	open     sync.WaitGroup
	stopping bool
}

var (
	_ bot.Adapter = (*Adapter)(nil)
	_ bot.Holder  = (*Adapter)(nil)
)

// New returns the web chat adapter, which hands every frame to h.
func New(cfg Config, h bot.Handler, log *slog.Logger) (*Adapter, error) {
	if len(cfg.Secret) < MinSecret {
		return nil, bot.Errorf(bot.EINVALID, "web: the cookie secret must be at least %d bytes", MinSecret)
	}
	if h == nil {
		return nil, bot.Errorf(bot.EINVALID, "web: no handler")
	}
	var patterns []string
	for _, o := range cfg.Origins {
		p, err := originPattern(o)
		if err != nil {
			return nil, err
		}
		patterns = append(patterns, p)
	}
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	cfg.PerVisitor = cmp.Or(cfg.PerVisitor, DefaultPerVisitor)
	cfg.PerIP = cmp.Or(cfg.PerIP, DefaultPerIP)
	cfg.MaxFrame = cmp.Or(cfg.MaxFrame, DefaultMaxFrame)
	cfg.Sweep = cmp.Or(cfg.Sweep, defaultSweep)
	return &Adapter{
		cfg: cfg, sign: signer{key: cfg.Secret}, handle: h, log: log.With("adapter", bot.Web),
		origins: patterns, conns: map[string]map[*conn]bool{},
	}, nil
}

// originPattern checks an allowed origin and returns it as a pattern for
// the WebSocket's Origin check ("https://jobs.example.com").
func originPattern(o string) (string, error) {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil || u.Fragment != "" {
		return "", bot.Errorf(bot.EINVALID, "web: %q is not an origin like https://jobs.example.com", o)
	}
	return u.Scheme + "://" + strings.ToLower(u.Host), nil
}

// Platform implements bot.Adapter.
func (a *Adapter) Platform() string { return bot.Web }

// HoldsWhileAway implements bot.Holder: a visitor is reached only while
// the page is open.
func (a *Adapter) HoldsWhileAway() bool { return true }

// visitorKey is the key of a visitor's open pages.
func visitorKey(workspace, userID string) string { return workspace + "\x00" + userID }

// Send implements bot.Adapter: the reply is shown on every page the
// visitor has open here. EREFUSED when they have none (the outbox then
// holds it until they come back).
func (a *Adapter) Send(ctx context.Context, r bot.Reply) error {
	key := visitorKey(r.To.Workspace, cmp.Or(r.To.UserID, r.To.ChatID))
	a.mu.Lock()
	var open []*conn
	for c := range a.conns[key] {
		open = append(open, c)
	}
	a.mu.Unlock()
	if len(open) == 0 {
		return &bot.Error{Code: bot.EREFUSED, Message: "That person does not have the web chat open."}
	}
	html, err := a.render.Render(r)
	if err != nil {
		return fmt.Errorf("web: render: %w", err)
	}
	var errs []error
	for _, c := range open {
		if err := c.write(ctx, outFrame{Type: "reply", HTML: html}); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == len(open) {
		return bot.Unavailable(errors.Join(errs...))
	}
	return nil
}

// Run checks every Sweep, until ctx ends, for what is waiting for the
// visitors with a page open here, and shows it. When ctx ends it closes
// every page's connection as "going away", so the pages reconnect (to
// another replica, or to this one after its restart), turns away the
// pages that open after, and returns once each page's turn in hand is
// done (it runs under the request's context: bot.Outlive's drain ends
// it). Run once.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.closeAll()
	if a.cfg.Arrived == nil {
		<-ctx.Done()
		return nil
	}
	t := time.NewTicker(a.cfg.Sweep)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		a.mu.Lock()
		var open []*conn
		for _, cs := range a.conns {
			for c := range cs {
				open = append(open, c) // one per visitor is enough
				break
			}
		}
		a.mu.Unlock()
		for _, c := range open {
			a.showArrived(ctx, c, false)
		}
	}
}

// showArrived shows what waits for c's visitor on all of their pages.
func (a *Adapter) showArrived(ctx context.Context, c *conn, greet bool) {
	if a.cfg.Arrived == nil {
		return
	}
	replies, err := a.cfg.Arrived(ctx, c.who.identity(), c.who.Name)
	if err != nil {
		a.log.Warn("cannot read what arrived", "err", err)
		return
	}
	if len(replies) == 0 {
		return
	}
	if greet {
		replies = append([]bot.Reply{{Text: "While you were away:"}}, replies...)
	}
	for _, r := range replies {
		r.To = bot.Recipient{Platform: bot.Web, Workspace: c.who.Workspace, UserID: c.who.UserID}
		if err := a.Send(ctx, r); err != nil {
			a.log.Warn("cannot show what arrived", "err", err)
		}
	}
}

// closeAll closes every page's connection as "going away" and waits for
// the closing handshakes (each bounded by the websocket library), so the
// pages hear why before the process stops, and then for the pages'
// handlers, so no turn runs after Run.
func (a *Adapter) closeAll() {
	a.mu.Lock()
	a.stopping = true
	var open []*conn
	for _, cs := range a.conns {
		for c := range cs {
			open = append(open, c)
		}
	}
	a.mu.Unlock() // the pages' handlers remove themselves as they close
	var wg sync.WaitGroup
	for _, c := range open {
		wg.Go(func() { c.ws.Close(websocket.StatusGoingAway, "hirebot is restarting") })
	}
	wg.Wait()
	a.open.Wait()
}

// add registers c's page, or reports false when Run is stopping.
func (a *Adapter) add(c *conn) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.stopping {
		return false
	}
	k := visitorKey(c.who.Workspace, c.who.UserID)
	if a.conns[k] == nil {
		a.conns[k] = map[*conn]bool{}
	}
	a.conns[k][c] = true
	a.open.Add(1)
	return true
}

// remove forgets c's page once its handler is done.
func (a *Adapter) remove(c *conn) {
	a.mu.Lock()
	defer a.mu.Unlock()
	k := visitorKey(c.who.Workspace, c.who.UserID)
	delete(a.conns[k], c)
	if len(a.conns[k]) == 0 {
		delete(a.conns, k)
	}
	a.open.Done()
}

// conn is one open page.
type conn struct {
	ws  *websocket.Conn
	who visitorRef
	ip  string
}

func (c *conn) write(ctx context.Context, f outFrame) error {
	ctx, cancel := context.WithTimeout(ctx, writeTimeout)
	defer cancel()
	return writeJSON(ctx, c.ws, f)
}
