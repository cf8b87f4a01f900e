package discord

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/hirebot/hirebot/bot"
)

// interactionLifetime is how long an interaction token accepts follow-ups.
const interactionLifetime = 15 * time.Minute

// maxBody bounds an interaction request; a larger one gets 413.
const maxBody = 1 << 20

// signatureWindow is how far X-Signature-Timestamp may be from now.
const signatureWindow = 5 * time.Minute

// responder sends the one initial response to an interaction: a REST
// callback for gateway interactions, the HTTP response body for the
// interactions endpoint.
type responder func(ctx context.Context, resp *discordgo.InteractionResponse) error

// Routes registers POST /discord/interactions.
func (a *Adapter) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /discord/interactions", a.serveInteraction)
}

// serveInteraction verifies the request (Ed25519 signature and a timestamp
// within five minutes), then answers it. The answer is written as soon as
// it is known; slower work continues after the response, with follow-ups.
func (a *Adapter) serveInteraction(w http.ResponseWriter, r *http.Request) {
	if a.pubKey == nil {
		http.Error(w, "interactions endpoint not configured", http.StatusNotFound)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		} else {
			http.Error(w, "cannot read body", http.StatusBadRequest)
		}
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body)) // VerifyInteraction reads it again
	if !a.freshTimestamp(r.Header.Get("X-Signature-Timestamp")) || !discordgo.VerifyInteraction(r, a.pubKey) {
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return
	}
	i, err := parseInteraction(body)
	if err != nil {
		a.log.Warn("undecodable interaction", "err", err)
		http.Error(w, "bad interaction", http.StatusBadRequest)
		return
	}
	if i.Type == discordgo.InteractionPing {
		writeJSON(w, wire{&discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong}})
		return
	}

	responses := make(chan *discordgo.InteractionResponse)
	written := make(chan struct{})
	gone := make(chan struct{})
	defer close(gone)
	finished := make(chan struct{})
	respond := func(ctx context.Context, resp *discordgo.InteractionResponse) error {
		select {
		case responses <- resp:
		case <-gone:
			return errors.New("discord: the interaction request is gone")
		}
		select {
		case <-written:
			return nil
		case <-gone:
			// Both may be closed by now; only written matters.
			select {
			case <-written:
				return nil
			default:
				return errors.New("discord: the interaction request is gone")
			}
		}
	}
	// The work outlives the request (follow-ups), up to the token's life.
	work, done := bot.Outlive(r.Context())
	if !a.inflight.Go(func() {
		defer done()
		defer close(finished)
		ctx, cancel := context.WithTimeout(work, interactionLifetime)
		defer cancel()
		a.interact(ctx, i, respond)
	}) {
		done()
		http.Error(w, "hirebot is stopping", http.StatusServiceUnavailable)
		return
	}
	select {
	case resp := <-responses:
		writeJSON(w, wire{resp})
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
		close(written)
	case <-finished:
		http.Error(w, "no response", http.StatusInternalServerError)
	case <-r.Context().Done():
	}
}

// wire is an interaction response as it is sent. discordgo drops an empty
// choices list (omitempty), but an autocomplete result must carry it: an
// empty list is how Discord is told that nothing matches.
type wire struct{ *discordgo.InteractionResponse }

func (w wire) MarshalJSON() ([]byte, error) {
	if w.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
		return json.Marshal(w.InteractionResponse)
	}
	var out struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data struct {
			Choices []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
		} `json:"data"`
	}
	out.Type, out.Data.Choices = w.Type, []*discordgo.ApplicationCommandOptionChoice{}
	if w.Data != nil && w.Data.Choices != nil {
		out.Data.Choices = w.Data.Choices
	}
	return json.Marshal(out)
}

