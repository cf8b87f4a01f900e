package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/metrics"
)

// observe turns on the metrics of serve: the stores' failures are
// counted, the outbox backlog is read at each scrape, and the bot built
// on s reports to the returned registry.
func observe(s *stores) (*metrics.Metrics, error) {
	m := metrics.New()
	if err := m.Register(m.NewBacklogCollector(s.DB.Backlog)); err != nil {
		return nil, err
	}
	s.Sessions = m.Sessions(s.Sessions)
	s.DB.Store = m.Store(s.DB.Store)
	s.Metrics = m
	return m, nil
}

// platformNames are the first path segments of the platforms' routes,
// under which refused requests are counted.
var platformNames = []string{bot.Slack, bot.Discord, bot.Telegram, "web"}

// adminServer listens on addr for net/http/pprof, apart from the public
// listener, and returns the run that serves it until its ctx ends. It
// returns a nil run when addr is empty: profiles show the program's
// insides, so they are only there when asked for, on an address the
// operator chose (a loopback one, or a port not exposed).
func adminServer(addr string, log *slog.Logger) (run func(context.Context) error, err error) {
	if addr == "" {
		return nil, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("HIREBOT_ADMIN_ADDR %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	return func(ctx context.Context) error {
		stop := context.AfterFunc(ctx, func() { _ = srv.Close() })
		defer stop()
		log.Info("serving pprof", "addr", ln.Addr().String())
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}, nil
}
