package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"

	"github.com/hirebot/hirebot/adapters/web"
	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
)

// runWeb is the demo in a browser: serve with the web chat on, listening
// on 127.0.0.1:8080 unless told otherwise.
func runWeb(ctx context.Context, args []string, e env, stderr io.Writer) error {
	fs := newFlags("web", stderr)
	sc := storeFlags(fs, e)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log := newLogger(stderr, e)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	e.WebChat = true
	fmt.Fprintf(stderr, "hirebot web chat: open http://%s%s (add ?as=employer for a second person in another tab). Ctrl-C stops.\n", ln.Addr(), web.ChatPath)
	return serve(ctx, ln, *sc, e, log)
}

// withWebChat adds the web chat to the platforms when it is asked for
// (HIREBOT_WEB_SECRET is set, or `hirebot web`), or when nothing else is
// configured, so `serve` alone is a demo in the browser.
func withWebChat(platforms []platform, e env, b *hire.Bot, h bot.Handler, limiter bot.Limiter, log *slog.Logger) ([]platform, error) {
	if e.WebSecret == "" && !e.WebChat && len(platforms) > 0 {
		return platforms, nil
	}
	secret := []byte(e.WebSecret)
	if e.WebSecret == "" {
		secret = make([]byte, 32)
		_, _ = rand.Read(secret) // crypto/rand.Read never fails
		log.Warn("HIREBOT_WEB_SECRET is not set: web visitors are new ones after a restart (set 32 or more random bytes to keep them)")
	} else if len(secret) < web.MinSecret {
		return nil, fmt.Errorf("HIREBOT_WEB_SECRET must be at least %d bytes", web.MinSecret)
	}
	var origins []string
	for _, o := range strings.Split(e.WebOrigins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			origins = append(origins, o)
		}
	}
	a, err := web.New(web.Config{Secret: secret, Origins: origins, Arrived: b.Arrived, Limiter: limiter}, h, log)
	if err != nil {
		return nil, fmt.Errorf("HIREBOT_WEB_ORIGINS: %w", err)
	}
	if len(platforms) == 0 {
		log.Info("no chat platform is configured (SLACK_*, DISCORD_*, TELEGRAM_*, see README.md): serving the web chat at " + web.ChatPath)
	}
	return append(platforms, a), nil
}