// parseInteraction decodes an interaction. discordgo v0.29 does not know
// the Label component (type 18) that modals now wrap their inputs in; a
// submitted Label is read as the action row it replaces, so its text
// input's value is kept.
func parseInteraction(body []byte) (*discordgo.Interaction, error) {
	var i discordgo.Interaction
	err := json.Unmarshal(body, &i)
	if err == nil {
		return &i, nil
	}
	var raw map[string]any
	if json.Unmarshal(body, &raw) != nil {
		return nil, err
	}
	data, _ := raw["data"].(map[string]any)
	if data == nil || !unwrapLabels(data["components"]) {
		return nil, err
	}
	fixed, merr := json.Marshal(raw)
	if merr != nil {
		return nil, err
	}
	i = discordgo.Interaction{}
	if json.Unmarshal(fixed, &i) != nil {
		return nil, err
	}
	return &i, nil
}

// unwrapLabels turns every {"type":18,"component":c} in a component list
// into {"type":1,"components":[c]}, and reports whether it found one.
func unwrapLabels(v any) bool {
	list, _ := v.([]any)
	found := false
	for k, c := range list {
		m, _ := c.(map[string]any)
		if m == nil {
			continue
		}
		if t, _ := m["type"].(float64); t == 18 {
			inner, _ := m["component"].(map[string]any)
			if inner == nil {
				continue
			}
			list[k] = map[string]any{"type": float64(discordgo.ActionsRowComponent), "components": []any{inner}}
			found = true
			continue
		}
		found = unwrapLabels(m["components"]) || found
	}
	return found
}

