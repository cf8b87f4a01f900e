package slack

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"github.com/hirebot/hirebot/bot"
)

// outcome is what the bot answered to one event.
type outcome struct {
	replies []bot.Reply
	err     error
}

// syncFunc takes the bot's answer when it arrived within the budget and
// returns the body of the acknowledgement and the replies left to deliver.
type syncFunc func(replies []bot.Reply) (ack any, rest []bot.Reply)

// handoff is what the request decided about the bot's answer: whether it
// took the answer in time (then replies are what is left to deliver, and
// a modal may still open), or acknowledged Slack without it.
type handoff struct {
	inTime  bool
	replies []bot.Reply
}

// dispatch runs the bot on ev, taken in under ctx (the request's, or
// Run's for Socket Mode). It waits at most the budget: in time, sync
// shapes the acknowledgement; late, Slack gets an empty acknowledgement
// once the bot has taken the event (bot.WithAccept: it is in the inbox),
// and the replies are delivered when the bot is done. The work outlives
// the request (bot.Outlive) and belongs to Run (inflight). ok is false
// when Run has stopped taking events in: the caller refuses the event.
func (a *Adapter) dispatch(ctx context.Context, ev bot.Event, o origin, sync syncFunc) (ack any, ok bool) {
	work, done := bot.Outlive(ctx)
	work, accepted := bot.WithAccept(work)
	answered := make(chan outcome, 1)
	decided := make(chan handoff, 1) // exactly one, from this request
	if !a.inflight.Go(func() {
		defer done()
		out := a.handle(work, ev)
		answered <- out
		h := <-decided
		if h.inTime {
			out.replies = h.replies
		}
		a.deliver(work, o, out, h.inTime)
	}) {
		done()
		return nil, false
	}
	timer := time.NewTimer(a.budget)
	defer timer.Stop()
	select {
	case out := <-answered:
		rest := out.replies
		if sync != nil && out.err == nil {
			ack, rest = sync(out.replies)
		}
		decided <- handoff{inTime: true, replies: rest}
		return ack, true
	case <-timer.C:
	}
	select {
	case <-accepted:
		a.log.Debug("bot is slow; acknowledged first", "event", ev.ID, "kind", ev.Kind)
	case <-answered:
	}
	decided <- handoff{}
	return nil, true
}

// handle calls the bot with a bounded context; a panic becomes an error.
func (a *Adapter) handle(ctx context.Context, ev bot.Event) (out outcome) {
	ctx, cancel := context.WithTimeout(ctx, workTimeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			out = outcome{err: fmt.Errorf("slack: handler panic: %v", r)}
		}
	}()
	if name := a.displayName(ctx, ev.From.Workspace, ev.From.UserID); name != "" {
		ev.Name = name
	}
	replies, err := a.handler(ctx, ev)
	return outcome{replies: replies, err: err}
}

// deliver renders the bot's replies where the event came from, then tells
// the bot they went out (bot.Delivered with the event's ctx). inTime says
// whether the event's trigger_id may still open a modal.
func (a *Adapter) deliver(event context.Context, o origin, out outcome, inTime bool) {
	defer bot.Delivered(event)
	ctx, cancel := context.WithTimeout(event, deliverTimeout)
	defer cancel()
	log := a.log.With("workspace", o.team, "user", o.user)
	replies := out.replies
	if o.pressed != nil && out.err == nil && len(replies) > 0 {
		// Only a press the bot acted on: a repeated delivery of the same
		// payload gets no replies (hire.Dedupe), and a failed one keeps its
		// buttons to be pressed again.
		a.markAnswered(ctx, o)
	}
	if out.err != nil { // bot.Recover has logged it
		replies = append(replies, bot.Reply{Text: bot.ErrorMessage(out.err), Private: true})
	}
	if o.home {
		var mine []bot.Reply
		for _, r := range replies {
			if !o.event.Answers(r) {
				a.sendOrLog(ctx, r)
				continue
			}
			mine = append(mine, r)
		}
		if err := a.publishHome(ctx, o, mine); err != nil {
			log.Warn("could not publish the App Home", "err", err)
		}
		return
	}
	for _, r := range replies {
		if !o.event.Answers(r) {
			a.sendOrLog(ctx, r)
			continue
		}
		if err := a.reply(ctx, o, r, inTime); err != nil {
			log.Warn("could not deliver a reply", "err", err)
		}
	}
}

func (a *Adapter) sendOrLog(ctx context.Context, r bot.Reply) {
	if r.To.Platform != "" && r.To.Platform != bot.Slack {
		a.log.Warn("reply for another platform dropped", "platform", r.To.Platform)
		return
	}
	if err := a.Send(ctx, r); err != nil {
		a.log.Warn("could not deliver a reply", "to", r.To, "err", err)
	}
}

