package main

import (
	"bytes"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/parse"
)

// start opens the stores of db and a bot on them, as serve and chat do,
// and returns what the start logged.
func start(t *testing.T, db string) (*stores, *hire.Bot, string) {
	t.Helper()
	var logged bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	s, err := openStores(t.Context(), storeConfig{DB: db, SessionTTL: time.Hour}, log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	b, _, _, err := newBot(t.Context(), s, env{}, log)
	if err != nil {
		t.Fatal(err)
	}
	return s, b, logged.String()
}

// publish saves a published Go profile for a new account.
func publish(t *testing.T, s *stores, b *hire.Bot, user string) int64 {
	t.Helper()
	a, err := s.DB.ResolveAccount(t.Context(), bot.Identity{Platform: bot.Console, UserID: user}, user)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.DB.SaveProfile(t.Context(), bot.Profile{AccountID: a.ID, Name: user, Skills: []string{"Go"},
		Rate: parse.Rate{Amount: 50, Currency: "USD", Unit: parse.PerHour}, Status: bot.ProfilePublished})
	if err != nil {
		t.Fatal(err)
	}
	b.Index().Put(p)
	return a.ID
}

func matched(b *hire.Bot) []int64 {
	var ids []int64
	for _, m := range b.Index().MatchJob(bot.Job{Skills: []string{"Go"}}, 10) {
		ids = append(ids, m.AccountID)
	}
	return ids
}

// TestIndexSnapshotAcrossStarts: a start loads the snapshot the last one
// wrote and the profiles saved after it; a damaged snapshot is rebuilt
// from the database.
func TestIndexSnapshotAcrossStarts(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hirebot.db")
	s, b, logged := start(t, db)
	if !strings.Contains(logged, "no index snapshot yet") {
		t.Errorf("the first start logged:\n%s", logged)
	}
	for i := range 3 {
		publish(t, s, b, "u"+strconv.Itoa(i))
	}
	// The snapshot covers the changes made before its lag.
	if err := s.snapshot(b.Index(), slog.New(slog.DiscardHandler)).save(t.Context(), time.Now().Add(2*snapshotLag)); err != nil {
		t.Fatal(err)
	}
	late := publish(t, s, b, "late") // after the snapshot: in the log only
	s.Close()

	s, b, logged = start(t, db)
	if !strings.Contains(logged, "match index loaded from its snapshot") || !strings.Contains(logged, "profiles=3 replayed=1") {
		t.Errorf("the second start logged:\n%s", logged)
	}
	if got := matched(b); len(got) != 4 || !slices.Contains(got, late) {
		t.Errorf("after loading the snapshot, Go matches %v, want 4 with %d", got, late)
	}
	s.Close()

	if err := os.WriteFile(db+".index", []byte("HBINDEX\x00 damaged"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, b, logged = start(t, db)
	if !strings.Contains(logged, "index snapshot not used") || !strings.Contains(logged, "match index rebuilt") {
		t.Errorf("the start with a damaged snapshot logged:\n%s", logged)
	}
	if got := matched(b); len(got) != 4 {
		t.Errorf("after the rebuild, Go matches %v, want 4", got)
	}
}

// TestServeWritesIndexSnapshot: a clean stop of serve leaves a snapshot
// the next start loads.
func TestServeWritesIndexSnapshot(t *testing.T) {
	db := filepath.Join(t.TempDir(), "hirebot.db")
	base, stop := startServeOn(t, db, env{})
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(db + ".index"); err != nil {
		t.Fatalf("no snapshot after a clean stop: %v", err)
	}
	if _, _, logged := start(t, db); !strings.Contains(logged, "match index loaded from its snapshot") {
		t.Errorf("the start after serve logged:\n%s", logged)
	}
}

func TestSnapshotPath(t *testing.T) {
	tests := []struct{ dsn, setting, want string }{
		{"data/hirebot.db", "", "data/hirebot.db.index"},
		{"data/hirebot.db", "/var/cache/index", "/var/cache/index"},
		{"data/hirebot.db", "off", ""},
		{"postgres://u@h/db", "", ""},
		{"postgres://u@h/db", "/shared/hirebot.index", "/shared/hirebot.index"},
	}
	for _, tc := range tests {
		if got := snapshotPath(tc.dsn, tc.setting); got != tc.want {
			t.Errorf("snapshotPath(%q, %q) = %q, want %q", tc.dsn, tc.setting, got, tc.want)
		}
	}
}

// TestProfileLogPrunedWithoutSnapshot: with no snapshot file the
// periodic task still prunes the profile log.
func TestProfileLogPrunedWithoutSnapshot(t *testing.T) {
	s, b, _ := start(t, filepath.Join(t.TempDir(), "hirebot.db"))
	publish(t, s, b, "a")
	publish(t, s, b, "b")
	snap := s.snapshot(b.Index(), slog.New(slog.DiscardHandler))
	snap.path = ""
	if err := snap.task().Run(t.Context(), time.Now().Add(profileLogKept+time.Hour)); err != nil {
		t.Fatal(err)
	}
	oldest, newest, err := s.DB.ProfileLog.ProfileLogSpan(t.Context())
	if err != nil || oldest != newest {
		t.Fatalf("profile log after pruning spans %d..%d (%v), want the newest only", oldest, newest, err)
	}
}
