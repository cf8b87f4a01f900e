package discord

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fakeGateway plays Discord's gateway for one bot: HELLO, IDENTIFY as a
// shard [id, count] or RESUME of a session, READY (with its
// resume_gateway_url) or RESUMED, heartbeat ACKs, and dispatches routed as
// Discord routes them: a server's events to every session of shard
// (guild_id >> 22) % count, DMs to shard 0. A session outlives its
// connection for keep, unless the client closed it with 1000 or 1001: the
// dispatches meanwhile are kept, and a RESUME with the session's id and
// last sequence replays those after it, in order, with their sequences,
// then RESUMED; a RESUME of a live session takes it over from its
// connection, as on Discord. It answers with an Invalid Session (op 9,
// d=false) an IDENTIFY that comes less than window after the last one of
// its rate-limit key (shard % max_concurrency), and a RESUME of a session
// it does not know or no longer keeps, or sent anywhere but the session's
// resume_gateway_url (Discord only disconnects such a client more often;
// refusing it makes a client that ignores the URL fail the tests).
type fakeGateway struct {
	t testing.TB
	// What GET /gateway/bot answers, the identify rate and how long a
	// disconnected session is kept: set them before the adapter runs.
	shards, maxConcurrency int
	window, keep           time.Duration

	mu           sync.Mutex
	lastIdentify map[int]time.Time // by rate-limit key
	identified   [][2]int          // each accepted IDENTIFY's [shard, count]
	refused      int               // IDENTIFYs and RESUMEs answered with op 9
	resumes      []fakeResume
	sessions     []*fakeSession
	written      map[string]map[string]bool // a frame as the test sent it -> the sessions it was written to

	identify  chan map[string]any // accepted IDENTIFY payloads, while there is room
	heartbeat chan struct{}
}

// fakeSession is one gateway session; it outlives its connection for the
// gateway's keep, unless the client closes it with 1000 or 1001.
type fakeSession struct {
	id           string
	shard, count int
	seq          int
	sent         []sentFrame // for a resume
	conn         *fakeConn   // nil while disconnected
	down         time.Time   // since when conn is nil
	ended        bool
}

// fakeResume is one accepted RESUME: how long the session had no
// connection, and how many dispatches it replayed.
type fakeResume struct {
	shard    int
	gap      time.Duration
	replayed int
}

type sentFrame struct {
	seq        int
	key, frame string
}

type fakeConn struct {
	ws *websocket.Conn
	mu sync.Mutex
}

func (c *fakeConn) write(v string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ws.WriteMessage(websocket.TextMessage, []byte(v))
}

func newFakeGateway(t testing.TB) *fakeGateway {
	return &fakeGateway{
		t: t, shards: 1, maxConcurrency: 1, window: 5 * time.Second, keep: time.Minute,
		lastIdentify: map[int]time.Time{},
		written:      map[string]map[string]bool{},
		identify:     make(chan map[string]any, 16),
		heartbeat:    make(chan struct{}, 64),
	}
}

// botInfo is the answer to GET /gateway/bot.
func (g *fakeGateway) botInfo(url string) map[string]any {
	g.mu.Lock()
	defer g.mu.Unlock()
	return map[string]any{"url": url, "shards": g.shards, "session_start_limit": map[string]any{
		"total": 1000, "remaining": 1000 - len(g.identified), "reset_after": 86400000, "max_concurrency": g.maxConcurrency,
	}}
}

