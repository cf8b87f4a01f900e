package web

import (
	"context"
	"embed"
	"encoding/json"
	"errors"
	"html/template"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/hirebot/hirebot/bot"
)

// Paths served by Routes.
const (
	ChatPath   = "/chat"
	SocketPath = "/chat/ws"
	WidgetPath = "/widget.js"
)

//go:embed static
var static embed.FS

var pageTemplate = template.Must(template.ParseFS(static, "static/chat.html"))

// welcome opens every chat: what the visitor can do, as buttons.
var welcome = bot.Reply{
	Text: "Hi! I'm hirebot. I help freelancers get found and employers hire for small jobs. What would you like to do?",
	Buttons: []bot.Button{
		{Label: "Build my profile", Value: "/profile", Style: "primary"},
		{Label: "Post a job", Value: "/post"},
		{Label: "Browse jobs", Value: "/jobs"},
		{Label: "Help", Value: "/help"},
	},
}

// Routes mounts the chat page, its assets, the widget script and the
// WebSocket on mux.
func (a *Adapter) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+ChatPath, a.page)
	mux.HandleFunc("GET "+SocketPath, a.socket)
	mux.HandleFunc("GET "+WidgetPath, a.asset("widget.js", "text/javascript; charset=utf-8"))
	mux.HandleFunc("GET /chat/chat.js", a.asset("chat.js", "text/javascript; charset=utf-8"))
	mux.HandleFunc("GET /chat/chat.css", a.asset("chat.css", "text/css; charset=utf-8"))
}

// headers are set on every response: a Content-Security-Policy without
// inline script, framing only by the allowed sites.
func (a *Adapter) headers(w http.ResponseWriter) {
	ancestors := append([]string{"'self'"}, a.origins...)
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "+
		"form-action 'none'; base-uri 'none'; frame-ancestors "+strings.Join(ancestors, " "))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}

func (a *Adapter) asset(name, contentType string) http.HandlerFunc {
	body, err := static.ReadFile("static/" + name)
	if err != nil {
		panic("web: missing embedded asset " + name) // a build mistake, caught by every test
	}
	return func(w http.ResponseWriter, r *http.Request) {
		a.headers(w)
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "public, max-age=300")
		if name == "widget.js" {
			// The widget is loaded by other sites' pages.
			w.Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
		}
		http.ServeContent(w, r, name, time.Time{}, strings.NewReader(string(body)))
	}
}

// where sets the headers of a chat response and reads the workspace and
// persona of the request (?workspace=&as=); it answers 400 when they are
// not valid.
func (a *Adapter) where(w http.ResponseWriter, r *http.Request) (workspace, persona string, ok bool) {
	a.headers(w)
	q := r.URL.Query()
	workspace, persona = q.Get("workspace"), q.Get("as")
	if (workspace != "" && !workspacePattern.MatchString(workspace)) || (persona != "" && !personaPattern.MatchString(persona)) {
		http.Error(w, "workspace is 1-64 letters, digits, . _ or -; as is 1-16 lowercase letters or digits", http.StatusBadRequest)
		return "", "", false
	}
	return workspace, persona, true
}

// page serves the chat, and gives a new visitor their cookie.
func (a *Adapter) page(w http.ResponseWriter, r *http.Request) {
	workspace, persona, ok := a.where(w, r)
	if !ok {
		return
	}
	visitor := a.sign.fromRequest(r)
	if visitor == "" {
		visitor = newVisitor()
	}
	http.SetCookie(w, a.sign.cookie(r, visitor)) // renewed on every visit
	hello, err := a.render.Render(welcome)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	err = pageTemplate.Execute(w, struct {
		Workspace, Persona string
		Embed              bool
		Welcome            template.HTML
	}{workspace, persona, r.URL.Query().Get("embed") == "1", template.HTML(hello)}) // rendered by html/template
	if err != nil {
		a.log.Warn("cannot write the chat page", "err", err)
	}
}

