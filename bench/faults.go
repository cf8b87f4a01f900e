package bench

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
)

// FaultConfig configures Faults.
type FaultConfig struct {
	// Binary is the hirebot executable; it runs as "hirebot serve".
	Binary string
	// Postgres is a PostgreSQL server where a scratch schema may be made,
	// and RedisURL a Redis for the replicas; the replica runs need both.
	Postgres, RedisURL string
	// Events is how many Slack events each kill -9 run sends (default 600).
	Events int
	// Redeliveries is how many Telegram updates are delivered again after
	// their replica died (default 25).
	Redeliveries int
	// Timeout bounds the wait for every answer after a fault (default 60 s).
	Timeout time.Duration
	// Env is the environment the children start from (PATH, HOME, ...).
	Env []string
	// Logs, when set, receives every child's log.
	Logs io.Writer
}

// FaultFigures are what Faults counts.
type FaultFigures struct {
	Acked, AckedLost                 int // Slack events answered 200, and those never answered after kill -9
	Redelivered, RedeliveredHandled  int // Telegram updates delivered again after a replica died, and those answered
	Replayed, ReplayedHandled        int // events replayed after they were handled, and those handled again
	SecretsInLogs, LogLines, Secrets int
}

// OK reports whether the figures show no loss, no double handling and no
// secret.
func (f FaultFigures) OK() bool {
	return f.AckedLost == 0 && f.RedeliveredHandled == f.Redelivered && f.ReplayedHandled == 0 && f.SecretsInLogs == 0
}

// Faults runs hirebot serve as child processes against local fakes of
// Slack and Telegram, kills them with SIGKILL under load and counts what
// was lost: acknowledged events never answered (SQLite, one process
// restarted; PostgreSQL, two replicas, one killed), Telegram re-deliveries
// after a replica died with its events in hand (handling stalled by a lock
// on the identities table), replays handled twice, and configured secrets
// found in the logs. It prints each figure as it is measured.
func Faults(ctx context.Context, w io.Writer, cfg FaultConfig) (FaultFigures, error) {
	cfg.Events = cmpOr(cfg.Events, 600)
	cfg.Redeliveries = cmpOr(cfg.Redeliveries, 25)
	cfg.Timeout = cmpOr(cfg.Timeout, 60*time.Second)
	r := &faultRun{cfg: cfg, w: w, fleet: fleet{binary: cfg.Binary}, secrets: map[string]string{
		"SLACK_SIGNING_SECRET":    "faults-signing-" + nonce(),
		"SLACK_BOT_TOKEN":         "xoxb-4242-4242-" + nonce(),
		"TELEGRAM_BOT_TOKEN":      "424242424:AAF" + nonce() + nonce(),
		"TELEGRAM_WEBHOOK_SECRET": "faults-hook-" + nonce(),
	}}
	dir, err := os.MkdirTemp("", "hirebot-faults-")
	if err != nil {
		return r.fig, err
	}
	defer os.RemoveAll(dir)
	defer r.stopAll()

	slackAPI := newFakeWebAPI()
	slackURL, err := serveLocal(ctx, slackAPI)
	if err != nil {
		return r.fig, err
	}
	r.slack, r.slackURL = slackAPI, slackURL+"api/"

	if err := r.killSQLite(ctx, filepath.Join(dir, "faults.db")); err != nil {
		return r.fig, err
	}
	if cfg.Postgres == "" || cfg.RedisURL == "" {
		fmt.Fprintln(w, "PostgreSQL or Redis not given: the replica runs are skipped")
	} else {
		db, dsn, drop, err := scratchSchema(ctx, cfg.Postgres)
		if err != nil {
			return r.fig, err
		}
		defer drop()
		r.pg, r.dsn = db, dsn
		if err := r.killReplicas(ctx); err != nil {
			return r.fig, err
		}
		if err := r.redeliver(ctx); err != nil {
			return r.fig, err
		}
	}
	r.stopAll()
	r.scanLogs()
	fmt.Fprintf(w, "secrets in logs: %d (%d configured secrets, %d log lines)\n", r.fig.SecretsInLogs, r.fig.Secrets, r.fig.LogLines)
	return r.fig, nil
}

type faultRun struct {
	cfg      FaultConfig
	w        io.Writer
	fig      FaultFigures
	secrets  map[string]string
	slack    *fakeWebAPI
	slackURL string
	pg       *sql.DB
	dsn      string
	fleet
	seq atomic.Int64
}

// slackEnv is the environment of a child serving Slack on db.
func (r *faultRun) slackEnv(db string, extra ...string) []string {
	return append(append(r.cfg.Env[:len(r.cfg.Env):len(r.cfg.Env)],
		"HIREBOT_DB="+db, "HIREBOT_LOG=info",
		"SLACK_SIGNING_SECRET="+r.secrets["SLACK_SIGNING_SECRET"], "SLACK_BOT_TOKEN="+r.secrets["SLACK_BOT_TOKEN"],
		"SLACK_API_URL="+r.slackURL), extra...)
}

