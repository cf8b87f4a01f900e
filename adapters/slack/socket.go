package slack

import (
	"context"
	"errors"
	"log/slog"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// Run serves Slack over Socket Mode when the config has an app token: no
// public URL needed, the same handlers as the HTTP routes. Without an app
// token there is nothing to run and it just waits. It returns when ctx ends
// and the events in hand are handled,
// or with an error when Slack refuses the app token.
func (a *Adapter) Run(ctx context.Context) error {
	// The work of events already acknowledged finishes before Run returns
	// (it runs under the context given to New).
	defer a.inflight.Wait()
	if a.cfg.AppToken == "" {
		<-ctx.Done()
		return nil
	}
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
	switch e.Type {
	case socketmode.EventTypeEventsAPI:
		ev, ok := e.Data.(slackevents.EventsAPIEvent)
		ack(nil)
		if ok {
			a.onEventsAPI(ev)
		}
	case socketmode.EventTypeSlashCommand:
		cmd, ok := e.Data.(slack.SlashCommand)
		if !ok || cmd.UserID == "" {
			ack(nil)
			return
		}
		a.inflight.Go(func() { ack(a.onCommand(cmd)) })
	case socketmode.EventTypeInteractive:
		ic, ok := e.Data.(slack.InteractionCallback)
		if !ok {
			ack(nil)
			return
		}
		a.inflight.Go(func() { ack(a.onInteraction(ic)) })
	case socketmode.EventTypeConnected:
		a.log.Info("socket mode connected")
	case socketmode.EventTypeConnectionError, socketmode.EventTypeInvalidAuth:
		a.log.Warn("socket mode connection problem", "event", e.Type)
	}
}
