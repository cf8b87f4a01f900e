package hire

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hirebot/hirebot/bot"
)

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
	Moderators []bot.Identity
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

// trustTTL is how long this replica trusts its copy of ratings and stale
// profiles before reading them again, so what another replica wrote shows
// up in its scores within that time.
const trustTTL = time.Minute

// trust is this replica's copy of what reviews and check-ins add to the
// match score. The signal reads it under the index's read lock for every
// candidate, so readers take no lock: they load an immutable snapshot,
// and writers (rare) swap in a new one.
type trust struct {
	mu   sync.Mutex // serializes writers
	snap atomic.Pointer[trustSnapshot]
}

type trustSnapshot struct {
	ratings map[int64]bot.Rating
	stale   map[int64]bool
	loaded  time.Time
}

func newTrust() *trust {
	tr := &trust{}
	tr.snap.Store(&trustSnapshot{ratings: map[int64]bot.Rating{}, stale: map[int64]bool{}})
	return tr
}

// refresh reads ratings and stale profiles from s when the copy is older
// than trustTTL at now (or force).
func (tr *trust) refresh(ctx context.Context, s bot.Store, now time.Time, force bool) error {
	if age := now.Sub(tr.snap.Load().loaded); !force && age >= 0 && age < trustTTL && !tr.snap.Load().loaded.IsZero() {
		return nil
	}
	rs, err := s.Ratings(ctx)
	if err != nil {
		return err
	}
	stale, err := s.StaleAccounts(ctx)
	if err != nil {
		return err
	}
	next := &trustSnapshot{ratings: make(map[int64]bot.Rating, len(rs)), stale: make(map[int64]bool, len(stale)), loaded: now}
	for _, r := range rs {
		next.ratings[r.AccountID] = r
	}
	for _, id := range stale {
		next.stale[id] = true
	}
	tr.mu.Lock()
	tr.snap.Store(next)
	tr.mu.Unlock()
	return nil
}

func (tr *trust) rating(id int64) bot.Rating { return tr.snap.Load().ratings[id] }

// update swaps in a snapshot changed by fn (on copies of what fn touches).
func (tr *trust) update(fn func(next *trustSnapshot)) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	next := *tr.snap.Load()
	fn(&next)
	tr.snap.Store(&next)
}

func (tr *trust) setStale(id int64, stale bool) {
	if tr.snap.Load().stale[id] == stale {
		return
	}
	tr.update(func(next *trustSnapshot) {
		next.stale = maps.Clone(next.stale)
		if stale {
			next.stale[id] = true
		} else {
			delete(next.stale, id)
		}
	})
}

func (tr *trust) forget(id int64) {
	tr.update(func(next *trustSnapshot) {
		next.stale, next.ratings = maps.Clone(next.stale), maps.Clone(next.ratings)
		delete(next.stale, id)
		delete(next.ratings, id)
	})
}

// trustSignal is one match-score term for reviews and staleness (one term,
// so the index's pruning bound grows by one SignalWeight, not two). Reviews
// lift or lower a freelancer by (average-3)/2, weighed by confidence until
// three reviews; a stale profile (no answer to "still available?") loses a
// whole SignalWeight.
type trustSignal struct{ tr *trust }

func (s trustSignal) Term(accountID int64, _ *bot.Job) (float64, string) {
	snap := s.tr.snap.Load()
	var v float64
	var phrases []string
	if r := snap.ratings[accountID]; r.Count > 0 {
		v = (r.Average - 3) / 2 * min(1, float64(r.Count)/3)
		phrases = append(phrases, ratingPhrase(r))
	}
	if snap.stale[accountID] {
		v -= 1
		phrases = append(phrases, "availability not confirmed lately")
	}
	return v, strings.Join(phrases, ", ")
}

// ratingPhrase is "rated 4.5★ (3 reviews)".
func ratingPhrase(r bot.Rating) string {
	noun := "reviews"
	if r.Count == 1 {
		noun = "review"
	}
	return fmt.Sprintf("rated %s★ (%d %s)", strconv.FormatFloat(math.Round(r.Average*10)/10, 'f', -1, 64), r.Count, noun)
}

