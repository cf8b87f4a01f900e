package main

import (
	"context"
	"fmt"
	"io"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/hire"
)

func runMigrate(ctx context.Context, args []string, e env, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", stderr)
	sc := storeFlags(fs, e)
	status := fs.Bool("status", false, "say which migrations the database has, change nothing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *status {
		return migrateStatus(ctx, sc.DB, newLogger(stderr, e), stdout)
	}
	db, err := openDurable(ctx, sc.DB, newLogger(stderr, e))
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintln(stdout, "migrated", redact(sc.DB))
	return nil
}

func runExport(ctx context.Context, args []string, e env, stdout, stderr io.Writer) error {
	fs := newFlags("export", stderr)
	sc := storeFlags(fs, e)
	person := fs.String("person", "", "export one person's data as JSON: <platform>:<user id> or <platform>:<workspace>:<user id>")
	secrets := fs.Bool("secrets", false, "include the workspace OAuth tokens in the backup")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *person == "" {
		return exportAll(ctx, sc.DB, newLogger(stderr, e), stdout, *secrets)
	}
	who, err := hire.ParseIdentity(*person)
	if err != nil {
		return fmt.Errorf("--person: %s", bot.ErrorMessage(err))
	}
	db, err := openDurable(ctx, sc.DB, newLogger(stderr, e))
	if err != nil {
		return err
	}
	defer db.Close()
	if err := hire.ExportPerson(ctx, db, who, stdout); bot.ErrorCode(err) == bot.ENOTFOUND {
		return fmt.Errorf("--person: nobody is %s here", who)
	} else if err != nil {
		return err
	}
	return nil
}