func writeJSON(w http.ResponseWriter, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "cannot encode response", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// freshTimestamp reports whether a signature timestamp (Unix seconds) is
// within signatureWindow of now, either way. discordgo.VerifyInteraction
// checks the signature but not its age, so a captured request could be
// replayed without this.
func (a *Adapter) freshTimestamp(ts string) bool {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	d := a.now().Sub(time.Unix(sec, 0))
	return d <= signatureWindow && d >= -signatureWindow
}

// setBotID keeps the bot's user ID a gateway READY gave.
func (a *Adapter) setBotID(id string) {
	if id != "" {
		a.mu.Lock()
		a.botID = id
		a.mu.Unlock()
	}
}

// onInteractionCreate answers a gateway interaction with REST callbacks,
// under a context made from ctx (the shard's) that lasts as long as the
// interaction's token; then it calls done (see start).
func (a *Adapter) onInteractionCreate(ctx context.Context, ic *discordgo.InteractionCreate, done func()) {
	i := ic.Interaction
	a.start(ctx, "interaction", i.ID, done, func(ctx context.Context) {
		a.interact(ctx, i, func(ctx context.Context, resp *discordgo.InteractionResponse) error {
			return a.do(ctx, func(opts ...discordgo.RequestOption) error {
				// InteractionRespond, but with the body as wire shapes it.
				endpoint := discordgo.EndpointInteractionResponse(i.ID, i.Token)
				_, err := a.session.RequestWithBucketID(http.MethodPost, endpoint, wire{resp}, endpoint, opts...)
				return err
			})
		})
	})
}

// start runs work on an event from the gateway, taken in under ctx: on a
// goroutine Run waits for, under bot.Outlive(ctx) and for at most an
// interaction's lifetime. An event that comes while Run is stopping is
// dropped. done, when set, is called once the work is over, or at once
// when there is none.
func (a *Adapter) start(ctx context.Context, kind, id string, done func(), work func(ctx context.Context)) {
	if done == nil {
		done = func() {}
	}
	outlive, end := bot.Outlive(ctx)
	if !a.inflight.Go(func() {
		defer done()
		defer end()
		ctx, cancel := context.WithTimeout(outlive, interactionLifetime)
		defer cancel()
		work(ctx)
	}) {
		end()
		done()
		a.log.Info("the gateway is closing; an event is dropped", "kind", kind, "id", id)
	}
}

// onMessageCreate handles a DM or an @mention from the gateway. There is
// no interaction to answer in, so an answer is a message in the same
// channel, and a private answer to an @mention in a server goes to the
// person's DM (a channel message cannot be ephemeral). Then it calls done
// (see start).
func (a *Adapter) onMessageCreate(ctx context.Context, mc *discordgo.MessageCreate, done func()) {
	ev, ok := messageEvent(mc.Message, a.botUserID())
	if !ok {
		if done != nil {
			done()
		}
		return
	}
	a.start(ctx, "message", ev.ID, done, func(ctx context.Context) { a.answerMessage(ctx, ev) })
}

// answerMessage hands a message to the bot and sends its replies.
func (a *Adapter) answerMessage(ctx context.Context, ev bot.Event) {
	refused := false
	for _, r := range a.handle(ctx, ev) {
		private := r.Private && !ev.Private && ev.Answers(r)
		if ev.Answers(r) {
			r.To = ev.Chat
		}
		if private {
			r.To.UserID = ev.From.UserID // Post takes a private reply to the DM
		}
		err := a.Send(ctx, r)
		if private && bot.ErrorCode(err) == bot.EREFUSED && !refused {
			refused = true // say it once, without the reply's content
			err = a.Send(ctx, bot.Reply{To: ev.Chat, Text: dmRefused})
		}
		if err != nil {
			a.log.Warn("reply not delivered", "event", ev.ID, "err", err)
		}
	}
}

// dmRefused is said in a server channel when a private answer to an
// @mention cannot reach the person's DM.
const dmRefused = "I couldn't send you my answer privately: Discord refused to deliver a direct message to you. Use /hire here instead; its answers only you can see."

// handle calls the bot; an error becomes a private reply saying what the
// person may know (bot.Recover has logged it).
func (a *Adapter) handle(ctx context.Context, ev bot.Event) []bot.Reply {
	replies, err := a.handler(ctx, ev)
	if err != nil {
		replies = append(replies, bot.Reply{Text: bot.ErrorMessage(err), Private: true})
	}
	var out []bot.Reply
	for _, r := range replies {
		if r.To.Platform != "" && r.To.Platform != bot.Discord {
			a.log.Warn("dropped a reply for another platform", "platform", r.To.Platform)
			continue
		}
		out = append(out, r)
	}
	return out
}

// split parts the bot's replies into those answering the interaction, and
// messages to other chats or people (see bot.Event.Answers).
func split(ev bot.Event, replies []bot.Reply) (here, elsewhere []bot.Reply) {
	for _, r := range replies {
		if ev.Answers(r) {
			here = append(here, r)
		} else {
			elsewhere = append(elsewhere, r)
		}
	}
	return here, elsewhere
}

func openable(r bot.Reply) bool { return r.Form != nil && len(r.Form.Errors) == 0 }

// interact answers one interaction within Discord's three seconds. Pings,
// autocomplete and the adapter's own form buttons are answered at once.
// Otherwise the bot gets a.budget to answer: in time, its first reply is
// the initial response (which is the only way to open a modal); too slow,
// a deferred response goes out and the replies follow as edits and
// follow-ups.
func (a *Adapter) interact(ctx context.Context, i *discordgo.Interaction, respond responder) {
	switch i.Type {
	case discordgo.InteractionPing:
		a.respond(ctx, i, respond, &discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
		return
	case discordgo.InteractionApplicationCommandAutocomplete:
		a.respond(ctx, i, respond, a.autocomplete(i))
		return
	case discordgo.InteractionMessageComponent:
		if key, ok := strings.CutPrefix(i.MessageComponentData().CustomID, formButtonPrefix); ok {
			a.respond(ctx, i, respond, a.openStoredForm(key))
			return
		}
	}
	ev, ok := interactionEvent(i)
	if !ok {
		a.respond(ctx, i, respond, ephemeral("Sorry, I cannot handle that here."))
		return
	}

	results := make(chan []bot.Reply, 1)
	handled := make(chan struct{})
	defer func() { <-handled }() // the bot's work is this interaction's: it ends with ctx
	go func() {
		defer close(handled)
		replies := a.handle(ctx, ev)
		if sharedPress(i) {
			replies = privateReplies(ev, replies) // the message is everyone's; the answer is not
		}
		results <- replies
	}()
	timer := time.NewTimer(a.budget)
	defer timer.Stop()
	select {
	case replies := <-results:
		a.answerNow(ctx, i, ev, replies, respond)
	case <-timer.C:
		a.answerLater(ctx, i, ev, results, respond)
	case <-ctx.Done():
	}
}

// answerNow makes the bot's replies the initial response.
func (a *Adapter) answerNow(ctx context.Context, i *discordgo.Interaction, ev bot.Event, replies []bot.Reply, respond responder) {
	here, elsewhere := split(ev, replies)
	var initial *discordgo.InteractionResponse
	rest := here
	if ev.Forms {
		for k, r := range here {
			if openable(r) {
				// The buttons stay: a dismissed modal can be opened again.
				initial = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: modal(r.Form)}
				rest = append(append([]bot.Reply(nil), here[:k]...), here[k+1:]...)
				break
			}
		}
	}
	switch {
	case initial != nil:
	case i.Type == discordgo.InteractionMessageComponent && len(replies) == 0:
		// Nothing to say (a repeated delivery the bot dropped): acknowledge
		// and leave the message as it is.
		initial = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredMessageUpdate}
	case i.Type == discordgo.InteractionMessageComponent && !sharedPress(i):
		initial = pressedUpdate(i)
	case len(here) > 0:
		initial = &discordgo.InteractionResponse{
			Type: discordgo.InteractionResponseChannelMessageWithSource,
			Data: a.render(here[0]).responseData(),
		}
		rest = here[1:]
	default:
		initial = ephemeral("✓")
	}
	if !a.respond(ctx, i, respond, initial) {
		return
	}
	if initial.Type == discordgo.InteractionResponseModal && len(rest) > 0 {
		a.log.Debug("replies beside a modal follow it", "event", ev.ID, "count", len(rest))
	}
	for _, r := range rest {
		a.followup(ctx, i, a.render(r))
	}
	a.sendElsewhere(ctx, ev, elsewhere)
}

