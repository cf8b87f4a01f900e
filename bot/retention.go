package bot

import (
	"context"
	"time"
)

// Trust and retention: reviews (review.go), talent pools (pool.go),
// "still available?" check-ins (checkin.go), job alerts (alert.go), one
// identity across platforms (link.go) and privacy (privacy.go). This file
// holds what they share: the store interface, the configuration, the
// signals they add to the match score, and a person's data export.

// RetentionStore is the durable side of trust and retention. Every method
// is one transaction; the conformance suite in store/storetest checks every
// rule written in the interfaces it embeds.
type RetentionStore interface {
	ReviewStore
	PoolStore
	CheckinStore
	AlertStore
	LinkStore
	PrivacyStore
	// PersonData returns what the store keeps about one person beyond
	// the account, profile and jobs: invites, applications, engagements,
	// reviews, pools, privacy rules, alerts and check-ins. ENOTFOUND if
	// the account does not exist.
	PersonData(ctx context.Context, accountID int64) (PersonData, error)
}

// PersonData is one person's records, for `hirebot export --person`.
type PersonData struct {
	Invites         []Invite       `json:"invites"`
	Applications    []Application  `json:"applications"`
	Engagements     []Engagement   `json:"engagements"`
	ReviewsWritten  []Review       `json:"reviews_written"`
	ReviewsReceived []Review       `json:"reviews_received"`
	Pools           []PoolEntry    `json:"pools"`
	Hidden          []Hidden       `json:"hidden_from"`
	Alerts          AlertSettings  `json:"alerts"`
	AlertItems      []AlertItem    `json:"alert_items"`
	Checkin         *Checkin       `json:"checkin,omitempty"`
	Notifications   []Notification `json:"pending_notifications"`
}

// PoolEntry is a person's place in one pool.
type PoolEntry struct {
	Scope   Scope     `json:"scope"`
	Pool    string    `json:"pool"`
	AddedAt time.Time `json:"added_at"`
}

// RetentionConfig tunes trust and retention; zero fields take the defaults.
type RetentionConfig struct {
	// CheckinEvery is how often a published freelancer is asked "still
	// available?" (14 days); CheckinGrace how long an answer may take
	// before the profile is stale (7 days).
	CheckinEvery, CheckinGrace time.Duration
	// AlertThreshold is the lowest match score that makes an alert (0.6);
	// AlertsPerDay caps one person's alerts in 24 hours (5).
	AlertThreshold float64
	AlertsPerDay   int
	// AlertSpacing spaces out the alerts of one run in the outbox (1 s),
	// so a burst of new jobs never meets a platform's rate limit.
	AlertSpacing time.Duration
	// Moderators may hide reported review comments.
	Moderators []Identity
}

func (c RetentionConfig) withDefaults() RetentionConfig {
	if c.CheckinEvery <= 0 {
		c.CheckinEvery = 14 * 24 * time.Hour
	}
	if c.CheckinGrace <= 0 {
		c.CheckinGrace = 7 * 24 * time.Hour
	}
	if c.AlertThreshold <= 0 {
		c.AlertThreshold = 0.6
	}
	if c.AlertsPerDay <= 0 {
		c.AlertsPerDay = 5
	}
	if c.AlertSpacing <= 0 {
		c.AlertSpacing = time.Second
	}
	return c
}
