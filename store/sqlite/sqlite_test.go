package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/conversation"
	"github.com/hirebot/hirebot/store/storetest"
)

// MustOpen opens a database in a fresh file under tb.TempDir and closes it
// when the test ends.
func MustOpen(tb testing.TB, opts Options) *DB {
	tb.Helper()
	return mustOpenPath(tb, filepath.Join(tb.TempDir(), "hirebot.db"), opts)
}

func mustOpenPath(tb testing.TB, path string, opts Options) *DB {
	tb.Helper()
	db, err := Open(tb.Context(), path, opts)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

// clock is a settable time source for Options.Now.
type clock struct{ now atomic.Int64 }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.set(t)
	return c
}

func (c *clock) set(t time.Time)         { c.now.Store(t.UnixNano()) }
func (c *clock) advance(d time.Duration) { c.now.Add(int64(d)) }
func (c *clock) Now() time.Time          { return time.Unix(0, c.now.Load()) }

func TestStore(t *testing.T) {
	storetest.RunStore(t, func(t *testing.T) bot.Store { return MustOpen(t, Options{}) })
}

func TestInbox(t *testing.T) {
	storetest.RunInbox(t, func(t *testing.T) bot.Inbox { return MustOpen(t, Options{}) })
}

func TestSessionStore(t *testing.T) {
	storetest.RunSessionStore(t, func(t *testing.T) conversation.SessionStore {
		return MustOpen(t, Options{}).Sessions(time.Hour)
	})
	storetest.RunSessionStoreTTL(t, func(t *testing.T, ttl time.Duration) conversation.SessionStore {
		return MustOpen(t, Options{}).Sessions(ttl)
	})
}

func TestSessionExpiresOnTheInjectedClock(t *testing.T) {
	c := newClock(time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
	db := MustOpen(t, Options{Now: c.Now})
	s := db.Sessions(time.Hour)
	sess := conversation.Session{Key: "acct:1", Flow: "profile", Step: "skills"}

	v1, err := s.Save(t.Context(), sess)
	if err != nil {
		t.Fatalf("Save: %v", err)
	}
	c.advance(59 * time.Minute)
	if _, err := s.Load(t.Context(), sess.Key); err != nil {
		t.Fatalf("Load before the time to live ran out: %v", err)
	}
	c.advance(2 * time.Minute)
	if _, err := s.Load(t.Context(), sess.Key); !errors.Is(err, conversation.ErrNoSession) {
		t.Fatalf("Load after expiry: err = %v, want ErrNoSession", err)
	}
	sess.Version = v1
	if _, err := s.Save(t.Context(), sess); !errors.Is(err, conversation.ErrConflict) {
		t.Fatalf("Save holding the expired version: err = %v, want ErrConflict", err)
	}
	sess.Version = 0
	v2, err := s.Save(t.Context(), sess)
	if err != nil {
		t.Fatalf("Save over an expired session: %v", err)
	}
	if v2 <= v1 {
		t.Fatalf("version after expiry = %d, want greater than %d, so an old version is never valid again", v2, v1)
	}
	c.advance(2 * time.Hour)
	if n, err := s.PurgeExpired(t.Context()); err != nil || n != 1 {
		t.Fatalf("PurgeExpired = %d, %v; want 1 row", n, err)
	}
}

func TestUsesInjectedClock(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 30, 15, 123456789, time.FixedZone("CEST", 2*3600))
	want := now.UTC().Truncate(time.Microsecond)
	db := MustOpen(t, Options{Now: func() time.Time { return now }})

	a, err := db.ResolveAccount(t.Context(), bot.Identity{Platform: bot.Console, UserID: "u"}, "U")
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.SaveProfile(t.Context(), storetest.FullProfile(a.ID))
	if err != nil {
		t.Fatal(err)
	}
	j, err := db.CreateJob(t.Context(), storetest.FullJob(a.ID, "k"))
	if err != nil {
		t.Fatal(err)
	}
	for what, got := range map[string]time.Time{"account CreatedAt": a.CreatedAt, "profile UpdatedAt": p.UpdatedAt, "job CreatedAt": j.CreatedAt} {
		if !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("%s = %v, want %v in UTC", what, got, want)
		}
	}
}

