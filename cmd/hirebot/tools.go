package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/sqlite"
)

func runMigrate(ctx context.Context, args []string, e env, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", stderr)
	sc := storeFlags(fs, e)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := sqlite.Open(ctx, sc.DB, sqlite.Options{Logger: newLogger(stderr, e.LogLevel)})
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintln(stdout, "migrated", sc.DB)
	return nil
}

func runExport(ctx context.Context, args []string, e env, stdout, stderr io.Writer) error {
	fs := newFlags("export", stderr)
	sc := storeFlags(fs, e)
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := sqlite.Open(ctx, sc.DB, sqlite.Options{Logger: newLogger(stderr, e.LogLevel)})
	if err != nil {
		return err
	}
	defer db.Close()
	return bot.Export(ctx, db, stdout)
}
