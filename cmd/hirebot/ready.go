package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
)

// checker is a platform adapter that can ask its platform whether the
// credentials are good (Slack auth.test, Telegram getMe, Discord's current
// application).
type checker interface {
	Check(ctx context.Context) error
}

// credentialVars names the settings an operator fixes when a platform
// refuses hirebot's credentials.
var credentialVars = map[string]string{
	bot.Slack:    "SLACK_BOT_TOKEN",
	bot.Telegram: "TELEGRAM_BOT_TOKEN",
	bot.Discord:  "DISCORD_BOT_TOKEN and DISCORD_APP_ID",
}

// checkTimeout bounds one credential check.
const checkTimeout = 10 * time.Second

// check asks p whether its credentials are good, within checkTimeout; a
// platform that cannot tell is taken as good.
func check(ctx context.Context, p platform) error {
	c, ok := p.(checker)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	return c.Check(ctx)
}

// checkCredentials asks every platform whether its credentials are good. A
// refused credential stops the start with an error that names the platform
// and the setting to fix; a platform that cannot be reached is logged and
// left to /readyz, so a network blip does not keep hirebot down. It
// returns what is wrong with the platforms that did not answer.
func checkCredentials(ctx context.Context, platforms []platform, log *slog.Logger) (map[string]string, error) {
	problems := map[string]string{}
	for _, p := range platforms {
		err := check(ctx, p)
		switch {
		case err == nil:
			log.Info("credentials accepted", "platform", p.Platform())
		case bot.ErrorCode(err) == bot.EUNAUTHORIZED:
			return nil, fmt.Errorf("%s refused hirebot's credentials: %s (fix %s)", p.Platform(), bot.ErrorMessage(err), credentialVars[p.Platform()])
		default:
			problems[p.Platform()] = bot.ErrorMessage(err)
			log.Warn("platform cannot be reached; /readyz reports it until it answers", "platform", p.Platform(), "err", err)
		}
	}
	return problems, nil
}

// readiness answers /readyz: not ready while shutting down, while the
// database or the session state does not answer, or while a platform
// cannot be reached or refuses the credentials. Platforms are asked only
// while someone asks /readyz, and at most every probeEvery whatever the
// rate of probes: a /readyz that finds the last answer older wakes Run to
// ask again in the background and answers from what is known, so a busy
// load balancer neither waits for the platforms nor spends hirebot's API
// quota, and an idle process calls no platform at all.
type readiness struct {
	stores    *stores
	platforms []platform
	log       *slog.Logger
	every     time.Duration
	wake      chan struct{}

	draining atomic.Bool
	mu       sync.Mutex
	asked    time.Time         // when the platforms were last asked
	problems map[string]string // platform -> what is wrong
}

const probeEvery = 30 * time.Second

// newReadiness starts from what the start's credential check found.
func newReadiness(s *stores, platforms []platform, problems map[string]string, log *slog.Logger) *readiness {
	if problems == nil {
		problems = map[string]string{}
	}
	return &readiness{stores: s, platforms: platforms, log: log.With("component", "readiness"), every: probeEvery,
		wake: make(chan struct{}, 1), asked: time.Now(), problems: problems}
}

// Drain turns readiness off for good: the process is stopping.
func (r *readiness) Drain() { r.draining.Store(true) }

// Draining reports whether the process is stopping.
func (r *readiness) Draining() bool { return r.draining.Load() }

// Run asks the platforms each time ServeHTTP wakes it, until ctx ends.
func (r *readiness) Run(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-r.wake:
			r.probe(ctx)
		}
	}
}

// stale wakes Run when the platforms' last answer is older than r.every.
// The caller holds r.mu.
func (r *readiness) stale() {
	if r.wake == nil || time.Since(r.asked) < r.every {
		return
	}
	r.asked = time.Now()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

func (r *readiness) probe(ctx context.Context) {
	for _, p := range r.platforms {
		err := check(ctx, p)
		if ctx.Err() != nil {
			return
		}
		r.mu.Lock()
		_, was := r.problems[p.Platform()]
		if err != nil {
			r.problems[p.Platform()] = bot.ErrorMessage(err)
		} else {
			delete(r.problems, p.Platform())
		}
		r.mu.Unlock()
		switch {
		case err != nil && !was:
			r.log.Warn("platform cannot be reached", "platform", p.Platform(), "err", err)
		case err == nil && was:
			r.log.Info("platform answers again", "platform", p.Platform())
		}
	}
}

func (r *readiness) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var problems []string
	if r.Draining() {
		problems = append(problems, "shutting down")
	} else if err := storesReady(req.Context(), r.stores); err != nil {
		r.log.Warn("not ready", "err", err)
		problems = append(problems, "storage: not answering")
	}
	r.mu.Lock()
	r.stale()
	for _, p := range r.platforms {
		if msg, ok := r.problems[p.Platform()]; ok {
			problems = append(problems, p.Platform()+": "+msg)
		}
	}
	r.mu.Unlock()
	if len(problems) > 0 {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "not ready\n"+strings.Join(problems, "\n")+"\n")
		return
	}
	io.WriteString(w, "ready\n")
}

// storesReady checks that the database and the session state answer.
func storesReady(ctx context.Context, s *stores) error {
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

// healthPaths answer while the process stops.
var healthPaths = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// refuseWhileDraining answers 503 to every platform request once the
// process is stopping, so the platform delivers the event again (to
// another replica, or to this one after its restart) instead of handing
// it to work that is being shut down. Health checks still answer.
func refuseWhileDraining(r *readiness, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if r.Draining() && !healthPaths[req.URL.Path] {
			w.Header().Set("Retry-After", "5")
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		next.ServeHTTP(w, req)
	})
}