func TestDatesKeepOnlyTheDay(t *testing.T) {
	db := MustOpen(t, Options{})
	a, err := db.ResolveAccount(t.Context(), bot.Identity{Platform: bot.Console, UserID: "u"}, "U")
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 in Auckland is still the 1st of March there.
	late := time.Date(2026, 3, 1, 23, 30, 0, 0, time.FixedZone("NZDT", 13*3600))
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

	p := storetest.FullProfile(a.ID)
	p.Availability.AvailableFrom = late
	if _, err := db.SaveProfile(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	j := storetest.FullJob(a.ID, "")
	j.Deadline = late
	created, err := db.CreateJob(t.Context(), j)
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.Profile(t.Context(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	gotJob, err := db.Job(t.Context(), created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Availability.AvailableFrom.Equal(day) || !gotJob.Deadline.Equal(day) || !created.Deadline.Equal(day) {
		t.Fatalf("available from %v, deadline %v (returned %v); want both %v",
			got.Availability.AvailableFrom, gotJob.Deadline, created.Deadline, day)
	}
	var stored string
	if err := read(db).QueryRowContext(t.Context(), `SELECT deadline FROM jobs WHERE id = ?`, created.ID).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != "2026-03-01" {
		t.Fatalf("stored deadline %q, want 2026-03-01", stored)
	}
}

func TestDeleteAccountDeletesItsSessions(t *testing.T) {
	db := MustOpen(t, Options{})
	s := db.Sessions(time.Hour)
	var ids []int64
	for _, u := range []string{"a", "b"} {
		a, err := db.ResolveAccount(t.Context(), bot.Identity{Platform: bot.Console, UserID: u}, u)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	gone, stays := ids[0], ids[1]
	keys := map[string]bool{ // key -> survives
		bot.SessionKey(gone):          false,
		bot.SessionKey(gone) + ":job": false,
		bot.SessionKey(gone) + "0":    true, // another account's ID that starts with the same digits
		bot.SessionKey(stays):         true,
		fmt.Sprintf("chan:%d", gone):  true,
	}
	for key := range keys {
		if _, err := s.Save(t.Context(), conversation.Session{Key: key, Flow: "f"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.DeleteAccount(t.Context(), gone); err != nil {
		t.Fatal(err)
	}
	for key, survives := range keys {
		_, err := s.Load(t.Context(), key)
		if survives && err != nil {
			t.Errorf("session %q: %v, want it kept", key, err)
		}
		if !survives && !errors.Is(err, conversation.ErrNoSession) {
			t.Errorf("session %q after DeleteAccount: err = %v, want ErrNoSession", key, err)
		}
	}
}

func TestDataSurvivesReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hirebot.db")
	db, err := Open(t.Context(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.ResolveAccount(t.Context(), bot.Identity{Platform: bot.Telegram, UserID: "99"}, "Kim")
	if err != nil {
		t.Fatal(err)
	}
	profile, err := db.SaveProfile(t.Context(), storetest.FullProfile(a.ID))
	if err != nil {
		t.Fatal(err)
	}
	job, err := db.CreateJob(t.Context(), storetest.FullJob(a.ID, "ref-1"))
	if err != nil {
		t.Fatal(err)
	}
	sess := conversation.Session{Key: bot.SessionKey(a.ID), Flow: "job", Step: "budget", Answers: map[string]string{"title": "Logo"}, History: []string{"title"}}
	if sess.Version, err = db.Sessions(time.Hour).Save(t.Context(), sess); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	db = mustOpenPath(t, path, Options{})
	opts := cmpopts.EquateEmpty()
	gotAccount, err := db.Account(t.Context(), a.ID)
	if err != nil {
		t.Fatalf("Account after reopen: %v", err)
	}
	if diff := cmp.Diff(a, gotAccount, opts); diff != "" {
		t.Errorf("account after reopen (-want +got):\n%s", diff)
	}
	gotProfile, err := db.Profile(t.Context(), a.ID)
	if err != nil {
		t.Fatalf("Profile after reopen: %v", err)
	}
	if diff := cmp.Diff(profile, gotProfile, opts); diff != "" {
		t.Errorf("profile after reopen (-want +got):\n%s", diff)
	}
	gotJob, err := db.Job(t.Context(), job.ID)
	if err != nil {
		t.Fatalf("Job after reopen: %v", err)
	}
	if diff := cmp.Diff(job, gotJob, opts); diff != "" {
		t.Errorf("job after reopen (-want +got):\n%s", diff)
	}
	gotSession, err := db.Sessions(time.Hour).Load(t.Context(), sess.Key)
	if err != nil {
		t.Fatalf("session after reopen: %v", err)
	}
	if diff := cmp.Diff(sess, gotSession, opts); diff != "" {
		t.Errorf("session after reopen (-want +got):\n%s", diff)
	}
	ids, err := db.SearchProfiles(t.Context(), bot.TextQuery{Terms: []string{"kubernetes"}}, 10)
	if err != nil || len(ids) != 1 || ids[0] != a.ID {
		t.Errorf("search after reopen = %v, %v; want [%d]", ids, err, a.ID)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hirebot.db")
	first := mustOpenPath(t, path, Options{})
	second := mustOpenPath(t, path, Options{}) // a second process starting
	if err := second.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate again: %v", err)
	}
	all, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, m := range all {
		want = append(want, fmt.Sprintf("%d %s", m.Version, m.Name))
	}
	rows, err := read(first).QueryContext(t.Context(), `SELECT version, name FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var (
			v    int
			name string
		)
		if err := rows.Scan(&v, &name); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%d %s", v, name))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(want) < 2 {
		t.Fatalf("only %d embedded migrations found: %v", len(want), want)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("schema_migrations (-want +got):\n%s", diff)
	}
}

func TestConnectionPragmas(t *testing.T) {
	db := MustOpen(t, Options{})
	for _, tc := range []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "1"}, // NORMAL
		{"busy_timeout", "5000"},
	} {
		for _, pool := range []struct {
			name string
			q    func(string) (string, error)
		}{
			{"writer", func(q string) (s string, err error) { err = write(db).QueryRowContext(t.Context(), q).Scan(&s); return }},
			{"reader", func(q string) (s string, err error) { err = read(db).QueryRowContext(t.Context(), q).Scan(&s); return }},
		} {
			got, err := pool.q("PRAGMA " + tc.pragma)
			if err != nil {
				t.Fatalf("%s PRAGMA %s: %v", pool.name, tc.pragma, err)
			}
			if got != tc.want {
				t.Errorf("%s PRAGMA %s = %q, want %q", pool.name, tc.pragma, got, tc.want)
			}
		}
	}
	if _, err := read(db).ExecContext(t.Context(), `DELETE FROM accounts`); err == nil {
		t.Errorf("the read pool accepted a write")
	}
}

func TestOpenFailsOnABadPath(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "dir", "hirebot.db")
	if db, err := Open(t.Context(), path, Options{}); err == nil {
		db.Close()
		t.Fatalf("Open(%s) succeeded, want an error", path)
	}
}

// TestConcurrentWriters drives one *DB from many goroutines; run with -race.
func TestConcurrentWriters(t *testing.T) {
	db := MustOpen(t, Options{})
	const workers, rounds = 8, 10
	shared := bot.Identity{Platform: bot.Slack, Workspace: "T", UserID: "shared"}
	sessions := db.Sessions(time.Hour)
	counterKey := "acct:counter"

	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		sharedIDs = map[int64]bool{}
		jobIDs    = map[int64]bool{}
		errs      []error
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			own, err := db.ResolveAccount(t.Context(), bot.Identity{Platform: bot.Console, UserID: fmt.Sprint("w", w)}, "w")
			if err != nil {
				fail(err)
				return
			}
			for r := range rounds {
				a, err := db.ResolveAccount(t.Context(), shared, "shared")
				if err != nil {
					fail(err)
					return
				}
				p := storetest.FullProfile(own.ID)
				p.YearsExperience = r
				if _, err := db.SaveProfile(t.Context(), p); err != nil {
					fail(err)
					return
				}
				j, err := db.CreateJob(t.Context(), storetest.FullJob(a.ID, fmt.Sprint("job-", r)))
				if err != nil {
					fail(err)
					return
				}
				if _, err := db.SearchProfiles(t.Context(), bot.TextQuery{Terms: []string{"go"}}, 5); err != nil {
					fail(err)
					return
				}
				if err := incrementSession(t, sessions, counterKey); err != nil {
					fail(err)
					return
				}
				mu.Lock()
				sharedIDs[a.ID] = true
				jobIDs[j.ID] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d errors, first: %v", len(errs), errs[0])
	}
	if len(sharedIDs) != 1 {
		t.Errorf("one identity resolved to %d accounts", len(sharedIDs))
	}
	if len(jobIDs) != rounds {
		t.Errorf("%d job keys created %d jobs", rounds, len(jobIDs))
	}
	profiles := 0
	if err := db.Profiles(t.Context(), func(bot.Profile) error { profiles++; return nil }); err != nil {
		t.Fatal(err)
	}
	if profiles != workers {
		t.Errorf("%d profiles, want %d", profiles, workers)
	}
	sess, err := sessions.Load(t.Context(), counterKey)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(sess.History); got != workers*rounds {
		t.Errorf("compare-and-set counter = %d, want %d (a lost update)", got, workers*rounds)
	}
}

// incrementSession appends one entry to the session's History with
// load/compare-and-set, retrying on conflict.
func incrementSession(t *testing.T, s *SessionStore, key string) error {
	for {
		sess, err := s.Load(t.Context(), key)
		if errors.Is(err, conversation.ErrNoSession) {
			sess = conversation.Session{Key: key, Flow: "count"}
		} else if err != nil {
			return err
		}
		sess.History = append(sess.History, "x")
		_, err = s.Save(t.Context(), sess)
		if errors.Is(err, conversation.ErrConflict) {
			continue
		}
		return err
	}
}

func read(db *DB) *sql.DB  { _, r := db.Conns(); return r }
func write(db *DB) *sql.DB { w, _ := db.Conns(); return w }
