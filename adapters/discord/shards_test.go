package discord

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/hirebot/hirebot/adapters/adaptertest"
	"github.com/hirebot/hirebot/store/memory"
	"github.com/hirebot/hirebot/store/redis"
	"github.com/hirebot/hirebot/store/redis/redistest"
)

func TestMain(m *testing.M) { os.Exit(redistest.Run(m)) }

// shortLeases makes the shard leases and the identify window short for one
// test; the fake's window is set to the same rule.
func shortLeases(t *testing.T, f *fakeDiscord, lease, window time.Duration) {
	t.Helper()
	oldLease, oldRetry, oldWindow := shardLease, shardRetry, identifyWindow
	shardLease, shardRetry, identifyWindow = lease, lease/20, window
	f.gw.window = window
	t.Cleanup(func() { shardLease, shardRetry, identifyWindow = oldLease, oldRetry, oldWindow })
}

// guildOn is a server ID that Discord routes to shard of count.
func guildOn(shard, count, n int) string {
	return fmt.Sprint(uint64(shard+count*n)<<22 | 4095)
}

// mention is a message in a server (or a DM when guild is "") that
// mentions the bot, so the bot answers it.
func mention(id, guild, user string) string {
	if guild == "" {
		return messageCreate(id, "", user, false, "help", "")
	}
	return messageCreate(id, guild, user, false, "<@BOT> help", `{"id":"BOT","username":"hirebot","bot":true}`)
}

