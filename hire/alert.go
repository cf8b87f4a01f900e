package hire

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/match"
)

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
	notify := func(it bot.AlertItem) bot.Notification {
		n := bot.Notification{AccountID: it.AccountID, NextAt: now.Add(time.Duration(spaced) * b.ret.AlertSpacing), Reply: bot.Reply{
			Text: fmt.Sprintf("A new job matches you: #%d %s (%s).", it.JobID, it.Title, it.Reason),
			Buttons: []bot.Button{{Label: "View", Value: fmt.Sprintf("/job %d", it.JobID)},
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
			batch := bot.AlertBatch{Now: now, Cursor: j.ID, PerDay: b.ret.AlertsPerDay, Notify: notify}
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
	_, err = b.store.SendDigests(ctx, now, b.ret.AlertsPerDay, func(id int64, items []bot.AlertItem) bot.Notification {
		r := bot.Reply{Text: fmt.Sprintf("Your daily job alert: %d new job(s) match you.", len(items))}
		for _, it := range items {
			r.Cards = append(r.Cards, bot.Card{Title: fmt.Sprintf("#%d %s", it.JobID, it.Title), Fields: []bot.Field{{Label: "Why", Value: it.Reason}}})
			if len(r.Buttons) < 5 {
				r.Buttons = append(r.Buttons, bot.Button{Label: fmt.Sprintf("Apply #%d", it.JobID), Value: fmt.Sprintf("/apply %d", it.JobID)})
			}
		}
		r.Buttons = append(r.Buttons, bot.Button{Label: "Stop alerts", Value: "/alerts off"})
		n := bot.Notification{AccountID: id, NextAt: now.Add(time.Duration(spaced) * b.ret.AlertSpacing), Reply: r}
		spaced++
		return n
	})
	return err
}

// alertItems are the subscribers a job matches above the threshold,
// leaving out its owner and anyone who hides from the owner's workspaces.
func (b *Bot) alertItems(ctx context.Context, j bot.Job, subs map[int64]bool, now time.Time) ([]bot.AlertItem, error) {
	scopes, err := b.ownerScopes(ctx, j.OwnerID)
	if bot.ErrorCode(err) == bot.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	hidden, err := b.hiddenFromScopes(ctx, scopes...)
	if err != nil {
		return nil, err
	}
	var items []bot.AlertItem
	for _, m := range b.index.MatchJobHiding(j, alertCandidates, hidden) {
		if !subs[m.AccountID] || m.AccountID == j.OwnerID || m.Score < b.ret.AlertThreshold {
			continue
		}
		items = append(items, bot.AlertItem{AccountID: m.AccountID, JobID: j.ID, Title: truncate(j.Title, 80), Score: m.Score, Reason: m.Reason, CreatedAt: now})
	}
	return items, nil
}

// alerts handles /alerts [on|daily|off].
func (t *turn) alerts(ctx context.Context, args string) ([]bot.Reply, error) {
	mode := strings.ToLower(strings.TrimSpace(args))
	switch mode {
	case "":
		s, err := t.b.store.Alerts(ctx, t.acct.ID)
		if err != nil {
			return nil, err
		}
		r := bot.Reply{Text: map[string]string{
			bot.AlertsOff:     "Job alerts are off.",
			bot.AlertsInstant: fmt.Sprintf("Job alerts are on: I tell you of each new job that matches you well, at most %d a day.", t.b.ret.AlertsPerDay),
			bot.AlertsDaily:   fmt.Sprintf("Job alerts come as one daily digest of up to %d jobs.", t.b.ret.AlertsPerDay),
		}[s.Mode]}
		r.Buttons = []bot.Button{{Label: "As they come", Value: "/alerts on"}, {Label: "Daily digest", Value: "/alerts daily"}, {Label: "Off", Value: "/alerts off"}}
		return []bot.Reply{r}, nil
	case "on", "instant", "yes":
		mode = bot.AlertsInstant
	case "daily", "digest":
		mode = bot.AlertsDaily
	case "off", "stop", "no":
		mode = bot.AlertsOff
	default:
		return nil, bot.Errorf(bot.EINVALID, "Say /alerts on, /alerts daily or /alerts off.")
	}
	note, zone := "", ""
	if mode != bot.AlertsOff {
		p, err := t.b.store.Profile(ctx, t.acct.ID)
		if bot.ErrorCode(err) == bot.ENOTFOUND {
			return say("Alerts match new jobs to your profile, and you have none yet. Say /profile to build one."), nil
		}
		if err != nil {
			return nil, err
		}
		zone = p.Timezone
		if p.Status != bot.ProfilePublished {
			note = " Your profile is " + p.Status + ", so alerts wait until you /resume."
		}
	}
	s := bot.AlertSettings{AccountID: t.acct.ID, Mode: mode}
	if mode == bot.AlertsDaily {
		s.NextDigestAt = nextMorning(zone, t.b.now())
	}
	if err := t.b.store.SetAlerts(ctx, s); err != nil {
		return nil, err
	}
	switch mode {
	case bot.AlertsInstant:
		return say(fmt.Sprintf("Alerts on: I'll tell you of new jobs that match you well, at most %d a day. /alerts daily for one digest, /alerts off to stop.%s", t.b.ret.AlertsPerDay, note)), nil
	case bot.AlertsDaily:
		return say(fmt.Sprintf("Alerts on: one digest a day at %02d:00 your time, starting %s, with up to %d new jobs that match you. /alerts off to stop.%s", digestHour, formatLocal(s.NextDigestAt, zone), t.b.ret.AlertsPerDay, note)), nil
	}
	return say("Alerts off. Say /alerts on to start them again."), nil
}

// digestHour is the local hour at which daily digests go out.
const digestHour = 9

// zoneOf is the location of a profile's time zone; UTC when it has none
// hirebot can read.
func zoneOf(zone string) *time.Location {
	if loc := match.ParseZone(zone); loc != nil {
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