// answerLater acknowledges at once and delivers the replies when the bot
// has them. A pressed button's message is updated in the acknowledgement
// itself; a command gets a deferred "thinking" response, ephemeral in a
// server since most answers are the person's own.
func (a *Adapter) answerLater(ctx context.Context, i *discordgo.Interaction, ev bot.Event, results <-chan []bot.Reply, respond responder) {
	var ack *discordgo.InteractionResponse
	deferredEphemeral := false
	if i.Type == discordgo.InteractionMessageComponent && !sharedPress(i) {
		ack = pressedUpdate(i)
	} else {
		deferredEphemeral = !ev.Private
		data := &discordgo.InteractionResponseData{AllowedMentions: noMentions()}
		if deferredEphemeral {
			data.Flags = discordgo.MessageFlagsEphemeral
		}
		ack = &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource, Data: data}
	}
	if !a.respond(ctx, i, respond, ack) {
		return
	}
	var replies []bot.Reply
	select {
	case replies = <-results:
	case <-ctx.Done():
		return
	}
	here, elsewhere := split(ev, replies)
	if i.Type != discordgo.InteractionMessageComponent || sharedPress(i) {
		// The deferred message must be resolved: it shows the first reply
		// when the visibility fits, else it is removed.
		if len(here) == 0 {
			here = []bot.Reply{{Text: "✓", Private: deferredEphemeral}}
		}
		first := here[0]
		if first.Private == deferredEphemeral || ev.Private {
			m := a.render(first)
			err := a.do(ctx, func(opts ...discordgo.RequestOption) error {
				_, err := a.session.InteractionResponseEdit(i, m.webhookEdit(), opts...)
				return err
			})
			if err != nil {
				a.log.Warn("cannot edit the deferred response", "event", ev.ID, "err", err)
			}
			here = here[1:]
		} else {
			err := a.do(ctx, func(opts ...discordgo.RequestOption) error {
				return a.session.InteractionResponseDelete(i, opts...)
			})
			if err != nil {
				a.log.Warn("cannot delete the deferred response", "event", ev.ID, "err", err)
			}
		}
	}
	for _, r := range here {
		a.followup(ctx, i, a.render(r))
	}
	a.sendElsewhere(ctx, ev, elsewhere)
}

