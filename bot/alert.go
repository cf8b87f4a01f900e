package bot

import (
	"context"
	"time"
)

// Alert modes.
const (
	AlertsOff     = "off"
	AlertsInstant = "instant"
	AlertsDaily   = "daily"
)

// Alert item states.
const (
	AlertQueued  = "queued"  // waits for the daily digest
	AlertSent    = "sent"    // enqueued in the outbox
	AlertDropped = "dropped" // over the day's cap, or a digest's
)

// AlertSettings is one person's choice of alerts.
type AlertSettings struct {
	AccountID int64  `json:"account_id"`
	Mode      string `json:"mode"`
	// NextDigestAt is when the next daily digest is due.
	NextDigestAt time.Time `json:"next_digest_at,omitzero"`
	UpdatedAt    time.Time `json:"updated_at,omitzero"`
}

// AlertItem is one new job matched to one person.
type AlertItem struct {
	AccountID int64     `json:"account_id"`
	JobID     int64     `json:"job_id"`
	Title     string    `json:"title"`
	Score     float64   `json:"score"`
	Reason    string    `json:"reason"`
	State     string    `json:"state"`
	CreatedAt time.Time `json:"created_at"`
}

// AlertBatch is the alerts of one run over new jobs.
type AlertBatch struct {
	Now time.Time
	// Cursor is the ID of the newest job looked at; the next run starts
	// after it.
	Cursor int64
	// Items are new (person, job) matches; a pair already recorded is
	// ignored, so a person hears of a job once.
	Items []AlertItem
	// PerDay caps the instant alerts of one person in 24 hours.
	PerDay int
	// Notify makes the notification of an item that is sent.
	Notify func(AlertItem) Notification
}

// AlertStore keeps alert settings and what was matched.
type AlertStore interface {
	// SetAlerts stores a person's mode; AlertsOff deletes the settings and
	// the items waiting for a digest. EINVALID for an unknown mode;
	// ENOTFOUND if the account does not exist.
	SetAlerts(ctx context.Context, s AlertSettings) error
	// Alerts returns a person's settings; Mode is AlertsOff when none.
	Alerts(ctx context.Context, accountID int64) (AlertSettings, error)
	// AlertSubscribers returns everyone with alerts on, in account order.
	AlertSubscribers(ctx context.Context) ([]AlertSettings, error)
	// AlertCursor returns the ID of the newest job alerts looked at; on
	// first use it starts at the newest job there is, so turning alerts on
	// never brings up old jobs.
	AlertCursor(ctx context.Context) (int64, error)
	// NewJobs returns open jobs with an ID above afterID, oldest first, at
	// most limit.
	NewJobs(ctx context.Context, afterID int64, limit int) ([]Job, error)
	// RecordAlerts stores b's items and moves the cursor, in one
	// transaction. Each new item of a person on daily digests is queued;
	// of a person on instant alerts it is sent, with the notification
	// b.Notify makes enqueued, while that person got fewer than b.PerDay
	// alerts in the 24 hours before b.Now, and dropped after. Items of
	// people without alerts are ignored. A cursor lower than the stored
	// one is ignored.
	RecordAlerts(ctx context.Context, b AlertBatch) error
	// SendDigests sends the digests due at now: for each person on daily
	// digests whose NextDigestAt has passed, the queued items of jobs
	// still open, best score first, up to perDay, are marked sent (the
	// rest dropped) and the notification notify makes of them enqueued
	// (none when there is nothing); NextDigestAt moves a day on. It
	// returns how many digests were enqueued.
	SendDigests(ctx context.Context, now time.Time, perDay int, notify func(accountID int64, items []AlertItem) Notification) (int, error)
	// AlertItems returns a person's items, oldest first.
	AlertItems(ctx context.Context, accountID int64) ([]AlertItem, error)
}
