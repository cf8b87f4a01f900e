package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/hirebot/hirebot/bench"
)

// runBenchLoad is "hirebot bench load": people sending signed Slack DMs in
// a closed loop to a hirebot serve started here (a scratch SQLite file,
// Redis sessions under a scratch key prefix when REDIS_URL is set), and the
// same load on a bare signed handler, both replying to a local fake of
// Slack's Web API. Everything listens on 127.0.0.1.
func runBenchLoad(ctx context.Context, args []string, e env, stdout, stderr io.Writer) error {
	fs := newFlags("bench load", stderr)
	cfg := bench.LoadConfig{}
	fs.IntVar(&cfg.Users, "users", 50, "concurrent people, each in a closed loop")
	fs.DurationVar(&cfg.Duration, "duration", 10*time.Second, "length of each timed run")
	fs.IntVar(&cfg.Messages, "messages", 0, "at most this many messages per run (0: only --duration bounds it)")
	fs.IntVar(&cfg.Rounds, "rounds", 1, "bare and hirebot runs, alternately, this many times each")
	redisURL := fs.String("redis", e.RedisURL, "Redis for sessions and dedupe (env REDIS_URL); empty: the SQLite file")
	cpu := fs.String("cpuprofile", "", "write a CPU profile of hirebot's last timed run (with the load and the fake Web API, which run in this process)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "hirebot-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var nonce [4]byte
	_, _ = rand.Read(nonce[:])
	sc := storeConfig{DB: filepath.Join(dir, "load.db"), RedisURL: *redisURL, RedisPrefix: "hirebot-load-" + hex.EncodeToString(nonce[:]) + ":", SessionTTL: time.Hour}
	if sc.RedisURL != "" {
		defer dropKeys(context.WithoutCancel(ctx), sc.RedisURL, sc.RedisPrefix)
	} else {
		fmt.Fprintln(stderr, "hirebot bench load: REDIS_URL is not set; dialogs are kept in the SQLite file")
	}
	cfg.SigningSecret = hex.EncodeToString(nonce[:]) + "-load-secret"

	ctx, cancel := context.WithCancel(ctx)
	served := make(chan error, 1)
	defer func() { cancel(); <-served }()
	cfg.Start = func(ctx context.Context, apiURL string) (string, error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			served <- nil
			return "", err
		}
		se := env{SlackSigningSecret: cfg.SigningSecret, SlackBotToken: "xoxb-load", SlackAPIURL: apiURL}
		go func() { served <- serve(ctx, ln, sc, se, newLogger(stderr, env{LogLevel: "warn"})) }()
		base := "http://" + ln.Addr().String() + "/"
		return base + "slack/events", waitHealthy(ctx, base+"healthz", served)
	}
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			return err
		}
		defer f.Close()
		cfg.Profile = f
	}
	return bench.Load(ctx, stdout, cfg)
}

// waitHealthy waits until the server answers its health check.
func waitHealthy(ctx context.Context, url string, served chan error) error {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		select {
		case err := <-served:
			served <- err // for the caller's wait
			return fmt.Errorf("serve stopped: %w", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return errors.New("serve did not become healthy within 30s")
}

// dropKeys removes the run's scratch keys.
func dropKeys(ctx context.Context, url, prefix string) {
	opt, err := goredis.ParseURL(url)
	if err != nil {
		return
	}
	c := goredis.NewClient(opt)
	defer c.Close()
	it := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for it.Next(ctx) {
		c.Unlink(ctx, it.Val())
	}
}