// Three replicas of one bot share four shards through Redis: each shard
// has one session, identified once and inside its max_concurrency bucket;
// when a replica dies without releasing its leases, the others take its
// shards once the leases run out; every event, in servers on each shard
// and in DMs, reaches the real bot once.
func TestThreeReplicasShareFourShards(t *testing.T) {
	r, err := redis.Open(context.Background(), redis.Options{URL: redistest.URL(t), Prefix: redistest.Prefix(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	const count = 4
	f := newFakeDiscord(t)
	f.gw.shards, f.gw.maxConcurrency = count, 2
	shortLeases(t, f, 3*time.Second, 300*time.Millisecond)

	core := realCore(t)
	var hs []*fakeHandler
	var as []*Adapter
	var stops []func() error
	const victim = 0 // dies without releasing its leases, as a killed process
	for i := range 3 {
		h := newFakeHandler(core.fn)
		a, _ := testAdapter(t, f, h, func(c *Config) {
			c.Locker, c.Counts = r.Locker(), r.Cursors()
			if i == victim {
				c.Locker = adaptertest.CrashLocker{Locker: r.Locker()}
			}
		})
		hs, as = append(hs, h), append(as, a)
		stops = append(stops, adaptertest.Start(t, a.Run))
	}

	before := f.gw.settled(t, count)
	for shard, n := range f.gw.identifies() {
		if n != 1 {
			t.Errorf("shard %d identified %d times at start, want once", shard, n)
		}
	}
	held := map[int]int{} // shard -> replica
	for i, a := range as {
		for _, s := range a.Shards() {
			if j, ok := held[s]; ok {
				t.Errorf("shard %d is held by replicas %d and %d", s, j, i)
			}
			held[s] = i
		}
	}
	if len(held) != count {
		t.Fatalf("replicas hold shards %v, want all %d", held, count)
	}

	// One event in a server on each shard, and a DM (shard 0).
	var sent []string
	round := func(tag string) {
		for shard := range count {
			id := fmt.Sprintf("%s-g%d", tag, shard)
			f.gw.send(t, mention(id, guildOn(shard, count, len(sent)), "U"+id))
			sent = append(sent, id)
		}
		id := tag + "-dm"
		f.gw.send(t, mention(id, "", "U"+id))
		sent = append(sent, id)
	}
	round("a")
	waitHandled(t, hs, sent)

	// Kill the victim: its leases stay until they run out.
	moved := as[victim].Shards()
	if len(moved) == 0 {
		t.Fatalf("replica %d holds no shard: %v", victim, held)
	}
	if err := stops[victim](); err != nil {
		t.Fatalf("replica %d Run: %v", victim, err)
	}
	start := time.Now()
	after := f.gw.settled(t, count)
	took := time.Since(start)
	for _, s := range moved {
		if after[s] == before[s] {
			t.Errorf("shard %d kept the dead replica's session", s)
		}
	}
	t.Logf("shards %v of replica %d moved %v after it stopped (lease %v, retry %v, identify window %v)",
		moved, victim, took.Round(time.Millisecond), shardLease, shardRetry, identifyWindow)
	ids := f.gw.identifies()
	for shard := range count {
		want := 1
		for _, s := range moved {
			if s == shard {
				want = 2
			}
		}
		if ids[shard] != want {
			t.Errorf("shard %d identified %d times, want %d", shard, ids[shard], want)
		}
	}

	round("b")
	waitHandled(t, hs, sent)
	for i, stop := range stops {
		if err := stop(); err != nil {
			t.Errorf("replica %d Run: %v", i, err)
		}
	}
	hs[victim].mu.Lock()
	for _, ev := range hs[victim].events {
		if ev.ID[0] == 'b' {
			t.Errorf("the dead replica handled %s", ev.ID)
		}
	}
	hs[victim].mu.Unlock()
	assertOnce(t, f, hs, sent)
}

// Replicas agree on one shard count: a replica started with another count
// writes it, the running one follows it without writing its own back, and
// then each shard of the new count has one session.
func TestReplicasFollowTheNewestShardCount(t *testing.T) {
	r, err := redis.Open(context.Background(), redis.Options{URL: redistest.URL(t), Prefix: redistest.Prefix(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	f := newFakeDiscord(t)
	f.gw.shards = 2
	shortLeases(t, f, 3*time.Second, 300*time.Millisecond)
	h := realCore(t)
	start := func(shards int) *Adapter {
		a, _ := testAdapter(t, f, h, func(c *Config) { c.Locker, c.Counts, c.Shards = r.Locker(), r.Cursors(), shards })
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
	if n, err := r.Cursors().Cursor(context.Background(), "discord-shards:"+first.appKey()); err != nil || n != 3 {
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
	refused, resumed, _ := f.gw.counts()
	if resumed != 1 || refused != 0 {
		t.Errorf("%d resumes and %d refusals, want 1 and 0", resumed, refused)
	}
	if ids := f.gw.identifies(); ids[0] != 1 || ids[1] != 1 {
		t.Errorf("identifies by shard %v, want one each", ids)
	}
	assertOnce(t, f, []*fakeHandler{h}, sent)
}

// A replica that loses a shard's lease (here: its clock jumps past the
// lease, as after a long pause) closes that shard's session, and the next
// holder identifies a new one; events then reach the new session once.
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

	skew.Add(int64(2 * shardLease)) // every lease has run out: the next renewal fails
	var after []string
	guard := time.Now().Add(60 * time.Second) // a hang guard, not a timing assertion
	for after == nil || after[0] == before[0] || after[1] == before[1] {
		if time.Now().After(guard) {
			t.Fatalf("sessions %v after the lease loss, were %v", after, before)
		}
		time.Sleep(20 * time.Millisecond)
		after = f.gw.settled(t, count)
	}
	if ids := f.gw.identifies(); ids[0] != 2 || ids[1] != 2 {
		t.Errorf("identifies by shard %v, want two each (before and after the loss)", ids)
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
	guard := time.Now().Add(30 * time.Second) // a hang guard, not a timing assertion
	for {
		seen := map[string]bool{}
		for _, h := range hs {
			h.mu.Lock()
			for _, ev := range h.events {
				seen[ev.ID] = true
			}
			h.mu.Unlock()
		}
		missing := ""
		for _, id := range want {
			if !seen[id] {
				missing = id
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(guard) {
			t.Fatalf("event %s never reached the bot", missing)
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
	refused, _, delivered := f.gw.counts()
	for frame, n := range delivered {
		if n != 1 {
			t.Errorf("a frame was written to %d sessions: %.80s", n, frame)
		}
	}
	if refused != 0 {
		t.Errorf("%d identifies or resumes were refused", refused)
	}
}