func (g *fakeGateway) serve(w http.ResponseWriter, r *http.Request) {
	up := websocket.Upgrader{}
	ws, err := up.Upgrade(w, r, nil)
	if err != nil {
		g.t.Errorf("gateway upgrade: %v", err)
		return
	}
	defer ws.Close()
	c := &fakeConn{ws: ws}
	if c.write(`{"op":10,"d":{"heartbeat_interval":45000}}`) != nil {
		return
	}
	var sess *fakeSession
	for sess == nil {
		var m struct {
			Op int             `json:"op"`
			D  json.RawMessage `json:"d"`
		}
		if err := ws.ReadJSON(&m); err != nil {
			return
		}
		switch m.Op {
		case 2:
			sess = g.identifyOn(c, m.D, "ws://"+r.Host+"/ws/resume")
		case 6:
			sess = g.resumeOn(c, m.D, r.URL.Path == "/ws/resume")
		case 1: // a heartbeat may come before a session, as after an Invalid Session
			if c.write(`{"op":11}`) != nil {
				return
			}
		default:
			g.t.Errorf("gateway: op %d before IDENTIFY or RESUME", m.Op)
			return
		}
	}
	for {
		_, raw, err := ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			g.gone(sess, c, errors.As(err, &ce) && (ce.Code == websocket.CloseNormalClosure || ce.Code == websocket.CloseGoingAway))
			return
		}
		var m struct {
			Op int `json:"op"`
		}
		if json.Unmarshal(raw, &m) == nil && m.Op == 1 {
			if c.write(`{"op":11}`) != nil {
				return
			}
			select {
			case g.heartbeat <- struct{}{}:
			default:
			}
		}
	}
}

func (g *fakeGateway) identifyOn(c *fakeConn, raw json.RawMessage, resumeURL string) *fakeSession {
	var d struct {
		Shard *[2]int `json:"shard"`
	}
	var payload map[string]any
	if json.Unmarshal(raw, &d) != nil || json.Unmarshal(raw, &payload) != nil {
		g.t.Errorf("gateway: IDENTIFY %s", raw)
		return nil
	}
	shard, count := 0, 1
	if d.Shard != nil {
		shard, count = d.Shard[0], d.Shard[1]
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if shard < 0 || shard >= count {
		_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4010, "Invalid shard"), time.Now().Add(time.Second))
		return nil
	}
	key := shard % g.maxConcurrency
	now := time.Now()
	if last, ok := g.lastIdentify[key]; ok && now.Sub(last) < g.window {
		g.refused++
		_ = c.write(`{"op":9,"d":false}`)
		return nil
	}
	g.lastIdentify[key] = now
	g.identified = append(g.identified, [2]int{shard, count})
	select {
	case g.identify <- payload:
	default:
	}
	s := &fakeSession{id: fmt.Sprintf("S%d", len(g.identified)), shard: shard, count: count, seq: 1, conn: c}
	g.sessions = append(g.sessions, s)
	_ = c.write(fmt.Sprintf(`{"op":0,"s":1,"t":"READY","d":{"v":9,"session_id":%q,"resume_gateway_url":%q,"user":{"id":"BOT","username":"hirebot","bot":true},"guilds":[],"shard":[%d,%d]}}`,
		s.id, resumeURL, shard, count))
	return s
}

func (g *fakeGateway) resumeOn(c *fakeConn, raw json.RawMessage, atResumeURL bool) *fakeSession {
	var d struct {
		SessionID string `json:"session_id"`
		Seq       int    `json:"seq"`
	}
	_ = json.Unmarshal(raw, &d)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.expire()
	var s *fakeSession
	for _, x := range g.sessions {
		if x.id == d.SessionID && !x.ended {
			s = x
		}
	}
	if s == nil || !atResumeURL {
		g.refused++
		_ = c.write(`{"op":9,"d":false}`)
		return nil
	}
	if s.conn != nil {
		_ = s.conn.ws.UnderlyingConn().Close()
	}
	r := fakeResume{shard: s.shard}
	if s.conn == nil {
		r.gap = time.Since(s.down)
	}
	s.conn = c
	for _, f := range s.sent {
		if f.seq > d.Seq && c.write(f.frame) == nil {
			g.wrote(f.key, s)
			r.replayed++
		}
	}
	g.resumes = append(g.resumes, r)
	s.seq++
	_ = c.write(fmt.Sprintf(`{"op":0,"s":%d,"t":"RESUMED","d":{}}`, s.seq))
	return s
}

// expire ends the sessions that had no connection for longer than keep.
func (g *fakeGateway) expire() {
	for _, s := range g.sessions {
		if s.conn == nil && !s.ended && time.Since(s.down) > g.keep {
			s.ended, s.sent = true, nil
		}
	}
}

