package bench

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime/pprof"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// LoadConfig is what `hirebot bench load` measures: people sending signed
// Slack DMs in a closed loop (each sends, waits for the reply to reach the
// Web API, sends again), once to hirebot and once to a bare handler that
// only checks the signature, decodes the event and posts one reply.
type LoadConfig struct {
	Users int // concurrent people; default 50
	// Duration bounds each timed run; Messages bounds the answered
	// messages of each run (0: no bound but Duration). Default 10 s.
	Duration time.Duration
	Messages int
	// Rounds runs bare and hirebot alternately this many times, so the
	// spread between rounds shows how noisy the machine is. Default 1.
	Rounds int
	// Timeout is how long one person waits for a reply before counting it
	// lost and going on. Default 5 s.
	Timeout time.Duration
	// SigningSecret signs every event.
	SigningSecret string
	// Profile, when set, receives a CPU profile of hirebot's last timed
	// run (the fake Web API and the load in this process are in it too,
	// the bare handler is not).
	Profile io.Writer
	// Start starts hirebot with Slack's Web API at apiURL (ending in "/")
	// and returns the URL of its Events API endpoint. It serves until ctx
	// ends.
	Start func(ctx context.Context, apiURL string) (eventsURL string, err error)
}

// LoadResult is one timed run.
type LoadResult struct {
	Answered int           // messages whose reply arrived in time
	Lost     int           // messages whose reply did not
	Refused  int           // requests not answered 200
	Posts    int           // replies posted to the Web API in the run
	Elapsed  time.Duration // of the timed run
	// CPU is the process's CPU time over the run: the load, the fake Web
	// API and the server under test together. Per answered message it is
	// steadier than the rate on a shared machine.
	CPU      time.Duration
	P50, P99 time.Duration // send to reply, answered messages only
}

// Rate is answered messages per second.
func (r LoadResult) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Answered) / r.Elapsed.Seconds()
}

