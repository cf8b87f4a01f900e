package match_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hirebot/hirebot/bench"
	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/match"
	"github.com/hirebot/hirebot/store/sqlite"
)

var snapNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// snapshotStore is a SQLite store holding n generated profiles with
// their words (accounts 1..n) and 40 open jobs.
func snapshotStore(t *testing.T, n int) (*sqlite.DB, *bench.Generator) {
	t.Helper()
	ctx := t.Context()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hirebot.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	g := bench.NewGenerator(7, snapNow)
	g.Text = true
	for id := int64(1); id <= int64(n); id++ {
		a, err := db.ResolveAccount(ctx, bot.Identity{Platform: bot.Console, UserID: strconv.FormatInt(id, 10)}, "P")
		if err != nil {
			t.Fatal(err)
		}
		p := g.Profile(id)
		p.AccountID = a.ID
		if id%9 == 0 {
			p.Status = bot.ProfilePaused
		}
		if _, err := db.SaveProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for id := int64(1); id <= 40; id++ {
		j := g.Job(id)
		j.ID, j.OwnerID = 0, 1
		if _, err := db.CreateJob(ctx, j); err != nil {
			t.Fatal(err)
		}
	}
	return db, g
}

func newSnapshotIndex() *match.Index {
	return match.NewIndex(match.IndexConfig{Now: func() time.Time { return snapNow }})
}

// snapshot writes ix's snapshot at the log's newest position.
func snapshot(t *testing.T, ix *match.Index, log bot.ProfileLog) []byte {
	t.Helper()
	pos, err := log.ProfileLogPosition(t.Context(), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ix.WriteSnapshot(t.Context(), &buf, pos); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// answers is what an index answers to generated jobs, profiles and
// searches (with and without free text): what must not change when it
// is loaded from a snapshot instead of rebuilt.
type answers struct {
	Len      int
	Jobs     [][]match.Match
	Profiles [][]match.JobMatch
	Searches [][]match.Match
	Totals   []int
}

func answersOf(t *testing.T, ix *match.Index, g *bench.Generator, n int) answers {
	t.Helper()
	a := answers{Len: ix.Len()}
	for i := range 40 {
		a.Jobs = append(a.Jobs, ix.MatchJob(g.Job(int64(100+i)), 20))
		a.Profiles = append(a.Profiles, ix.MatchProfile(g.Profile(int64(1+i*n/40)), 10))
	}
	for i := range 60 {
		q, err := match.ParseSearch(g.Search(i, i%2 == 0))
		if err != nil {
			t.Fatal(err)
		}
		res, total := ix.Search(q, nil, 0, 10)
		a.Searches, a.Totals = append(a.Searches, res), append(a.Totals, total)
	}
	return a
}

func TestSnapshotLoadsWhatRebuildBuilds(t *testing.T) {
	const n = 400
	db, g := snapshotStore(t, n)
	ctx := t.Context()
	built := newSnapshotIndex()
	if err := built.Rebuild(ctx, db); err != nil {
		t.Fatal(err)
	}
	want := answersOf(t, built, g, n)
	if want.Len == 0 || len(want.Jobs[0]) == 0 {
		t.Fatalf("the rebuilt index answers nothing: %d profiles", want.Len)
	}
	data := snapshot(t, built, db)

	loaded := newSnapshotIndex()
	info, err := loaded.LoadSnapshot(ctx, data, db, db)
	if err != nil {
		t.Fatal(err)
	}
	if info.Profiles != want.Len || info.Replayed != 0 {
		t.Errorf("info = %+v, want %d profiles and nothing replayed", info, want.Len)
	}
	if diff := cmp.Diff(want, answersOf(t, loaded, g, n)); diff != "" {
		t.Fatalf("loaded from the snapshot, the index answers otherwise than rebuilt (-rebuilt +loaded):\n%s", diff)
	}
	// What a loaded index writes loads the same again.
	again := newSnapshotIndex()
	if _, err := again.LoadSnapshot(ctx, snapshot(t, loaded, db), db, db); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, answersOf(t, again, g, n)); diff != "" {
		t.Fatalf("a snapshot of a loaded index answers otherwise (-rebuilt +reloaded):\n%s", diff)
	}
	// A loaded index takes changes like a built one.
	p := g.Profile(3)
	p.Skills = []string{"Basket Weaving Zz"}
	loaded.Put(p)
	if m := loaded.MatchJob(bot.Job{Skills: p.Skills}, 5); len(m) != 1 || m[0].AccountID != 3 {
		t.Fatalf("a Put after loading is not matched: %+v", m)
	}
}

func TestSnapshotReplaysChangesAfterIt(t *testing.T) {
	const n = 300
	db, g := snapshotStore(t, n)
	ctx := t.Context()
	ix := newSnapshotIndex()
	if err := ix.Rebuild(ctx, db); err != nil {
		t.Fatal(err)
	}
	data := snapshot(t, ix, db)

	// After the snapshot: one profile changes its skills, one is paused,
	// one account is deleted, one paused profile is published, one
	// account is new.
	changed := g.Profile(5)
	changed.AccountID = 5
	changed.Skills = []string{"Go", "Basket Weaving Zz"}
	if _, err := db.SaveProfile(ctx, changed); err != nil {
		t.Fatal(err)
	}
	if err := db.SetProfileStatus(ctx, 6, bot.ProfilePaused); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteAccount(ctx, 7); err != nil {
		t.Fatal(err)
	}
	if err := db.SetProfileStatus(ctx, 9, bot.ProfilePublished); err != nil {
		t.Fatal(err)
	}
	a, err := db.ResolveAccount(ctx, bot.Identity{Platform: bot.Console, UserID: "new"}, "New")
	if err != nil {
		t.Fatal(err)
	}
	fresh := g.Profile(int64(n + 1))
	fresh.AccountID = a.ID
	if _, err := db.SaveProfile(ctx, fresh); err != nil {
		t.Fatal(err)
	}

	rebuilt := newSnapshotIndex()
	if err := rebuilt.Rebuild(ctx, db); err != nil {
		t.Fatal(err)
	}
	loaded := newSnapshotIndex()
	info, err := loaded.LoadSnapshot(ctx, data, db, db)
	if err != nil {
		t.Fatal(err)
	}
	if info.Replayed != 5 {
		t.Errorf("replayed %d profiles, want the 5 changed after the snapshot", info.Replayed)
	}
	if diff := cmp.Diff(answersOf(t, rebuilt, g, n), answersOf(t, loaded, g, n)); diff != "" {
		t.Fatalf("snapshot plus replay answers otherwise than a rebuild (-rebuilt +loaded):\n%s", diff)
	}
	if m := loaded.MatchJob(bot.Job{Skills: []string{"Basket Weaving Zz"}}, 5); len(m) != 1 || m[0].AccountID != 5 {
		t.Fatalf("the skill saved after the snapshot matches %+v, want account 5", m)
	}
}

func TestSnapshotUnusable(t *testing.T) {
	db, g := snapshotStore(t, 60)
	ctx := t.Context()
	ix := newSnapshotIndex()
	if err := ix.Rebuild(ctx, db); err != nil {
		t.Fatal(err)
	}
	good := snapshot(t, ix, db)
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 0x40
		return b
	}
	otherVersion := bytes.Clone(good)
	otherVersion[8]++
	tests := []struct {
		name string
		data []byte
		cfg  match.IndexConfig
	}{
		{"empty", nil, match.IndexConfig{}},
		{"not a snapshot", []byte("SQLite format 3\x00 and more bytes"), match.IndexConfig{}},
		{"another format version", otherVersion, match.IndexConfig{}},
		{"a byte flipped in an entry", flip(60), match.IndexConfig{}},
		{"a byte flipped in the checksum", flip(len(good) - 1), match.IndexConfig{}},
		{"truncated", good[:len(good)/2], match.IndexConfig{}},
		{"another currency table", good, match.IndexConfig{Currencies: bot.Currencies{"USD": 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.Now = func() time.Time { return snapNow }
			target := match.NewIndex(tc.cfg)
			target.Put(g.Profile(1))
			_, err := target.LoadSnapshot(ctx, tc.data, db, db)
			if !errors.Is(err, match.ErrSnapshotUnusable) {
				t.Fatalf("LoadSnapshot = %v, want ErrSnapshotUnusable", err)
			}
			if target.Len() != 1 {
				t.Fatalf("a refused snapshot changed the index: %d profiles", target.Len())
			}
		})
	}

	t.Run("from another database", func(t *testing.T) {
		other, _ := snapshotStore(t, 3) // a shorter log than the snapshot's position
		_, err := newSnapshotIndex().LoadSnapshot(ctx, good, other, other)
		if !errors.Is(err, match.ErrSnapshotUnusable) {
			t.Fatalf("LoadSnapshot on another database = %v, want ErrSnapshotUnusable", err)
		}
	})

	t.Run("older than the log", func(t *testing.T) {
		if _, err := db.SaveProfile(ctx, withID(g.Profile(2), 2)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveProfile(ctx, withID(g.Profile(3), 3)); err != nil {
			t.Fatal(err)
		}
		if err := db.PruneProfileLog(ctx, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		_, err := newSnapshotIndex().LoadSnapshot(ctx, good, db, db)
		if !errors.Is(err, match.ErrSnapshotUnusable) {
			t.Fatalf("LoadSnapshot past the pruned log = %v, want ErrSnapshotUnusable", err)
		}
	})
}

func withID(p bot.Profile, id int64) bot.Profile { p.AccountID = id; return p }

// failingLog is a profile log whose store is down.
type failingLog struct{ bot.ProfileLog }

func (failingLog) ProfileLogSpan(context.Context) (int64, int64, error) {
	return 0, 0, errors.New("database on fire")
}

func TestSnapshotStoreFailure(t *testing.T) {
	db, _ := snapshotStore(t, 20)
	ix := newSnapshotIndex()
	if err := ix.Rebuild(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	data := snapshot(t, ix, db)
	target := newSnapshotIndex()
	_, err := target.LoadSnapshot(t.Context(), data, db, failingLog{db})
	if err == nil || errors.Is(err, match.ErrSnapshotUnusable) || target.Len() != 0 {
		t.Fatalf("LoadSnapshot with the log down = %v (%d profiles), want the store's error and no change", err, target.Len())
	}
}

func TestSnapshotTooManyChangesRebuilds(t *testing.T) {
	db, g := snapshotStore(t, 30)
	ctx := t.Context()
	ix := newSnapshotIndex()
	if err := ix.Rebuild(ctx, db); err != nil {
		t.Fatal(err)
	}
	data := snapshot(t, ix, db)
	// More profiles changed after the snapshot than a load reloads one by
	// one (a thousand, or a quarter of the snapshot's).
	for id := int64(31); id <= 1031; id++ {
		a, err := db.ResolveAccount(ctx, bot.Identity{Platform: bot.Console, UserID: strconv.FormatInt(id, 10)}, "P")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveProfile(ctx, withID(g.Profile(id), a.ID)); err != nil {
			t.Fatal(err)
		}
	}
	_, err := newSnapshotIndex().LoadSnapshot(ctx, data, db, db)
	if !errors.Is(err, match.ErrSnapshotUnusable) {
		t.Fatalf("LoadSnapshot with 1,001 profiles changed after it = %v, want ErrSnapshotUnusable", err)
	}
}
