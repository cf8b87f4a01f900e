package bench

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ScaleConfig configures Scale.
type ScaleConfig struct {
	// Binary is the hirebot executable; it runs as "hirebot serve".
	Binary string
	// Postgres is a PostgreSQL server where a scratch schema may be made,
	// and RedisURL the Redis every replica shares. Both are required.
	Postgres, RedisURL string
	// Replicas is how many hirebot serve processes share them (default 3).
	Replicas int
	// Users is how many people talk to the bot on each platform at once,
	// each in a closed loop (default 10).
	Users int
	// Duration bounds the traffic (default 20 s); answers still in flight
	// then are waited for, up to Timeout.
	Duration time.Duration
	// TwicePercent of the events are delivered a second time, to another
	// replica at the same moment, as a platform retrying would (default 20;
	// negative: none).
	TwicePercent int
	// Timeout is how long one event waits for its answer before its person
	// goes on (default 10 s); Settle is how long the run waits after the
	// traffic for late answers and double handling to show (default 5 s).
	Timeout, Settle time.Duration
	// Env is the environment the children start from (PATH, HOME, ...).
	Env []string
	// Logs, when set, receives every child's log.
	Logs io.Writer
}

// PlatformFigures are what Scale counts on one platform, or on all.
type PlatformFigures struct {
	Platform string
	// Sent is distinct events, Twice those delivered twice.
	Sent, Twice int
	// Answered is distinct events answered by the end; Late those whose
	// answer took longer than the timeout; Duplicates the answers beyond
	// one per event; Lost the events never answered.
	Answered, Late, Duplicates, Lost int
	// P50 and P99 are send-to-answer times of the events answered in time.
	P50, P99 time.Duration
	lat      []time.Duration
}

// ScaleFigures are the figures of one Scale run.
type ScaleFigures struct {
	Replicas  int
	Elapsed   time.Duration // of the traffic
	Platforms []PlatformFigures
	All       PlatformFigures
}

// OK reports whether every event was answered exactly once.
func (f ScaleFigures) OK() bool { return f.All.Sent > 0 && f.All.Lost == 0 && f.All.Duplicates == 0 }

