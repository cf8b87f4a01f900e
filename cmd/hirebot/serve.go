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
// their replies are sent within it; what is left is ended and stays in
// the inbox. A variable for tests.
var drainTimeout = 20 * time.Second

// stopGrace is how long the stop waits, after the drain's bound, for work
// that was told to end.
const stopGrace = 5 * time.Second

// serve runs every configured platform and the HTTP routes on ln until ctx
// ends or a component fails, then stops in order: readiness goes false and
// new platform requests are refused; intake stops (the HTTP server's
// Shutdown, the platforms' gateways, pollers and sockets) and the work in
// hand finishes, within drainTimeout, after which it is ended (bot.Outlive);
// then the core (the inbox's take-overs, delivery, the scheduler, the change
// feed) stops, within what is left of the bound; then the stores close,
// with nothing left to write to them. Work that does not return within
// stopGrace after it was ended is left behind, logged.
func serve(ctx context.Context, ln net.Listener, sc storeConfig, e env, log *slog.Logger) error {
	s, err := openStores(ctx, sc, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer s.Close()
	return serveOn(ctx, ln, s, e, log)
}

// serveOn is serve on stores already open; it returns when nothing it
// started runs any more, so the caller may close them.
func serveOn(ctx context.Context, ln net.Listener, s *stores, e env, log *slog.Logger) error {
	m, err := observe(s) // metrics.go
	if err != nil {
		ln.Close()
		return err
	}
	b, h, intake, err := newBot(ctx, s, e, log)
	if err != nil {
		ln.Close()
		return err
	}
	platforms, err := openPlatforms(ctx, e, s, h, log)
	var problems map[string]string
	if err == nil {
		problems, err = checkCredentials(ctx, platforms, log)
	}
	if err == nil {
		platforms, err = withWebChat(platforms, e, b, h, s.Limiter, log) // web.go
	}
	var admin func(context.Context) error
	if err == nil {
		admin, err = adminServer(e.AdminAddr, log) // metrics.go
	}
	if err != nil {
		ln.Close()
		return err
	}
	share := b.ShareChanges(s.Changes, replicaName()) // before the first event
	rd := newReadiness(s, platforms, problems, log)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	mux.Handle("GET /readyz", rd)
	mux.Handle("GET /metrics", m.Handler())
	for _, p := range platforms {
		b.Register(p)
		p.Routes(mux)
	}

	// drain is the life of the work taken in: it outlives the stop signal
	// (bot.Outlive) and ends at the bound of the stop.
	drain, endDrain := context.WithCancel(context.WithoutCancel(ctx))
	defer endDrain()
	failed := newFirstError(log)
	core := newStage(bot.WithDrain(context.WithoutCancel(ctx), drain), failed.fail)
	snap := s.snapshot(b.Index(), log)
	core.Go("change feed", share)
	core.Go("inbox", intake.Run)
	core.Go("delivery", b.RunDelivery)
	core.Go("scheduler", func(ctx context.Context) error {
		return hire.NewScheduler(s.Locker, nil, log, append(b.Tasks(), snap.task())...).Run(ctx, 10*time.Second)
	})
	core.Go("readiness", rd.Run)
	if admin != nil {
		core.Go("pprof", admin)
	}
	receivers := newStage(bot.WithDrain(context.WithoutCancel(ctx), drain), failed.fail)
	for _, p := range platforms {
		receivers.Go(p.Platform(), p.Run)
	}
	srv := &http.Server{Handler: refuseWhileDraining(rd, m.Refusals(mux, platformNames...)), ReadHeaderTimeout: 10 * time.Second,
		BaseContext: func(net.Listener) context.Context { return bot.WithDrain(drain, drain) }}
	receivers.Go("http", func(context.Context) error {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	log.Info("serving", "addr", ln.Addr().String(), "platforms", len(platforms))
	select {
	case <-ctx.Done():
	case <-failed.failed:
	}

	start := time.Now()
	log.Info("stopping: readiness is off and new events are refused", "bound", drainTimeout)
	rd.Drain()
	bound, endBound := context.WithTimeout(context.WithoutCancel(ctx), drainTimeout)
	defer endBound()
	// Intake: the HTTP requests in hand are answered (Shutdown waits for
	// them), the platforms stop receiving and finish what they took in.
	shutdown := srv.Shutdown(bound)
	received := receivers.stop()
	select {
	case <-received:
	case <-bound.Done():
	}
	// The core: what the drained work enqueued is delivered, the events
	// waiting in the inbox are taken over, within what is left of the bound.
	served := core.stop()
	select {
	case <-served:
	case <-bound.Done():
	}
	if bound.Err() != nil {
		log.Warn("the stop's bound passed with work in hand; it is ended and stays in the inbox", "bound", drainTimeout)
	}
	endDrain()
	// The work in hand was ended with the drain; what still has not
	// returned after stopGrace is left behind (its events stay in the
	// inbox), so that the process stops all the same.
	late, endLate := context.WithTimeout(context.WithoutCancel(ctx), stopGrace)
	defer endLate()
	if shutdown != nil && srv.Shutdown(late) != nil {
		_ = srv.Close()
	}
	for name, done := range map[string]<-chan struct{}{"intake": received, "core": served} {
		select {
		case <-done:
		case <-late.Done():
			log.Error("stopping without waiting for work that ignored the end of the drain", "part", name, "grace", stopGrace)
		}
	}
	// The next start loads what this one had instead of rebuilding.
	snap.saveAtStop(ctx)
	log.Info("stopped", "took", time.Since(start).Round(time.Millisecond))
	return failed.err
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
		// Shard leases and sessions in Redis spread the gateway over the
		// replicas; the in-process ones run every shard here.
		cfg.Shards, cfg.Locker, cfg.Shared, cfg.Limiter = e.DiscordShards, s.Locker, s.Values, limiter
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
