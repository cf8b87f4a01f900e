package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bot"
)

// runProfileLogRules checks bot.ProfileLog: every change of a profile is
// logged, in order, and survives pruning past the newest.
func runProfileLogRules(t *testing.T, open func(t *testing.T) bot.Store) {
	type pruner interface {
		PruneProfileLog(ctx context.Context, before time.Time) error
	}
	logOf := func(t *testing.T, s bot.Store) bot.ProfileLog {
		t.Helper()
		log, ok := s.(bot.ProfileLog)
		if !ok {
			t.Fatalf("%T is not a bot.ProfileLog", s)
		}
		return log
	}
	changes := func(t *testing.T, log bot.ProfileLog, after int64) []int64 {
		t.Helper()
		var ids []int64
		if err := log.ProfileChanges(t.Context(), after, func(id int64) error { ids = append(ids, id); return nil }); err != nil {
			t.Fatalf("ProfileChanges: %v", err)
		}
		return ids
	}
	future, past := time.Now().Add(24*time.Hour), time.Now().Add(-24*time.Hour)

	t.Run("every change of a profile is logged in order", func(t *testing.T) {
		s := open(t)
		log := logOf(t, s)
		if oldest, newest, err := log.ProfileLogSpan(t.Context()); err != nil || oldest != 0 || newest != 0 {
			t.Fatalf("span of an empty log = %d, %d, %v; want 0, 0", oldest, newest, err)
		}
		a := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "a"}, "A")
		b := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "b"}, "B")
		mustSaveProfile(t, s, FullProfile(a.ID))
		start, err := log.ProfileLogPosition(t.Context(), future)
		if err != nil || start == 0 {
			t.Fatalf("position after a save = %d, %v; want one", start, err)
		}
		if pos, err := log.ProfileLogPosition(t.Context(), past); err != nil || pos != 0 {
			t.Fatalf("position before any change = %d, %v; want 0", pos, err)
		}
		mustSaveProfile(t, s, FullProfile(b.ID))
		if err := s.SetProfileStatus(t.Context(), a.ID, bot.ProfilePaused); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteAccount(t.Context(), b.ID); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{b.ID, a.ID, b.ID}, changes(t, log, start)); diff != "" {
			t.Fatalf("changes after the first save (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]int64{a.ID, b.ID, a.ID, b.ID}, changes(t, log, 0)); diff != "" {
			t.Fatalf("all changes (-want +got):\n%s", diff)
		}
		oldest, newest, err := log.ProfileLogSpan(t.Context())
		if err != nil || oldest != start || newest <= start {
			t.Fatalf("span = %d, %d, %v; want %d and a later one", oldest, newest, err, start)
		}
		if changes(t, log, newest) != nil {
			t.Fatal("changes after the newest position")
		}
	})

	t.Run("pruning keeps the newest change", func(t *testing.T) {
		s := open(t)
		log := logOf(t, s)
		p, ok := s.(pruner)
		if !ok {
			t.Skipf("%T does not prune its profile log", s)
		}
		a := mustResolve(t, s, bot.Identity{Platform: bot.Console, UserID: "a"}, "A")
		mustSaveProfile(t, s, FullProfile(a.ID))
		mustSaveProfile(t, s, FullProfile(a.ID))
		_, newest, err := log.ProfileLogSpan(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if err := p.PruneProfileLog(t.Context(), past); err != nil {
			t.Fatal(err)
		}
		if got := changes(t, log, 0); len(got) != 2 {
			t.Fatalf("pruning before the changes left %v, want both", got)
		}
		if err := p.PruneProfileLog(t.Context(), future); err != nil {
			t.Fatal(err)
		}
		oldest, after, err := log.ProfileLogSpan(t.Context())
		if err != nil || oldest != newest || after != newest {
			t.Fatalf("span after pruning everything = %d, %d, %v; want the newest, %d, kept", oldest, after, err, newest)
		}
		mustSaveProfile(t, s, FullProfile(a.ID))
		if _, next, _ := log.ProfileLogSpan(t.Context()); next <= newest {
			t.Fatalf("a change after pruning got position %d, not past %d", next, newest)
		}
	})
}