// Scale runs Replicas hirebot serve processes on one PostgreSQL schema and
// one Redis, serving Slack's Events API, Telegram's webhook and Discord's
// interactions endpoint against local fakes of the three platforms, and
// has Users people on each platform ask for something with a one-message
// answer over and over (a greeting on Slack and Telegram, /hire help on
// Discord, answered in the interaction), each event to a random replica
// and some to two: the fakes count messages, so an answer a platform
// splits in two (Telegram's /help is longer than its 4,096-character
// message) would read as a duplicate. It counts per platform the events
// sent, answered, answered twice and never answered, and prints them.
func Scale(ctx context.Context, w io.Writer, cfg ScaleConfig) (ScaleFigures, error) {
	cfg.Replicas = cmpOr(cfg.Replicas, 3)
	cfg.Users = cmpOr(cfg.Users, 10)
	cfg.Duration = cmpOr(cfg.Duration, 20*time.Second)
	cfg.TwicePercent = max(cmpOr(cfg.TwicePercent, 20), 0)
	cfg.Timeout = cmpOr(cfg.Timeout, 10*time.Second)
	cfg.Settle = cmpOr(cfg.Settle, 5*time.Second)
	fig := ScaleFigures{Replicas: cfg.Replicas}
	if cfg.Postgres == "" || cfg.RedisURL == "" {
		return fig, errors.New("bench scale: PostgreSQL and Redis are both required")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	db, dsn, drop, err := scratchSchema(ctx, cfg.Postgres)
	if err != nil {
		return fig, err
	}
	db.Close()
	defer drop()

	pub, signer, err := ed25519.GenerateKey(nil)
	if err != nil {
		return fig, err
	}
	appID := snowflake(discordEpoch2020, 1)
	slackAPI, botAPI, discordAPI := newFakeWebAPI(), &fakeBotAPI{}, &fakeDiscordAPI{appID: appID}
	var urls [3]string
	for i, h := range []http.Handler{slackAPI, botAPI, discordAPI} {
		if urls[i], err = serveLocal(ctx, h); err != nil {
			return fig, err
		}
	}
	signing, hook := "scale-signing-"+nonce(), "scale-hook-"+nonce()
	env := append(cfg.Env[:len(cfg.Env):len(cfg.Env)],
		"HIREBOT_DB="+dsn, "HIREBOT_LOG=warn", "REDIS_URL="+cfg.RedisURL,
		"HIREBOT_REDIS_PREFIX=hirebot-scale-"+nonce()+":", "HIREBOT_SESSION_TTL=1h",
		"SLACK_SIGNING_SECRET="+signing, "SLACK_BOT_TOKEN=xoxb-scale-"+nonce(), "SLACK_API_URL="+urls[0]+"api/",
		"TELEGRAM_BOT_TOKEN=424242424:AAS"+nonce(), "TELEGRAM_API_URL="+strings.TrimSuffix(urls[1], "/"),
		"TELEGRAM_WEBHOOK_URL=https://hirebot.invalid/telegram/webhook", "TELEGRAM_WEBHOOK_SECRET="+hook,
		"DISCORD_BOT_TOKEN=scale."+nonce(), "DISCORD_APP_ID="+appID,
		"DISCORD_PUBLIC_KEY="+hex.EncodeToString(pub), "DISCORD_API_URL="+urls[2]+"api/v9")

	f := &fleet{binary: cfg.Binary}
	defer func() {
		f.stopAll()
		if cfg.Logs != nil {
			_, _ = io.WriteString(cfg.Logs, f.logs.String())
		}
	}()
	// One after the other: the first migrates the schema.
	var bases []string
	for range cfg.Replicas {
		c, err := f.start(ctx, env)
		if err != nil {
			return fig, err
		}
		bases = append(bases, c.url)
	}

	client := localClient(6 * cfg.Users)
	var seq atomic.Int64
	platforms := []*scalePlatform{{
		name: "slack", tally: &slackAPI.tally,
		key: func(u int) string { return fmt.Sprintf("DS%06d", u) },
		event: func(u int, key string) func(string) {
			n := seq.Add(1)
			body := messageEvent(n, fmt.Sprintf("US%06d", u), key, "hello")
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			e := slackEvent{channel: key, body: body, ts: ts, sig: sign(signing, ts, body)}
			return func(base string) { e.post(ctx, client, base) }
		},
	}, {
		name: "telegram", tally: &botAPI.tally,
		key: func(u int) string { return strconv.Itoa(810000000 + u) },
		event: func(u int, key string) func(string) {
			chat, _ := strconv.ParseInt(key, 10, 64)
			body := update(seq.Add(1), chat, "hello")
			return func(base string) { postUpdate(ctx, client, base, hook, body) }
		},
	}, {
		name: "discord", tally: &discordAPI.tally,
		key: func(u int) string { return snowflake(discordEpoch2020+1, int64(u)) },
		event: func(u int, key string) func(string) {
			n := seq.Add(1)
			id := snowflake(time.Now().UnixMilli()-discordEpoch, n)
			body := helpInteraction(appID, id, snowflake(discordEpoch2020, int64(u)+2), key, n)
			return func(base string) {
				if postInteraction(ctx, client, base, signer, body) {
					discordAPI.add(key)
				}
			}
		},
	}}

	fmt.Fprintf(w, "hirebot bench scale: %d replicas on one PostgreSQL schema and one Redis; %d people on each of Slack (Events API), Telegram (webhook), Discord (HTTP interactions); %v of traffic, %d%% of events delivered twice to two replicas\n",
		cfg.Replicas, cfg.Users, cfg.Duration, cfg.TwicePercent)
	traffic, stop := context.WithTimeout(ctx, cfg.Duration)
	defer stop()
	start := time.Now()
	var wg sync.WaitGroup
	for p := range platforms {
		for u := range cfg.Users {
			wg.Go(func() { platforms[p].talk(ctx, traffic, cfg, bases, p, u) })
		}
	}
	wg.Wait()
	fig.Elapsed = time.Since(start)
	if ctx.Err() != nil {
		return fig, ctx.Err()
	}
	select { // late answers and second handlings show up here
	case <-time.After(cfg.Settle):
	case <-ctx.Done():
		return fig, ctx.Err()
	}

	var all []time.Duration
	fig.All.Platform = "all"
	fmt.Fprintf(w, "%-9s %7s %6s %9s %10s %9s %9s %5s %10s %5s\n", "platform", "events", "twice", "answered", "answered/s", "p50", "p99", "late", "duplicates", "lost")
	for _, p := range platforms {
		pf := p.figures(cfg.Users)
		fig.Platforms = append(fig.Platforms, pf)
		fig.All.Sent += pf.Sent
		fig.All.Twice += pf.Twice
		fig.All.Answered += pf.Answered
		fig.All.Late += pf.Late
		fig.All.Duplicates += pf.Duplicates
		fig.All.Lost += pf.Lost
		all = append(all, pf.lat...)
	}
	slices.Sort(all)
	fig.All.P50, fig.All.P99 = quantile(all, 0.5), quantile(all, 0.99)
	for _, pf := range append(fig.Platforms, fig.All) {
		fmt.Fprintf(w, "%-9s %7d %6d %9d %10.1f %9v %9v %5d %10d %5d\n", pf.Platform, pf.Sent, pf.Twice, pf.Answered,
			float64(pf.Answered)/fig.Elapsed.Seconds(), round(pf.P50), round(pf.P99), pf.Late, pf.Duplicates, pf.Lost)
	}
	return fig, nil
}

// scalePlatform is one platform's side of the traffic.
type scalePlatform struct {
	name  string
	tally *tally // the fake platform's count of answers per conversation
	// key is person u's conversation; event makes person u's next event
	// and returns the function that delivers it to a replica.
	key   func(u int) string
	event func(u int, key string) func(base string)

	twice, timeouts atomic.Int64
	mu              sync.Mutex
	sent            map[int]int // per person
	lat             []time.Duration
}

// talk is person u in a closed loop until traffic ends: an event to a
// random replica (and now and then the same event to another one at the
// same moment), then a wait for its answer.
func (p *scalePlatform) talk(ctx, traffic context.Context, cfg ScaleConfig, bases []string, seed, u int) {
	rng := rand.New(rand.NewPCG(uint64(seed), uint64(u)))
	key := p.key(u)
	inbox := p.tally.inbox(key)
	sent, mine := 0, make([]time.Duration, 0, 256)
	var twins sync.WaitGroup
	defer func() {
		twins.Wait()
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.sent == nil {
			p.sent = map[int]int{}
		}
		p.sent[u] = sent
		p.lat = append(p.lat, mine...)
	}()
	for traffic.Err() == nil {
		deliver := p.event(u, key)
		i := rng.IntN(len(bases))
		t := time.Now()
		sent++
		if len(bases) > 1 && rng.IntN(100) < cfg.TwicePercent {
			p.twice.Add(1)
			j := (i + 1 + rng.IntN(len(bases)-1)) % len(bases)
			twins.Go(func() { deliver(bases[j]) })
		}
		deliver(bases[i])
		select {
		case <-inbox:
			mine = append(mine, time.Since(t))
		case <-time.After(cfg.Timeout):
			p.timeouts.Add(1)
		case <-ctx.Done():
			return
		}
	}
}

// figures compares, person by person, the events sent with the answers
// the fake platform counted: fewer are lost events, more are duplicates.
func (p *scalePlatform) figures(users int) PlatformFigures {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := PlatformFigures{Platform: p.name, Twice: int(p.twice.Load())}
	for u := range users {
		sent, got := p.sent[u], int(p.tally.count(p.key(u)))
		f.Sent += sent
		f.Answered += min(sent, got)
		f.Duplicates += max(0, got-sent)
		f.Lost += max(0, sent-got)
	}
	f.Late = max(0, int(p.timeouts.Load())-f.Lost)
	f.lat = slices.Clone(p.lat)
	slices.Sort(f.lat)
	f.P50, f.P99 = quantile(f.lat, 0.5), quantile(f.lat, 0.99)
	return f
}
