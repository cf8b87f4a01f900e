package discord

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/hirebot/hirebot/bot"
)

// The gateway is split into shards: Discord sends a server's events to the
// session identified as shard (guild_id >> 22) % count, and DMs to shard 0.
// Every shard has one session across all replicas, held under a lease in
// the Locker. The live replicas beat in Config.Shared and split the shards
// evenly, the oldest taking one more when the count does not divide; each
// round (shardRetry) a replica takes one free shard while it runs fewer
// than its share, and hands one back while it runs more. A shard's holder
// saves its session there (id, sequence, resume URL), so the next holder,
// after a hand-back or a dead replica's lease ran out, RESUMEs it and
// Discord replays what the shard missed; only without a fresh session, or
// when Discord answers Invalid Session, does it IDENTIFY, in its turn.
var (
	// shardLease is how long a shard's lease and a replica's beat last
	// unrenewed (renewed every shardLease/3 and shardRetry): a dead
	// replica's shards move within shardLease+shardRetry.
	shardLease = 15 * time.Second
	// shardRetry is how often a replica beats, takes or hands back a
	// shard, and reads the shard count the replicas share.
	shardRetry = 2 * time.Second
	// identifyWindow is Discord's identify rate: one IDENTIFY per
	// rate-limit key (shard % max_concurrency) every 5 seconds, across
	// every session of the bot. An identify past it is answered with an
	// Invalid Session.
	identifyWindow = 5 * time.Second
	// resumeWindow is how long a saved session is resumed after its last
	// save; Discord keeps a dropped session for a few minutes (how long is
	// not documented) and answers a later RESUME with Invalid Session.
	resumeWindow = time.Minute
	// resumeSave is how often a shard's holder saves its session.
	resumeSave = 5 * time.Second
	// drainWait bounds how long a closing shard waits for its handlers
	// before it saves its session and lets the shard go; the next holder
	// then sees the events still being handled again (the core's dedupe
	// drops them).
	drainWait = 5 * time.Second
)

// Shared is what the replicas of one bot keep in common besides their
// leases: the shard count, each shard's session for its next holder, and
// which replicas are alive. store/redis implements it for replicas,
// store/memory for one process.
type Shared interface {
	// Value returns the value called name; "" when none was set or it
	// expired.
	Value(ctx context.Context, name string) (string, error)
	// SetValue sets name to value until ttl has passed; 0 keeps it for
	// good.
	SetValue(ctx context.Context, name, value string, ttl time.Duration) error
	// Beat marks member of roll alive for ttl and returns the members
	// alive, sorted.
	Beat(ctx context.Context, roll, member string, ttl time.Duration) ([]string, error)
	// Leave takes member off roll at once.
	Leave(ctx context.Context, roll, member string) error
}

// errLeaseLost ends a shard whose lease was lost: another replica may
// hold it, so its session is not saved.
var errLeaseLost = errors.New("discord: shard lease lost")

// Run connects to the gateway and handles messages and interactions until
// ctx ends; then it closes every session (resumable), refuses the HTTP
// endpoint's interactions (503), and returns once the work in hand, which
// runs under bot.Outlive(ctx), is done. It returns an error when Discord
// refuses the token, or Config.Locker or Config.Shared is nil. Run once.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.inflight.Close()
	if a.cfg.Locker == nil || a.cfg.Shared == nil {
		return bot.Errorf(bot.EINVALID, "discord: the gateway needs a Locker and a Shared store for its shards")
	}
	var gb *discordgo.GatewayBotResponse
	err := a.do(ctx, func(opts ...discordgo.RequestOption) error {
		var err error
		gb, err = a.session.GatewayBot(opts...)
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("discord: GET /gateway/bot: %w", err)
	}
	recommended, maxConcurrency := max(gb.Shards, 1), max(gb.SessionStartLimit.MaxConcurrency, 1)
	count := 0
	for count == 0 {
		if count, err = a.shardCount(ctx, recommended); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			a.log.Warn("shard count unavailable", "err", err, "retry_in", shardRetry)
			if bot.Sleep(ctx, shardRetry) != nil {
				return nil
			}
		}
	}
	// Replicas are ranked by start, so the oldest keep the larger shares.
	var b [4]byte
	_, _ = rand.Read(b[:])
	me := fmt.Sprintf("%016x-%x", time.Now().UnixNano(), b)
	defer func() { _ = a.cfg.Shared.Leave(context.WithoutCancel(ctx), a.key("discord-replicas"), me) }()
	for count > 0 {
		a.log.Info("gateway", "shards", count, "max_concurrency", maxConcurrency, "recommended", recommended)
		// The shared count changes when another replica starts with
		// another: this one follows, and writes nothing.
		count = a.holdShards(ctx, me, gb.URL, count, maxConcurrency)
	}
	return nil
}