// slackEvent is one signed Events API delivery, kept to be replayed.
type slackEvent struct {
	channel string
	body    []byte
	ts, sig string
}

func (r *faultRun) newSlackEvent(text string) slackEvent {
	n := r.seq.Add(1)
	user, channel := fmt.Sprintf("UF%07d", n), fmt.Sprintf("DF%07d", n)
	body := messageEvent(1_000_000_000+n, user, channel, text)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	return slackEvent{channel: channel, body: body, ts: ts, sig: sign(r.secrets["SLACK_SIGNING_SECRET"], ts, body)}
}

// post delivers e to a child; ok is a 200.
func (e slackEvent) post(ctx context.Context, c *http.Client, base string) bool {
	status, _ := postJSON(ctx, c, base+"slack/events", e.body, "X-Slack-Request-Timestamp", e.ts, "X-Slack-Signature", e.sig)
	return status == http.StatusOK
}

// postJSON posts body to url with the headers given as name, value pairs
// and returns the status and the response body (status 0: not sent).
func postJSON(ctx context.Context, c *http.Client, url string, body []byte, header ...string) (int, []byte) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, out
}

// killSQLite: one process on a SQLite file takes a stream of events, is
// killed halfway, and starts again on the same file. Then the events it
// answered before are replayed.
func (r *faultRun) killSQLite(ctx context.Context, path string) error {
	env := r.slackEnv(path)
	first, err := r.start(ctx, env)
	if err != nil {
		return err
	}
	acked, err := r.underLoad(ctx, []*child{first}, func() ([]*child, error) {
		c, err := r.start(ctx, env)
		return []*child{c}, err
	})
	if err != nil {
		return err
	}
	lost := r.waitAnswered(ctx, r.slackAnswers(acked))
	r.report("kill -9 under load, SQLite, restarted on the same file", len(acked), lost)

	// Replays after the restart, signed as first delivered.
	n := min(50, len(acked))
	before := r.quiet(ctx, n, func(i int) int64 { return r.slack.count(acked[i].channel) })
	client := localClient(8)
	for i := range n {
		acked[i].post(ctx, client, r.children[len(r.children)-1].url)
	}
	r.settle(ctx)
	twice := 0
	for i := range n {
		if r.slack.count(acked[i].channel) > before[i] {
			twice++
		}
	}
	r.fig.Replayed += n
	r.fig.ReplayedHandled += twice
	fmt.Fprintf(r.w, "replays after a restart, SQLite without Redis: %d replayed, %d handled twice\n", n, twice)
	r.stopAll()
	return nil
}

// killReplicas: two replicas on PostgreSQL and Redis share a stream of
// events; one is killed halfway and not restarted.
func (r *faultRun) killReplicas(ctx context.Context) error {
	env := r.slackEnv(r.dsn, "REDIS_URL="+r.cfg.RedisURL, "HIREBOT_REDIS_PREFIX=hirebot-faults-"+nonce()+":")
	var pair []*child
	for range 2 {
		c, err := r.start(ctx, env)
		if err != nil {
			return err
		}
		pair = append(pair, c)
	}
	acked, err := r.underLoad(ctx, pair, nil)
	if err != nil {
		return err
	}
	lost := r.waitAnswered(ctx, r.slackAnswers(acked))
	r.report("kill -9 under load, PostgreSQL, two replicas, one killed", len(acked), lost)
	r.stopAll()
	return nil
}

func (r *faultRun) report(what string, acked, lost int) {
	r.fig.Acked += acked
	r.fig.AckedLost += lost
	fmt.Fprintf(r.w, "%s: %d of %d events acknowledged, %d acknowledged but lost\n", what, acked, r.cfg.Events, lost)
}

// underLoad sends cfg.Events Slack events from 16 senders spread over
// children, kills the first child with SIGKILL when half of them were
// acknowledged, and sends the rest to the others, or to those restart
// returns. It returns the events acknowledged.
func (r *faultRun) underLoad(ctx context.Context, children []*child, restart func() ([]*child, error)) ([]slackEvent, error) {
	const senders = 16
	var (
		mu       sync.Mutex
		acked    []slackEvent
		next     atomic.Int64
		killed   = make(chan struct{})
		killOnce sync.Once
		wg       sync.WaitGroup
	)
	live := func() []*child {
		mu.Lock()
		defer mu.Unlock()
		return children
	}
	client := localClient(senders)
	for s := range senders {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= r.cfg.Events || ctx.Err() != nil {
					return
				}
				e := r.newSlackEvent("help")
				cs := live()
				if !e.post(ctx, client, cs[(i+s)%len(cs)].url) {
					continue
				}
				mu.Lock()
				acked = append(acked, e)
				n := len(acked)
				mu.Unlock()
				if n >= r.cfg.Events/2 {
					killOnce.Do(func() {
						children[0].kill()
						close(killed)
					})
				}
			}
		})
	}
	var restartErr error
	wg.Go(func() {
		select {
		case <-killed:
		case <-ctx.Done():
			return
		}
		if restart == nil {
			mu.Lock()
			children = children[1:]
			mu.Unlock()
			return
		}
		cs, err := restart()
		if err != nil {
			restartErr = err
			return
		}
		mu.Lock()
		children = cs
		mu.Unlock()
	})
	wg.Wait()
	killOnce.Do(func() { children[0].kill() })
	return acked, restartErr
}

