package hire

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
)

// boardRefPrefix starts the Ref of a job dialog begun in a community:
// "board:<platform>:<community>:<chat>:<random>".
const boardRefPrefix = "board:"

// boardOrigin is the community chat a gig was posted from.
type boardOrigin struct {
	platform, community, chat string
}

// eventCommunity returns the community an event comes from, as its
// adapter names it (Event.Community). ok is false in a private chat and on
// platforms without gig boards.
func eventCommunity(ev bot.Event) (platform, community string, ok bool) {
	if ev.Private || ev.Community == "" {
		return "", "", false
	}
	return ev.Chat.Platform, ev.Community, true
}

func boardRef(o boardOrigin) string {
	return boardRefPrefix + o.platform + ":" + o.community + ":" + o.chat + ":" + newRef()
}

// parseBoardRef reads a Ref made by boardRef.
func parseBoardRef(ref string) (boardOrigin, bool) {
	rest, ok := strings.CutPrefix(ref, boardRefPrefix)
	if !ok {
		return boardOrigin{}, false
	}
	parts := strings.Split(rest, ":")
	if len(parts) != 4 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return boardOrigin{}, false
	}
	return boardOrigin{platform: parts[0], community: parts[1], chat: parts[2]}, true
}

// origin is the community a job being completed now was posted from.
func (t *turn) origin(key string) (boardOrigin, bool) {
	if p, c, ok := eventCommunity(t.ev); ok {
		return boardOrigin{platform: p, community: c, chat: t.ev.Chat.ChatID}, true
	}
	return parseBoardRef(key)
}

// boardOf returns the board of the origin's community. A community that
// never ran setup gets the chat the gig was posted from, without rules.
func (t *turn) boardOf(ctx context.Context, o boardOrigin) (bot.Board, error) {
	b, err := t.b.store.Board(ctx, o.platform, o.community)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return bot.Board{Platform: o.platform, Community: o.community, ChannelID: o.chat}, nil
	}
	return b, err
}

// postingRefusal says why the person may not post a gig to b now, or ""
// when they may.
func (t *turn) postingRefusal(ctx context.Context, b bot.Board) (string, error) {
	now := t.b.now()
	if created := t.ev.AccountCreated; b.MinAccountAge > 0 && !created.IsZero() && now.Sub(created) < b.MinAccountAge {
		return fmt.Sprintf("To post gigs here your account must be at least %s old. Yours is %s old.",
			span(b.MinAccountAge), span(now.Sub(created))), nil
	}
	if b.Cooldown <= 0 {
		return "", nil
	}
	last, err := t.b.store.LastBoardPost(ctx, b.Platform, b.Community, t.acct.ID)
	if err != nil {
		return "", err
	}
	if next := last.Add(b.Cooldown); !last.IsZero() && now.Before(next) {
		return fmt.Sprintf("Members can post one gig every %s here. You can post your next one in %s.",
			span(b.Cooldown), span(next.Sub(now))), nil
	}
	return "", nil
}

// span writes a duration the way people say it, rounded up: "10 minutes",
// "3 hours", "7 days".
func span(d time.Duration) string {
	unit := func(n int64, name string) string {
		if n == 1 {
			return "1 " + name
		}
		return fmt.Sprintf("%d %ss", n, name)
	}
	switch {
	case d >= 48*time.Hour:
		return unit(int64((d+24*time.Hour-1)/(24*time.Hour)), "day")
	case d >= 2*time.Hour:
		return unit(int64((d+time.Hour-1)/time.Hour), "hour")
	}
	return unit(max(1, int64((d+time.Minute-1)/time.Minute)), "minute")
}

// postCommand handles /post in a community: it refuses when the rules say
// so, lets a platform with forms go on to the form, and otherwise runs the
// job dialog in the person's private chat. done is false when the caller
// should go on as usual.
func (t *turn) postCommand(ctx context.Context, prefill map[string]string) (replies []bot.Reply, done bool, err error) {
	platform, community, ok := eventCommunity(t.ev)
	if !ok {
		return nil, false, nil
	}
	o := boardOrigin{platform: platform, community: community, chat: t.ev.Chat.ChatID}
	b, err := t.boardOf(ctx, o)
	if err != nil {
		return nil, true, err
	}
	refusal, err := t.postingRefusal(ctx, b)
	if err != nil || refusal != "" {
		return []bot.Reply{{Text: refusal, Private: true}}, true, err
	}
	if t.ev.Forms {
		return nil, false, nil
	}
	replies, err = t.start(ctx, JobFlow, boardRef(o), prefill, "")
	if err != nil {
		return nil, true, err
	}
	dm := bot.Recipient{Platform: platform, UserID: t.ev.From.UserID}
	for i := range replies {
		replies[i].To = dm
	}
	note := bot.Reply{Text: "I'll ask you about the gig in a private chat, and post it here when it's ready.", Private: true}
	if link := t.b.deepLink(platform, "post"); link != "" {
		note.Text += " If my message doesn't arrive, open the chat with me and press Start."
		note.Buttons = []bot.Button{{Label: "Open the chat", Value: link}}
	}
	return append([]bot.Reply{note}, replies...), true, nil
}

// resumePost answers "/start post" (the link in the group): it shows the
// running job dialog again, or starts one.
func (t *turn) resumePost(ctx context.Context) ([]bot.Reply, error) {
	if t.sess.Active() && t.sess.Flow == FlowJob {
		return fromMessages(conversation.Resume(JobFlow, t.sess)), nil
	}
	return t.start(ctx, JobFlow, newRef(), nil, "")
}

