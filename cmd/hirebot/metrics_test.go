package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// freeAddr returns a loopback address nobody listens on just now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestServeMetrics runs serve with Telegram and Slack against local fakes
// and reads what GET /metrics says of them, through Prometheus's own
// parser and linter; pprof answers on the admin address only; the
// healthcheck subcommand agrees with /healthz.
func TestServeMetrics(t *testing.T) {
	tg := newFakeTelegramHelp()
	tgServer := httptest.NewServer(tg)
	defer tgServer.Close()
	slackAPI := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"ok":true}`) }))
	defer slackAPI.Close()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	admin := freeAddr(t)
	e := env{
		TelegramBotToken: "123:abc", TelegramAPIURL: tgServer.URL,
		SlackSigningSecret: "s3cret", SlackBotToken: "xoxb-test", SlackAPIURL: slackAPI.URL + "/api/",
		AdminAddr: admin,
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, ln, storeConfig{DB: filepath.Join(t.TempDir(), "h.db"), SessionTTL: time.Hour}, e, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
	}()

	// healthcheck against the running serve, and against nothing.
	var out, errOut bytes.Buffer
	if err := runHealthcheck(ctx, []string{"--addr", ln.Addr().String()}, env{}, &out, &errOut); err != nil || !strings.Contains(out.String(), "ok") {
		t.Errorf("healthcheck of a live serve: %v %q %q", err, out.String(), errOut.String())
	}
	if err := runHealthcheck(ctx, []string{"--addr", freeAddr(t)}, env{}, io.Discard, io.Discard); err == nil {
		t.Error("healthcheck with nothing listening succeeded")
	}

	select {
	case <-tg.sent:
	case <-time.After(20 * time.Second): // a guard against hanging, not a timing check
		t.Fatal("Telegram /help was never answered")
	}

	// A forged Slack request, a stale one and an oversized one.
	form := url.Values{"command": {"/hire"}, "text": {"help"}, "team_id": {"T1"}, "user_id": {"U1"}, "channel_id": {"C1"}}.Encode()
	now := strconv.FormatInt(time.Now().Unix(), 10)
	old := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
	for _, c := range []struct{ ts, sig, body string }{
		{now, "v0=deadbeef", form},
		{old, slackSign("s3cret", old, form), form},
	} {
		req, _ := http.NewRequest(http.MethodPost, base+"/slack/commands", strings.NewReader(c.body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", c.ts)
		req.Header.Set("X-Slack-Signature", c.sig)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}

	code, text := get(t, base+"/metrics")
	if code != http.StatusOK {
		t.Fatalf("GET /metrics = %d", code)
	}
	problems, err := promlint.New(strings.NewReader(text)).Lint()
	if err != nil {
		t.Fatalf("promlint: %v", err)
	}
	for _, p := range problems {
		if strings.HasPrefix(p.Metric, "hirebot_") {
			t.Errorf("promlint: %s: %s", p.Metric, p.Text)
		}
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	value := func(name string, labels map[string]string) float64 {
		t.Helper()
		f, ok := families[name]
		if !ok {
			t.Errorf("no %s in /metrics", name)
			return -1
		}
	metrics:
		for _, m := range f.Metric {
			for _, l := range m.Label {
				if want, ok := labels[l.GetName()]; ok && want != l.GetValue() {
					continue metrics
				}
			}
			return sample(m)
		}
		t.Errorf("no %s%v in /metrics", name, labels)
		return -1
	}
	tgCommand := map[string]string{"platform": "telegram", "kind": "command"}
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"hirebot_events_received_total", tgCommand, 1},
		{"hirebot_events_handled_total", map[string]string{"platform": "telegram", "kind": "command", "result": "ok"}, 1},
		{"hirebot_event_handling_seconds", map[string]string{"platform": "telegram"}, 1},
		{"hirebot_requests_refused_total", map[string]string{"platform": "slack", "reason": "bad_signature"}, 1},
		{"hirebot_requests_refused_total", map[string]string{"platform": "slack", "reason": "stale"}, 1},
		// Read from the database at the scrape: nothing was queued.
		{"hirebot_outbox_pending", nil, 0},
		{"hirebot_outbox_oldest_age_seconds", nil, 0},
	} {
		if got := value(c.name, c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total", "go_build_info"} {
		if value(name, nil) < 0 {
			t.Errorf("%s missing", name)
		}
	}

	if code, _ := get(t, "http://"+admin+"/debug/pprof/"); code != http.StatusOK {
		t.Errorf("pprof on the admin address: %d", code)
	}
	if code, _ := get(t, base+"/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("pprof on the public address: %d, want 404", code)
	}
}

// sample is a counter's or gauge's value, or a histogram's count.
func sample(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	case m.Untyped != nil:
		return m.Untyped.GetValue()
	}
	return -1
}