// Load runs the closed loop against the bare handler and hirebot, on
// 127.0.0.1 only, and prints the figures to w.
func Load(ctx context.Context, w io.Writer, cfg LoadConfig) error {
	cfg.Users = cmpOr(cfg.Users, 50)
	cfg.Duration = cmpOr(cfg.Duration, 10*time.Second)
	cfg.Rounds = cmpOr(cfg.Rounds, 1)
	cfg.Timeout = cmpOr(cfg.Timeout, 5*time.Second)
	if cfg.SigningSecret == "" || cfg.Start == nil {
		return errors.New("bench load: a signing secret and a Start function are required")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	api := newFakeWebAPI()
	apiURL, err := serveLocal(ctx, api)
	if err != nil {
		return err
	}
	bare := newBareHandler(cfg.SigningSecret, apiURL+"api/")
	bareURL, err := serveLocal(ctx, bare)
	if err != nil {
		return err
	}
	hirebotURL, err := cfg.Start(ctx, apiURL+"api/")
	if err != nil {
		return fmt.Errorf("bench load: start hirebot: %w", err)
	}
	fmt.Fprintf(w, "hirebot bench load: %d users, closed loop, %v per run (at most %d messages), %d round(s)\n",
		cfg.Users, cfg.Duration, cfg.Messages, cfg.Rounds)

	d := &driver{cfg: cfg, api: api, client: localClient(cfg.Users)}
	// hirebot's people start a profile dialog first (untimed): each timed
	// message then loads the dialog, steps it and saves it.
	if err := d.prepare(ctx, hirebotURL); err != nil {
		return err
	}
	var bares, bots []LoadResult
	for n := 1; n <= cfg.Rounds; n++ {
		b, err := d.run(ctx, bareURL+"slack/events", []string{"hello"})
		if err != nil {
			return err
		}
		report := func(name string, r LoadResult) {
			fmt.Fprintf(w, "round %d %-8s %7.0f answered/s  p50 %-8v p99 %-8v cpu/answer %-8v answered %d lost %d refused %d posts/answer %.2f\n",
				n, name, r.Rate(), round(r.P50), round(r.P99), round(r.CPU/time.Duration(max(1, r.Answered))),
				r.Answered, r.Lost, r.Refused, float64(r.Posts)/float64(max(1, r.Answered)))
		}
		report("bare", b)
		if cfg.Profile != nil && n == cfg.Rounds {
			if err := pprof.StartCPUProfile(cfg.Profile); err != nil {
				return err
			}
		}
		h, err := d.run(ctx, hirebotURL, dialogLoop)
		if cfg.Profile != nil && n == cfg.Rounds {
			pprof.StopCPUProfile()
		}
		if err != nil {
			return err
		}
		report("hirebot", h)
		bares, bots = append(bares, b), append(bots, h)
	}
	ratio := func(i int) float64 { return bots[i].Rate() / max(bares[i].Rate(), 1) }
	lo, hi := ratio(0), ratio(0)
	for i := range bots {
		lo, hi = min(lo, ratio(i)), max(hi, ratio(i))
	}
	fmt.Fprintf(w, "hirebot/bare rate ratio    %.0f%%", 100*lo)
	if cfg.Rounds > 1 {
		fmt.Fprintf(w, "–%.0f%% over %d rounds", 100*hi, cfg.Rounds)
	}
	fmt.Fprintln(w)
	return nil
}

// dialogLoop is what each person says over and over inside the profile
// dialog: an answer (the next question comes back), then "back" (the
// question again). Every message is one dialog step with one reply.
var dialogLoop = []string{"Ada Lovelace", "back"}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// driver sends the events and waits for the replies.
type driver struct {
	cfg    LoadConfig
	api    *fakeWebAPI
	client *http.Client
	seq    atomic.Int64 // event IDs, unique across runs
}

func (d *driver) user(i int) (user, channel string) {
	return fmt.Sprintf("U%06d", i), fmt.Sprintf("D%06d", i)
}

// prepare has every person start the profile dialog and waits until its
// replies have arrived.
func (d *driver) prepare(ctx context.Context, url string) error {
	var wg sync.WaitGroup
	errs := make([]error, d.cfg.Users)
	for i := range d.cfg.Users {
		wg.Go(func() {
			user, channel := d.user(i)
			inbox := d.api.inbox(channel)
			if _, err := d.send(ctx, url, user, channel, "/profile"); err != nil {
				errs[i] = err
				return
			}
			// The dialog's first question may come as several messages:
			// wait for the first, then for the quiet after it.
			select {
			case <-inbox:
			case <-time.After(d.cfg.Timeout):
				errs[i] = fmt.Errorf("bench load: no answer to /profile for %s within %v", user, d.cfg.Timeout)
				return
			case <-ctx.Done():
				errs[i] = ctx.Err()
				return
			}
			for {
				select {
				case <-inbox:
					continue
				case <-time.After(200 * time.Millisecond):
				case <-ctx.Done():
				}
				return
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// run is one timed closed-loop run against url.
func (d *driver) run(ctx context.Context, url string, say []string) (LoadResult, error) {
	ctx, cancel := context.WithTimeout(ctx, d.cfg.Duration)
	defer cancel()
	var (
		budget   atomic.Int64 // messages left to send, when bounded
		answered atomic.Int64
		lost     atomic.Int64
		refused  atomic.Int64
		mu       sync.Mutex
		lat      []time.Duration
		failure  error
		wg       sync.WaitGroup
	)
	budget.Store(int64(d.cfg.Messages))
	posts0 := d.api.posts.Load()
	cpu0 := CPUTime()
	start := time.Now()
	for i := range d.cfg.Users {
		wg.Go(func() {
			user, channel := d.user(i)
			inbox := d.api.inbox(channel)
			mine := make([]time.Duration, 0, 1024)
			defer func() { mu.Lock(); lat = append(lat, mine...); mu.Unlock() }()
			for n := 0; ctx.Err() == nil; n++ {
				if d.cfg.Messages > 0 && budget.Add(-1) < 0 {
					return
				}
				t := time.Now()
				status, err := d.send(ctx, url, user, channel, say[n%len(say)])
				if err != nil {
					if ctx.Err() == nil {
						mu.Lock()
						failure = err
						mu.Unlock()
					}
					return
				}
				if status != http.StatusOK {
					refused.Add(1)
					continue
				}
				select {
				case <-inbox:
					answered.Add(1)
					mine = append(mine, time.Since(t))
				case <-time.After(d.cfg.Timeout):
					lost.Add(1)
				case <-ctx.Done():
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed, cpu := time.Since(start), CPUTime()-cpu0
	// Let stragglers land so they do not count in the next run.
	time.Sleep(100 * time.Millisecond)
	d.api.drain()
	if failure != nil {
		return LoadResult{}, failure
	}
	slices.Sort(lat)
	return LoadResult{
		Answered: int(answered.Load()), Lost: int(lost.Load()), Refused: int(refused.Load()),
		Posts:   int(d.api.posts.Load() - posts0),
		Elapsed: elapsed, CPU: cpu, P50: quantile(lat, 0.5), P99: quantile(lat, 0.99),
	}, nil
}

// send posts one signed message.im event, as Slack's Events API does.
func (d *driver) send(ctx context.Context, url, user, channel, text string) (int, error) {
	id := d.seq.Add(1)
	body := messageEvent(id, user, channel, text)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(d.cfg.SigningSecret, ts, body))
	resp, err := d.client.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// messageEvent is an event_callback carrying a message.im, the shape Slack
// sends for a DM to the bot.
func messageEvent(id int64, user, channel, text string) []byte {
	q := strconv.Quote // the texts are plain ASCII: a Go quote is JSON
	n := strconv.FormatInt(id, 10)
	return []byte(`{"token":"x","team_id":"T0LOAD","api_app_id":"A0LOAD","type":"event_callback",` +
		`"event_id":"Ev` + n + `","event_time":` + strconv.FormatInt(time.Now().Unix(), 10) + `,` +
		`"authorizations":[{"team_id":"T0LOAD","user_id":"UBOT","is_bot":true}],` +
		`"event":{"type":"message","channel_type":"im","user":` + q(user) + `,"channel":` + q(channel) +
		`,"text":` + q(text) + `,"ts":"` + n + `.000100","event_ts":"` + n + `.000100"}}`)
}

// sign is Slack's v0 request signature.
func sign(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("v0:" + ts + ":"))
	m.Write(body)
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

// localClient keeps a connection per person open.
func localClient(users int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = 2*users+10, users+10
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

// serveLocal serves h on a fresh 127.0.0.1 port until ctx ends and
// returns its base URL, ending in "/".
func serveLocal(ctx context.Context, h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	context.AfterFunc(ctx, func() { _ = srv.Close() })
	return "http://" + ln.Addr().String() + "/", nil
}
