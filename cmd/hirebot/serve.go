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
	"github.com/hirebot/hirebot/conversation"
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
	if err := parse(fs, args); err != nil {
		return err
	}
	log := newLogger(stderr, e)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	return serve(ctx, ln, *sc, e, log)
}

// serve runs every configured platform and the HTTP routes on ln until ctx
// ends.
func serve(ctx context.Context, ln net.Listener, sc storeConfig, e env, log *slog.Logger) error {
	s, err := openStores(ctx, sc, log)
	if err != nil {
		ln.Close()
		return err
	}
	defer s.Close()
	b, h, err := newBot(ctx, s, e, log)
	if err != nil {
		ln.Close()
		return err
	}
	platforms, err := openPlatforms(ctx, e, s.DB.SlackTokens, s.Limiter, h, log)
	if err != nil {
		ln.Close()
		return err
	}
	if len(platforms) == 0 {
		log.Warn("no platform is configured; set SLACK_*, DISCORD_* or TELEGRAM_* (see README.md). Serving health checks only.")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := ready(r.Context(), s); err != nil {
			log.Warn("not ready", "err", err)
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ready\n")
	})
	for _, p := range platforms {
		b.Register(p)
		p.Routes(mux)
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return ctx }}
	errs := make(chan error, len(platforms)+1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errs <- fmt.Errorf("http: %w", err)
		}
	}()
	if s.Changes != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := b.ShareChanges(ctx, s.Changes, replicaName()); err != nil {
				log.Warn("change feed stopped", "err", err)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		_ = bot.NewScheduler(s.Locker, nil, log, b.Tasks()...).Run(ctx, 10*time.Second)
	}()
	for _, p := range platforms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.Run(ctx); err != nil && ctx.Err() == nil {
				errs <- fmt.Errorf("%s: %w", p.Platform(), err)
			}
		}()
	}
	log.Info("serving", "addr", ln.Addr().String(), "platforms", len(platforms))
	var first error
	select {
	case <-ctx.Done():
	case first = <-errs:
	}
	cancel()
	shutdown, done := context.WithTimeout(context.Background(), 10*time.Second)
	defer done()
	_ = srv.Shutdown(shutdown)
	wg.Wait()
	return first
}

// ready checks that the database and the session state answer.
func ready(ctx context.Context, s *stores) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := s.DB.Account(ctx, 0); err != nil && bot.ErrorCode(err) != bot.ENOTFOUND {
		return err
	}
	if _, err := s.Sessions.Load(ctx, "readyz"); err != nil && !errors.Is(err, conversation.ErrNoSession) {
		return err
	}
	return nil
}

// openPlatforms starts an adapter for every platform with credentials.
func openPlatforms(ctx context.Context, e env, slackTokens slack.TokenStore, limiter bot.Limiter, h bot.Handler, log *slog.Logger) ([]platform, error) {
	var out []platform
	if e.SlackSigningSecret != "" || e.SlackAppToken != "" {
		var tokens slack.TokenStore // nil: the one workspace of SLACK_BOT_TOKEN
		if e.SlackClientID != "" {
			tokens = slackTokens // distributable: a token per installed workspace
		}
		a, err := slack.New(ctx, slack.Config{
			Tokens:        tokens,
			SigningSecret: e.SlackSigningSecret, BotToken: e.SlackBotToken, AppToken: e.SlackAppToken,
			ClientID: e.SlackClientID, ClientSecret: e.SlackClientSecret, APIURL: e.SlackAPIURL,
			RedirectURL: e.SlackRedirectURL,
		}, h, log)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if e.DiscordBotToken != "" {
		a, err := discord.New(ctx, discordConfig(e), h, log)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if e.TelegramBotToken != "" {
		a, err := telegram.New(ctx, telegram.Config{
			Token: e.TelegramBotToken, APIURL: e.TelegramAPIURL,
			WebhookURL: e.TelegramWebhookURL, WebhookSecret: e.TelegramWebhookSecret,
			Limiter: limiter,
		}, h, log)
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
