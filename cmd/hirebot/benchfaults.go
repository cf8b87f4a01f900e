package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/hirebot/hirebot/bench"
)

// runBenchFaults is "hirebot bench faults": this binary run as hirebot
// serve child processes on SQLite, and as two replicas on PostgreSQL and
// Redis, killed with SIGKILL under load; it prints what was lost and fails
// when anything acknowledged was lost, handled twice, or a secret logged.
func runBenchFaults(ctx context.Context, args []string, e env, stdout, stderr io.Writer) error {
	fs := newFlags("bench faults", stderr)
	cfg := bench.FaultConfig{}
	fs.IntVar(&cfg.Events, "events", 600, "Slack events sent in each kill -9 run")
	fs.IntVar(&cfg.Redeliveries, "redeliveries", 25, "Telegram updates delivered again after their replica died")
	fs.DurationVar(&cfg.Timeout, "timeout", time.Minute, "how long to wait for the answers after a fault")
	fs.StringVar(&cfg.Postgres, "postgres", benchPostgres, "PostgreSQL server for a scratch schema (empty: SQLite runs only)")
	fs.StringVar(&cfg.RedisURL, "redis", e.RedisURL, "Redis for the replicas (env REDIS_URL; empty: SQLite runs only)")
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
	fig, err := bench.Faults(ctx, stdout, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "acknowledged but lost: %d of %d; re-deliveries handled: %d/%d; replays handled twice: %d of %d; secrets in logs: %d\n",
		fig.AckedLost, fig.Acked, fig.RedeliveredHandled, fig.Redelivered, fig.ReplayedHandled, fig.Replayed, fig.SecretsInLogs)
	if !fig.OK() {
		return errors.New("bench faults: something acknowledged was lost or handled twice, or a secret was logged")
	}
	return nil
}

// benchPostgres is the PostgreSQL server the benches make scratch schemas
// on by default: the local one with trust authentication.
const benchPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// benchChildren returns this binary, which a bench runs as hirebot serve
// children, and the file their logs go to when logs names one (nil
// otherwise), with the function that closes it.
func benchChildren(logs string) (bin string, w io.Writer, done func(), err error) {
	if bin, err = os.Executable(); err != nil {
		return "", nil, nil, err
	}
	if logs == "" {
		return bin, nil, func() {}, nil
	}
	f, err := os.Create(logs)
	if err != nil {
		return "", nil, nil, err
	}
	return bin, f, func() { f.Close() }, nil
}
