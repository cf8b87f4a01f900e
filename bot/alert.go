package bot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Job alerts: a freelancer opts in (/alerts on, or /alerts daily for one
// digest a day) to hear of new jobs that match them above a threshold,
// at most AlertsPerDay a day; /alerts off stops them. Alerts go through
// the outbox, spaced out so a burst of new jobs never hits a platform's
// rate limit.

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

// Alert run bounds: jobs read per batch, and candidates ranked per job
// (a person below the top alertCandidates of a job is not alerted).
const (
	alertJobBatch   = 50
	alertCandidates = 500
)

// runAlerts matches the jobs posted since the last run to the people who
// opted in, then sends the digests that are due.
func (b *Bot) runAlerts(ctx context.Context, now time.Time) error {
	cursor, err := b.store.AlertCursor(ctx)
	if err != nil {
		return err
	}
	b.refreshTrust(ctx)
	var subs map[int64]bool
	spaced := 0
	notify := func(it AlertItem) Notification {
		n := Notification{AccountID: it.AccountID, NextAt: now.Add(time.Duration(spaced) * b.ret.AlertSpacing), Reply: Reply{
			Text: fmt.Sprintf("A new job matches you: #%d %s (%s).", it.JobID, it.Title, it.Reason),
			Buttons: []Button{{Label: "View", Value: fmt.Sprintf("/job %d", it.JobID)},
				{Label: "Apply", Value: fmt.Sprintf("/apply %d", it.JobID), Style: "primary"},
				{Label: "Stop alerts", Value: "/alerts off"}},
		}}
		spaced++
		return n
	}
	for {
		jobs, err := b.store.NewJobs(ctx, cursor, alertJobBatch)
		if err != nil {
			return err
		}
		if len(jobs) == 0 {
			break
		}
		if subs == nil {
			list, err := b.store.AlertSubscribers(ctx)
			if err != nil {
				return err
			}
			subs = make(map[int64]bool, len(list))
			for _, s := range list {
				subs[s.AccountID] = true
			}
		}
		for _, j := range jobs {
			batch := AlertBatch{Now: now, Cursor: j.ID, PerDay: b.ret.AlertsPerDay, Notify: notify}
			if len(subs) > 0 {
				items, err := b.alertItems(ctx, j, subs, now)
				if err != nil {
					return err
				}
				batch.Items = items
			}
			if err := b.store.RecordAlerts(ctx, batch); err != nil {
				return err
			}
			cursor = j.ID
		}
		if len(jobs) < alertJobBatch {
			break
		}
	}
	_, err = b.store.SendDigests(ctx, now, b.ret.AlertsPerDay, func(id int64, items []AlertItem) Notification {
		r := Reply{Text: fmt.Sprintf("Your daily job alert: %d new job(s) match you.", len(items))}
		for _, it := range items {
			r.Cards = append(r.Cards, Card{Title: fmt.Sprintf("#%d %s", it.JobID, it.Title), Fields: []Field{{Label: "Why", Value: it.Reason}}})
			if len(r.Buttons) < 5 {
				r.Buttons = append(r.Buttons, Button{Label: fmt.Sprintf("Apply #%d", it.JobID), Value: fmt.Sprintf("/apply %d", it.JobID)})
			}
		}
		r.Buttons = append(r.Buttons, Button{Label: "Stop alerts", Value: "/alerts off"})
		n := Notification{AccountID: id, NextAt: now.Add(time.Duration(spaced) * b.ret.AlertSpacing), Reply: r}
		spaced++
		return n
	})
	return err
}

// alertItems are the subscribers a job matches above the threshold,
// leaving out its owner and anyone who hides from the owner's workspaces.
func (b *Bot) alertItems(ctx context.Context, j Job, subs map[int64]bool, now time.Time) ([]AlertItem, error) {
	scopes, err := b.ownerScopes(ctx, j.OwnerID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	hidden, err := b.hiddenFromScopes(ctx, scopes...)
	if err != nil {
		return nil, err
	}
	var items []AlertItem
	for _, m := range b.index.MatchJobHiding(j, alertCandidates, hidden) {
		if !subs[m.AccountID] || m.AccountID == j.OwnerID || m.Score < b.ret.AlertThreshold {
			continue
		}
		items = append(items, AlertItem{AccountID: m.AccountID, JobID: j.ID, Title: truncate(j.Title, 80), Score: m.Score, Reason: m.Reason, CreatedAt: now})
	}
	return items, nil
}

// alerts handles /alerts [on|daily|off].
func (t *turn) alerts(ctx context.Context, args string) ([]Reply, error) {
	mode := strings.ToLower(strings.TrimSpace(args))
	switch mode {
	case "":
		s, err := t.b.store.Alerts(ctx, t.acct.ID)
		if err != nil {
			return nil, err
		}
		r := Reply{Text: map[string]string{
			AlertsOff:     "Job alerts are off.",
			AlertsInstant: fmt.Sprintf("Job alerts are on: I tell you of each new job that matches you well, at most %d a day.", t.b.ret.AlertsPerDay),
			AlertsDaily:   fmt.Sprintf("Job alerts come as one daily digest of up to %d jobs.", t.b.ret.AlertsPerDay),
		}[s.Mode]}
		r.Buttons = []Button{{Label: "As they come", Value: "/alerts on"}, {Label: "Daily digest", Value: "/alerts daily"}, {Label: "Off", Value: "/alerts off"}}
		return []Reply{r}, nil
	case "on", "instant", "yes":
		mode = AlertsInstant
	case "daily", "digest":
		mode = AlertsDaily
	case "off", "stop", "no":
		mode = AlertsOff
	default:
		return nil, Errorf(EINVALID, "Say /alerts on, /alerts daily or /alerts off.")
	}
	note, zone := "", ""
	if mode != AlertsOff {
		p, err := t.b.store.Profile(ctx, t.acct.ID)
		if ErrorCode(err) == ENOTFOUND {
			return say("Alerts match new jobs to your profile, and you have none yet. Say /profile to build one."), nil
		}
		if err != nil {
			return nil, err
		}
		zone = p.Timezone
		if p.Status != ProfilePublished {
			note = " Your profile is " + p.Status + ", so alerts wait until you /resume."
		}
	}
	s := AlertSettings{AccountID: t.acct.ID, Mode: mode}
	if mode == AlertsDaily {
		s.NextDigestAt = nextMorning(zone, t.b.now())
	}
	if err := t.b.store.SetAlerts(ctx, s); err != nil {
		return nil, err
	}
	switch mode {
	case AlertsInstant:
		return say(fmt.Sprintf("Alerts on: I'll tell you of new jobs that match you well, at most %d a day. /alerts daily for one digest, /alerts off to stop.%s", t.b.ret.AlertsPerDay, note)), nil
	case AlertsDaily:
		return say(fmt.Sprintf("Alerts on: one digest a day at %02d:00 your time, starting %s, with up to %d new jobs that match you. /alerts off to stop.%s", digestHour, formatLocal(s.NextDigestAt, zone), t.b.ret.AlertsPerDay, note)), nil
	}
	return say("Alerts off. Say /alerts on to start them again."), nil
}

// digestHour is the local hour at which daily digests go out.
const digestHour = 9

// zoneOf is the location of a profile's time zone; UTC when it has none
// hirebot can read.
func zoneOf(zone string) *time.Location {
	if loc := parseZone(zone); loc != nil {
		return loc
	}
	return time.UTC
}

// nextMorning is the first digestHour o'clock in zone after now. The store
// moves a digest on by 24 hours after it is sent, which keeps it at that
// local hour (a daylight saving change shifts it by the hour until the
// person sets alerts again).
func nextMorning(zone string, now time.Time) time.Time {
	loc := zoneOf(zone)
	l := now.In(loc)
	at := time.Date(l.Year(), l.Month(), l.Day(), digestHour, 0, 0, 0, loc)
	if !at.After(now) {
		at = time.Date(l.Year(), l.Month(), l.Day()+1, digestHour, 0, 0, 0, loc)
	}
	return at.UTC()
}

// formatLocal writes t in the person's zone.
func formatLocal(t time.Time, zone string) string {
	loc := zoneOf(zone)
	if loc == time.UTC {
		return formatWhen(t)
	}
	return t.In(loc).Format("2006-01-02 15:04") + " " + loc.String()
}
