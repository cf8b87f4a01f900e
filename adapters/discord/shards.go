package discord

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/hirebot/hirebot/bot"
)

// The gateway is split into shards: Discord sends a server's events to the
// session identified as shard (guild_id >> 22) % count, and DMs to shard 0.
// Every shard has one session across all replicas, held under a lease in
// the Locker; a replica takes at most one free shard every shardRetry, so
// replicas started together share them, and the shards of a replica that
// died are taken by the others once their leases run out.
var (
	// shardLease is how long a shard's lease lasts unrenewed (renewed
	// every shardLease/3): a dead replica's shards move within
	// shardLease+shardRetry, plus the wait for an identify turn.
	shardLease = 15 * time.Second
	// shardRetry is how often a replica looks for a free shard, and
	// reads the shard count the replicas share.
	shardRetry = 2 * time.Second
	// identifyWindow is Discord's identify rate: one IDENTIFY per
	// rate-limit key (shard % max_concurrency) every 5 seconds, across
	// every session of the bot. An identify past it is answered with an
	// Invalid Session.
	identifyWindow = 5 * time.Second
)

// Counts keeps named numbers where every replica reads them; the replicas
// agree on the shard count through it.
type Counts interface {
	Cursor(ctx context.Context, name string) (int64, error)
	SetCursor(ctx context.Context, name string, v int64) error
}

// Run connects to the gateway and handles messages and interactions until
// ctx ends; then it closes every session, refuses the HTTP endpoint's
// interactions (503), and returns once the work in hand, which runs under
// bot.Outlive(ctx), is done. It returns an error when Discord refuses the
// token or Config.Locker is nil. Run once.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.inflight.Close()
	if a.cfg.Locker == nil {
		return bot.Errorf(bot.EINVALID, "discord: the gateway needs a Locker for its shard leases")
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
	for count > 0 {
		a.log.Info("gateway", "shards", count, "max_concurrency", maxConcurrency, "recommended", recommended)
		// The shared count changes when another replica starts with
		// another: this one follows, and writes nothing.
		count = a.holdShards(ctx, count, maxConcurrency)
	}
	return nil
}

// appKey names this bot in shared lease names without the token itself.
func (a *Adapter) appKey() string {
	sum := sha256.Sum256([]byte(a.cfg.Token))
	return hex.EncodeToString(sum[:6])
}

// shardCount is the count this replica starts with. Without Counts it is
// Config.Shards, or Discord's recommendation. With Counts the replicas
// share it: a starting replica writes Config.Shards when set, or else
// Discord's recommendation when it is larger than the count in use, under
// a lease so that two starts do not interleave; the running ones follow
// (holdShards reads it every shardRetry).
func (a *Adapter) shardCount(ctx context.Context, recommended int) (int, error) {
	want := a.cfg.Shards
	if want <= 0 {
		want = recommended
	}
	if a.cfg.Counts == nil {
		return want, nil
	}
	var l bot.Lease
	for l == nil {
		var ok bool
		var err error
		// Short, so a replica that died in here holds no one up for long.
		if l, ok, err = a.cfg.Locker.Acquire(ctx, "discord-layout:"+a.appKey(), shardRetry); err != nil {
			return 0, err
		}
		if !ok && bot.Sleep(ctx, shardRetry/4) != nil {
			return 0, ctx.Err()
		}
	}
	defer func() { _ = l.Release(context.WithoutCancel(ctx)) }()
	name := "discord-shards:" + a.appKey()
	stored, err := a.cfg.Counts.Cursor(ctx, name)
	if err != nil {
		return 0, err
	}
	if a.cfg.Shards <= 0 && stored > int64(want) {
		return int(stored), nil
	}
	if stored != int64(want) {
		if err := a.cfg.Counts.SetCursor(ctx, name, int64(want)); err != nil {
			return 0, err
		}
	}
	return want, nil
}

