package main

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/hirebot/hirebot/bench"
)

// runBenchScale is "hirebot bench scale": this binary run as several
// hirebot serve replicas on one PostgreSQL schema and one Redis, with
// Slack, Telegram and Discord traffic at once against local fakes; it
// prints events/s, answer times, duplicates and lost events per platform,
// and fails when an event was lost or answered twice.
func runBenchScale(ctx context.Context, args []string, e env, stdout, stderr io.Writer) error {
	fs := newFlags("bench scale", stderr)
	cfg := bench.ScaleConfig{}
	fs.IntVar(&cfg.Replicas, "replicas", 3, "hirebot serve processes, each on its own port")
	fs.IntVar(&cfg.Users, "users", 10, "people on each platform, each in a closed loop")
	fs.DurationVar(&cfg.Duration, "duration", 20*time.Second, "how long the traffic runs")
	fs.IntVar(&cfg.TwicePercent, "twice", 20, "percent of events delivered a second time, to another replica")
	fs.DurationVar(&cfg.Timeout, "timeout", 10*time.Second, "how long one event waits for its answer")
	fs.DurationVar(&cfg.Settle, "settle", 5*time.Second, "wait after the traffic for late answers and double handling")
	fs.StringVar(&cfg.Postgres, "postgres", benchPostgres, "PostgreSQL server for a scratch schema")
	fs.StringVar(&cfg.RedisURL, "redis", e.RedisURL, "Redis the replicas share (env REDIS_URL)")
	logs := fs.String("logs", "", "write the children's logs to this file")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	bin, logw, done, err := benchChildren(*logs)
	if err != nil {
		return err
	}
	defer done()
	cfg.Binary, cfg.Logs = bin, logw
	fig, err := bench.Scale(ctx, stdout, cfg)
	if err != nil {
		return err
	}
	if !fig.OK() {
		return errors.New("bench scale: an event was lost or answered twice")
	}
	return nil
}
