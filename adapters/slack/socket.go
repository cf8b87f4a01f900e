package slack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// Run serves Slack over Socket Mode when the config has an app token: no
// public URL needed, the same handlers as the HTTP routes. Without an app
// token there is nothing to run and it just waits. When ctx ends it stops
// taking events in, from Socket Mode and from the HTTP routes (they answer
// 503 after), and returns once the events in hand are handled and their
// replies sent, under bot.Outlive(ctx); or it returns an error when Slack
// refuses the app token. Run once.
func (a *Adapter) Run(ctx context.Context) error {
	defer a.inflight.Close()
	if a.cfg.AppToken == "" {
		<-ctx.Done()
		return nil
	}
	slot, err := a.takeSocketSlot(ctx)
	if err != nil || slot == nil {
		return err
	}
	defer slot()
	api := slack.New(a.cfg.BotToken,
		slack.OptionAppLevelToken(a.cfg.AppToken),
		slack.OptionAPIURL(a.cfg.APIURL),
		slack.OptionHTTPClient(a.http))
	sm := socketmode.New(api, socketmode.OptionLog(slog.NewLogLogger(a.log.Handler(), slog.LevelDebug)))

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- sm.RunContext(ctx) }()
	for {
		select {
		case err := <-done:
			if err == nil || errors.Is(err, context.Canceled) || ctx.Err() != nil {
				return nil
			}
			return err
		case e := <-sm.Events:
			a.onSocketEvent(ctx, sm, e)
		}
	}
}

// socketSlots is how many Socket Mode connections Slack allows one app.
const socketSlots = 10

// socketLease is how long a replica's connection slot lasts unrenewed.
var socketLease = 30 * time.Second

// takeSocketSlot holds one of the app's socketSlots connection leases,
// renewed until the returned stop is called. It refuses, with an error that
// says what to do, when every slot is held. Both results are nil when ctx
// ended first.
func (a *Adapter) takeSocketSlot(ctx context.Context) (stop func(), err error) {
	if a.cfg.Locker == nil {
		return func() {}, nil
	}
	sum := sha256.Sum256([]byte(a.cfg.AppToken)) // the token itself stays out of Redis
	app := hex.EncodeToString(sum[:6])
	for i := range socketSlots {
		name := fmt.Sprintf("slack-socket:%s:%d", app, i)
		l, ok, err := a.cfg.Locker.Acquire(ctx, name, socketLease)
		if err != nil {
			if ctx.Err() != nil {
				return nil, nil
			}
			return nil, fmt.Errorf("slack: socket mode: counting connections: %w", err)
		}
		if !ok {
			continue
		}
		a.log.Info("socket mode connection slot held", "slot", i, "of", socketSlots)
		return bot.Hold(l, socketLease, func(err error) {
			a.log.Warn("socket mode connection slot lost; the count may be off until this replica restarts", "slot", i, "err", err)
		}), nil
	}
	return nil, bot.Errorf(bot.EINVALID, "slack: socket mode: %d replicas already hold Slack's %d connections for this app; "+
		"run more replicas on the HTTP Events API (SLACK_SIGNING_SECRET and a public URL, no SLACK_APP_TOKEN)", socketSlots, socketSlots)
}

// onSocketEvent acknowledges one envelope, with the same answer the HTTP
// route would give. Each envelope is handled on its own goroutine so a slow
// bot does not hold up the others.
func (a *Adapter) onSocketEvent(ctx context.Context, sm *socketmode.Client, e socketmode.Event) {
	ack := func(payload any) {
		if e.Request == nil || e.Request.EnvelopeID == "" {
			return
		}
		if err := sm.AckCtx(ctx, e.Request.EnvelopeID, payload); err != nil {
			a.log.Warn("socket mode ack failed", "err", err)
		}
	}
	// An envelope taken in is acknowledged; one refused (Run is stopping)
	// is not, and Slack sends it again.
	switch e.Type {
	case socketmode.EventTypeEventsAPI:
		// The envelope's payload is what the Events API would have posted.
		if e.Request != nil {
			if cb, err := decodeEvents(e.Request.Payload); err == nil && !a.onEventsAPI(ctx, cb) {
				return
			}
		}
		ack(nil)
	case socketmode.EventTypeSlashCommand:
		cmd, ok := e.Data.(slack.SlashCommand)
		if !ok || cmd.UserID == "" {
			ack(nil)
			return
		}
		a.inflight.Go(func() {
			if body, ok := a.onCommand(ctx, cmd); ok {
				ack(body)
			}
		})
	case socketmode.EventTypeInteractive:
		ic, ok := e.Data.(slack.InteractionCallback)
		if !ok {
			ack(nil)
			return
		}
		a.inflight.Go(func() {
			if body, ok := a.onInteraction(ctx, ic); ok {
				ack(body)
			}
		})
	case socketmode.EventTypeConnected:
		a.log.Info("socket mode connected")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth:
		a.log.Warn("socket mode connection problem", "event", e.Type)
	}
}