// boardForPost finds the board a job completed now goes to. refusal is
// non-nil when the rules forbid posting it.
func (t *turn) boardForPost(ctx context.Context, key string) (b bot.Board, onBoard bool, refusal []bot.Reply, err error) {
	o, ok := t.origin(key)
	if !ok {
		return bot.Board{}, false, nil, nil
	}
	if b, err = t.boardOf(ctx, o); err != nil {
		return bot.Board{}, false, nil, err
	}
	msg, err := t.postingRefusal(ctx, b)
	if err != nil {
		return bot.Board{}, false, nil, err
	}
	if msg != "" {
		return b, true, []bot.Reply{{Text: msg + " I did not post this gig.", Private: true}}, nil
	}
	return b, true, nil, nil
}

// postToBoard posts a new job to the board as a gig card (on Discord with a
// thread for questions) and records the message. The poster's own replies
// (the job and its matches) become private.
func (t *turn) postToBoard(ctx context.Context, b bot.Board, j bot.Job, replies []bot.Reply) ([]bot.Reply, error) {
	for i := range replies {
		replies[i].Private = true
	}
	posts, err := t.b.store.BoardPosts(ctx, j.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range posts {
		if p.Kind == bot.PostGig && p.Platform == b.Platform && p.ChatID == b.ChannelID {
			return replies, nil // a completion seen again: it is on the board already
		}
	}
	to := bot.Recipient{Platform: b.Platform, ChatID: b.ChannelID}
	card := t.b.gigCard(j, to)
	ref, delivered, err := t.b.postBoard(ctx, card)
	if err != nil {
		t.b.log.Warn("gig not posted to the board", "job", j.ID, "board", b.Community, "err", err)
		return append(replies, bot.Reply{Text: "I couldn't post it to the gig board: " + bot.ErrorMessage(err), Private: true}), nil
	}
	if !delivered {
		replies = append(replies, card) // the event's own adapter posts it
	}
	if _, err := t.b.store.AddBoardPost(ctx, bot.BoardPost{JobID: j.ID, Kind: bot.PostGig, Platform: b.Platform,
		Community: b.Community, ChatID: b.ChannelID, Ref: ref, AccountID: t.acct.ID}); err != nil {
		return nil, err
	}
	note := "It is on the gig board now."
	if th, ok := t.b.adapters[b.Platform].(bot.Threader); ok && ref != "" {
		if err := th.OpenThread(ctx, to, ref, truncate(fmt.Sprintf("Questions about #%d %s", j.ID, j.Title), 90)); err != nil {
			t.b.log.Warn("no thread under the gig", "job", j.ID, "err", err)
		} else {
			note += " Questions come in the thread under it."
		}
	}
	return append(replies, bot.Reply{Text: note, Private: true}), nil
}

// gigCard is a job as posted on a board: [Apply] [Save] [Report] where
// buttons come back to the bot (Discord), a deep link to apply in private
// where the platform moves people to a private chat by link (a
// bot.DeepLinker: Telegram, where a button in a group cannot open a
// private dialog).
func (b *Bot) gigCard(j bot.Job, to bot.Recipient) bot.Reply {
	r := bot.Reply{To: to, Cards: []bot.Card{JobCard(j)}}
	id := fmt.Sprint(j.ID)
	if l, ok := b.adapters[to.Platform].(bot.DeepLinker); ok {
		if link := l.DeepLink("gig_" + id); link != "" {
			r.Buttons = []bot.Button{{Label: "Apply", Value: link}}
		} else {
			r.Text = "Send me /apply " + id + " in a private chat to apply."
		}
		return r
	}
	r.Buttons = []bot.Button{
		{Label: "Apply", Value: "/apply " + id, Style: "primary", Shared: true},
		{Label: "Save", Value: "/save " + id, Shared: true},
		{Label: "Report", Value: "/report " + id, Style: "danger", Shared: true},
	}
	return r
}

// deepLink is a link that opens a private chat with the bot and sends it
// "/start <payload>", where the platform's adapter makes one ("" elsewhere).
func (b *Bot) deepLink(platform, payload string) string {
	if l, ok := b.adapters[platform].(bot.DeepLinker); ok {
		return l.DeepLink(payload)
	}
	return ""
}

// postBoard posts r through its platform's adapter and returns the message
// reference when the adapter gives one. delivered is false when no adapter
// is registered for the platform: the caller returns r as a reply instead.
func (b *Bot) postBoard(ctx context.Context, r bot.Reply) (ref string, delivered bool, err error) {
	a, ok := b.adapters[r.To.Platform]
	if !ok {
		return "", false, nil
	}
	if p, ok := a.(bot.Poster); ok {
		ref, err = p.Post(ctx, b.forPlatform(a.Platform(), r))
		return ref, err == nil, b.counted(a.Platform(), err)
	}
	return "", true, b.send(ctx, a, r)
}

// editPosts replaces every recorded message of a kind about j with note
// and the job's card, without buttons. Failures are logged: the job's
// state is already stored.
func (b *Bot) editPosts(ctx context.Context, j bot.Job, kind, note string) {
	posts, err := b.store.BoardPosts(ctx, j.ID)
	if err != nil {
		b.log.Warn("board posts unavailable", "job", j.ID, "err", err)
		return
	}
	for _, p := range posts {
		if p.Kind != kind || p.Ref == "" {
			continue
		}
		ed, ok := b.adapters[p.Platform].(bot.Editor)
		if !ok {
			continue
		}
		to := bot.Recipient{Platform: p.Platform, ChatID: p.ChatID}
		if err := ed.Edit(ctx, to, p.Ref, b.forPlatform(p.Platform, bot.Reply{To: to, Text: note, Cards: []bot.Card{JobCard(j)}})); err != nil {
			b.log.Warn("board message not edited", "job", j.ID, "chat", p.ChatID, "err", err)
		}
	}
}