// reply delivers one reply in the context of the event it answers.
func (a *Adapter) reply(ctx context.Context, o origin, r bot.Reply, inTime bool) error {
	c, err := a.client(ctx, o.team)
	if err != nil {
		return err
	}
	if r.Form != nil {
		return a.replyForm(ctx, c, o, r, inTime)
	}
	blocks := replyBlocks(r)
	if len(blocks) == 0 {
		return nil
	}
	msg := []slack.MsgOption{slack.MsgOptionText(fallbackText(r), false), slack.MsgOptionBlocks(blocks...)}
	if o.thread != "" {
		msg = append(msg, slack.MsgOptionTS(o.thread))
	}

	if o.responseURL != "" {
		kind := slack.ResponseTypeInChannel
		if r.Private {
			kind = slack.ResponseTypeEphemeral
		}
		opts := append([]slack.MsgOption{slack.MsgOptionResponseURL(o.responseURL, kind)}, msg...)
		err := a.retry(ctx, o.team, "response_url", func() error {
			_, _, err := c.PostMessageContext(ctx, "", opts...)
			return err
		})
		if err == nil {
			return nil
		}
		// Expired (30 minutes, 5 uses) or refused: try the Web API.
		a.log.Debug("response_url failed; using the Web API", "workspace", o.team, "err", err)
	}
	switch {
	case o.channel != "" && r.Private && !isDM(o.channel) && o.user != "":
		return a.retry(ctx, o.team, "chat.postEphemeral", func() error {
			_, err := c.PostEphemeralContext(ctx, o.channel, o.user, msg...)
			return err
		})
	case o.channel != "":
		err := a.post(ctx, c, o.team, o.channel, msg)
		if err == nil || o.user == "" || bot.ErrorCode(err) != bot.EREFUSED {
			return err
		}
		// Not in that channel: tell the person in the DM instead.
		fallthrough
	default:
		return a.Send(ctx, bot.Reply{To: bot.Recipient{Platform: bot.Slack, Workspace: o.team, UserID: o.user}, Text: r.Text, Cards: r.Cards, Buttons: r.Buttons})
	}
}

// replyForm answers with a form: the modal errors of a submission were
// answered already; a live trigger_id opens the modal; otherwise the
// person gets a button that opens it with a fresh one.
func (a *Adapter) replyForm(ctx context.Context, c *slack.Client, o origin, r bot.Reply, inTime bool) error {
	f := *r.Form
	if o.submission && len(f.Errors) > 0 {
		// Late: the modal has closed; list the errors instead.
		return a.reply(ctx, o, bot.Reply{Text: formErrorsText(f), Private: true}, inTime)
	}
	if inTime && o.triggerID != "" && !o.submission {
		view := modalView(f, modalMeta{Channel: o.channel, ResponseURL: o.responseURL})
		err := a.retry(ctx, o.team, "views.open", func() error {
			_, err := c.OpenViewContext(ctx, o.triggerID, view)
			return err
		})
		if err == nil {
			return nil
		}
		a.log.Warn("could not open a modal", "workspace", o.team, "err", err)
	}
	text := r.Text
	if text == "" {
		text = "Open the form to continue."
	}
	var buttons []bot.Button
	if o.command != "" && len(o.command) <= 64 {
		label := f.Title
		if label == "" {
			label = "Open form"
		}
		buttons = []bot.Button{{Label: label, Value: o.command, Style: "primary"}}
	}
	return a.reply(ctx, o, bot.Reply{Text: text, Buttons: buttons, Private: true}, false)
}

// publishHome shows the replies as the person's App Home tab.
func (a *Adapter) publishHome(ctx context.Context, o origin, replies []bot.Reply) error {
	c, err := a.client(ctx, o.team)
	if err != nil {
		return err
	}
	view := homeView(replies)
	return a.retry(ctx, o.team, "views.publish", func() error {
		_, err := c.PublishViewContext(ctx, slack.PublishViewContextRequest{UserID: o.user, View: view})
		return err
	})
}

// markAnswered edits the message whose button was pressed: the buttons go,
// a line shows the choice, so it cannot be pressed twice.
func (a *Adapter) markAnswered(ctx context.Context, o origin) {
	p := o.pressed
	if p == nil {
		return
	}
	c, err := a.client(ctx, o.team)
	if err != nil {
		return
	}
	opts := []slack.MsgOption{slack.MsgOptionText(p.text, false), slack.MsgOptionBlocks(answeredBlocks(p.blocks, p.label)...)}
	if p.responseURL != "" { // works for ephemeral messages too
		err = a.retry(ctx, o.team, "response_url", func() error {
			_, _, err := c.PostMessageContext(ctx, "", append([]slack.MsgOption{slack.MsgOptionReplaceOriginal(p.responseURL)}, opts...)...)
			return err
		})
	} else {
		err = a.retry(ctx, o.team, "chat.update", func() error {
			_, _, _, err := c.UpdateMessageContext(ctx, p.channel, p.ts, opts...)
			return err
		})
	}
	if err != nil {
		a.log.Warn("could not mark a message answered", "workspace", o.team, "err", err)
	}
}