// key names a value, a roll or a lease of this bot in the shared stores,
// without the token itself.
func (a *Adapter) key(kind string) string {
	sum := sha256.Sum256([]byte(a.cfg.Token))
	return kind + ":" + hex.EncodeToString(sum[:6])
}

// shardCount is the count this replica starts with: Config.Shared's when
// another replica wrote one, unless Config.Shards or Discord's larger
// recommendation replaces it. A starting replica writes its count under a
// lease, so that two starts do not interleave; the running ones follow
// (holdShards reads it every shardRetry).
func (a *Adapter) shardCount(ctx context.Context, recommended int) (int, error) {
	want := a.cfg.Shards
	if want <= 0 {
		want = recommended
	}
	var l bot.Lease
	for l == nil {
		var ok bool
		var err error
		// Short, so a replica that died in here holds no one up for long.
		if l, ok, err = a.cfg.Locker.Acquire(ctx, a.key("discord-layout"), shardRetry); err != nil {
			return 0, err
		}
		if !ok && bot.Sleep(ctx, shardRetry/4) != nil {
			return 0, ctx.Err()
		}
	}
	defer func() { _ = l.Release(context.WithoutCancel(ctx)) }()
	stored, err := a.sharedCount(ctx)
	if err != nil {
		return 0, err
	}
	if a.cfg.Shards <= 0 && stored > want {
		return stored, nil
	}
	if stored != want {
		if err := a.cfg.Shared.SetValue(ctx, a.key("discord-shards"), strconv.Itoa(want), 0); err != nil {
			return 0, err
		}
	}
	return want, nil
}

// sharedCount is the shard count the replicas share; 0 when none is.
func (a *Adapter) sharedCount(ctx context.Context) (int, error) {
	v, err := a.cfg.Shared.Value(ctx, a.key("discord-shards"))
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.Atoi(v)
}

// holdShards runs, as replica me, this replica's share of the shards of a
// count-shard gateway at url, until ctx ends (it returns 0) or the shared
// count changes (it returns the new count), once every session it opened
// is closed.
func (a *Adapter) holdShards(ctx context.Context, me, url string, count, maxConcurrency int) int {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	t := time.NewTicker(shardRetry)
	defer t.Stop()
	for {
		// One shard a round, so that replicas started together share them
		// and a shard handed back goes to a replica short of its share.
		held, share := a.Shards(), a.share(ctx, me, count)
		switch {
		case len(held) > share:
			// Closed resumable and saved, then released (takeShard).
			if stop, ok := a.held.Load(held[len(held)-1]); ok {
				stop.(context.CancelCauseFunc)(errors.New("discord: handed back"))
			}
		case len(held) < share:
			a.takeShard(ctx, &wg, url, count, maxConcurrency)
		}
		select {
		case <-ctx.Done():
			return 0
		case <-t.C:
		}
		if n, err := a.sharedCount(ctx); err == nil && n > 0 && n != count {
			a.log.Info("the shared shard count changed; reopening", "from", count, "to", n)
			return n
		}
	}
}

// share is how many of count shards replica me runs: the live replicas
// split them evenly, the oldest taking one more when they do not divide.
// When the roll is unreadable it is what me runs now.
func (a *Adapter) share(ctx context.Context, me string, count int) int {
	alive, err := a.cfg.Shared.Beat(ctx, a.key("discord-replicas"), me, shardLease)
	rank := slices.Index(alive, me)
	if err != nil || rank < 0 {
		if ctx.Err() == nil {
			a.log.Warn("replica roll unavailable", "err", err)
		}
		return len(a.Shards())
	}
	n := len(alive)
	if rank < count%n {
		return count/n + 1
	}
	return count / n
}