// gone marks a connection closed; a close with 1000 or 1001 ends its
// session, unless another connection resumed it meanwhile.
func (g *fakeGateway) gone(s *fakeSession, c *fakeConn, normal bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if s.conn != c {
		return
	}
	s.conn, s.down = nil, time.Now()
	s.ended = normal
}

// routes reports whether Discord sends an event of guild ("" for a DM)
// to session s.
func (g *fakeGateway) routes(guild string, s *fakeSession) bool {
	if guild == "" || s.count == 1 {
		return s.shard == 0
	}
	id, err := strconv.ParseUint(guild, 10, 64)
	if err != nil {
		g.t.Errorf("guild %q is not a snowflake", guild)
		return false
	}
	return int((id>>22)%uint64(s.count)) == s.shard
}

// send dispatches frame (with "s":0 for its sequence) to every session
// Discord would send it to: written to a connected one, kept for the
// resume of a dropped one. It waits until there is such a session, since
// Discord cannot deliver an event to a shard nobody runs.
func (g *fakeGateway) send(t testing.TB, frame string) {
	t.Helper()
	var e struct {
		D struct {
			GuildID string `json:"guild_id"`
		} `json:"d"`
	}
	if err := json.Unmarshal([]byte(frame), &e); err != nil {
		t.Fatalf("frame %s: %v", frame, err)
	}
	guard := time.Now().Add(30 * time.Second) // a hang guard, not a timing assertion
	for {
		g.mu.Lock()
		g.expire()
		n := 0
		for _, s := range g.sessions {
			if s.ended || !g.routes(e.D.GuildID, s) {
				continue
			}
			n++
			s.seq++
			f := strings.Replace(frame, `"s":0`, fmt.Sprintf(`"s":%d`, s.seq), 1)
			s.sent = append(s.sent, sentFrame{seq: s.seq, key: frame, frame: f})
			if s.conn != nil && s.conn.write(f) == nil {
				g.wrote(frame, s)
			}
		}
		g.mu.Unlock()
		if n > 0 {
			return
		}
		if time.Now().After(guard) {
			t.Fatalf("no session for the event of guild %q", e.D.GuildID)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// settled waits until every shard of count has exactly one connected
// session, and no other session is connected, and returns their IDs by
// shard.
func (g *fakeGateway) settled(t testing.TB, count int) []string {
	t.Helper()
	guard := time.Now().Add(60 * time.Second) // a hang guard, not a timing assertion
	for {
		ids := make([]string, count)
		ok := true
		g.mu.Lock()
		for _, s := range g.sessions {
			if s.conn == nil {
				continue
			}
			if s.count != count || ids[s.shard] != "" {
				ok = false
				break
			}
			ids[s.shard] = s.id
		}
		g.mu.Unlock()
		for _, id := range ids {
			ok = ok && id != ""
		}
		if ok {
			return ids
		}
		if time.Now().After(guard) {
			t.Fatalf("the %d shards did not settle to one connected session each", count)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// drop cuts the connection of shard's session without a close frame, as
// a network failure does; the session stays resumable.
func (g *fakeGateway) drop(shard int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, s := range g.sessions {
		if s.shard == shard && s.conn != nil && !s.ended {
			_ = s.conn.ws.UnderlyingConn().Close()
			s.conn, s.down = nil, time.Now()
		}
	}
}

// identifies counts the accepted IDENTIFYs of each shard.
func (g *fakeGateway) identifies() map[int]int {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := map[int]int{}
	for _, id := range g.identified {
		out[id[0]]++
	}
	return out
}

func (g *fakeGateway) wrote(frame string, s *fakeSession) {
	if g.written[frame] == nil {
		g.written[frame] = map[string]bool{}
	}
	g.written[frame][s.id] = true
}

// counts returns the IDENTIFYs and RESUMEs refused, the RESUMEs accepted,
// and for each frame the test sent, how many sessions it was written to.
func (g *fakeGateway) counts() (refused int, resumes []fakeResume, sessions map[string]int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	sessions = make(map[string]int, len(g.written))
	for k, v := range g.written {
		sessions[k] = len(v)
	}
	return g.refused, slices.Clone(g.resumes), sessions
}
