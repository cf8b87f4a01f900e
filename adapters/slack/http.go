package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/slack-go/slack"

	"github.com/hirebot/hirebot/bot"
)

// verified reads the request body and checks Slack's signature over it
// (HMAC-SHA256 "v0", timestamp within 5 minutes). On failure it has written
// the answer (401, or 413 for a body over 1 MiB) and returns ok=false. On
// success r.Body is restored for the parsers.
func (a *Adapter) verified(w http.ResponseWriter, r *http.Request) (body []byte, ok bool) {
	sv, err := slack.NewSecretsVerifier(r.Header, a.cfg.SigningSecret)
	if err != nil {
		a.log.Info("unsigned or stale request refused", "path", r.URL.Path, "err", err)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return nil, false
	}
	if r.ContentLength > maxBody {
		http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		return nil, false
	}
	body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "cannot read request", http.StatusBadRequest)
		}
		return nil, false
	}
	if _, err := sv.Write(body); err != nil || sv.Ensure() != nil {
		a.log.Info("forged request refused", "path", r.URL.Path)
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return nil, false
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body, true
}

// writeAck answers Slack: an empty 200, or the JSON body; or, when the
// event was not taken in (!ok), that hirebot is stopping.
func writeAck(w http.ResponseWriter, ack any, ok bool) {
	if !ok {
		stopping(w)
		return
	}
	if ack == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(ack)
}

// serveEvents is POST /slack/events (the Events API).
func (a *Adapter) serveEvents(w http.ResponseWriter, r *http.Request) {
	body, ok := a.verified(w, r)
	if !ok {
		return
	}
	cb, err := decodeEvents(body)
	if err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	if cb.Type == "url_verification" {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, cb.Challenge)
		return
	}
	if retry := r.Header.Get("X-Slack-Retry-Num"); retry != "" {
		a.log.Debug("event re-delivered", "retry", retry, "reason", r.Header.Get("X-Slack-Retry-Reason"))
	}
	if !a.onEventsAPI(r.Context(), cb) {
		stopping(w)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// stopping refuses an event because Run has stopped taking them in; Slack
// sends it again, to a replica that is not stopping.
func stopping(w http.ResponseWriter) {
	http.Error(w, "hirebot is stopping", http.StatusServiceUnavailable)
}

// onEventsAPI returns as soon as the bot has taken the event
// (bot.WithAccept: it is in the inbox) and lets the bot work after: events
// have no trigger_id, so nothing is gained by waiting, and Slack retries
// nothing acknowledged. It reports false when it refused the event (Run
// has stopped taking events in).
func (a *Adapter) onEventsAPI(ctx context.Context, cb eventsPayload) bool {
	switch cb.Type {
	case "event_callback":
		e, o, ok := fromEvents(cb)
		if !ok {
			return true
		}
		work, done := bot.Outlive(ctx)
		work, accepted := bot.WithAccept(work)
		handled := make(chan struct{})
		if !a.inflight.Go(func() {
			defer done()
			out := a.handle(work, e)
			close(handled)
			a.deliver(work, o, out, false)
		}) {
			done()
			return false
		}
		select {
		case <-accepted:
		case <-handled:
		}
	case "app_rate_limited":
		a.log.Warn("Slack is rate limiting hirebot's events", "workspace", cb.TeamID)
	default:
		// An event type hirebot does not know: acknowledged, or Slack retries.
		a.log.Debug("event not understood", "type", cb.Type)
	}
	return true
}

// serveCommands is POST /slack/commands (the /hire slash command).
func (a *Adapter) serveCommands(w http.ResponseWriter, r *http.Request) {
	if _, ok := a.verified(w, r); !ok {
		return
	}
	cmd, err := slack.SlashCommandParse(r)
	if err != nil || cmd.UserID == "" {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	ack, ok := a.onCommand(r.Context(), cmd)
	writeAck(w, ack, ok)
}

func (a *Adapter) onCommand(ctx context.Context, cmd slack.SlashCommand) (any, bool) {
	ev, o := fromSlashCommand(cmd)
	return a.dispatch(ctx, ev, o, nil)
}

// serveInteractions is POST /slack/interactions (buttons and modals).
func (a *Adapter) serveInteractions(w http.ResponseWriter, r *http.Request) {
	if _, ok := a.verified(w, r); !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	ic, err := parseInteractionPayload([]byte(r.PostForm.Get("payload")))
	if err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	ack, ok := a.onInteraction(r.Context(), ic)
	writeAck(w, ack, ok)
}

func (a *Adapter) onInteraction(ctx context.Context, ic slack.InteractionCallback) (any, bool) {
	ev, o, ok := fromInteraction(ic)
	if !ok {
		return nil, true
	}
	var sync syncFunc
	if o.submission {
		sync = func(replies []bot.Reply) (any, []bot.Reply) { return submissionAck(replies, o) }
	}
	return a.dispatch(ctx, ev, o, sync)
}

// submissionAck answers a modal submission: the first form among the
// replies becomes the response_action (errors under the inputs, or the
// next modal); the other replies are delivered after.
func submissionAck(replies []bot.Reply, o origin) (any, []bot.Reply) {
	for i, r := range replies {
		if r.Form == nil || !o.event.Answers(r) {
			continue
		}
		rest := append(append([]bot.Reply{}, replies[:i]...), replies[i+1:]...)
		if len(r.Form.Errors) > 0 {
			return errorsResponse(*r.Form), rest
		}
		view := modalView(*r.Form, modalMeta{Channel: o.channel, ResponseURL: o.responseURL})
		return slack.NewUpdateViewSubmissionResponse(&view), rest
	}
	return nil, replies
}

// parseInteractionPayload decodes an interaction. slack-go decodes an
// action without a block_id as a legacy attachment action, whose "text" is
// a string, so a button's text object fails the whole payload; such actions
// are decoded again as block actions.
func parseInteractionPayload(payload []byte) (slack.InteractionCallback, error) {
	var ic slack.InteractionCallback
	err := json.Unmarshal(payload, &ic)
	if err == nil {
		return ic, nil
	}
	var raw map[string]json.RawMessage
	if json.Unmarshal(payload, &raw) != nil || raw["actions"] == nil {
		return slack.InteractionCallback{}, err
	}
	var actions []*slack.BlockAction
	if json.Unmarshal(raw["actions"], &actions) != nil {
		return slack.InteractionCallback{}, err
	}
	delete(raw, "actions")
	rest, _ := json.Marshal(raw)
	ic = slack.InteractionCallback{}
	if json.Unmarshal(rest, &ic) != nil {
		return slack.InteractionCallback{}, err
	}
	ic.ActionCallback.BlockActions = actions
	return ic, nil
}