// ratingField is the line a freelancer's card shows for their reviews.
func (b *Bot) ratingField(id int64) (bot.Field, bool) {
	r := b.trust.rating(id)
	if r.Count == 0 {
		return bot.Field{}, false
	}
	return bot.Field{Label: "Reviews", Value: strings.TrimPrefix(ratingPhrase(r), "rated ") + fmt.Sprintf(" — /reviews %d", id)}, true
}

// retentionTasks is the periodic work of trust and retention. Each run
// commits its notifications with the state that caused them, so a rerun
// after a crash or on another replica finds nothing left to send twice.
func (b *Bot) retentionTasks() []Task {
	return []Task{
		{Name: "checkins", Every: every(min(b.ret.CheckinEvery, b.ret.CheckinGrace), 10, time.Second, time.Hour), Run: func(ctx context.Context, now time.Time) error {
			if err := b.runCheckins(ctx, now); err != nil {
				return err
			}
			_, err := b.DeliverOutbox(ctx, now)
			return err
		}},
		{Name: "alerts", Every: time.Minute, Run: func(ctx context.Context, now time.Time) error {
			if err := b.runAlerts(ctx, now); err != nil {
				return err
			}
			_, err := b.DeliverOutbox(ctx, now)
			return err
		}},
		{Name: "review-requests", Every: time.Minute, Run: func(ctx context.Context, now time.Time) error {
			if err := b.requestDueReviews(ctx); err != nil {
				return err
			}
			_, err := b.DeliverOutbox(ctx, now)
			return err
		}},
	}
}

// forget drops what this process keeps about an erased or joined account:
// its dialog session (in the session store: Redis when replicas share
// one), its match-index entry and its trust entry.
func (b *Bot) forget(ctx context.Context, accountID int64) error {
	if err := b.sessions.Delete(ctx, bot.SessionKey(accountID)); err != nil {
		return bot.Unavailable(err)
	}
	b.index.Remove(accountID)
	b.trust.forget(accountID)
	return nil
}

// ParseIdentity reads "platform:user" or "platform:workspace:user" (the
// form Identity.String writes).
func ParseIdentity(s string) (bot.Identity, error) {
	parts := strings.Split(strings.TrimSpace(s), ":")
	var id bot.Identity
	switch len(parts) {
	case 2:
		id = bot.Identity{Platform: parts[0], UserID: parts[1]}
	case 3:
		id = bot.Identity{Platform: parts[0], Workspace: parts[1], UserID: parts[2]}
	default:
		return bot.Identity{}, bot.Errorf(bot.EINVALID, "%q is not <platform>:<user id> or <platform>:<workspace>:<user id>.", truncate(s, 80))
	}
	id.Platform = strings.ToLower(id.Platform)
	if _, ok := bot.PlatformByID(id.Platform); !ok {
		ids := make([]string, len(bot.Platforms))
		for i, p := range bot.Platforms {
			ids[i] = p.ID
		}
		return bot.Identity{}, bot.Errorf(bot.EINVALID, "%q is not a platform (%s).", truncate(parts[0], 20), strings.Join(ids, ", "))
	}
	if id.UserID == "" {
		return bot.Identity{}, bot.Errorf(bot.EINVALID, "%q has no user ID.", truncate(s, 80))
	}
	return id, nil
}

// personExport is the JSON of `hirebot export --person`.
type personExport struct {
	Account bot.Account  `json:"account"`
	Profile *bot.Profile `json:"profile"`
	Jobs    []bot.Job    `json:"jobs"`
	bot.PersonData
}

// ExportPerson writes everything s keeps about the person with identity
// id to w as one JSON document. ENOTFOUND if nobody has that identity.
func ExportPerson(ctx context.Context, s bot.Store, id bot.Identity, w io.Writer) error {
	a, err := s.FindAccount(ctx, id)
	if err != nil {
		return err
	}
	out := personExport{Account: a}
	p, err := s.Profile(ctx, a.ID)
	switch {
	case err == nil:
		out.Profile = &p
	case bot.ErrorCode(err) != bot.ENOTFOUND:
		return err
	}
	if out.Jobs, err = s.Jobs(ctx, bot.JobFilter{OwnerID: a.ID}); err != nil {
		return err
	}
	if out.PersonData, err = s.PersonData(ctx, a.ID); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
