package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/gorilla/websocket"

	"github.com/hirebot/hirebot/bot"
)

// A shard's gateway connection is made here, not by discordgo: discordgo
// v0.29.0 keeps a session's id, sequence and gateway URL unexported, so a
// replica cannot resume a session another one opened; it drops READY's
// resume_gateway_url; and it answers any Invalid Session with an IDENTIFY
// at once, outside the identify turns (shards.go). Events are still read
// into discordgo's types.

// closeResumable closes a connection and leaves its session resumable:
// Discord ends a session closed with 1000 or 1001, and keeps it, for a
// RESUME, after any other code.
const closeResumable = 4000

// errInvalidSession is Discord's op 9 (Invalid Session).
var errInvalidSession = errors.New("discord: the gateway answered Invalid Session")

// resume is what resuming a gateway session takes; saved in Config.Shared,
// it lets whichever replica runs the shard next resume the session.
type resume struct {
	ID  string `json:"id"`
	Seq int64  `json:"seq"`
	URL string `json:"url"` // READY's resume_gateway_url
	// Bot is READY's user ID, which tells a mention of the bot: a replica
	// that only resumed sessions has seen no READY.
	Bot string `json:"bot"`
}

// session is a shard's gateway session as this replica runs it. Dispatches
// are handled concurrently; the sequence it saves for a resume is the last
// one through which every dispatch is handled, so the replica that resumes
// it may see an event again (the core's dedupe drops it) but skips none.
type session struct {
	mu   sync.Mutex
	r    resume         // r.Seq: the last sequence read
	busy []int64        // sequences being handled, in order
	done map[int64]bool // handled, behind busy's head
}

func newSession(r resume) *session { return &session{r: r, done: map[int64]bool{}} }

// read records that dispatch seq was read, and when handling, that it is
// being handled.
func (s *session) read(seq int64, handling bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r.Seq = max(s.r.Seq, seq)
	if handling {
		s.busy = append(s.busy, seq)
	}
}

// handled records that dispatch seq was handled.
func (s *session) handled(seq int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done[seq] = true
	for len(s.busy) > 0 && s.done[s.busy[0]] {
		delete(s.done, s.busy[0])
		s.busy = s.busy[1:]
	}
}

// state returns what to resume from: the last sequence read (for a
// heartbeat) and the last one through which every dispatch is handled.
func (s *session) state() (last int64, safe resume) {
	s.mu.Lock()
	defer s.mu.Unlock()
	safe = s.r
	if len(s.busy) > 0 {
		safe.Seq = s.busy[0] - 1
	}
	return s.r.Seq, safe
}

// shard is one gateway shard this replica runs, from connection to
// connection.
type shard struct {
	a         *Adapter
	id, count int
	url       string // the gateway's, where an IDENTIFY goes
	name      string // its session's name in Config.Shared
	log       *slog.Logger
	handlers  sync.WaitGroup // the work of its events

	mu   sync.Mutex
	sess *session // nil: the next connection identifies

	saving sync.Mutex
	saved  resume // what was saved last
}

func (sh *shard) current() *session {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.sess
}

func (sh *shard) begin(s *session) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.sess = s
}

// load takes the session another holder saved, if it is still fresh.
func (sh *shard) load(ctx context.Context) {
	v, err := sh.a.cfg.Shared.Value(ctx, sh.name)
	var r resume
	if err != nil || v == "" || json.Unmarshal([]byte(v), &r) != nil || r.ID == "" || r.URL == "" {
		if err != nil && ctx.Err() == nil {
			sh.log.Warn("saved gateway session unavailable; identifying", "err", err)
		}
		return
	}
	sh.saved = r
	sh.begin(newSession(r))
	sh.a.setBotID(r.Bot)
}

// save writes the session for the next holder, when it moved on.
func (sh *shard) save(ctx context.Context) {
	s := sh.current()
	if s == nil || ctx.Err() != nil {
		return
	}
	sh.saving.Lock()
	defer sh.saving.Unlock()
	_, r := s.state()
	if r == sh.saved {
		return
	}
	b, _ := json.Marshal(r)
	if err := sh.a.cfg.Shared.SetValue(ctx, sh.name, string(b), resumeWindow); err != nil {
		sh.log.Warn("gateway session not saved", "err", err)
		return
	}
	sh.saved = r
}

