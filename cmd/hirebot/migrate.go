package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// migrateStatus prints, for every step of the one migration list, whether
// the database has it, then where the database stands.
func migrateStatus(ctx context.Context, dsn string, log *slog.Logger, stdout io.Writer) error {
	db, err := openSQL(ctx, dsn, log, false)
	if err != nil {
		return err
	}
	defer db.Close()
	states, err := db.MigrationStatus(ctx)
	if err != nil {
		return err
	}
	at, pending := 0, 0
	for _, s := range states {
		when := "pending"
		if s.Applied {
			when = "applied " + s.AppliedAt.UTC().Format(time.RFC3339)
			if pending == 0 {
				at = s.Version
			}
		} else {
			pending++
		}
		_, name, _ := strings.Cut(s.Name, "_")
		fmt.Fprintf(stdout, "%03d %-24s %s\n", s.Version, name, when)
	}
	fmt.Fprintf(stdout, "%s (%s): at version %d of %d, %d pending\n",
		redact(dsn), db.Dialect().Name(), at, len(states), pending)
	return nil
}
