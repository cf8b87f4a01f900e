package main

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/hirebot/hirebot/hire"
	"github.com/hirebot/hirebot/match"
)

const (
	// snapshotEvery is how often the scheduler writes the index snapshot
	// (under its lease); a clean stop writes one too.
	snapshotEvery = 10 * time.Minute
	// snapshotLag is how old a change must be to count as in the index:
	// another replica's change reaches this one through the feed within
	// it, and a PostgreSQL transaction numbered earlier commits within it.
	snapshotLag = time.Minute
	// profileLogKept is how long the profile log keeps a change: a
	// snapshot older than that is not loaded.
	profileLogKept = 7 * 24 * time.Hour
	// snapshotStopBound bounds writing the snapshot at a stop.
	snapshotStopBound = 30 * time.Second
)

// snapshotPath is where the match index's snapshot lives: setting
// (HIREBOT_INDEX_SNAPSHOT) when given, none when it is "off", beside a
// SQLite file by default, none for PostgreSQL by default (set a path on a
// volume the replicas share, or one per replica).
func snapshotPath(dsn, setting string) string {
	switch {
	case setting == "off":
		return ""
	case setting != "":
		return setting
	case isPostgres(dsn):
		return ""
	}
	return dsn + ".index"
}

// indexSnapshot loads the match index from its snapshot and writes it.
type indexSnapshot struct {
	path string // "" for none: every start rebuilds
	ix   *match.Index
	db   *durable
	log  *slog.Logger
}

// load fills the index: from the snapshot and the profile log after it
// when the snapshot is there and usable, from the database otherwise.
func (s indexSnapshot) load(ctx context.Context) error {
	if s.path != "" {
		start := time.Now()
		data, err := os.ReadFile(s.path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			s.log.Info("no index snapshot yet: rebuilding the match index from the database", "path", s.path)
		case err != nil:
			s.log.Warn("cannot read the index snapshot: rebuilding the match index from the database", "path", s.path, "err", err)
		default:
			info, err := s.ix.LoadSnapshot(ctx, data, s.db, s.db.ProfileLog)
			if err == nil {
				s.log.Info("match index loaded from its snapshot", "path", s.path, "profiles", info.Profiles,
					"replayed", info.Replayed, "written", info.Written.UTC().Format(time.RFC3339), "took", time.Since(start).Round(time.Millisecond))
				return nil
			}
			if ctx.Err() != nil {
				return err
			}
			s.log.Warn("index snapshot not used: rebuilding the match index from the database", "path", s.path, "err", err)
		}
	}
	start := time.Now()
	if err := s.ix.Rebuild(ctx, s.db); err != nil {
		return err
	}
	s.log.Info("match index rebuilt", "profiles", s.ix.Len(), "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// save writes the snapshot beside its place and renames it there, so a
// reader sees the old one or the new one, and prunes the profile log
// (with no snapshot too: it would grow for ever).
func (s indexSnapshot) save(ctx context.Context, now time.Time) error {
	if s.path == "" {
		return s.db.PruneProfileLog(ctx, now.Add(-profileLogKept))
	}
	start := time.Now()
	pos, err := s.db.ProfileLog.ProfileLogPosition(ctx, now.Add(-snapshotLag))
	if err != nil {
		return err
	}
	dir, base := filepath.Split(s.path)
	f, err := os.CreateTemp(dir, base+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after the rename, there is none
	w := bufio.NewWriterSize(f, 1<<20)
	err = s.ix.WriteSnapshot(ctx, w, pos)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), s.path)
	}
	if err != nil {
		return err
	}
	s.log.Info("index snapshot written", "path", s.path, "position", pos, "took", time.Since(start).Round(time.Millisecond))
	return s.db.PruneProfileLog(ctx, now.Add(-profileLogKept))
}

// task writes the snapshot periodically, on one replica at a time, and
// prunes the profile log.
func (s indexSnapshot) task() hire.Task {
	return hire.Task{Name: "index-snapshot", Every: snapshotEvery, Run: s.save}
}

// saveAtStop writes the snapshot once the work has stopped, within a
// bound of its own.
func (s indexSnapshot) saveAtStop(ctx context.Context) {
	if s.path == "" {
		return
	}
	bound, cancel := context.WithTimeout(context.WithoutCancel(ctx), snapshotStopBound)
	defer cancel()
	if err := s.save(bound, time.Now()); err != nil {
		s.log.Warn("index snapshot not written at stop", "path", s.path, "err", err)
	}
}