func (a *Adapter) respond(ctx context.Context, i *discordgo.Interaction, respond responder, resp *discordgo.InteractionResponse) bool {
	if err := respond(ctx, resp); err != nil {
		a.log.Warn("cannot answer interaction", "interaction", i.ID, "type", resp.Type, "err", err)
		return false
	}
	return true
}

func (a *Adapter) followup(ctx context.Context, i *discordgo.Interaction, m message) {
	err := a.do(ctx, func(opts ...discordgo.RequestOption) error {
		_, err := a.session.FollowupMessageCreate(i, false, m.webhookParams(), opts...)
		return err
	})
	if err != nil {
		a.log.Warn("follow-up not delivered", "interaction", i.ID, "err", err)
	}
}

func (a *Adapter) sendElsewhere(ctx context.Context, ev bot.Event, replies []bot.Reply) {
	for _, r := range replies {
		if err := a.Send(ctx, r); err != nil {
			a.log.Warn("reply not delivered", "event", ev.ID, "to", r.To, "err", err)
		}
	}
}

// pressedUpdate answers a component press by updating its message: the
// components are removed and the choice is shown ("✓ Publish"), so it
// cannot be pressed twice. The message's content and embeds are kept.
func pressedUpdate(i *discordgo.Interaction) *discordgo.InteractionResponse {
	mark := "✓"
	if label := pressedLabel(i); label != "" {
		mark += " " + Escape(label)
	}
	content := mark
	embeds := []*discordgo.MessageEmbed{}
	if i.Message != nil {
		if i.Message.Content != "" && i.Message.Content != "\u200b" {
			content = truncate(i.Message.Content, maxContent-len([]rune(mark))-1) + "\n" + mark
		}
		if i.Message.Embeds != nil {
			embeds = i.Message.Embeds
		}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseUpdateMessage,
		Data: &discordgo.InteractionResponseData{
			Content:         content,
			Embeds:          embeds,
			Components:      []discordgo.MessageComponent{},
			AllowedMentions: noMentions(),
		},
	}
}

func ephemeral(text string) *discordgo.InteractionResponse {
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionResponseChannelMessageWithSource,
		Data: &discordgo.InteractionResponseData{
			Content:         Escape(text),
			AllowedMentions: noMentions(),
			Flags:           discordgo.MessageFlagsEphemeral,
		},
	}
}

// autocomplete offers skills starting with what the person typed.
func (a *Adapter) autocomplete(i *discordgo.Interaction) *discordgo.InteractionResponse {
	prefix := focusedOption(i.ApplicationCommandData())
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	if a.cfg.Autocomplete != nil {
		for _, s := range a.cfg.Autocomplete(prefix) {
			if len(choices) == maxChoices {
				break
			}
			if s == "" || len([]rune(s)) > maxChoiceLength {
				continue
			}
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: s, Value: s})
		}
	}
	return &discordgo.InteractionResponse{
		Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices},
	}
}

// openStoredForm opens a Form kept by formMessage.
func (a *Adapter) openStoredForm(key string) *discordgo.InteractionResponse {
	f, ok := a.forms.get(key)
	if !ok {
		return ephemeral("That form has expired. Please run the command again.")
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: modal(f)}
}