// Send delivers a reply addressed to a person or a conversation on Slack:
// To.ChatID, or a DM opened with To.UserID. It uses the token of
// To.Workspace. A refusal returns *bot.Error with EREFUSED.
func (a *Adapter) Send(ctx context.Context, r bot.Reply) error {
	to := r.To
	if to.ChatID == "" && to.UserID == "" {
		return bot.Errorf(bot.EINVALID, "A Slack reply needs a conversation or a person.")
	}
	c, err := a.client(ctx, to.Workspace)
	if err != nil {
		return err
	}
	channel := to.ChatID
	if channel == "" {
		err := a.retry(ctx, to.Workspace, "conversations.open", func() error {
			ch, _, _, err := c.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{to.UserID}, ReturnIM: true})
			if err == nil {
				channel = ch.ID
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	if r.Form != nil {
		// A modal needs a trigger; from afar, offer the form's text.
		if r.Text == "" {
			r.Text = r.Form.Title
		}
		r.Form = nil
	}
	blocks := replyBlocks(r)
	if len(blocks) == 0 {
		return nil
	}
	msg := []slack.MsgOption{slack.MsgOptionText(fallbackText(r), false), slack.MsgOptionBlocks(blocks...)}
	if r.Private && to.UserID != "" && !isDM(channel) {
		return a.retry(ctx, to.Workspace, "chat.postEphemeral", func() error {
			_, err := c.PostEphemeralContext(ctx, channel, to.UserID, msg...)
			return err
		})
	}
	return a.post(ctx, c, to.Workspace, channel, msg)
}

func (a *Adapter) post(ctx context.Context, c *slack.Client, team, channel string, msg []slack.MsgOption) error {
	return a.retry(ctx, team, "chat.postMessage", func() error {
		_, _, err := c.PostMessageContext(ctx, channel, msg...)
		return err
	})
}

// maxRateLimitWaits bounds the waits for one call; ctx bounds them too.
const maxRateLimitWaits = 5

// retry runs call, waiting out rate limits (Retry-After), and classifies
// its error.
func (a *Adapter) retry(ctx context.Context, team, method string, call func() error) error {
	for waits := 0; ; waits++ {
		err := call()
		if err == nil {
			return nil
		}
		wait, limited := rateLimited(err)
		if !limited || waits >= maxRateLimitWaits {
			return a.classify(team, method, err)
		}
		a.log.Info("rate limited; waiting", "workspace", team, "method", method, "retry_after", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return a.classify(team, method, errors.Join(err, ctx.Err()))
		case <-t.C:
		}
	}
}

// rateLimited reports whether err is Slack's rate limit and how long to wait.
func rateLimited(err error) (time.Duration, bool) {
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		if rl.RetryAfter <= 0 {
			return time.Second, true
		}
		return rl.RetryAfter, true
	}
	var se slack.SlackErrorResponse
	if errors.As(err, &se) && se.Err == "ratelimited" {
		return time.Second, true
	}
	var sc slack.StatusCodeError
	if errors.As(err, &sc) && sc.Code == 429 {
		return time.Second, true
	}
	return 0, false
}

// refusals are Web API errors that mean "this cannot be delivered": they are
// logged with the workspace and returned as EREFUSED, never retried.
var refusals = map[string]string{
	"not_in_channel":          "hirebot is not in that channel; invite it with /invite first.",
	"channel_not_found":       "hirebot cannot see that conversation.",
	"is_archived":             "That channel is archived.",
	"cannot_dm_bot":           "That is a bot; hirebot cannot message it.",
	"user_not_found":          "That Slack user does not exist.",
	"user_disabled":           "That Slack account is deactivated.",
	"messages_tab_disabled":   "That person cannot receive messages from hirebot.",
	"account_inactive":        "hirebot is no longer installed in that Slack workspace.",
	"token_revoked":           "hirebot is no longer installed in that Slack workspace.",
	"token_expired":           "hirebot is no longer installed in that Slack workspace.",
	"invalid_auth":            "hirebot is no longer installed in that Slack workspace.",
	"not_authed":              "hirebot is no longer installed in that Slack workspace.",
	"team_access_not_granted": "hirebot has no access to that Slack workspace.",
	"expired_trigger_id":      "That took too long; please try again.",
}

// classify turns a Web API error into a *bot.Error.
func (a *Adapter) classify(team, method string, err error) error {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		if msg, ok := refusals[se.Err]; ok {
			a.log.Warn("Slack refused", "workspace", team, "method", method, "error", se.Err)
			return &bot.Error{Code: bot.EREFUSED, Message: msg, Err: err}
		}
	}
	if _, limited := rateLimited(err); limited {
		return &bot.Error{Code: bot.EUNAVAILABLE, Message: "Slack is busy; please try again in a minute.", Err: err}
	}
	return fmt.Errorf("slack %s: %w", method, err)
}
