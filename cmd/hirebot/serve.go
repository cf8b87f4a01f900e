package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/hirebot/hirebot/adapters/discord"
	"github.com/hirebot/hirebot/adapters/slack"
	"github.com/hirebot/hirebot/adapters/telegram"
	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
)

// platform is one running platform adapter.
type platform interface {
	bot.Adapter
	Routes(mux *http.ServeMux)
	Run(ctx context.Context) error
}

func runServe(ctx context.Context, args []string, e env, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	sc := storeFlags(fs, e)
	addr := fs.String("addr", e.Addr, "listen address (env HIREBOT_ADDR)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log := newLogger(stderr, e)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	return serve(ctx, ln, *sc, e, log)
}

// drainTimeout bounds a graceful stop: the events in hand finish and
// their replies are sent within it; what is left stays in the inbox.
const drainTimeout = 20 * time.Second

// serve runs every configured platform and the HTTP routes on ln until ctx
// ends, then stops gracefully: readiness goes false, new platform requests
// are refused, the receiving loops stop, and the work in flight finishes
// within drainTimeout.
func serve(ctx context.Context, ln net.Listener, sc storeConfig, e env, log *slog.Logger) error {
	s, err := openStores(ctx, sc, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer s.Close()
	m, err := observe(s) // metrics.go
	if err != nil {
		ln.Close()
		return err
	}
	// work outlives the stop signal: the events in hand finish and their
	// replies are sent. It ends after the drain.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	b, h, intake, err := newBot(ctx, s, e, log)
	if err != nil {
		ln.Close()
		return err
	}
	platforms, err := openPlatforms(work, e, s, h, log)
	var problems map[string]string
	if err == nil {
		problems, err = checkCredentials(ctx, platforms, log)
	}
	if err == nil {
		platforms, err = withWebChat(platforms, e, b, h, s.Limiter, log) // web.go
	}
	if err != nil {
		ln.Close()
		return err
	}
	share := followChanges(s, b, log) // before the first event
	rd := newReadiness(s, platforms, problems, log)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	mux.Handle("GET /readyz", rd)
	mux.Handle("GET /metrics", m.Handler())
	for _, p := range platforms {
		b.Register(p)
		p.Routes(mux)
	}

	// receive ends at the stop signal: the loops that take in new events,
	// and the periodic work.
	// What they took in finishes under bot.Outlive, which ends with work.
	receive, stopReceiving := context.WithCancel(ctx)
	defer stopReceiving()
	receive = bot.WithDrain(receive, work)
	srv := &http.Server{Handler: refuseWhileDraining(rd, m.Refusals(mux, platformNames...)), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return bot.WithDrain(work, work) }}
	if err := serveAdmin(receive, e.AdminAddr, log); err != nil {
		ln.Close()
		return fmt.Errorf("HIREBOT_ADMIN_ADDR %s: %w", e.AdminAddr, err)
	}
	errs := make(chan error, len(platforms)+1)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errs <- fmt.Errorf("http: %w", err)
		}
	})
	wg.Go(func() { share(receive) })
	snap := s.snapshot(b.Index(), log)
	wg.Go(func() {
		_ = hire.NewScheduler(s.Locker, nil, log, append(b.Tasks(), snap.task())...).Run(receive, 10*time.Second)
	})
	wg.Go(func() { _ = b.RunDelivery(receive) })
	wg.Go(func() { _ = rd.Run(receive) })
	wg.Go(func() {
		if err := intake.Run(receive); err != nil {
			log.Warn("inbox stopped", "err", err)
		}
	})
	for _, p := range platforms {
		wg.Go(func() {
			if err := p.Run(receive); err != nil && receive.Err() == nil {
				errs <- fmt.Errorf("%s: %w", p.Platform(), err)
			}
		})
	}
	log.Info("serving", "addr", ln.Addr().String(), "platforms", len(platforms))
	var first error
	select {
	case <-ctx.Done():
	case first = <-errs:
	}

	start := time.Now()
	log.Info("stopping: readiness is off and new events are refused", "bound", drainTimeout)
	rd.Drain()
	stopReceiving()
	bound, done := context.WithTimeout(work, drainTimeout)
	defer done()
	_ = srv.Shutdown(bound) // waits for the requests in hand
	finished := make(chan struct{})
	go func() { wg.Wait(); close(finished) }()
	select {
	case <-finished:
		log.Info("stopped", "took", time.Since(start).Round(time.Millisecond))
	case <-bound.Done():
		log.Warn("stopped with work still in flight after the bound", "took", time.Since(start).Round(time.Millisecond))
	}
	// The next start loads what this one had instead of rebuilding.
	snap.saveAtStop(ctx)
	return first
}

// openPlatforms starts an adapter for every platform with credentials.
func openPlatforms(ctx context.Context, e env, s *stores, h bot.Handler, log *slog.Logger) ([]platform, error) {
	slackTokens, limiter := s.DB.SlackTokens, s.Limiter
	var out []platform
	if e.SlackSigningSecret != "" || e.SlackAppToken != "" {
		var tokens slack.TokenStore // nil: the one workspace of SLACK_BOT_TOKEN
		if e.SlackClientID != "" {
			tokens = slackTokens // distributable: a token per installed workspace
		}
		a, err := slack.New(slack.Config{
			Tokens:        tokens,
			SigningSecret: e.SlackSigningSecret, BotToken: e.SlackBotToken, AppToken: e.SlackAppToken,
			ClientID: e.SlackClientID, ClientSecret: e.SlackClientSecret, APIURL: e.SlackAPIURL,
			RedirectURL: e.SlackRedirectURL, Locker: s.Locker, Limiter: limiter,
		}, h, log)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if e.DiscordBotToken != "" {
		cfg := discordConfig(e)
		shards, err := count("HIREBOT_DISCORD_SHARDS", e.DiscordShards)
		if err != nil {
			return nil, err
		}
		// Shard leases in Redis spread the gateway over the replicas; the
		// in-process Locker runs every shard here.
		cfg.Shards, cfg.Locker, cfg.Limiter = shards, s.Locker, limiter
		if s.Cursors != nil { // a nil *Cursors would be a non-nil Counts
			cfg.Counts = s.Cursors
		}
		a, err := discord.New(cfg, h, log)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if e.TelegramBotToken != "" {
		cfg := telegram.Config{
			Token: e.TelegramBotToken, APIURL: e.TelegramAPIURL,
			WebhookURL: e.TelegramWebhookURL, WebhookSecret: e.TelegramWebhookSecret,
			Limiter: limiter, Locker: s.Locker,
		}
		if s.Cursors != nil { // a nil *Cursors would be a non-nil Offsets
			cfg.Offsets = s.Cursors
		}
		a, err := telegram.New(ctx, cfg, h, log)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func discordConfig(e env) discord.Config {
	return discord.Config{
		Token: e.DiscordBotToken, AppID: e.DiscordAppID, PublicKey: e.DiscordPublicKey, APIURL: e.DiscordAPIURL,
		Autocomplete: bot.CompleteSkill,
	}
}

// replicaName tells this process's change messages from the others'.
func replicaName() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s-%d-%x", host, os.Getpid(), b)
}
