package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fakeBotAPI is Telegram's Bot API as far as a webhook bot goes: getMe,
// setWebhook and friends answer ok; sendMessage counts the messages of
// each chat, and fails (502) for the chats in fail, so that errors with
// the bot token in their URL reach the log.
type fakeBotAPI struct {
	tally
	fail map[string]bool
	msg  atomic.Int64
}

func (f *fakeBotAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseMultipartForm(1 << 20)
	method := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	w.Header().Set("Content-Type", "application/json")
	switch method {
	case "getMe":
		io.WriteString(w, `{"ok":true,"result":{"id":424242424,"is_bot":true,"first_name":"Hirebot","username":"hirebot_faults_bot"}}`)
	case "sendMessage":
		chat := r.FormValue("chat_id")
		if f.fail[chat] {
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, `{"ok":false,"error_code":502,"description":"Bad Gateway"}`)
			return
		}
		f.add(chat)
		fmt.Fprintf(w, `{"ok":true,"result":{"message_id":%d,"date":1700000000,"chat":{"id":%s,"type":"private"},"text":"ok"}}`, f.msg.Add(1), chat)
	default:
		io.WriteString(w, `{"ok":true,"result":true}`)
	}
}

// update is a Telegram update: a private message from user in chat user.
func update(id, user int64, text string) []byte {
	u := strconv.FormatInt(user, 10)
	return []byte(`{"update_id":` + strconv.FormatInt(id, 10) + `,"message":{"message_id":1,"date":` +
		strconv.FormatInt(time.Now().Unix(), 10) + `,"chat":{"id":` + u + `,"type":"private","first_name":"Faults"},` +
		`"from":{"id":` + u + `,"is_bot":false,"first_name":"Faults"},"text":` + strconv.Quote(text) + `}}`)
}

// redeliver: two replicas on PostgreSQL and Redis serve Telegram's
// webhook. Handling stalls on a lock of the identities table (as a slow
// database would); replica 1 takes Redeliveries updates, dies by SIGKILL
// with all of them in hand, and Telegram delivers each again to replica 2.
// Every update must be answered once; a replay after that must not be.
func (r *faultRun) redeliver(ctx context.Context) error {
	api := &fakeBotAPI{fail: map[string]bool{"990000001": true}}
	apiURL, err := serveLocal(ctx, api)
	if err != nil {
		return err
	}
	env := append(r.cfg.Env[:len(r.cfg.Env):len(r.cfg.Env)],
		"HIREBOT_DB="+r.dsn, "HIREBOT_LOG=info", "REDIS_URL="+r.cfg.RedisURL, "HIREBOT_REDIS_PREFIX=hirebot-faults-"+nonce()+":",
		"TELEGRAM_BOT_TOKEN="+r.secrets["TELEGRAM_BOT_TOKEN"], "TELEGRAM_API_URL="+strings.TrimSuffix(apiURL, "/"),
		"TELEGRAM_WEBHOOK_URL=https://hirebot.invalid/telegram/webhook", "TELEGRAM_WEBHOOK_SECRET="+r.secrets["TELEGRAM_WEBHOOK_SECRET"])
	one, err := r.start(ctx, env)
	if err != nil {
		return err
	}
	two, err := r.start(ctx, env)
	if err != nil {
		return err
	}
	post := func(base string, body []byte) bool {
		return postUpdate(ctx, http.DefaultClient, base, r.secrets["TELEGRAM_WEBHOOK_SECRET"], body)
	}

	// Handling stalls: every new person's account waits for the lock.
	lock, err := r.pg.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer lock.Rollback()
	if _, err := lock.ExecContext(ctx, `LOCK TABLE identities IN ACCESS EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("lock identities: %w", err)
	}
	locked := time.Now()
	n := r.cfg.Redeliveries
	bodies, chats := make([][]byte, n), make([]string, n)
	for i := range n {
		user := int64(910000000 + i)
		bodies[i], chats[i] = update(int64(700000000+i), user, "help"), strconv.FormatInt(user, 10)
		go post(one.url, bodies[i]) // hangs until replica 1 dies
	}
	// Every update is in replica 1's inbox, in hand.
	for deadline := time.Now().Add(r.cfg.Timeout); ; time.Sleep(20 * time.Millisecond) {
		var got int
		if err := r.pg.QueryRowContext(ctx, `SELECT count(*) FROM inbox WHERE event_id LIKE 'telegram:%' AND done_ms = 0`).Scan(&got); err != nil {
			return err
		}
		if got == n {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("replica 1 recorded %d of %d updates", got, n)
		}
	}
	one.kill()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { post(two.url, bodies[i]) })
	}
	// The lock holds six seconds, then the database moves again.
	time.Sleep(max(0, 6*time.Second-time.Since(locked)))
	if err := lock.Commit(); err != nil {
		return err
	}
	wg.Wait()
	answered := make([]func() bool, n)
	for i := range n {
		answered[i] = func() bool { return api.count(chats[i]) > 0 }
	}
	missing := r.waitAnswered(ctx, answered)
	r.fig.Redelivered += n
	r.fig.RedeliveredHandled += n - missing
	fmt.Fprintf(r.w, "re-deliveries after a replica died with them in hand (Telegram webhook, PostgreSQL, two replicas, identities locked 6 s): %d of %d handled\n", n-missing, n)

	// Replays of what was handled, and an update whose answer fails.
	before := r.quiet(ctx, n, func(i int) int64 { return api.count(chats[i]) })
	for i := range n {
		post(two.url, bodies[i])
	}
	post(two.url, update(799999999, 990000001, "help"))
	r.settle(ctx)
	twice := 0
	for i := range n {
		if api.count(chats[i]) > before[i] {
			twice++
		}
	}
	r.fig.Replayed += n
	r.fig.ReplayedHandled += twice
	fmt.Fprintf(r.w, "replays after they were handled, Telegram webhook: %d replayed, %d handled twice\n", n, twice)
	return nil
}

// postUpdate delivers a Telegram update to a child's webhook with its
// secret token; ok is a 200.
func postUpdate(ctx context.Context, c *http.Client, base, secret string, body []byte) bool {
	status, _ := postJSON(ctx, c, base+"telegram/webhook", body, "X-Telegram-Bot-Api-Secret-Token", secret)
	return status == http.StatusOK
}