// slackAnswers turns events into "answered?" checks on the fake Slack.
func (r *faultRun) slackAnswers(events []slackEvent) []func() bool {
	out := make([]func() bool, len(events))
	for i, e := range events {
		out[i] = func() bool { return r.slack.count(e.channel) > 0 }
	}
	return out
}

// waitAnswered waits until every check holds or the timeout passes, and
// returns how many never held.
func (r *faultRun) waitAnswered(ctx context.Context, answered []func() bool) int {
	deadline := time.Now().Add(r.cfg.Timeout)
	for {
		missing := 0
		for _, ok := range answered {
			if !ok() {
				missing++
			}
		}
		if missing == 0 || time.Now().After(deadline) || ctx.Err() != nil {
			return missing
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// quiet waits until n counts have not moved for two seconds, within the
// timeout, and returns them: a long reply goes out in parts, paced, so the
// first part's arrival says the event was answered, not that its answer
// is complete, and a part still on its way is not a replay handled twice.
func (r *faultRun) quiet(ctx context.Context, n int, count func(i int) int64) []int64 {
	read := func() []int64 {
		out := make([]int64, n)
		for i := range out {
			out[i] = count(i)
		}
		return out
	}
	last, since := read(), time.Now()
	deadline := since.Add(r.cfg.Timeout)
	for time.Since(since) < 2*time.Second && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(100 * time.Millisecond)
		if now := read(); !slices.Equal(now, last) {
			last, since = now, time.Now()
		}
	}
	return last
}

// settle gives replies in flight time to arrive: two lease periods, in
// which a re-handled event would have been answered.
func (r *faultRun) settle(ctx context.Context) {
	select {
	case <-time.After(12 * time.Second):
	case <-ctx.Done():
	}
}

// scanLogs counts the configured secrets in everything the children wrote.
func (r *faultRun) scanLogs() {
	text := r.logs.String()
	if r.cfg.Logs != nil {
		_, _ = io.WriteString(r.cfg.Logs, text)
	}
	r.fig.LogLines = strings.Count(text, "\n")
	r.fig.Secrets = len(r.secrets)
	for name, s := range r.secrets {
		if n := strings.Count(text, s); n > 0 {
			r.fig.SecretsInLogs += n
			fmt.Fprintf(r.w, "the logs show %s %d times\n", name, n)
		}
	}
}

// fleet is the hirebot serve child processes of a run, and their logs.
type fleet struct {
	binary   string
	children []*child
	logs     syncBuffer
}

// child is one hirebot serve process.
type child struct {
	cmd  *exec.Cmd
	url  string
	done chan struct{}
}

// start runs hirebot serve with env on a free port and waits until it
// answers /healthz.
func (f *fleet) start(ctx context.Context, env []string) (*child, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(f.binary, "serve")
	cmd.Env = append(env, "HIREBOT_ADDR="+addr)
	cmd.Stdout, cmd.Stderr = &f.logs, &f.logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, url: "http://" + addr + "/", done: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(c.done) }()
	f.children = append(f.children, c)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		select {
		case <-c.done:
			return nil, fmt.Errorf("hirebot serve exited at start:\n%s", tail(f.logs.String(), 2000))
		default:
		}
		if resp, err := http.Get(c.url + "healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return c, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			c.kill()
			return nil, errors.Join(errors.New("hirebot serve did not answer /healthz within 30 s"), ctx.Err())
		}
	}
}

// kill is kill -9.
func (c *child) kill() {
	_ = c.cmd.Process.Kill()
	<-c.done
}

// stopAll stops every child still running with SIGTERM (SIGKILL after the
// drain bound).
func (f *fleet) stopAll() {
	for _, c := range f.children {
		select {
		case <-c.done:
			continue
		default:
		}
		_ = c.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-c.done:
		case <-time.After(30 * time.Second):
			c.kill()
		}
	}
	f.children = nil
}

// scratchSchema makes an empty schema on server and returns a connection to
// it, its URL (search_path set) and the function that drops it.
func scratchSchema(ctx context.Context, server string) (*sql.DB, string, func(), error) {
	admin, err := sql.Open("pgx", server)
	if err != nil {
		return nil, "", nil, err
	}
	schema := "hirebot_faults_" + nonce()
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		return nil, "", nil, fmt.Errorf("PostgreSQL: create a scratch schema: %w", err)
	}
	drop := func() {
		_, _ = admin.ExecContext(context.WithoutCancel(ctx), `DROP SCHEMA `+schema+` CASCADE`)
		admin.Close()
	}
	u, err := url.Parse(server)
	if err != nil {
		drop()
		return nil, "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		drop()
		return nil, "", nil, err
	}
	return db, u.String(), func() { db.Close(); drop() }, nil
}

func nonce() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// syncBuffer is a bytes.Buffer several processes write to.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