// connect runs one connection of the shard until it drops, the gateway
// asks for another, or ctx ends; then it closes it, leaving the session
// resumable unless the gateway invalidated it. It resumes the shard's
// session when there is one, and identifies otherwise, renewing turn for
// a window from READY. ready reports that the session was ready (READY or
// RESUMED) on this connection.
func (sh *shard) connect(ctx context.Context, turn bot.Lease) (ready bool, err error) {
	s, url := sh.current(), sh.url
	if s != nil {
		url = s.r.URL
	}
	ws, _, err := websocket.DefaultDialer.DialContext(ctx, url+"?v="+discordgo.APIVersion+"&encoding=json", nil)
	if err != nil {
		return false, err
	}
	c := &conn{ws: ws}
	defer context.AfterFunc(ctx, func() { c.close(closeResumable) })()
	defer func() {
		if sh.current() != nil {
			c.close(closeResumable)
		} else {
			c.close(websocket.CloseNormalClosure)
		}
	}()
	var hello struct {
		Interval int64 `json:"heartbeat_interval"`
	}
	_ = ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	if f, err := c.read(); err != nil || f.Op != 10 || json.Unmarshal(f.D, &hello) != nil || hello.Interval <= 0 {
		return false, fmt.Errorf("discord: no HELLO from the gateway: op %d, %v", f.Op, err)
	}
	_ = ws.SetReadDeadline(time.Time{}) // from here a missed heartbeat ACK tells a dead connection
	if s != nil {
		// The last sequence read: what this process read and has not
		// handled yet, it still handles.
		last, r := s.state()
		err = c.send(6, map[string]any{"token": sh.a.session.Identify.Token, "session_id": r.ID, "seq": last})
	} else {
		id := sh.a.session.Identify
		id.Compress, id.Shard = false, &[2]int{sh.id, sh.count}
		err = c.send(2, id)
	}
	if err != nil {
		return false, err
	}
	stop := make(chan struct{})
	defer close(stop)
	go sh.heartbeat(ctx, c, time.Duration(hello.Interval)*time.Millisecond, stop)
	for {
		f, err := c.read()
		if err != nil {
			if ctx.Err() != nil {
				return ready, nil
			}
			var ce *websocket.CloseError
			if errors.As(err, &ce) && (ce.Code == 4007 || ce.Code == 4009) { // invalid seq, session timed out
				sh.begin(nil)
			}
			return ready, err
		}
		switch f.Op {
		case 0:
			ready = sh.dispatch(ctx, f, turn) || ready
		case 1:
			err = c.heartbeat(sh.current())
		case 7: // Reconnect
			return ready, errors.New("discord: the gateway asked for a reconnect")
		case 9:
			if string(f.D) != "true" {
				sh.begin(nil)
			}
			return ready, errInvalidSession
		case 11:
			c.acked.Store(true)
		}
		if err != nil {
			return ready, err
		}
	}
}

// heartbeat beats every interval (the first at once), closes a connection
// whose last beat was not acknowledged, and saves the session every
// resumeSave, until stop is closed.
func (sh *shard) heartbeat(ctx context.Context, c *conn, interval time.Duration, stop <-chan struct{}) {
	beat, save := time.NewTicker(interval), time.NewTicker(resumeSave)
	defer beat.Stop()
	defer save.Stop()
	_ = c.heartbeat(sh.current())
	for {
		select {
		case <-stop:
			return
		case <-save.C:
			sh.save(ctx)
		case <-beat.C:
			if !c.acked.Swap(false) {
				sh.log.Warn("gateway heartbeat not acknowledged; reconnecting")
				c.close(closeResumable)
				return
			}
			_ = c.heartbeat(sh.current())
		}
	}
}

// dispatch takes an op 0 frame in, on the connection's reader and in
// order: an event's work runs on (interactions.go's start), and reports
// whether the frame made the session ready.
func (sh *shard) dispatch(ctx context.Context, f frame, turn bot.Lease) (ready bool) {
	var take func(done func()) // starts the event's work (interactions.go)
	switch f.T {
	case "READY":
		var r struct {
			SessionID string `json:"session_id"`
			ResumeURL string `json:"resume_gateway_url"`
			User      struct {
				ID string `json:"id"`
			} `json:"user"`
		}
		if err := json.Unmarshal(f.D, &r); err != nil {
			sh.log.Error("gateway READY", "err", err)
			return false
		}
		sh.begin(newSession(resume{ID: r.SessionID, Seq: f.S, URL: r.ResumeURL, Bot: r.User.ID}))
		sh.a.setBotID(r.User.ID)
		sh.save(ctx)
		if turn != nil {
			// The next identify of this key waits a whole window from
			// now, past this one's READY.
			_ = turn.Renew(context.WithoutCancel(ctx), identifyWindow)
		}
		sh.log.Info("gateway shard identified", "session", r.SessionID)
		return true
	case "RESUMED":
		sh.log.Info("gateway shard resumed")
		ready = true
	case "MESSAGE_CREATE":
		var mc discordgo.MessageCreate
		if err := json.Unmarshal(f.D, &mc); err == nil && mc.Message != nil {
			take = func(done func()) { sh.a.onMessageCreate(ctx, &mc, done) }
		}
	case "INTERACTION_CREATE":
		var ic discordgo.InteractionCreate
		if err := json.Unmarshal(f.D, &ic); err == nil && ic.Interaction != nil {
			take = func(done func()) { sh.a.onInteractionCreate(ctx, &ic, done) }
		}
	}
	s := sh.current()
	if s == nil || f.S == 0 {
		return ready
	}
	s.read(f.S, take != nil)
	if take != nil {
		sh.handlers.Add(1)
		take(func() {
			s.handled(f.S)
			sh.handlers.Done()
		})
	}
	return ready
}

// frame is one gateway message.
type frame struct {
	Op int             `json:"op"`
	D  json.RawMessage `json:"d"`
	S  int64           `json:"s"`
	T  string          `json:"t"`
}

// conn is one gateway connection: one reader; writes take turns.
type conn struct {
	ws    *websocket.Conn
	mu    sync.Mutex
	acked atomic.Bool
}

func (c *conn) read() (frame, error) {
	var f frame
	err := c.ws.ReadJSON(&f)
	return f, err
}

// heartbeat sends op 1 with the last sequence read, null before any.
func (c *conn) heartbeat(s *session) error {
	var last any
	if s != nil {
		if n, _ := s.state(); n > 0 {
			last = n
		}
	}
	return c.send(1, last)
}

func (c *conn) send(op int, d any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	return c.ws.WriteJSON(struct {
		Op int `json:"op"`
		D  any `json:"d"`
	}{op, d})
}

// close sends a close frame with code and closes the connection; a
// second close does nothing more.
func (c *conn) close(code int) {
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, ""), time.Now().Add(time.Second))
	_ = c.ws.Close()
}