// takeShard runs the first free shard, if any, under its lease.
func (a *Adapter) takeShard(ctx context.Context, wg *sync.WaitGroup, url string, count, maxConcurrency int) {
	for i := range count {
		if _, mine := a.held.Load(i); mine {
			continue
		}
		l, ok, err := a.cfg.Locker.Acquire(ctx, fmt.Sprintf("%s:%d/%d", a.key("discord-shard"), i, count), shardLease)
		if err != nil {
			if ctx.Err() == nil {
				a.log.Warn("shard lease unavailable", "shard", i, "err", err)
			}
			return
		}
		if !ok {
			continue
		}
		held, stop := context.WithCancelCause(ctx)
		a.held.Store(i, stop)
		wg.Go(func() {
			release := bot.Hold(l, shardLease, func(err error) {
				a.log.Warn("shard lease lost; closing its session", "shard", i, "err", err)
				stop(errLeaseLost)
			})
			a.runShard(held, i, count, maxConcurrency, url, func() {
				stop(nil)
				release()
				a.held.Delete(i)
			})
		})
		return
	}
}

// Shards lists the shards this replica runs now, in order.
func (a *Adapter) Shards() []int {
	var out []int
	a.held.Range(func(k, _ any) bool {
		out = append(out, k.(int))
		return true
	})
	sort.Ints(out)
	return out
}

// runShard keeps shard id of count connected until ctx ends: it resumes
// the session the shard's last holder saved, while it is fresh, and
// otherwise identifies in the shard's identify turn; after a dropped
// connection it resumes. When ctx ends it closes the connection, waits for
// the shard's handlers (up to drainWait), saves the session for the next
// holder, unless the lease was lost (another replica may run the shard by
// now), and calls release; it returns when the handlers are done.
func (a *Adapter) runShard(ctx context.Context, id, count, maxConcurrency int, url string, release func()) {
	sh := &shard{a: a, id: id, count: count, url: url,
		name: fmt.Sprintf("%s:%d/%d", a.key("discord-session"), id, count),
		log:  a.log.With("shard", id, "shards", count)}
	sh.load(ctx)
	backoff := time.Second
	for ctx.Err() == nil {
		var turn bot.Lease
		if sh.current() == nil {
			var err error
			if turn, err = a.identifyTurn(ctx, id%maxConcurrency); err != nil {
				break
			}
		}
		ready, err := sh.connect(ctx, turn)
		switch {
		case ctx.Err() != nil:
		case ready:
			sh.log.Warn("gateway shard disconnected; reconnecting", "err", err)
			backoff = time.Second
		default:
			sh.log.Warn("gateway shard did not open", "err", err, "retry_in", backoff)
			_ = bot.Sleep(ctx, backoff)
			backoff = min(2*backoff, 30*time.Second)
		}
	}
	// The next holder resumes after the last event handled here: wait for
	// the handlers, for a while, before saving and letting the shard go.
	drained := make(chan struct{})
	go func() {
		sh.handlers.Wait()
		close(drained)
	}()
	select {
	case <-drained:
	case <-time.After(drainWait):
		sh.log.Warn("gateway shard handed on before its handlers finished; the next holder sees their events again", "waited", drainWait)
	}
	if !errors.Is(context.Cause(ctx), errLeaseLost) {
		sh.save(context.WithoutCancel(ctx))
	}
	release()
	<-drained
	sh.log.Info("gateway shard closed")
}

// identifyTurn waits until this replica may identify a shard of rate-limit
// key key, and returns the turn's lease (left to run out, never released).
// Discord allows one identify per key every identifyWindow across all the
// bot's sessions; the turn lasts two windows until connect renews it for
// one from READY, so a slow open cannot let the next identify come early.
func (a *Adapter) identifyTurn(ctx context.Context, key int) (bot.Lease, error) {
	name := fmt.Sprintf("%s:%d", a.key("discord-identify"), key)
	for {
		l, ok, err := a.cfg.Locker.Acquire(ctx, name, 2*identifyWindow)
		if err != nil && ctx.Err() == nil {
			a.log.Warn("identify turn unavailable", "err", err)
		}
		if ok {
			return l, nil
		}
		if err := bot.Sleep(ctx, identifyWindow/20); err != nil {
			return nil, err
		}
	}
}
