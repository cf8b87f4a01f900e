package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/hirebot/hirebot/bot"
)

// exportAll writes a whole backup of the database (docs/backup.md).
func exportAll(ctx context.Context, dsn string, log *slog.Logger, stdout io.Writer, secrets bool) error {
	db, err := openSQL(ctx, dsn, log, true)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Export(ctx, stdout, secrets)
}

// runImport restores a backup (a file, or stdin for "-") into an empty
// database, migrating it first.
func runImport(ctx context.Context, args []string, e env, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("import", stderr)
	sc := storeFlags(fs, e)
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: hirebot import [--db PATH] FILE|-")
		return errUsage
	}
	in := stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	db, err := openSQL(ctx, sc.DB, newLogger(stderr, e), true)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Import(ctx, in)
	if err != nil {
		if bot.ErrorCode(err) == bot.EINVALID {
			return fmt.Errorf("import into %s: %s", redact(sc.DB), bot.ErrorMessage(err))
		}
		return err
	}
	fmt.Fprintf(stdout, "imported %d records into %s\n", n, redact(sc.DB))
	return nil
}
