package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/hirebot/hirebot/adapters/adaptertest"
	"github.com/hirebot/hirebot/bot"
	hirebot "github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/store/memory"
	"github.com/hirebot/hirebot/store/redis"
	"github.com/hirebot/hirebot/store/redis/redistest"
)

func TestMain(m *testing.M) { os.Exit(redistest.Run(m)) }

// shortLeases makes the shard leases, the session saves and the identify
// window short for one test; the fake's window is set to the same rule.
func shortLeases(t *testing.T, f *fakeDiscord, lease, window time.Duration) {
	t.Helper()
	oldLease, oldRetry, oldWindow, oldSave := shardLease, shardRetry, identifyWindow, resumeSave
	shardLease, shardRetry, identifyWindow, resumeSave = lease, lease/20, window, lease/3
	f.gw.window = window
	t.Cleanup(func() { shardLease, shardRetry, identifyWindow, resumeSave = oldLease, oldRetry, oldWindow, oldSave })
}

func openRedis(t *testing.T) *redis.Store {
	t.Helper()
	r, err := redis.Open(context.Background(), redis.Options{URL: redistest.URL(t), Prefix: redistest.Prefix(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	return r
}

// guildOn is a server ID that Discord routes to shard of count.
func guildOn(shard, count, n int) string {
	return fmt.Sprint(uint64(shard+count*n)<<22 | 4095)
}

// mention is a message in a server (or a DM when guild is "") that
// mentions the bot, so the bot answers it, in a channel of its own
// ("C-"+id), so that its answers can be counted.
func mention(id, guild, user string) string {
	var m string
	if guild == "" {
		m = messageCreate(id, "", user, false, "help", "")
	} else {
		m = messageCreate(id, guild, user, false, "<@BOT> help", `{"id":"BOT","username":"hirebot","bot":true}`)
	}
	return strings.Replace(m, `"channel_id":"C1"`, `"channel_id":"C-`+id+`"`, 1)
}

// traffic sends mentions to every shard of count and to DMs, and keeps
// their IDs.
type traffic struct {
	f     *fakeDiscord
	count int
	sent  []string
}

// round sends one mention in a server on each shard, and a DM (shard 0).
func (tr *traffic) round(t *testing.T, tag string) {
	t.Helper()
	for shard := range tr.count {
		id := fmt.Sprintf("%s-g%d", tag, shard)
		tr.f.gw.send(t, mention(id, guildOn(shard, tr.count, len(tr.sent)), "U"+id))
		tr.sent = append(tr.sent, id)
	}
	id := tag + "-dm"
	tr.f.gw.send(t, mention(id, "", "U"+id))
	tr.sent = append(tr.sent, id)
}

// answers counts the answers that reached the fake, by event: a DM's in
// its channel, and a server mention's in the DM the adapter opens with
// its sender (mention gives each event its own channel and sender).
func answers(f *fakeDiscord) map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for _, r := range f.requests {
		var dm struct {
			To string `json:"recipient_id"`
		}
		switch {
		case r.Method != "POST":
		case r.Path == "/api/v9/users/@me/channels" && json.Unmarshal(r.Body, &dm) == nil:
			out[strings.TrimPrefix(dm.To, "U")]++
		case strings.HasPrefix(r.Path, "/api/v9/channels/C-"):
			out[strings.TrimSuffix(strings.TrimPrefix(r.Path, "/api/v9/channels/C-"), "/messages")]++
		}
	}
	return out
}

// crash is what a replica runs on when the test may kill it: once dead,
// its leases are neither renewed nor released and it writes nothing to
// Shared, as a killed process.
type crash struct{ dead atomic.Bool }

type crashLocker struct {
	bot.Locker
	c *crash
}

type crashLease struct {
	bot.Lease
	c *crash
}

type crashShared struct {
	Shared
	c *crash
}

func (c crashLocker) Acquire(ctx context.Context, name string, ttl time.Duration) (bot.Lease, bool, error) {
	if c.c.dead.Load() {
		return nil, false, errors.New("killed")
	}
	l, ok, err := c.Locker.Acquire(ctx, name, ttl)
	if l != nil {
		l = crashLease{l, c.c}
	}
	return l, ok, err
}

func (c crashLease) Renew(ctx context.Context, ttl time.Duration) error {
	if c.c.dead.Load() {
		return nil
	}
	return c.Lease.Renew(ctx, ttl)
}

func (c crashLease) Release(ctx context.Context) error {
	if c.c.dead.Load() {
		return nil
	}
	return c.Lease.Release(ctx)
}

func (c crashShared) SetValue(ctx context.Context, name, value string, ttl time.Duration) error {
	if c.c.dead.Load() {
		return nil
	}
	return c.Shared.SetValue(ctx, name, value, ttl)
}

func (c crashShared) Beat(ctx context.Context, roll, member string, ttl time.Duration) ([]string, error) {
	if c.c.dead.Load() {
		return nil, errors.New("killed")
	}
	return c.Shared.Beat(ctx, roll, member, ttl)
}

func (c crashShared) Leave(ctx context.Context, roll, member string) error {
	if c.c.dead.Load() {
		return nil
	}
	return c.Shared.Leave(ctx, roll, member)
}

// Three replicas of one bot share four shards through Redis, each shard
// identified once and inside its max_concurrency bucket. One replica is
// killed while events flow to its shards: it saves and releases nothing,
// so the others wait for its leases to run out, then RESUME its sessions
// from the last save, and the fake replays what was sent since. Every
// event is answered once: the replays the dead replica had already
// handled reach the core again and its dedupe drops them.
func TestAKilledReplicasShardsAreResumed(t *testing.T) {
	r := openRedis(t)
	const count = 4
	f := newFakeDiscord(t)
	f.gw.shards, f.gw.maxConcurrency = count, 2
	shortLeases(t, f, 3*time.Second, 300*time.Millisecond)

	b, _ := adaptertest.NewCore(t)
	core := hirebot.Dedupe(r.Deduper(), nil)(b.Handle)
	var hs []*fakeHandler
	var as []*Adapter
	var stops []func() error
	var crashes []*crash
	for range 3 {
		h, c := newFakeHandler(core), &crash{}
		a, _ := testAdapter(t, f, h, func(cfg *Config) {
			cfg.Locker, cfg.Shared = crashLocker{r.Locker(), c}, crashShared{r.Values(), c}
		})
		hs, as, crashes = append(hs, h), append(as, a), append(crashes, c)
		stops = append(stops, adaptertest.Start(t, a.Run))
	}
	f.gw.settled(t, count)
	waitSpread(t, as, []int{1, 1, 2})
	victim := slices.IndexFunc(as, func(a *Adapter) bool { return len(a.Shards()) == 2 })
	for shard, n := range f.gw.identifies() {
		if n != 1 {
			t.Errorf("shard %d identified %d times at start, want once", shard, n)
		}
	}

	tr := &traffic{f: f, count: count}
	tr.round(t, "a")
	waitHandled(t, hs, tr.sent)
	moved := as[victim].Shards()
	_, before, _ := f.gw.counts()
	// Kill the victim between two rounds, and keep sending until its
	// shards are resumed elsewhere.
	tr.round(t, "b")
	crashes[victim].dead.Store(true)
	if err := stops[victim](); err != nil {
		t.Fatalf("replica %d Run: %v", victim, err)
	}
	killed := time.Now()
	for k := 0; len(resumedSince(f, before, moved)) < len(moved); k++ {
		tr.round(t, fmt.Sprintf("c%d", k))
		time.Sleep(50 * time.Millisecond) // events flow while the shards have no holder
		if time.Since(killed) > time.Minute {
			t.Fatalf("shards %v were not resumed", moved)
		}
	}
	f.gw.settled(t, count)
	tr.round(t, "d")
	waitHandled(t, hs, tr.sent)
	waitAnswered(t, f, tr.sent)
	for i, stop := range stops {
		if err := stop(); err != nil {
			t.Errorf("replica %d Run: %v", i, err)
		}
	}

	for shard, n := range f.gw.identifies() {
		if n != 1 {
			t.Errorf("shard %d identified %d times, want once: taken over by a RESUME", shard, n)
		}
	}
	refused, _, _ := f.gw.counts()
	if refused != 0 {
		t.Errorf("%d identifies or resumes refused", refused)
	}
	got := answers(f)
	for _, id := range tr.sent {
		if got[id] != 1 {
			t.Errorf("event %s answered %d times, want once", id, got[id])
		}
	}
	repeats := 0
	for _, h := range hs {
		repeats += h.count()
	}
	for _, rs := range resumedSince(f, before, moved) {
		t.Logf("shard %d of the killed replica resumed %v after its connection closed, %d dispatches replayed",
			rs.shard, rs.gap.Round(time.Millisecond), rs.replayed)
	}
	t.Logf("%d events, %d reached a handler again after the takeover and were dropped by dedupe (lease %v, retry %v, save every %v)",
		len(tr.sent), repeats-len(tr.sent), shardLease, shardRetry, resumeSave)
}

// Two replicas run four shards, two each; a third joins and gets its
// share: the second-oldest hands a shard back (closed resumable, its
// session saved once its handlers are done) and the newcomer resumes it.
// Events flow all along, and each reaches a handler exactly once.
func TestALateReplicaGetsItsShare(t *testing.T) {
	r := openRedis(t)
	const count = 4
	f := newFakeDiscord(t)
	f.gw.shards = count
	shortLeases(t, f, 3*time.Second, 300*time.Millisecond)
	core := realCore(t)
	var hs []*fakeHandler
	var as []*Adapter
	var stops []func() error
	start := func() {
		h := newFakeHandler(core.fn)
		a, _ := testAdapter(t, f, h, func(c *Config) { c.Locker, c.Shared = r.Locker(), r.Values() })
		hs, as = append(hs, h), append(as, a)
		stops = append(stops, adaptertest.Start(t, a.Run))
	}
	start()
	start()
	f.gw.settled(t, count)
	waitSpread(t, as, []int{2, 2})

	tr := &traffic{f: f, count: count}
	tr.round(t, "a")
	joined := time.Now()
	start()
	for k := 0; len(as[2].Shards()) == 0; k++ {
		tr.round(t, fmt.Sprintf("b%d", k))
		time.Sleep(50 * time.Millisecond) // events flow during the handover
		if time.Since(joined) > time.Minute {
			t.Fatal("the third replica got no shard")
		}
	}
	f.gw.settled(t, count)
	waitSpread(t, as, []int{1, 1, 2})
	if len(as[2].Shards()) != 1 {
		t.Errorf("the newest replica runs %v, want one shard", as[2].Shards())
	}
	tr.round(t, "c")
	waitHandled(t, hs, tr.sent)
	for i, a := range as {
		t.Logf("replica %d runs shards %v", i, a.Shards())
	}
	_, resumes, _ := f.gw.counts() // before the stops, which move shards again
	for _, stop := range stops {
		if err := stop(); err != nil {
			t.Errorf("Run: %v", err)
		}
	}

	ids := f.gw.identifies()
	for shard := range count {
		if ids[shard] != 1 {
			t.Errorf("shard %d identified %d times, want once: the shard handed back is resumed", shard, ids[shard])
		}
	}
	if len(resumes) != 1 {
		t.Errorf("%d resumes, want 1 (the shard handed back)", len(resumes))
	}
	for _, rs := range resumes {
		t.Logf("shard %d handed back and resumed %v after its connection closed, %d dispatches replayed (retry %v)",
			rs.shard, rs.gap.Round(time.Millisecond), rs.replayed, shardRetry)
	}
	assertOnce(t, f, hs, tr.sent)
}

// waitSpread waits until the replicas run as many shards as want says,
// in ascending order whichever replica runs which.
func waitSpread(t *testing.T, as []*Adapter, want []int) {
	t.Helper()
	guard := time.Now().Add(60 * time.Second) // a hang guard, not a timing assertion
	for {
		var got []int
		for _, a := range as {
			got = append(got, len(a.Shards()))
		}
		slices.Sort(got)
		if slices.Equal(got, want) {
			return
		}
		if time.Now().After(guard) {
			t.Fatalf("replicas run %v shards, want %v", got, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// resumedSince returns the resumes of shards since before.
func resumedSince(f *fakeDiscord, before []fakeResume, shards []int) []fakeResume {
	_, all, _ := f.gw.counts()
	var out []fakeResume
	for _, rs := range all[len(before):] {
		if slices.Contains(shards, rs.shard) {
			out = append(out, rs)
		}
	}
	return out
}

// Replicas agree on one shard count: a replica started with another count
// writes it, the running one follows it without writing its own back, and
// then each shard of the new count has one session.
func TestReplicasFollowTheNewestShardCount(t *testing.T) {
	r := openRedis(t)
	f := newFakeDiscord(t)
	f.gw.shards = 2
	shortLeases(t, f, 3*time.Second, 300*time.Millisecond)
	h := realCore(t)
	start := func(shards int) *Adapter {
		a, _ := testAdapter(t, f, h, func(c *Config) { c.Locker, c.Shared, c.Shards = r.Locker(), r.Values(), shards })
		adaptertest.Start(t, a.Run)
		return a
	}
	first := start(2)
	f.gw.settled(t, 2)
	second := start(3)
	ids := f.gw.settled(t, 3)
	// A replica that wrote its count back would reopen every session
	// within a few rounds.
	time.Sleep(5 * shardRetry)
	if again := f.gw.settled(t, 3); fmt.Sprint(again) != fmt.Sprint(ids) {
		t.Errorf("sessions %v became %v: the count went back and forth", ids, again)
	}
	if n, err := first.sharedCount(context.Background()); err != nil || n != 3 {
		t.Errorf("shared count %d (%v), want 3", n, err)
	}
	if got := len(first.Shards()) + len(second.Shards()); got != 3 {
		t.Errorf("the replicas run %v and %v, want 3 shards in all", first.Shards(), second.Shards())
	}
	f.gw.send(t, mention("dm", "", "U1"))
	waitHandled(t, []*fakeHandler{h}, []string{"dm"})
}

// A dropped connection is resumed, not identified again, and the events
// sent meanwhile are replayed and handled once; one process without Redis
// runs every shard itself.
func TestShardResumesAfterADrop(t *testing.T) {
	const count = 2
	f := newFakeDiscord(t)
	f.gw.shards = count
	shortLeases(t, f, 3*time.Second, 300*time.Millisecond)
	h := realCore(t)
	a, _ := testAdapter(t, f, h, nil)
	stop := adaptertest.Start(t, a.Run)
	f.gw.settled(t, count)
	if got := a.Shards(); len(got) != count {
		t.Fatalf("one process runs shards %v, want all %d", got, count)
	}

	var sent []string
	g := guildOn(1, count, 0)
	f.gw.send(t, mention("before", g, "U1"))
	sent = append(sent, "before")
	waitHandled(t, []*fakeHandler{h}, sent)
	f.gw.drop(1)
	f.gw.send(t, mention("meanwhile", g, "U1")) // kept for the resume
	sent = append(sent, "meanwhile")
	f.gw.settled(t, count)
	f.gw.send(t, mention("after", g, "U1"))
	sent = append(sent, "after")
	waitHandled(t, []*fakeHandler{h}, sent)
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if _, resumes, _ := f.gw.counts(); len(resumes) != 1 || resumes[0].replayed != 1 {
		t.Errorf("resumes %+v, want one replaying one dispatch", resumes)
	}
	if ids := f.gw.identifies(); ids[0] != 1 || ids[1] != 1 {
		t.Errorf("identifies by shard %v, want one each", ids)
	}
	assertOnce(t, f, []*fakeHandler{h}, sent)
}

// A replica that loses a shard's lease (here: its clock jumps past the
// lease, as after a long pause) closes that shard's session without
// saving it, and the next holder resumes it from the last save; events
// then reach the session once.
func TestLostLeaseClosesTheSession(t *testing.T) {
	const count = 2
	f := newFakeDiscord(t)
	f.gw.shards = count
	shortLeases(t, f, 3*time.Second, 300*time.Millisecond)
	var skew atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	h := realCore(t)
	a, _ := testAdapter(t, f, h, func(c *Config) { c.Locker = memory.NewLocker(memory.LockOptions{Now: clock}) })
	stop := adaptertest.Start(t, a.Run)
	before := f.gw.settled(t, count)

	// Every lease has run out: the next renewal fails.
	skew.Add(int64(2 * shardLease))
	guard := time.Now().Add(60 * time.Second) // a hang guard, not a timing assertion
	for {
		if _, resumes, _ := f.gw.counts(); len(resumes) == count {
			break
		}
		if time.Now().After(guard) {
			t.Fatal("the sessions were not resumed after the lease loss")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if after := f.gw.settled(t, count); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("sessions %v after the lease loss, were %v", after, before)
	}
	if ids := f.gw.identifies(); ids[0] != 1 || ids[1] != 1 {
		t.Errorf("identifies by shard %v, want one each", ids)
	}
	var sent []string
	for shard := range count {
		id := fmt.Sprintf("after-%d", shard)
		f.gw.send(t, mention(id, guildOn(shard, count, 1), "U1"))
		sent = append(sent, id)
	}
	waitHandled(t, []*fakeHandler{h}, sent)
	if err := stop(); err != nil {
		t.Fatalf("Run: %v", err)
	}
	assertOnce(t, f, []*fakeHandler{h}, sent)
}

// A saved session Discord no longer keeps is answered with Invalid
// Session, and the shard identifies anew, in its turn.
func TestAStaleSessionIsIdentifiedAnew(t *testing.T) {
	r := openRedis(t)
	f := newFakeDiscord(t)
	f.gw.keep = time.Millisecond
	shortLeases(t, f, 3*time.Second, 300*time.Millisecond)
	h := realCore(t)
	start := func() func() error {
		a, _ := testAdapter(t, f, h, func(c *Config) { c.Locker, c.Shared = r.Locker(), r.Values() })
		return adaptertest.Start(t, a.Run)
	}
	stop := start()
	f.gw.settled(t, 1)
	if err := stop(); err != nil { // the session is saved, and dropped by Discord a moment later
		t.Fatalf("Run: %v", err)
	}
	time.Sleep(10 * f.gw.keep)
	start()
	f.gw.settled(t, 1)
	f.gw.send(t, mention("dm", "", "U1"))
	waitHandled(t, []*fakeHandler{h}, []string{"dm"})
	refused, resumes, _ := f.gw.counts()
	if ids := f.gw.identifies(); refused != 1 || len(resumes) != 0 || ids[0] != 2 {
		t.Errorf("%d refused, %d resumed, %d identified; want the stale RESUME refused and a second IDENTIFY", refused, len(resumes), ids[0])
	}
}

// The fake refuses an identify inside its bucket's window, so the counts
// above can fail: two sessions of one bucket identified at once without
// the adapter's turns get an Invalid Session.
func TestFakeRefusesAnIdentifyInsideTheWindow(t *testing.T) {
	f := newFakeDiscord(t)
	f.gw.shards, f.gw.maxConcurrency = 4, 2
	for _, shard := range []int{1, 3} { // both in bucket 1
		s, err := rawIdentify(f.wsURL(), shard, 4)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
	}
	if refused, _, _ := f.gw.counts(); refused != 1 {
		t.Errorf("%d identifies refused, want 1", refused)
	}
}

// rawIdentify identifies as shard of count on a plain websocket and
// reads the answer.
func rawIdentify(url string, shard, count int) (*websocket.Conn, error) {
	ws, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		return nil, err
	}
	if _, _, err := ws.ReadMessage(); err != nil { // HELLO
		ws.Close()
		return nil, err
	}
	ident := fmt.Sprintf(`{"op":2,"d":{"token":"Bot tok","intents":0,"properties":{},"shard":[%d,%d]}}`, shard, count)
	if err := ws.WriteMessage(websocket.TextMessage, []byte(ident)); err != nil {
		ws.Close()
		return nil, err
	}
	if _, _, err := ws.ReadMessage(); err != nil { // READY or Invalid Session
		ws.Close()
		return nil, err
	}
	return ws, nil
}

// waitHandled waits until every ID in want reached one of the handlers.
func waitHandled(t *testing.T, hs []*fakeHandler, want []string) {
	t.Helper()
	waitFor(t, "handled", want, func() map[string]int {
		seen := map[string]int{}
		for _, h := range hs {
			h.mu.Lock()
			for _, ev := range h.events {
				seen[ev.ID]++
			}
			h.mu.Unlock()
		}
		return seen
	})
}

// waitAnswered waits until every ID in want was answered.
func waitAnswered(t *testing.T, f *fakeDiscord, want []string) {
	t.Helper()
	waitFor(t, "answered", want, func() map[string]int { return answers(f) })
}

func waitFor(t *testing.T, what string, want []string, seen func() map[string]int) {
	t.Helper()
	guard := time.Now().Add(30 * time.Second) // a hang guard, not a timing assertion
	for {
		got := seen()
		i := slices.IndexFunc(want, func(id string) bool { return got[id] == 0 })
		if i < 0 {
			return
		}
		if time.Now().After(guard) {
			t.Fatalf("event %s was never %s", want[i], what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// assertOnce checks, after the replicas stopped, that each sent event was
// written to one session and handled once, and that nothing else was.
func assertOnce(t *testing.T, f *fakeDiscord, hs []*fakeHandler, sent []string) {
	t.Helper()
	handled := map[string]int{}
	for _, h := range hs {
		h.mu.Lock()
		for _, ev := range h.events {
			handled[ev.ID]++
		}
		h.mu.Unlock()
	}
	for _, id := range sent {
		if handled[id] != 1 {
			t.Errorf("event %s handled %d times, want once", id, handled[id])
		}
	}
	if len(handled) != len(sent) {
		t.Errorf("handled %d distinct events, sent %d", len(handled), len(sent))
	}
	refused, _, sessions := f.gw.counts()
	for frame, n := range sessions {
		if n != 1 {
			t.Errorf("a frame was written to %d sessions: %.80s", n, frame)
		}
	}
	if refused != 0 {
		t.Errorf("%d identifies or resumes were refused", refused)
	}
}
