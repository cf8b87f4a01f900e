// Package metrics exposes hirebot to Prometheus: it implements
// bot.Metrics, counts the errors of the stores it wraps, classifies the
// requests adapters refuse, and serves it all with the Go runtime and
// process collectors on one registry.
//
// Names follow Prometheus's conventions (hirebot_ prefix, _total for
// counters, base units in the name); every label comes from a small fixed
// set, never from a person.
package metrics

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/hirebot/hirebot/bot"
)

// Metrics is hirebot's registry. It implements bot.Metrics.
type Metrics struct {
	reg *prometheus.Registry

	received  *prometheus.CounterVec
	handled   *prometheus.CounterVec
	refused   *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	sent      *prometheus.CounterVec
	failed    *prometheus.CounterVec
	paceWaits *prometheus.HistogramVec
	storeErrs *prometheus.CounterVec
	started   *prometheus.CounterVec
	completed *prometheus.CounterVec
}

var _ bot.Metrics = (*Metrics)(nil)

// New returns a registry with the Go runtime, process and build
// collectors and hirebot's own metrics.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		received: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hirebot_events_received_total",
			Help: "Events received from a platform, by platform and kind (message, command, button, form).",
		}, []string{"platform", "kind"}),
		handled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hirebot_events_handled_total",
			Help: "Events whose handling ended, by platform, kind and result (ok or the error code).",
		}, []string{"platform", "kind", "result"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hirebot_requests_refused_total",
			Help: "Requests and events turned away unhandled, by platform and reason (bad_signature, stale, too_large, malformed, duplicate).",
		}, []string{"platform", "reason"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hirebot_event_handling_seconds",
			Help:    "Time to handle one event, replies included, by platform.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"platform"}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hirebot_replies_sent_total",
			Help: "Replies and notifications the bot delivered through an adapter, by platform.",
		}, []string{"platform"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hirebot_replies_failed_total",
			Help: "Replies and notifications an adapter failed to deliver, by platform and error code (refused, unavailable, ...).",
		}, []string{"platform", "code"}),
		paceWaits: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hirebot_rate_limit_wait_seconds",
			Help:    "Sends held back to stay under a platform's rate limit, and how long, by platform.",
			Buckets: []float64{.1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"platform"}),
		storeErrs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hirebot_store_errors_total",
			Help: "Failed calls to a store, by store (sessions, dedupe, sql) and operation. Expected answers (no session, a version conflict, not found) are not errors.",
		}, []string{"store", "op"}),
		started: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hirebot_dialogs_started_total",
			Help: "Dialogs started, by flow.",
		}, []string{"flow"}),
		completed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hirebot_dialogs_completed_total",
			Help: "Dialogs confirmed and committed, by flow.",
		}, []string{"flow"}),
	}
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector(),
		m.received, m.handled, m.refused, m.latency, m.sent, m.failed, m.paceWaits, m.storeErrs, m.started, m.completed,
	)
	return m
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Register adds collectors to the registry (the outbox backlog, say).
func (m *Metrics) Register(cs ...prometheus.Collector) error {
	for _, c := range cs {
		if err := m.reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

func (m *Metrics) EventReceived(platform, kind string) {
	m.received.WithLabelValues(platform, kind).Inc()
}

func (m *Metrics) EventHandled(platform, kind, result string, took time.Duration) {
	m.handled.WithLabelValues(platform, kind, result).Inc()
	m.latency.WithLabelValues(platform).Observe(took.Seconds())
}

func (m *Metrics) EventRefused(platform, reason string) {
	m.refused.WithLabelValues(platform, reason).Inc()
}

func (m *Metrics) ReplyDelivered(platform, code string) {
	if code == "" {
		m.sent.WithLabelValues(platform).Inc()
		return
	}
	m.failed.WithLabelValues(platform, code).Inc()
}

func (m *Metrics) PaceWaited(platform string, wait time.Duration) {
	m.paceWaits.WithLabelValues(platform).Observe(wait.Seconds())
}

func (m *Metrics) DialogStarted(flow string)   { m.started.WithLabelValues(flow).Inc() }
func (m *Metrics) DialogCompleted(flow string) { m.completed.WithLabelValues(flow).Inc() }

// storeError counts a failed store call.
func (m *Metrics) storeError(store, op string) { m.storeErrs.WithLabelValues(store, op).Inc() }

// Backlog reads the outbox: how many notifications wait to be sent, and
// when the oldest of them was enqueued (zero when none wait).
type Backlog func(ctx context.Context) (pending int, oldest time.Time, err error)

// backlogCollector reads the outbox at each scrape.
type backlogCollector struct {
	read    Backlog
	m       *Metrics
	now     func() time.Time
	pending *prometheus.Desc
	age     *prometheus.Desc
}

// NewBacklogCollector returns a collector of the outbox depth and the age
// of its oldest notification, read with read at every scrape. A failed
// read is counted as a store error and leaves both out of that scrape.
func (m *Metrics) NewBacklogCollector(read Backlog) prometheus.Collector {
	return &backlogCollector{
		read: read, m: m, now: time.Now,
		pending: prometheus.NewDesc("hirebot_outbox_pending", "Notifications in the outbox waiting to be sent.", nil, nil),
		age:     prometheus.NewDesc("hirebot_outbox_oldest_age_seconds", "Age of the oldest notification waiting in the outbox (0 when none waits).", nil, nil),
	}
}

func (c *backlogCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.pending; ch <- c.age }

func (c *backlogCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	n, oldest, err := c.read(ctx)
	if err != nil {
		c.m.storeError("sql", "outbox_backlog")
		return
	}
	age := 0.0
	if n > 0 && !oldest.IsZero() {
		age = max(0, c.now().Sub(oldest).Seconds())
	}
	ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, age)
}