// socket upgrades to a WebSocket for a visitor with a cookie, from the
// chat's own origin or an allowed one, and runs the conversation.
func (a *Adapter) socket(w http.ResponseWriter, r *http.Request) {
	workspace, persona, ok := a.where(w, r)
	if !ok {
		return
	}
	visitor := a.sign.fromRequest(r)
	if visitor == "" {
		http.Error(w, "open "+ChatPath+" first: no valid visitor cookie", http.StatusUnauthorized)
		return
	}
	ip := clientIP(r)
	if !a.allow(r.Context(), "web:ip:"+ip, a.cfg.PerIP) {
		http.Error(w, "too many requests", http.StatusTooManyRequests)
		return
	}
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: a.origins})
	if err != nil {
		a.log.Info("websocket refused", "origin", r.Header.Get("Origin"), "err", err)
		return // Accept has answered
	}
	ws.SetReadLimit(int64(4 * a.cfg.MaxFrame))
	who := visitorRef{Workspace: workspace, UserID: visitor, Name: "Web visitor"}
	if persona != "" {
		who.UserID, who.Name = visitor+"-"+persona, persona
	}
	c := &conn{ws: ws, who: who, ip: ip}
	if !a.add(c) {
		ws.Close(websocket.StatusGoingAway, "hirebot is restarting")
		return
	}
	defer a.remove(c)
	a.showArrived(r.Context(), c, true)
	err = a.serveConn(r.Context(), c)
	switch websocket.CloseStatus(err) {
	case websocket.StatusNormalClosure, websocket.StatusGoingAway:
		ws.Close(websocket.StatusNormalClosure, "")
	default:
		if r.Context().Err() == nil {
			a.log.Debug("websocket closed", "err", err)
		}
		ws.CloseNow()
	}
}

// serveConn reads frames until the page goes away: each one is checked
// (size, rate, shape) and handed to the bot; a bad one is answered with an
// error frame and has no other effect.
func (a *Adapter) serveConn(ctx context.Context, c *conn) error {
	for {
		typ, data, err := c.ws.Read(ctx)
		if err != nil {
			return err
		}
		var f outFrame
		switch {
		case !a.allow(ctx, "web:visitor:"+c.who.UserID, a.cfg.PerVisitor) || !a.allow(ctx, "web:ip:"+c.ip, a.cfg.PerIP):
			f = outFrame{Type: "error", Code: codeTooFast, Message: "You're sending messages too fast. Wait a few seconds and try again."}
		case typ != websocket.MessageText:
			f = outFrame{Type: "error", Code: codeBadFrame, Message: "Frames are JSON text, not binary."}
		case len(data) > a.cfg.MaxFrame:
			f = outFrame{Type: "error", Code: codeTooBig, Message: "That message is too long; please send a shorter one."}
		default:
			ev, err := Translate(data, c.who)
			if err != nil {
				f = errorFrame(err)
				break
			}
			if err := a.turn(ctx, c, ev); err != nil {
				return err
			}
			continue
		}
		if err := c.write(ctx, f); err != nil {
			return err
		}
	}
}

// turn hands one event to the bot and shows its replies on this page.
func (a *Adapter) turn(ctx context.Context, c *conn, ev bot.Event) error {
	hctx, cancel := context.WithTimeout(ctx, handleTimeout)
	replies, err := a.handle(hctx, ev)
	cancel()
	if err != nil {
		a.log.Debug("handler error", "event", ev.ID, "err", err)
		if err := c.write(ctx, errorFrame(err)); err != nil {
			return err
		}
	}
	for _, r := range replies {
		if !ev.Answers(r) {
			if err := a.Send(ctx, r); err != nil { // another web visitor
				a.log.Info("reply to another visitor not delivered", "err", err)
			}
			continue
		}
		html, err := a.render.Render(r)
		if err != nil {
			return err
		}
		if err := c.write(ctx, outFrame{Type: "reply", HTML: html}); err != nil {
			return err
		}
	}
	return nil
}

// allow takes one token from key's bucket and reports whether there was
// one. Without a limiter everything is allowed; when the limiter cannot be
// reached, neither is anything else, so the frame goes through.
func (a *Adapter) allow(ctx context.Context, key string, l bot.Limit) bool {
	if a.cfg.Limiter == nil {
		return true
	}
	wait, err := a.cfg.Limiter.Reserve(ctx, key, l)
	if err != nil {
		a.log.Warn("rate limiter unavailable", "err", err)
		return true
	}
	return wait == 0
}

// clientIP is the address the request came from. A proxy in front of
// hirebot makes every visitor share its address; PerIP should then be
// raised.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func writeJSON(ctx context.Context, ws *websocket.Conn, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if err := ws.Write(ctx, websocket.MessageText, b); err != nil {
		return errors.Join(errors.New("web: write"), err)
	}
	return nil
}
