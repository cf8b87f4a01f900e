package bench

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// tally counts the replies each conversation got, and tells whoever waits
// on a conversation's inbox that one arrived.
type tally struct {
	inboxes sync.Map // conversation -> chan struct{}
	counts  sync.Map // conversation -> *atomic.Int64
}

func (t *tally) inbox(key string) chan struct{} {
	if c, ok := t.inboxes.Load(key); ok {
		return c.(chan struct{})
	}
	c, _ := t.inboxes.LoadOrStore(key, make(chan struct{}, 64))
	return c.(chan struct{})
}

// count is how many replies key got.
func (t *tally) count(key string) int64 {
	if n, ok := t.counts.Load(key); ok {
		return n.(*atomic.Int64).Load()
	}
	return 0
}

// add counts one reply to key and tells its inbox.
func (t *tally) add(key string) {
	n, _ := t.counts.LoadOrStore(key, new(atomic.Int64))
	n.(*atomic.Int64).Add(1)
	select {
	case t.inbox(key) <- struct{}{}:
	default: // nobody is reading: a stray reply
	}
}

// drain forgets replies nobody waited for.
func (t *tally) drain() {
	t.inboxes.Range(func(_, c any) bool {
		for {
			select {
			case <-c.(chan struct{}):
			default:
				return true
			}
		}
	})
}

// fakeWebAPI is Slack's Web API as far as replies go: chat.postMessage
// answers ok and is counted for its channel; every other method answers
// ok.
type fakeWebAPI struct {
	tally
	posts atomic.Int64
	ts    atomic.Int64
}

func newFakeWebAPI() *fakeWebAPI { return &fakeWebAPI{} }

func (f *fakeWebAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path != "/api/chat.postMessage" {
		_, _ = io.WriteString(w, `{"ok":true}`)
		return
	}
	channel := r.PostForm.Get("channel")
	if channel == "" || r.PostForm.Get("text")+r.PostForm.Get("blocks") == "" {
		_, _ = io.WriteString(w, `{"ok":false,"error":"no_text"}`)
		return
	}
	ts := strconv.FormatInt(f.ts.Add(1), 10)
	_, _ = io.WriteString(w, `{"ok":true,"channel":"`+channel+`","ts":"`+ts+`.000200"}`)
	f.posts.Add(1)
	f.add(channel)
}

// bareHandler is the floor hirebot is measured against: it checks the
// signature, decodes the event and posts one reply, with the same Slack
// library hirebot uses, acknowledging first as hirebot does.
type bareHandler struct {
	secret string
	client *slack.Client
	log    *slog.Logger
}

func newBareHandler(secret, apiURL string) *bareHandler {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 100
	hc := &http.Client{Transport: t, Timeout: 30 * time.Second}
	return &bareHandler{
		secret: secret,
		client: slack.New("xoxb-load", slack.OptionAPIURL(apiURL), slack.OptionHTTPClient(hc)),
		log:    slog.New(slog.DiscardHandler),
	}
}

func (b *bareHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sv, err := slack.NewSecretsVerifier(r.Header, b.secret)
	if err != nil {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, "cannot read request", http.StatusBadRequest)
		return
	}
	if _, err := sv.Write(body); err != nil || sv.Ensure() != nil {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	ev, err := slackevents.ParseEvent(body, slackevents.OptionNoVerifyToken())
	if err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	msg, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent)
	w.WriteHeader(http.StatusOK)
	if !ok {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, _, err := b.client.PostMessageContext(ctx, msg.Channel, slack.MsgOptionText("You said: "+msg.Text, false)); err != nil {
			b.log.Warn("bare reply failed", "err", err)
		}
	}()
}
