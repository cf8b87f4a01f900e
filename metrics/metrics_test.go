package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
	"github.com/hirebot/hirebot/store/memory"
	"github.com/hirebot/hirebot/store/redis"
	"github.com/hirebot/hirebot/store/redis/redistest"
)

// sampled returns a registry with one series of each of hirebot's
// metrics, so that every family is exposed.
func sampled(t *testing.T) *Metrics {
	t.Helper()
	m := New()
	m.EventReceived("slack", "message")
	m.EventHandled("slack", "message", "ok", 20*time.Millisecond)
	m.EventRefused("slack", "duplicate")
	m.ReplyDelivered("slack", "")
	m.ReplyDelivered("slack", "refused")
	m.PaceWaited("slack", time.Second)
	m.DialogStarted("profile")
	m.DialogCompleted("profile")
	m.storeError("sql", "outbox_claim")
	if err := m.Register(m.NewBacklogCollector(func(context.Context) (int, time.Time, error) { return 0, time.Time{}, nil })); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestLint(t *testing.T) {
	m := sampled(t)
	problems, err := testutil.GatherAndLint(m.reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
	n, err := testutil.GatherAndCount(m.reg, "hirebot_replies_sent_total", "hirebot_replies_failed_total", "hirebot_outbox_pending")
	if err != nil || n != 3 {
		t.Errorf("GatherAndCount = %d, %v; want 3 series", n, err)
	}
}

func TestBacklog(t *testing.T) {
	m := New()
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	var fail error
	c := m.NewBacklogCollector(func(context.Context) (int, time.Time, error) {
		return 7, now.Add(-90 * time.Second), fail
	}).(*backlogCollector)
	c.now = func() time.Time { return now }
	if err := m.Register(c); err != nil {
		t.Fatal(err)
	}
	want := `
# HELP hirebot_outbox_oldest_age_seconds Age of the oldest notification waiting in the outbox (0 when none waits).
# TYPE hirebot_outbox_oldest_age_seconds gauge
hirebot_outbox_oldest_age_seconds 90
# HELP hirebot_outbox_pending Notifications in the outbox waiting to be sent.
# TYPE hirebot_outbox_pending gauge
hirebot_outbox_pending 7
`
	if err := testutil.GatherAndCompare(m.reg, strings.NewReader(want), "hirebot_outbox_pending", "hirebot_outbox_oldest_age_seconds"); err != nil {
		t.Error(err)
	}
	fail = errors.New("database is locked")
	if n, _ := testutil.GatherAndCount(m.reg, "hirebot_outbox_pending"); n != 0 {
		t.Errorf("a failed read still exposed the backlog")
	}
	if got := testutil.ToFloat64(m.storeErrs.WithLabelValues("sql", "outbox_backlog")); got != 1 {
		t.Errorf("store errors = %v, want 1", got)
	}
}

// brokenSessions fails every call, or answers with the ordinary errors.
type brokenSessions struct{ err error }

func (b brokenSessions) Load(context.Context, string) (conversation.Session, error) {
	return conversation.Session{}, b.err
}
func (b brokenSessions) Save(context.Context, conversation.Session) (int64, error) { return 0, b.err }
func (b brokenSessions) Delete(context.Context, string) error                      { return b.err }

func TestStoreErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		err  error
		want float64
	}{
		{"down", bot.Unavailable(errors.New("dial tcp: connection refused")), 1},
		{"no session", conversation.ErrNoSession, 0},
		{"conflict", conversation.ErrConflict, 0},
		{"not found", bot.Errorf(bot.ENOTFOUND, "no such thing"), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New()
			s := m.Sessions(brokenSessions{tt.err})
			s.Load(ctx, "k")
			s.Save(ctx, conversation.Session{Key: "k"})
			s.Delete(ctx, "k")
			for _, op := range []string{"load", "save", "delete"} {
				if got := testutil.ToFloat64(m.storeErrs.WithLabelValues("sessions", op)); got != tt.want {
					t.Errorf("%s: %v errors, want %v", op, got, tt.want)
				}
			}
		})
	}
}

func TestDeduperKeepsItsAbilities(t *testing.T) {
	m := New()
	d := m.Deduper(memory.NewDeduper(memory.DedupeOptions{}))
	if _, ok := d.(conversation.SessionClaimer); ok {
		t.Error("a plain deduper became a SessionClaimer")
	}
	if first, err := d.Claim(context.Background(), "e1"); !first || err != nil {
		t.Errorf("Claim = %v, %v", first, err)
	}
}

func TestRefusals(t *testing.T) {
	m := New()
	status := map[string]int{"/slack/events": 401, "/slack/commands": 413, "/telegram/webhook": 400, "/discord/interactions": 200, "/other": 401}
	h := m.Refusals(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		code := status[r.URL.Path]
		if code == 200 {
			io.WriteString(w, "ok") // an implicit 200
			return
		}
		http.Error(w, "no", code)
	}), "slack", "telegram", "discord")
	do := func(path string, ts time.Time) {
		req := httptest.NewRequest(http.MethodPost, path, nil)
		req.Header.Set("X-Slack-Request-Timestamp", strconv.FormatInt(ts.Unix(), 10))
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	now := time.Now()
	do("/slack/events", now)
	do("/slack/events", now.Add(-10*time.Minute))
	do("/slack/commands", now)
	do("/telegram/webhook", now)
	do("/discord/interactions", now)
	do("/other", now)
	for _, c := range []struct {
		platform, reason string
		want             float64
	}{
		{"slack", "bad_signature", 1}, {"slack", "stale", 1}, {"slack", "too_large", 1},
		{"telegram", "malformed", 1}, {"discord", "bad_signature", 0}, {"other", "bad_signature", 0},
	} {
		if got := testutil.ToFloat64(m.refused.WithLabelValues(c.platform, c.reason)); got != c.want {
			t.Errorf("%s %s = %v, want %v", c.platform, c.reason, got, c.want)
		}
	}
}

// TestRedisDeduperStaysASessionClaimer: counting the failures of Redis's
// deduper and sessions keeps the two-round-trip path of the bot.
func TestRedisDeduperStaysASessionClaimer(t *testing.T) {
	r, err := redis.Open(context.Background(), redis.Options{URL: redistest.URL(t), Prefix: redistest.Prefix(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	m := New()
	d, ok := m.Deduper(r.Deduper()).(conversation.SessionClaimer)
	if !ok {
		t.Fatal("the Redis deduper is no longer a SessionClaimer")
	}
	if !d.Shares(m.Sessions(r.Sessions())) {
		t.Error("the wrapped deduper does not share the wrapped sessions")
	}
	if d.Shares(m.Sessions(memory.NewSessions(memory.SessionOptions{}))) {
		t.Error("the wrapped deduper shares sessions kept elsewhere")
	}
	first, _, loadErr, err := d.ClaimLoad(context.Background(), "e1", "acct:1")
	if !first || err != nil || !errors.Is(loadErr, conversation.ErrNoSession) {
		t.Errorf("ClaimLoad = %v, %v, %v", first, loadErr, err)
	}
	if got := testutil.CollectAndCount(m.storeErrs); got != 0 {
		t.Errorf("%d store errors counted for ordinary answers", got)
	}
}