// holdShards runs the shards of a count-shard gateway that this replica
// can lease, until ctx ends (it returns 0) or the shared count changes (it
// returns the new count), once every session it opened is closed.
func (a *Adapter) holdShards(ctx context.Context, count, maxConcurrency int) int {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	t := time.NewTicker(shardRetry)
	defer t.Stop()
	for {
		// One free shard a round, so replicas started together share them.
		for i := range count {
			if _, mine := a.held.Load(i); mine {
				continue
			}
			l, ok, err := a.cfg.Locker.Acquire(ctx, fmt.Sprintf("discord-shard:%s:%d/%d", a.appKey(), i, count), shardLease)
			if err != nil {
				if ctx.Err() == nil {
					a.log.Warn("shard lease unavailable", "shard", i, "err", err)
				}
				break
			}
			if !ok {
				continue
			}
			a.held.Store(i, true)
			wg.Go(func() {
				defer a.held.Delete(i)
				held, lost := context.WithCancel(ctx)
				stop := bot.Hold(l, shardLease, func(err error) {
					a.log.Warn("shard lease lost; closing its session", "shard", i, "err", err)
					lost()
				})
				a.runShard(held, i, count, maxConcurrency)
				lost()
				stop()
			})
			break
		}
		select {
		case <-ctx.Done():
			return 0
		case <-t.C:
		}
		if a.cfg.Counts != nil {
			n, err := a.cfg.Counts.Cursor(ctx, "discord-shards:"+a.appKey())
			if err == nil && n > 0 && int(n) != count {
				a.log.Info("the shared shard count changed; reopening", "from", count, "to", n)
				return int(n)
			}
		}
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

// runShard keeps one session of shard id open until ctx ends: it waits
// for the shard's identify turn, identifies, and after a dropped
// connection resumes (discordgo resumes a session that had its READY),
// which needs no turn. A lost lease ends ctx and closes the session; the
// next holder identifies anew.
func (a *Adapter) runShard(ctx context.Context, id, count, maxConcurrency int) {
	s, err := a.newSession(ctx)
	if err != nil {
		a.log.Error("shard session", "shard", id, "err", err)
		return
	}
	s.ShardID, s.ShardCount = id, count
	// Reconnecting is done here, where the lease is known: discordgo's own
	// loop would reopen a session this replica no longer holds.
	s.ShouldReconnectOnError = false
	down := make(chan struct{}, 1)
	s.AddHandler(func(*discordgo.Session, *discordgo.Disconnect) {
		select {
		case down <- struct{}{}:
		default:
		}
	})
	log := a.log.With("shard", id, "shards", count)
	ready := false
	backoff := time.Second
	for ctx.Err() == nil {
		var turn bot.Lease
		if !ready {
			if turn, err = a.identifyTurn(ctx, id%maxConcurrency); err != nil {
				break
			}
		}
		err := s.Open()
		switch {
		case err == nil || errors.Is(err, discordgo.ErrWSAlreadyOpen):
			if turn != nil {
				// The next identify of this key waits a whole window
				// from now, past this one's READY.
				_ = turn.Renew(context.WithoutCancel(ctx), identifyWindow)
				log.Info("gateway shard identified")
			} else if err == nil {
				log.Info("gateway shard resumed")
			}
			ready, backoff = true, time.Second
			select {
			case <-ctx.Done():
			case <-down:
				if ctx.Err() == nil {
					log.Warn("gateway shard disconnected; resuming")
				}
			}
		default:
			log.Warn("gateway shard did not open", "err", err, "retry_in", backoff)
			if bot.Sleep(ctx, backoff) != nil {
				break
			}
			backoff = min(2*backoff, 30*time.Second)
		}
	}
	if err := s.Close(); err != nil {
		log.Warn("closing the gateway shard", "err", err)
	}
	log.Info("gateway shard closed")
}

// identifyTurn waits until this replica may identify a shard of rate-limit
// key key, and returns the turn's lease (left to run out, never released).
// Discord allows one identify per key every identifyWindow across all the
// bot's sessions; the turn lasts two windows until runShard renews it for
// one from READY, so a slow open cannot let the next identify come early.
func (a *Adapter) identifyTurn(ctx context.Context, key int) (bot.Lease, error) {
	name := fmt.Sprintf("discord-identify:%s:%d", a.appKey(), key)
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
