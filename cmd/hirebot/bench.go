package main

import (
	"context"
	"io"

	"github.com/hirebot/hirebot/bench"
)

// runBench is "hirebot bench": matching and search figures on synthetic
// data, and with --db the same searches through SQLite FTS5 beside ours.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", stderr)
	cfg := bench.Config{}
	fs.IntVar(&cfg.Profiles, "profiles", 100_000, "synthetic profiles")
	fs.IntVar(&cfg.Jobs, "jobs", 1_000, "synthetic open jobs")
	fs.IntVar(&cfg.Queries, "queries", 1_000, "queries of each kind")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "same seed, same data")
	db := fs.String("db", "", "also fill this database (a SQLite file or a postgres:// URL) and compare its text search (a scratch database: it gets synthetic profiles)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *db != "" {
		s, err := openSQL(ctx, *db, nil, true)
		if err != nil {
			return err
		}
		defer s.Close()
		cfg.Store, cfg.Log, cfg.Import, cfg.DBPath = s, s, s.Import, redact(*db)
	}
	return bench.Run(ctx, stdout, cfg)
}
