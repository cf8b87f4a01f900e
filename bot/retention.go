package bot

import (
	"context"
	"time"
)

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
